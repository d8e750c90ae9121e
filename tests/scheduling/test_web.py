"""The booking pages as a patient uses them, without JavaScript; the dashboard section."""

import json
import re
from datetime import date, time, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from icalendar import Calendar

from scheduling.frontdesk_services import appointment_check_in
from scheduling.models import Appointment
from tests.factories import PatientFactory, StaffFactory
from tests.scheduling.helpers import at, book
from tests.triage.factories import AssessmentFactory
from triage.loading import publish_files
from triage.models import Questionnaire, Ruleset

pytestmark = pytest.mark.usefixtures("frozen")
DAY = date(2026, 10, 6)


def _search(web, **params):
    query = {
        "location": "houston-tx",
        "type": "new-consultation",
        "provider": "",
        "day": DAY.isoformat(),
        **params,
    }
    return web.get(reverse("scheduling:book"), query)


def test_booking_needs_an_account(client, physician):
    response = client.get(reverse("scheduling:book"))
    assert response.status_code == 302
    assert reverse("clinic:login") in response["Location"]


def test_the_picker_shows_local_times_with_the_zone_name(web, physician):
    response = _search(web)
    assert response.status_code == 200
    html = response.content.decode()
    picker = html.split("Choose a time")[1]
    assert "Times are local to the clinic: Central Time (Houston)." in picker
    assert ">9:00 AM<" in picker
    assert ">4:30 PM<" in picker
    assert "America/Chicago" not in html
    assert "CDT" not in html
    assert 'value="2026-10-06T14:00:00+00:00"' in html


def test_after_fall_back_the_same_schedule_shows_standard_time(web, physician):
    html = _search(web, day="2026-11-02").content.decode()
    picker = html.split("Choose a time")[1]
    assert "Monday, November 2, 2026" in picker
    assert ">9:00 AM<" in picker
    assert "Daylight" not in picker


def _physician_options(html: str) -> list[tuple[str, str]]:
    select = html.split('name="provider"', 1)[1].split("</select>", 1)[0]
    return re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select)


def test_the_physician_list_is_the_chosen_location_s_each_once(
    web, physician, houston, lawrenceville, kinds
):
    from tests.scheduling.factories import working_physician

    both = working_physician(location=houston, kinds=kinds, slug="both-places", name="Dr. Both")
    both.locations.add(lawrenceville)
    working_physician(location=lawrenceville, kinds=kinds, slug="jersey-doc", name="Dr. Jersey")
    html = _search(web).content.decode()
    options = _physician_options(html)
    assert options[0] == ("", "First available")
    assert sorted(options[1:]) == sorted(
        [(physician.slug, physician.name), ("both-places", "Dr. Both")]
    )
    assert "<optgroup" not in html
    (raw,) = re.findall(r'<script id="physicians-by-location"[^>]*>(.*?)</script>', html)
    data = json.loads(raw)
    assert [slug for slug, _name in data["lawrenceville-nj"]] == ["both-places", "jersey-doc"]
    assert "booking-physicians.js" in html


def test_a_physician_from_another_location_goes_back_to_first_available(
    web, physician, lawrenceville, kinds
):
    from tests.scheduling.factories import working_physician

    working_physician(location=lawrenceville, kinds=kinds, slug="jersey-doc", name="Dr. Jersey")
    response = _search(web, provider="jersey-doc")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="errorlist"' not in html
    assert (
        "Dr. Jersey does not see patients at Houston, TX, so the times below are with any "
        "physician there." in html
    )
    assert "Choose a time" in html
    assert "jersey-doc" not in html.split("Choose a time")[1]
    assert physician.slug in html.split("Choose a time")[1]
    assert _physician_options(html)[0] == ("", "First available")
    assert 'value="" selected' in html.split('name="provider"', 1)[1]


