"""The front desk's services: check-in and outcomes (only valid transitions, each with a history
row), the no-show policy at its boundary (requests that hold their time; staff confirm or
decline; the patient is e-mailed either way), and booking for a patient with explicit,
recorded overrides and the patient's own conflicts."""

from datetime import date, time, timedelta

import pytest
from django.core import mail

from scheduling.availability import availability_for
from scheduling.errors import (
    AppointmentNotActive,
    AppointmentNotStarted,
    AppointmentNotToday,
    OverrideRequired,
    PatientConflict,
    SlotUnavailable,
)
from scheduling.frontdesk_selectors import no_show_count, no_show_policy_applies
from scheduling.frontdesk_services import (
    Override,
    appointment_book_for_patient,
    appointment_check_in,
    appointment_request_confirm,
    appointment_request_decline,
)
from scheduling.models import Appointment, AppointmentEvent, Notification
from scheduling.notifications import notification_deliver
from scheduling.services import (
    appointment_book,
    appointment_cancel,
    appointment_confirm,
    appointment_hold,
    appointment_mark,
)
from tests.factories import PatientFactory, StaffFactory
from tests.scheduling.conftest import NOW
from tests.scheduling.helpers import at, book
from tests.triage.conftest import published  # noqa: F401 - fixture
from tests.triage.factories import AssessmentFactory
from tests.triage.vignettes import answers

pytestmark = pytest.mark.usefixtures("frozen")
DAY = date(2026, 10, 6)  # a Tuesday; Houston on CDT
Status = Appointment.Status


@pytest.fixture
def staff(houston):
    user = StaffFactory()
    user.served_locations.set([houston])
    return user


def _booked(patient, physician, houston, consultation, clock=time(9), day=DAY):
    return book(
        patient=patient,
        provider=physician,
        location=houston,
        kind=consultation,
        day=day,
        clock=clock,
    )


def _past_no_shows(patient, physician, houston, kind, count, *, days_ago=30):
    """``count`` no-shows ``days_ago`` days before NOW (made by the services, as staff would)."""
    staff = StaffFactory()
    made = []
    for index in range(count):
        day = (NOW - timedelta(days=days_ago + index)).date()
        while day.weekday() >= 5:
            day -= timedelta(days=1)
        appointment = Appointment.objects.create(
            patient=patient,
            provider=physician,
            location=houston,
            appointment_type=kind,
            start=at(houston, day, time(9)),
            end=at(houston, day, time(9, 30)),
            blocked_start=at(houston, day, time(9)),
            blocked_end=at(houston, day, time(9, 30)),
            status=Status.CONFIRMED,
            confirmed_at=NOW - timedelta(days=90),
        )
        made.append(appointment_mark(appointment=appointment, status=Status.NO_SHOW, actor=staff))
    return made


# --- check-in and outcomes ---------------------------------------------------------------------


def test_check_in_on_the_day_marks_arrived_keeps_the_time_blocked_and_records_it(
    frozen, patient, physician, houston, consultation, staff
):
    appointment = _booked(patient, physician, houston, consultation)
    frozen.move_to(at(houston, DAY, time(8, 50)))
    appointment = appointment_check_in(appointment=appointment, actor=staff)
    assert appointment.status == Status.ARRIVED
    event = appointment.events.last()
    assert (event.action, event.from_status, event.to_status, event.actor) == (
        AppointmentEvent.Action.CHECKED_IN,
        Status.CONFIRMED,
        Status.ARRIVED,
        staff,
    )
    free = availability_for(
        location=houston, kind=consultation, first=DAY, last=DAY, provider=physician
    )
    assert at(houston, DAY, time(9)) not in [slot.start for slot in free]
    with pytest.raises(PatientConflict):
        _booked(patient, physician, houston, consultation)  # the patient is busy too
    # Checking in twice changes nothing.
    appointment_check_in(appointment=appointment, actor=staff)
    assert appointment.events.filter(action=AppointmentEvent.Action.CHECKED_IN).count() == 1


