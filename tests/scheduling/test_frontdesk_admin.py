"""The front desk in the admin, over HTTP: the day board (columns, local times, actions as
POSTs), booking for a patient from the free times with overrides, the no-show and cancellation
counts (exact numbers), and who may see and do what."""

from datetime import date, time, timedelta

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils.html import escape

from scheduling.models import Appointment, AppointmentEvent, ScheduleOverride
from scheduling.services import appointment_cancel, appointment_mark
from tests.conftest import login_verified
from tests.factories import PatientFactory, PatientProfileFactory, StaffFactory
from tests.scheduling.factories import working_physician
from tests.scheduling.helpers import at, book

pytestmark = pytest.mark.usefixtures("frozen")
DAY = date(2026, 10, 6)  # a Tuesday
BOARD = "admin:scheduling_frontdeskboard_changelist"
BOOK = "admin:scheduling_frontdeskboard_book"
REPORT = "admin:scheduling_noshowreport_changelist"
Status = Appointment.Status


def row(month, physician, no_shows, cancellations, seen):
    return (
        f"<tr><td>{month}</td><td>Houston, TX</td><td>{escape(physician.name)}</td>"
        f"<td>{no_shows}</td><td>{cancellations}</td><td>{seen}</td></tr>"
    )


def action_url(appointment, action):
    return reverse("admin:scheduling_frontdeskboard_action", args=[appointment.pk, action])


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


@pytest.fixture
def second(houston, kinds):
    return working_physician(location=houston, kinds=kinds, slug="samuel-okafor")


@pytest.fixture
def visit(patient, physician, houston, consultation):
    PatientProfileFactory.reset_sequence()
    profile = patient.patient_profile
    profile.phone = "+17135550111"
    profile.save()
    return book(
        patient=patient, provider=physician, location=houston, kind=consultation, day=DAY,
        clock=time(9, 30),
    )  # fmt: skip