def test_hold_then_confirm_books_and_emails(
    django_capture_on_commit_callbacks, web, patient, physician, houston
):
    response = web.post(
        reverse("scheduling:hold"),
        {
            "location": "houston-tx",
            "type": "new-consultation",
            "provider": physician.slug,
            "start": "2026-10-06T14:00:00+00:00",
        },
    )
    held = Appointment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("scheduling:detail", args=[held.pk])
    assert held.status == "held"
    page = web.get(response["Location"]).content.decode()
    assert "Confirm booking" in page
    assert "We are holding this time for you until" in page
    assert "Tuesday, October 6, 2026, 9:00 – 9:30 AM Central Time (Houston)" in page
    with django_capture_on_commit_callbacks(execute=True):
        web.post(reverse("scheduling:confirm", args=[held.pk]))
    held.refresh_from_db()
    assert held.status == "confirmed"
    assert len(mail.outbox) == 1


def test_choosing_another_time_releases_the_hold(web, patient, physician):
    web.post(
        reverse("scheduling:hold"),
        {
            "location": "houston-tx",
            "type": "new-consultation",
            "provider": physician.slug,
            "start": "2026-10-06T14:00:00+00:00",
        },
    )
    held = Appointment.objects.get()
    response = web.post(reverse("scheduling:release", args=[held.pk]))
    assert response.status_code == 302
    assert "day=2026-10-06" in response["Location"]
    held.refresh_from_db()
    assert held.status == "cancelled"
    assert ">9:00 AM<" in web.get(response["Location"]).content.decode()


def test_a_taken_time_sends_the_patient_back_with_a_message(web, physician, houston, consultation):
    book(
        patient=PatientFactory(),
        provider=physician,
        location=houston,
        kind=consultation,
        day=DAY,
        clock=time(9),
    )
    response = web.post(
        reverse("scheduling:hold"),
        {
            "location": "houston-tx",
            "type": "new-consultation",
            "provider": physician.slug,
            "start": "2026-10-06T14:00:00+00:00",
        },
        follow=True,
    )
    assert "This time is not available" in response.content.decode()
    assert Appointment.objects.count() == 1


def test_another_patients_appointment_is_404_on_every_page(web, physician, houston, consultation):
    other = book(
        patient=PatientFactory(),
        provider=physician,
        location=houston,
        kind=consultation,
        day=DAY,
        clock=time(9),
    )
    for name in ("detail", "cancel", "reschedule", "calendar"):
        assert web.get(reverse(f"scheduling:{name}", args=[other.pk])).status_code == 404
    for name in ("confirm", "release", "cancel"):
        assert web.post(reverse(f"scheduling:{name}", args=[other.pk])).status_code == 404
    other.refresh_from_db()
    assert other.status == "confirmed"


def test_cancel_from_the_page(web, patient, physician, houston, consultation):
    appointment = book(
        patient=patient,
        provider=physician,
        location=houston,
        kind=consultation,
        day=DAY,
        clock=time(9),
    )
    assert (
        "Yes, cancel it"
        in web.get(reverse("scheduling:cancel", args=[appointment.pk])).content.decode()
    )
    response = web.post(reverse("scheduling:cancel", args=[appointment.pk]))
    assert response["Location"] == reverse("clinic:dashboard")
    appointment.refresh_from_db()
    assert appointment.status == "cancelled"


def test_reschedule_from_the_page(web, patient, physician, houston, consultation):
    appointment = book(
        patient=patient,
        provider=physician,
        location=houston,
        kind=consultation,
        day=DAY,
        clock=time(9),
    )
    page = web.get(
        reverse("scheduling:reschedule", args=[appointment.pk]), {"day": "2026-10-06"}
    ).content.decode()
    assert ">9:30 AM<" in page
    response = web.post(
        reverse("scheduling:reschedule", args=[appointment.pk]),
        {"provider": physician.slug, "start": "2026-10-06T15:00:00+00:00"},
    )
    assert response.status_code == 302
    appointment.refresh_from_db()
    assert appointment.start == at(houston, DAY, time(10))


def test_inside_the_cutoff_the_pages_say_to_call(
    frozen, web, patient, physician, houston, consultation
):
    appointment = book(
        patient=patient,
        provider=physician,
        location=houston,
        kind=consultation,
        day=DAY,
        clock=time(9),
    )
    frozen.move_to(at(houston, DAY, time(7)))
    web.force_login(patient)  # the session from days ago has expired
    page = web.get(reverse("scheduling:reschedule", args=[appointment.pk])).content.decode()
    assert "can no longer be moved online" in page
    web.post(reverse("scheduling:cancel", args=[appointment.pk]))
    appointment.refresh_from_db()
    assert appointment.status == "confirmed"