def test_no_check_in_before_the_day_nor_of_a_cancelled_appointment(
    frozen, patient, physician, houston, consultation, staff
):
    appointment = _booked(patient, physician, houston, consultation)
    frozen.move_to(at(houston, DAY - timedelta(days=1), time(23, 59)))
    with pytest.raises(AppointmentNotToday):
        appointment_check_in(appointment=appointment, actor=staff)
    appointment_cancel(appointment=appointment, actor=staff, override_cutoff=True)
    frozen.move_to(at(houston, DAY, time(8, 55)))
    with pytest.raises(AppointmentNotActive):
        appointment_check_in(appointment=appointment, actor=staff)
    assert Appointment.objects.get().status == Status.CANCELLED


def test_an_arrived_patient_is_completed_but_never_a_no_show(
    frozen, patient, physician, houston, consultation, staff
):
    appointment = _booked(patient, physician, houston, consultation)
    frozen.move_to(at(houston, DAY, time(9, 5)))
    appointment_check_in(appointment=appointment, actor=staff)
    with pytest.raises(AppointmentNotActive):
        appointment_mark(appointment=appointment, status=Status.NO_SHOW, actor=staff)
    done = appointment_mark(appointment=appointment, status=Status.COMPLETED, actor=staff)
    assert done.status == Status.COMPLETED
    assert list(done.events.values_list("action", flat=True)) == [
        "booked",
        "checked_in",
        "completed",
    ]


def test_no_show_for_a_future_appointment_is_refused(
    frozen, patient, physician, houston, consultation, staff
):
    appointment = _booked(patient, physician, houston, consultation)
    frozen.move_to(at(houston, DAY, time(8, 59)))
    with pytest.raises(AppointmentNotStarted):
        appointment_mark(appointment=appointment, status=Status.NO_SHOW, actor=staff)
    frozen.move_to(at(houston, DAY, time(9, 1)))
    marked = appointment_mark(appointment=appointment, status=Status.NO_SHOW, actor=staff)
    assert marked.status == Status.NO_SHOW


# --- the no-show policy ------------------------------------------------------------------------


def test_the_policy_applies_from_the_configured_count_within_the_window(
    settings, patient, physician, houston, consultation
):
    settings.NO_SHOW_CONFIRM_AFTER = 2
    settings.NO_SHOW_WINDOW_DAYS = 365
    _past_no_shows(patient, physician, houston, consultation, 1)
    assert (no_show_count(patient=patient), no_show_policy_applies(patient=patient)) == (1, False)
    _past_no_shows(patient, physician, houston, consultation, 1, days_ago=364)
    assert (no_show_count(patient=patient), no_show_policy_applies(patient=patient)) == (2, True)
    settings.NO_SHOW_WINDOW_DAYS = 363  # the older one falls out of the window
    assert (no_show_count(patient=patient), no_show_policy_applies(patient=patient)) == (1, False)
    settings.NO_SHOW_WINDOW_DAYS = 365
    settings.NO_SHOW_CONFIRM_AFTER = 3
    assert no_show_policy_applies(patient=patient) is False
    settings.NO_SHOW_CONFIRM_AFTER = 0  # off
    assert no_show_policy_applies(patient=patient) is False


def test_one_no_show_below_the_threshold_books_as_usual(patient, physician, houston, consultation):
    _past_no_shows(patient, physician, houston, consultation, 1)
    appointment = _booked(patient, physician, houston, consultation)
    assert appointment.status == Status.CONFIRMED
    assert Notification.objects.get(appointment=appointment, kind="booked")