def test_the_board_shows_every_physician_side_by_side_in_local_time(
    desk, visit, patient, physician, second, houston
):
    response = desk.get(reverse(BOARD), {"location": "houston-tx", "date": "2026-10-06"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Houston, TX · Tuesday, October 6, 2026" in html
    assert "Times in Central Time (Houston)." in html
    assert html.count('class="board-column"') == 2
    assert html.index(physician.name) < html.index(patient.display_name)
    assert "9:30 AM–10:00 AM" in html
    assert html.count("Hours: 9:00 AM – 12:00 PM, 1:00 – 5:00 PM") == 2
    assert "(713) 555-0111" in html
    assert "New consultation" in html
    assert "Confirmed" in html
    assert "?location=houston-tx&amp;date=2026-10-05" in html  # previous day
    assert "?location=houston-tx&amp;date=2026-10-07" in html
    assert 'media="print"' not in html  # the print rules live in the linked stylesheet
    assert "scheduling/board.css" in html


def test_the_board_opens_on_today_in_the_locations_zone(frozen, desk, staff, visit, houston):
    # 02:00 UTC on Wednesday is still Tuesday evening in Houston.
    frozen.move_to(at(houston, DAY, time(21)))
    login_verified(desk, staff)
    response = desk.get(reverse(BOARD))
    assert "Tuesday, October 6, 2026 (today)" in response.content.decode()


def test_a_triage_flag_shows_on_the_card(desk, visit):
    Appointment.objects.filter(pk=visit.pk).update(triage_attention="emergency_seen")
    response = desk.get(reverse(BOARD), {"location": "houston-tx", "date": "2026-10-06"})
    assert "Emergency result; patient says they have been seen" in response.content.decode()


def test_check_in_then_completed_from_the_board(frozen, desk, staff, visit, houston):
    frozen.move_to(at(houston, DAY, time(9, 20)))
    login_verified(desk, staff)
    board = reverse(BOARD) + "?location=houston-tx&date=2026-10-06"
    html = desk.get(board).content.decode()
    assert action_url(visit, "check-in") in html
    assert action_url(visit, "no-show") not in html  # not started yet
    response = desk.post(action_url(visit, "check-in"), {"next": board})
    assert (response.status_code, response["Location"]) == (302, board)
    visit.refresh_from_db()
    assert visit.status == Status.ARRIVED
    frozen.move_to(at(houston, DAY, time(9, 31)))  # within the staff idle timeout
    desk.post(action_url(visit, "complete"), {"next": board})
    visit.refresh_from_db()
    assert visit.status == Status.COMPLETED
    assert list(visit.events.values_list("action", "actor")) == [
        ("booked", visit.patient_id),
        ("checked_in", staff.pk),
        ("completed", staff.pk),
    ]


def test_an_invalid_action_is_refused_with_a_message_and_changes_nothing(desk, visit):
    response = desk.post(action_url(visit, "no-show"), follow=True)
    visit.refresh_from_db()
    assert visit.status == Status.CONFIRMED
    assert "once it has started" in response.content.decode()


def test_actions_are_posts_with_a_csrf_token(desk, visit, client):
    assert desk.get(action_url(visit, "check-in")).status_code == 405
    html = desk.get(reverse(BOARD), {"location": "houston-tx", "date": "2026-10-06"})
    assert "csrfmiddlewaretoken" in html.content.decode()


def test_patients_and_visitors_are_sent_to_log_in(client, visit, patient):
    for url in (reverse(BOARD), reverse(BOOK), reverse(REPORT)):
        response = client.get(url)
        assert response.status_code == 302
        assert "login" in response["Location"]
    client.force_login(patient)
    for url in (reverse(BOARD), reverse(BOOK), reverse(REPORT)):
        response = client.get(url)
        assert response.status_code == 302
        assert "login" in response["Location"]
    response = client.post(action_url(visit, "check-in"))
    assert response.status_code == 302
    assert "login" in response["Location"]
    visit.refresh_from_db()
    assert visit.status == Status.CONFIRMED


def test_staff_of_another_location_cannot_see_or_act_on_this_board(client, visit, lawrenceville):
    other = StaffFactory()
    other.user_permissions.set(Permission.objects.filter(content_type__app_label="scheduling"))
    other.served_locations.set([lawrenceville])
    login_verified(client, other)
    assert client.get(reverse(BOARD), {"location": "houston-tx"}).status_code == 404
    assert client.post(action_url(visit, "check-in")).status_code == 404
    assert client.get(reverse(BOOK), {"location": "houston-tx"}).status_code == 404
    html = client.get(reverse(BOARD)).content.decode()
    assert "Lawrenceville, NJ" in html
    assert visit.patient.display_name not in html


def test_staff_without_the_change_permission_see_the_board_but_cannot_act(client, visit, houston):
    viewer = StaffFactory()
    viewer.user_permissions.set(Permission.objects.filter(codename="view_appointment"))
    viewer.served_locations.set([houston])
    login_verified(client, viewer)
    html = client.get(reverse(BOARD), {"location": "houston-tx", "date": "2026-10-06"})
    assert visit.patient.display_name in html.content.decode()
    assert action_url(visit, "check-in") not in html.content.decode()
    assert client.post(action_url(visit, "check-in")).status_code == 403
    assert client.get(reverse(BOOK)).status_code == 403


# --- booking for a patient ---------------------------------------------------------------------


def test_find_a_patient_by_name_email_phone_or_date_of_birth(desk):
    found = PatientFactory(first_name="Lucía", last_name="Benavides", email="lb@example.org")
    found.patient_profile.phone = "+17135550111"
    found.patient_profile.date_of_birth = date(1980, 4, 12)
    found.patient_profile.save()
    PatientFactory(first_name="Lucas", last_name="Other")
    StaffFactory(first_name="Lucía", last_name="Benavides")  # staff are not patients
    for query in ("benavides", "Lucía Ben", "lb@example", "(713) 555-0111", "713.555.0111",
                  "1980-04-12", "04/12/1980"):  # fmt: skip
        response = desk.get(reverse(BOOK), {"location": "houston-tx", "q": query})
        html = response.content.decode()
        assert html.count("Book for Lucía Benavides") == 1, query
        assert "Lucas Other" not in html, query
    html = desk.get(reverse(BOOK), {"location": "houston-tx", "q": "Lu"}).content.decode()
    assert "Book for Lucía Benavides" in html
    assert "Book for Lucas Other" in html


def test_book_by_picking_a_free_time_then_it_is_on_the_board(
    desk, staff, patient, physician, houston, consultation
):
    book(
        patient=PatientFactory(), provider=physician, location=houston, kind=consultation,
        day=DAY, clock=time(9),
    )  # fmt: skip
    query = {
        "location": "houston-tx",
        "patient": patient.pk,
        "provider": physician.pk,
        "type": consultation.pk,
        "day": "2026-10-06",
    }
    html = desk.get(reverse(BOOK), query).content.decode()
    assert 'type="radio"' in html
    nine, half_past = at(houston, DAY, time(9)), at(houston, DAY, time(9, 30))
    assert f'value="{nine.isoformat()}"' not in html  # taken
    assert f'value="{half_past.isoformat()}"' in html
    assert ">9:30 AM</label>" in html
    response = desk.post(reverse(BOOK), {**query, "start": half_past.isoformat()})
    assert response.status_code == 302
    assert response["Location"] == reverse(BOARD) + "?location=houston-tx&date=2026-10-06"
    appointment = Appointment.objects.get(patient=patient)
    assert (appointment.start, appointment.booked_via, appointment.booked_by) == (
        half_past,
        "staff",
        staff,
    )
    board = desk.get(response["Location"]).content.decode()
    assert patient.display_name in board
    assert "9:30 AM–10:00 AM" in board


def test_a_time_not_offered_is_refused(desk, patient, physician, consultation):
    response = desk.post(
        reverse(BOOK),
        {
            "location": "houston-tx", "patient": patient.pk, "provider": physician.pk,
            "type": consultation.pk, "day": "2026-10-06", "start": "2026-10-06T14:10:00+00:00",
        },
    )  # fmt: skip
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Appointment.objects.exists()


def test_an_override_needs_its_checkbox_and_a_reason_and_is_recorded(
    frozen, desk, staff, patient, physician, houston, consultation
):
    frozen.move_to(at(houston, DAY, time(7)))
    login_verified(desk, staff)
    nine = at(houston, DAY, time(9)).isoformat()
    form = {
        "location": "houston-tx", "patient": patient.pk, "provider": physician.pk,
        "type": consultation.pk, "day": "2026-10-06", "start": nine,
    }  # fmt: skip
    html = desk.post(reverse(BOOK), form).content.decode()
    assert "This booking needs these overrides, with a reason" in html
    assert "Book at short notice" in html
    html = desk.post(reverse(BOOK), {**form, "overrides": "short_notice"}).content.decode()
    assert "Give the reason for the override." in html
    assert not Appointment.objects.exists()
    response = desk.post(
        reverse(BOOK), {**form, "overrides": "short_notice", "reason": "Walk-in, in pain."}
    )
    assert response.status_code == 302
    event = AppointmentEvent.objects.get()
    assert (event.overrides, event.note, event.actor) == (
        ["short_notice"],
        "Walk-in, in pain.",
        staff,
    )


# --- requests under the no-show policy ---------------------------------------------------------


def test_staff_confirm_a_request_from_the_board(
    frozen, desk, staff, patient, physician, houston, consultation, settings
):
    settings.NO_SHOW_CONFIRM_AFTER = 1
    earlier = book(
        patient=patient, provider=physician, location=houston, kind=consultation,
        day=DAY, clock=time(13),
    )  # fmt: skip
    frozen.move_to(at(houston, DAY, time(13, 10)))
    appointment_mark(appointment=earlier, status=Status.NO_SHOW, actor=staff)
    request = book(
        patient=patient, provider=physician, location=houston, kind=consultation,
        day=DAY + timedelta(days=1), clock=time(9),
    )  # fmt: skip
    assert request.status == Status.REQUESTED
    login_verified(desk, staff)
    html = desk.get(reverse(BOARD), {"location": "houston-tx"}).content.decode()
    assert "Booking requests to confirm" in html
    assert action_url(request, "confirm-request") in html
    desk.post(action_url(request, "confirm-request"))
    request.refresh_from_db()
    assert request.status == Status.CONFIRMED


def test_staff_decline_a_request_from_the_board_with_the_reason_kept(
    frozen, desk, staff, patient, physician, houston, consultation, settings
):
    settings.NO_SHOW_CONFIRM_AFTER = 1
    earlier = book(
        patient=patient, provider=physician, location=houston, kind=consultation,
        day=DAY, clock=time(13),
    )  # fmt: skip
    frozen.move_to(at(houston, DAY, time(13, 10)))
    appointment_mark(appointment=earlier, status=Status.NO_SHOW, actor=staff)
    request = book(
        patient=patient, provider=physician, location=houston, kind=consultation,
        day=DAY + timedelta(days=1), clock=time(9),
    )  # fmt: skip
    login_verified(desk, staff)
    html = desk.get(reverse(BOARD), {"location": "houston-tx"}).content.decode()
    assert f'<label for="decline-note-{request.pk}">Reason (kept in the history)</label>' in html
    desk.post(action_url(request, "decline-request"), {"note": "Prefers a morning; will call."})
    request.refresh_from_db()
    assert request.status == Status.CANCELLED
    assert (request.events.last().action, request.events.last().note) == (
        "declined",
        "Prefers a morning; will call.",
    )


# --- counts ------------------------------------------------------------------------------------


def test_the_counts_per_month_location_physician_and_patient_are_exact(
    frozen, desk, staff, physician, second, houston, lawrenceville, consultation
):
    often, once = PatientFactory(last_name="Often"), PatientFactory(last_name="Once")
    rows = [
        # (patient, physician, day, clock, outcome)
        (often, physician, date(2026, 10, 6), time(9), Status.NO_SHOW),
        (often, physician, date(2026, 10, 7), time(9), Status.NO_SHOW),
        (often, second, date(2026, 10, 8), time(9), Status.CANCELLED),
        (once, physician, date(2026, 10, 6), time(10), Status.COMPLETED),
        (once, second, date(2026, 10, 6), time(11), Status.NO_SHOW),
        # 30 October 19:30 local is 31 October in UTC... still October in Houston:
        (once, physician, date(2026, 10, 30), time(19, 30), Status.CANCELLED),
        (often, physician, date(2026, 11, 2), time(9), Status.NO_SHOW),
    ]
    ScheduleOverride.objects.create(
        provider=physician, location=houston, date=date(2026, 10, 30), kind="extra_hours",
        start=time(18), end=time(21),
    )  # fmt: skip
    made = []
    for patient, provider, day, clock, _outcome in rows:
        made.append(
            book(patient=patient, provider=provider, location=houston, kind=consultation,
                 day=day, clock=clock)
        )  # fmt: skip
    frozen.move_to(at(houston, date(2026, 11, 3), time(12)))
    for appointment, (*_, outcome) in zip(made, rows, strict=True):
        if outcome == Status.CANCELLED:
            appointment_cancel(appointment=appointment, actor=staff, override_cutoff=True)
        else:
            appointment_mark(appointment=appointment, status=outcome, actor=staff)
    login_verified(desk, staff)
    response = desk.get(reverse(REPORT))
    html = response.content.decode()
    assert response.status_code == 200
    table = html[html.index('id="outcome-counts"') : html.index('id="patient-counts"')]
    expected = [
        row("2026-11", physician, 1, 0, 0),
        row("2026-10", physician, 2, 1, 1),
        row("2026-10", second, 1, 1, 0),
    ]
    positions = [table.index(line) for line in expected]
    assert positions == sorted(positions)
    assert table.count("<tr><td>") == 3
    assert "<td>4</td><td>2</td><td>1</td></tr></tfoot>" in table  # the totals
    per_patient = html[html.index('id="patient-counts"') :]
    assert f"{often.display_name}</a></td><td>3</td><td>1</td>" in per_patient
    assert f"{once.display_name}</a></td><td>1</td><td>1</td>" in per_patient
    october = desk.get(reverse(REPORT), {"month": "2026-10", "provider": physician.slug})
    html = october.content.decode()
    assert row("2026-10", physician, 2, 1, 1) in html
    assert "<td>2026-11</td>" not in html
    assert second.name not in html.split("patient-counts")[1]
    assert f"{often.display_name}</a></td><td>2</td><td>0</td>" in html
    assert f"{once.display_name}</a></td><td>0</td><td>1</td>" in html


def test_the_board_costs_the_same_queries_whatever_the_number_of_appointments(
    desk, patient, physician, second, houston, consultation
):
    def board_queries():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            response = desk.get(reverse(BOARD), {"location": "houston-tx", "date": "2026-10-06"})
        assert response.status_code == 200
        return len(captured)

    book(
        patient=patient, provider=physician, location=houston, kind=consultation, day=DAY,
        clock=time(9),
    )  # fmt: skip
    board_queries()  # the session's first save of this visit is not the board's
    few = board_queries()
    for clock in [time(10), time(11), time(13), time(14)]:
        for provider in (physician, second):
            book(
                patient=PatientFactory(), provider=provider, location=houston, kind=consultation,
                day=DAY, clock=clock,
            )  # fmt: skip
    assert board_queries() == few
    assert few <= 17  # session, user, device, permissions, places, physicians, hours, visits, log


def test_a_physician_off_that_day_is_shown_as_not_working_here(desk, physician, second, houston):
    ScheduleOverride.objects.create(
        provider=second, date=DAY, kind="time_off", start=time(13), end=time(17)
    )
    html = desk.get(reverse(BOARD), {"location": "houston-tx", "date": "2026-10-10"})
    assert html.content.decode().count("Not working at this location on this day.") == 2
    html = desk.get(reverse(BOARD), {"location": "houston-tx", "date": "2026-10-06"})
    assert "time off: 1:00 – 5:00 PM" in html.content.decode()
