"""Staff in the admin: day view, booking for a patient, cancel/reschedule with a recorded cutoff
override, completed/no-show, schedule editing, location scoping."""

from datetime import date, time

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from scheduling.models import Appointment, AppointmentEvent
from tests.conftest import login_verified
from tests.factories import LocationFactory, PatientFactory, StaffFactory
from tests.scheduling.helpers import at, book

pytestmark = pytest.mark.usefixtures("frozen")
DAY = date(2026, 10, 6)


@pytest.fixture
def staff(houston):
    user = StaffFactory()
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="scheduling"))
    user.served_locations.set([houston])
    return user


@pytest.fixture
def desk(client, staff):
    login_verified(client, staff)
    return client


def test_day_view_lists_the_physicians_day_in_local_time(
    desk, patient, physician, houston, consultation
):
    book(
        patient=patient,
        provider=physician,
        location=houston,
        kind=consultation,
        day=DAY,
        clock=time(9, 30),
    )
    response = desk.get(
        reverse("admin:scheduling_appointment_day"),
        {"location": "houston-tx", "provider": physician.slug, "date": "2026-10-06"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Tuesday, October 6, 2026 (Central Time (Houston))" in html
    assert "9:30 AM–10:00 AM" in html
    assert "9:00 AM–12:00 PM" in html  # working hours
    assert patient.display_name in html


def test_staff_book_for_a_patient_inside_the_notice(
    frozen, desk, staff, patient, physician, houston, consultation
):
    frozen.move_to(at(houston, DAY, time(8, 30)))
    login_verified(desk, staff)
    response = desk.post(
        reverse("admin:scheduling_appointment_book"),
        {
            "patient_email": patient.email.upper(),
            "location": houston.pk,
            "type": consultation.pk,
            "provider": physician.pk,
            "day": "2026-10-06",
            "time": "09:00",
        },
    )
    appointment = Appointment.objects.get()
    assert response.status_code == 302
    assert (appointment.patient, appointment.booked_by, appointment.booked_via) == (
        patient,
        staff,
        "staff",
    )
    assert appointment.start == at(houston, DAY, time(9))


def test_staff_booking_a_taken_time_shows_the_error(
    desk, patient, physician, houston, consultation
):
    book(
        patient=PatientFactory(),
        provider=physician,
        location=houston,
        kind=consultation,
        day=DAY,
        clock=time(9),
    )
    response = desk.post(
        reverse("admin:scheduling_appointment_book"),
        {
            "patient_email": patient.email,
            "location": houston.pk,
            "type": consultation.pk,
            "provider": physician.pk,
            "day": "2026-10-06",
            "time": "09:00",
        },
    )
    assert response.status_code == 200
    assert "This time is not available" in response.content.decode()


def test_a_time_skipped_by_the_clocks_is_refused(desk, patient, physician, houston, consultation):
    response = desk.post(
        reverse("admin:scheduling_appointment_book"),
        {
            "patient_email": patient.email,
            "location": houston.pk,
            "type": consultation.pk,
            "provider": physician.pk,
            "day": "2027-03-14",
            "time": "02:30",
        },
    )
    assert "does not exist" in response.content.decode()
    assert not Appointment.objects.exists()


def test_cancel_inside_the_cutoff_needs_the_override_and_records_it(
    frozen, desk, staff, patient, physician, houston, consultation
):
    appointment = book(
        patient=patient,
        provider=physician,
        location=houston,
        kind=consultation,
        day=DAY,
        clock=time(9),
    )
    frozen.move_to(at(houston, DAY, time(8)))
    login_verified(desk, staff)
    url = reverse("admin:scheduling_appointment_cancel", args=[appointment.pk])
    refused = desk.post(url, {"note": "patient called"})
    assert "too close to change online" in refused.content.decode()
    desk.post(url, {"note": "patient called", "override_cutoff": "on"})
    appointment.refresh_from_db()
    assert appointment.status == "cancelled"
    event = appointment.events.last()
    assert (event.actor, event.cutoff_overridden, event.note) == (staff, True, "patient called")


def test_reschedule_from_the_admin(desk, staff, patient, physician, houston, consultation):
    appointment = book(
        patient=patient,
        provider=physician,
        location=houston,
        kind=consultation,
        day=DAY,
        clock=time(9),
    )
    url = reverse("admin:scheduling_appointment_reschedule", args=[appointment.pk])
    assert desk.get(url).status_code == 200
    desk.post(url, {"provider": physician.pk, "day": "2026-10-07", "time": "13:30", "note": ""})
    appointment.refresh_from_db()
    assert appointment.start == at(houston, date(2026, 10, 7), time(13, 30))
    assert appointment.events.last().actor == staff


def test_mark_no_show_action(frozen, desk, staff, patient, physician, houston, consultation):
    appointment = book(
        patient=patient,
        provider=physician,
        location=houston,
        kind=consultation,
        day=DAY,
        clock=time(9),
    )
    frozen.move_to(at(houston, DAY, time(10)))
    login_verified(desk, staff)
    desk.post(
        reverse("admin:scheduling_appointment_changelist"),
        {"action": "mark_no_show", "_selected_action": [appointment.pk]},
    )
    appointment.refresh_from_db()
    assert appointment.status == "no_show"
    assert AppointmentEvent.objects.filter(
        appointment=appointment, action="no_show", actor=staff
    ).exists()


def test_staff_see_only_the_locations_they_serve(desk, physician, houston, consultation, kinds):
    from tests.scheduling.factories import working_physician

    elsewhere = LocationFactory(timezone="America/New_York")
    other_doc = working_physician(location=elsewhere, kinds=kinds)
    mine = book(
        patient=PatientFactory(),
        provider=physician,
        location=houston,
        kind=consultation,
        day=DAY,
        clock=time(9),
    )
    theirs = book(
        patient=PatientFactory(),
        provider=other_doc,
        location=elsewhere,
        kind=consultation,
        day=DAY,
        clock=time(9),
    )
    listing = desk.get(reverse("admin:scheduling_appointment_changelist")).content.decode()
    assert reverse("admin:scheduling_appointment_change", args=[mine.pk]) in listing
    assert reverse("admin:scheduling_appointment_change", args=[theirs.pk]) not in listing
    assert (
        desk.get(reverse("admin:scheduling_appointment_cancel", args=[theirs.pk])).status_code
        == 404
    )


def test_schedule_page_edits_weekly_hours(desk, physician):
    url = reverse("admin:scheduling_physicianschedule_change", args=[physician.pk])
    response = desk.get(url)
    assert response.status_code == 200
    assert "Weekly working hours" in response.content.decode()


def test_the_change_form_offers_reschedule_and_cancel(
    desk, patient, physician, houston, consultation
):
    appointment = book(
        patient=patient,
        provider=physician,
        location=houston,
        kind=consultation,
        day=DAY,
        clock=time(9),
    )
    html = desk.get(
        reverse("admin:scheduling_appointment_change", args=[appointment.pk])
    ).content.decode()
    assert reverse("admin:scheduling_appointment_reschedule", args=[appointment.pk]) in html
    assert "Booked" in html  # the history inline