def test_at_the_threshold_a_booking_is_a_request_that_holds_the_time(
    patient, physician, houston, consultation
):
    _past_no_shows(patient, physician, houston, consultation, 2)
    appointment = _booked(patient, physician, houston, consultation)
    assert (appointment.status, appointment.confirmed_at) == (Status.REQUESTED, None)
    assert appointment.events.get().action == AppointmentEvent.Action.REQUESTED
    assert list(appointment.notifications.values_list("kind", flat=True)) == ["requested"]
    other = PatientFactory()
    with pytest.raises(SlotUnavailable):
        _booked(other, physician, houston, consultation)
    free = availability_for(
        location=houston, kind=consultation, first=DAY, last=DAY, provider=physician
    )
    assert at(houston, DAY, time(9)) not in [slot.start for slot in free]


def test_a_web_hold_confirmed_under_the_policy_becomes_a_request(
    patient, physician, houston, consultation
):
    _past_no_shows(patient, physician, houston, consultation, 2)
    held = appointment_hold(
        patient=patient,
        provider=physician,
        location=houston,
        kind=consultation,
        start=at(houston, DAY, time(9)),
    )
    appointment = appointment_confirm(appointment=held, actor=patient)
    assert appointment.status == Status.REQUESTED
    assert list(appointment.events.values_list("action", flat=True)) == ["held", "requested"]
    assert appointment_confirm(appointment=appointment, actor=patient).status == Status.REQUESTED


def test_staff_confirm_a_request_and_the_patient_is_e_mailed_the_booking(
    patient, physician, houston, consultation, staff
):
    _past_no_shows(patient, physician, houston, consultation, 2)
    request = _booked(patient, physician, houston, consultation)
    appointment = appointment_request_confirm(appointment=request, actor=staff)
    assert appointment.status == Status.CONFIRMED
    assert appointment.confirmed_at is not None
    event = appointment.events.last()
    assert (event.action, event.from_status, event.actor) == ("confirmed", "requested", staff)
    kinds = sorted(appointment.notifications.values_list("kind", flat=True))
    assert kinds == ["booked", "reminder", "requested"]
    for notification in appointment.notifications.exclude(kind="reminder"):
        assert notification_deliver(notification_id=notification.pk)
    subjects = sorted(message.subject for message in mail.outbox)
    assert subjects == [
        "We have your booking request for Tuesday, October 6, 2026, 9:00 AM Central Time (Houston)",
        "Your appointment is booked: Tuesday, October 6, 2026, 9:00 AM Central Time (Houston)",
    ]
    with pytest.raises(AppointmentNotActive):
        appointment_request_confirm(appointment=appointment, actor=staff)


def test_staff_decline_a_request_free_the_time_and_the_patient_is_e_mailed(
    patient, physician, houston, consultation, staff
):
    _past_no_shows(patient, physician, houston, consultation, 2)
    request = _booked(patient, physician, houston, consultation)
    appointment = appointment_request_decline(
        appointment=request, actor=staff, note="Called: prefers the afternoon."
    )
    assert appointment.status == Status.CANCELLED
    event = appointment.events.last()
    assert (event.action, event.from_status, event.note) == (
        "declined",
        "requested",
        "Called: prefers the afternoon.",
    )
    declined = appointment.notifications.get(kind="declined")
    assert notification_deliver(notification_id=declined.pk)
    [message] = mail.outbox
    assert message.subject.startswith("We could not confirm your booking request for Tuesday")
    assert "could not confirm your booking request" in message.body
    assert not message.attachments
    assert _booked(PatientFactory(), physician, houston, consultation).status == Status.CONFIRMED


# --- booking for a patient ---------------------------------------------------------------------


def test_staff_booking_is_the_patients_booking_with_staff_recorded(
    patient, physician, houston, consultation, staff
):
    appointment = appointment_book_for_patient(
        patient=patient,
        provider=physician,
        location=houston,
        kind=consultation,
        start=at(houston, DAY, time(9)),
        staff=staff,
    )
    assert (appointment.status, appointment.booked_via, appointment.booked_by) == (
        Status.CONFIRMED,
        "staff",
        staff,
    )
    event = appointment.events.get()
    assert (event.action, event.actor, event.overrides, event.note) == ("booked", staff, [], "")