def test_calendar_download(web, patient, physician, houston, consultation):
    appointment = book(
        patient=patient,
        provider=physician,
        location=houston,
        kind=consultation,
        day=DAY,
        clock=time(9),
    )
    response = web.get(reverse("scheduling:calendar", args=[appointment.pk]))
    assert response["Content-Type"].startswith("text/calendar")
    assert b"DTSTART:20261006T140000Z" in response.content
    calendar = Calendar.from_ical(response.content)
    (event,) = calendar.walk("VEVENT")
    # A downloaded copy is published, not an invitation: no attendee to answer for.
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert "ATTENDEE" not in event
    assert str(event["ORGANIZER"]).startswith("mailto:")
    assert str(event["STATUS"]) == "CONFIRMED"


def test_dashboard_lists_upcoming_and_past(frozen, web, patient, physician, houston, consultation):
    past = book(
        patient=patient,
        provider=physician,
        location=houston,
        kind=consultation,
        day=DAY,
        clock=time(9),
    )
    upcoming = book(
        patient=patient,
        provider=physician,
        location=houston,
        kind=consultation,
        day=DAY + timedelta(days=7),
        clock=time(9),
    )
    frozen.move_to(at(houston, DAY, time(12)))
    web.force_login(patient)
    html = web.get(reverse("clinic:dashboard")).content.decode()
    upcoming_part, past_part = html.split("Past and cancelled")
    assert reverse("scheduling:reschedule", args=[upcoming.pk]) in upcoming_part
    assert reverse("scheduling:detail", args=[past.pk]) in past_part
    assert "Tuesday, October 13, 2026, 9:00 AM Central Time (Houston)" in upcoming_part


def test_a_visit_the_patient_is_checked_in_for_stays_upcoming_until_it_ends(
    frozen, web, patient, physician, houston, consultation
):
    visit = book(
        patient=patient, provider=physician, location=houston, kind=consultation,
        day=DAY, clock=time(9),
    )  # fmt: skip
    frozen.move_to(at(houston, DAY, time(8, 55)))
    appointment_check_in(appointment=visit, actor=StaffFactory())
    frozen.move_to(at(houston, DAY, time(9, 10)))
    web.force_login(patient)
    html = web.get(reverse("clinic:dashboard")).content.decode()
    upcoming_part = html.split("Past and cancelled")[0]
    assert reverse("scheduling:detail", args=[visit.pk]) in upcoming_part
    assert "Checked in" in upcoming_part
    assert reverse("scheduling:reschedule", args=[visit.pk]) not in html

    frozen.move_to(visit.end + timedelta(minutes=1))
    html = web.get(reverse("clinic:dashboard")).content.decode()
    assert reverse("scheduling:detail", args=[visit.pk]) in html.split("Past and cancelled")[1]


def test_home_and_nav_link_to_booking(db, client):
    html = client.get("/").content.decode()
    assert html.count(f'href="{reverse("scheduling:book")}"') == 2


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Tuesday, October 13, 2026, 9:00 AM Central Time (Houston)"),
        ("es", "martes, 13 de octubre de 2026, 9:00 a.m. hora central (Houston)"),
    ],
)
def test_dashboard_shows_symptom_checks_and_appointments_in_one_format(
    frozen, web, patient, physician, houston, consultation, language, expected
):
    publish_files(Questionnaire, Ruleset)
    profile = patient.patient_profile
    profile.preferred_location, profile.preferred_language = houston, language
    profile.save()
    book(
        patient=patient,
        provider=physician,
        location=houston,
        kind=consultation,
        day=DAY + timedelta(days=7),
        clock=time(9),
    )
    frozen.move_to(at(houston, DAY + timedelta(days=7), time(9)))
    AssessmentFactory(patient=patient)
    web.force_login(patient)
    web.cookies["django_language"] = language
    html = web.get(reverse("clinic:dashboard")).content.decode()
    assert html.count(expected) == 2  # the appointment and the symptom check
    for other in ("CDT", "CST", "America/Chicago", "a.m. C", "p.m. C"):
        assert other not in html