@pytest.mark.parametrize("who", ["patient", "staff"])
def test_conflicts_are_the_same_as_the_patients_own_booking(
    who, patient, physician, houston, consultation, staff
):
    _booked(PatientFactory(), physician, houston, consultation)  # the physician's 9:00 is taken
    _booked(patient, physician, houston, consultation, clock=time(13))

    def attempt(clock):
        start = at(houston, DAY, clock)
        if who == "patient":
            return appointment_book(
                patient=patient, provider=physician, location=houston, kind=consultation,
                start=start,
            )  # fmt: skip
        return appointment_book_for_patient(
            patient=patient, provider=physician, location=houston, kind=consultation,
            start=start, staff=staff,
        )  # fmt: skip

    with pytest.raises(SlotUnavailable):
        attempt(time(9))
    with pytest.raises(SlotUnavailable):
        attempt(time(9, 10))  # not on the slot grid: never a free-typed time
    with pytest.raises(PatientConflict):
        attempt(time(13))
    assert Appointment.objects.count() == 2


def test_short_notice_needs_the_override_and_a_reason_both_recorded(
    frozen, patient, physician, houston, consultation, staff
):
    frozen.move_to(at(houston, DAY, time(8)))
    arguments = {
        "patient": patient,
        "provider": physician,
        "location": houston,
        "kind": consultation,
        "start": at(houston, DAY, time(9)),
        "staff": staff,
    }
    with pytest.raises(OverrideRequired) as refused:
        appointment_book_for_patient(**arguments)
    assert refused.value.missing == [Override.SHORT_NOTICE]
    with pytest.raises(OverrideRequired) as refused:
        appointment_book_for_patient(**arguments, overrides=[Override.SHORT_NOTICE], reason=" ")
    assert refused.value.reason_missing is True
    assert not Appointment.objects.exists()
    appointment = appointment_book_for_patient(
        **arguments, overrides=[Override.SHORT_NOTICE], reason="In pain; came to the desk."
    )
    event = appointment.events.get()
    assert (event.overrides, event.note) == (["short_notice"], "In pain; came to the desk.")


def test_the_no_show_rule_needs_an_override_and_then_books_confirmed(
    patient, physician, houston, consultation, staff
):
    _past_no_shows(patient, physician, houston, consultation, 2)
    arguments = {
        "patient": patient,
        "provider": physician,
        "location": houston,
        "kind": consultation,
        "start": at(houston, DAY, time(9)),
        "staff": staff,
    }
    with pytest.raises(OverrideRequired) as refused:
        appointment_book_for_patient(**arguments)
    assert refused.value.missing == [Override.NO_SHOW_POLICY]
    appointment = appointment_book_for_patient(
        **arguments, overrides=[Override.NO_SHOW_POLICY], reason="Confirmed by phone."
    )
    assert appointment.status == Status.CONFIRMED
    assert appointment.events.get().overrides == ["no_show_policy"]


@pytest.mark.usefixtures("published")
def test_an_emergency_symptom_check_needs_the_triage_override_and_flags_the_booking(
    patient, physician, houston, consultation, staff
):
    AssessmentFactory(patient=patient, answers=answers(cannot_walk_stand=True))
    arguments = {
        "patient": patient,
        "provider": physician,
        "location": houston,
        "kind": consultation,
        "start": at(houston, DAY, time(9)),
        "staff": staff,
    }
    with pytest.raises(OverrideRequired) as refused:
        appointment_book_for_patient(**arguments)
    assert refused.value.missing == [Override.TRIAGE_GATE]
    appointment = appointment_book_for_patient(
        **arguments,
        overrides=[Override.TRIAGE_GATE, Override.SHORT_NOTICE],  # the second is not needed
        reason="Seen in the ER yesterday; follow-up asked for.",
    )
    assert appointment.triage_attention == "emergency_unconfirmed"
    assert appointment.events.get().overrides == ["triage_gate"]
