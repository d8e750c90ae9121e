"""Booking services: book, hold/confirm, reschedule, cancel, mark; conflicts, cutoffs, history."""

from datetime import date, time, timedelta

import pytest

from scheduling.availability import availability_for
from scheduling.errors import (
    AppointmentNotActive,
    AppointmentNotStarted,
    HoldExpired,
    IdempotencyKeyReused,
    InvalidBooking,
    OutsideCancellationWindow,
    PatientConflict,
    SlotUnavailable,
)
from scheduling.models import Appointment, AppointmentEvent, IdempotencyKey
from scheduling.services import (
    appointment_cancel,
    appointment_confirm,
    appointment_hold,
    appointment_mark,
    appointment_reschedule,
    holds_release_expired,
)
from tests.factories import LocationFactory, PatientFactory, StaffFactory
from tests.scheduling.factories import working_physician
from tests.scheduling.helpers import at, book

pytestmark = pytest.mark.usefixtures("frozen")
DAY = date(2026, 10, 6)  # a Tuesday, inside the window


def test_booking_an_offered_slot_confirms_it_and_records_history(
    patient, physician, houston, consultation
):
    appointment = book(
        patient=patient,
        provider=physician,
        location=houston,
        kind=consultation,
        day=DAY,
        clock=time(9),
    )
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.CONFIRMED
    assert appointment.start == at(houston, DAY, time(9))
    assert appointment.end - appointment.start == timedelta(minutes=30)
    assert appointment.booked_via == Appointment.BookedVia.PATIENT
    assert appointment.booked_by == patient
    event = appointment.events.get()
    assert (event.action, event.actor, event.from_status, event.to_status) == (
        AppointmentEvent.Action.BOOKED,
        patient,
        "",
        "confirmed",
    )


def test_second_booking_of_a_taken_slot_is_a_conflict(physician, houston, consultation):
    book(
        patient=PatientFactory(),
        provider=physician,
        location=houston,
        kind=consultation,
        day=DAY,
        clock=time(9),
    )
    with pytest.raises(SlotUnavailable):
        book(
            patient=PatientFactory(),
            provider=physician,
            location=houston,
            kind=consultation,
            day=DAY,
            clock=time(9),
        )
    assert Appointment.objects.count() == 1


def test_a_time_outside_working_hours_or_off_the_grid_is_unavailable(
    patient, physician, houston, consultation
):
    for clock in (time(12), time(8, 30), time(9, 10), time(16, 45)):
        with pytest.raises(SlotUnavailable):
            book(
                patient=patient,
                provider=physician,
                location=houston,
                kind=consultation,
                day=DAY,
                clock=clock,
            )
    assert not Appointment.objects.exists()


def test_buffers_keep_the_next_booking_away(patient, physician, houston, discseel, consultation):
    book(
        patient=patient, provider=physician, location=houston, kind=discseel, day=DAY, clock=time(9)
    )
    with pytest.raises(SlotUnavailable):  # 10:00 falls in the 15-minute buffer after 09:00-10:00
        book(
            patient=PatientFactory(),
            provider=physician,
            location=houston,
            kind=consultation,
            day=DAY,
            clock=time(10),
        )
    later = book(
        patient=PatientFactory(),
        provider=physician,
        location=houston,
        kind=consultation,
        day=DAY,
        clock=time(10, 30),
    )
    assert later.status == Appointment.Status.CONFIRMED


def test_overlapping_own_appointment_is_a_patient_conflict(
    patient, physician, houston, consultation, kinds
):
    other = working_physician(location=houston, kinds=kinds)
    book(
        patient=patient,
        provider=physician,
        location=houston,
        kind=consultation,
        day=DAY,
        clock=time(9),
    )
    with pytest.raises(PatientConflict):
        book(
            patient=patient,
            provider=other,
            location=houston,
            kind=consultation,
            day=DAY,
            clock=time(9),
        )


def test_minimum_notice_applies_to_patients_but_not_to_staff(
    frozen, patient, physician, houston, consultation
):
    frozen.move_to(at(houston, DAY, time(8)))
    with pytest.raises(SlotUnavailable):
        book(
            patient=patient,
            provider=physician,
            location=houston,
            kind=consultation,
            day=DAY,
            clock=time(9),
        )
    staff = StaffFactory()
    appointment = book(
        patient=patient,
        provider=physician,
        location=houston,
        kind=consultation,
        day=DAY,
        clock=time(9),
        booked_by=staff,
    )
    assert appointment.booked_via == Appointment.BookedVia.STAFF
    assert appointment.events.get().actor == staff


def test_beyond_the_booking_window_is_unavailable(patient, physician, houston, consultation):
    with pytest.raises(SlotUnavailable):
        book(
            patient=patient,
            provider=physician,
            location=houston,
            kind=consultation,
            day=date(2027, 4, 6),
            clock=time(9),
        )


def test_a_physician_not_at_the_location_is_invalid(patient, physician, consultation):
    elsewhere = LocationFactory(timezone="America/New_York")
    with pytest.raises(InvalidBooking) as error:
        book(
            patient=patient,
            provider=physician,
            location=elsewhere,
            kind=consultation,
            day=DAY,
            clock=time(9),
        )
    assert error.value.field == "provider"


def test_the_physician_is_busy_at_every_location(
    patient, kinds, houston, lawrenceville, consultation
):
    """A physician at two locations cannot be booked in both at once (Houston 09:00 CDT is
    10:00 EDT in Lawrenceville)."""
    both = working_physician(location=houston, kinds=kinds)
    both.locations.add(lawrenceville)
    for weekday in range(5):
        both.working_hours.create(
            location=lawrenceville, weekday=weekday, start=time(9), end=time(17)
        )
    book(
        patient=patient, provider=both, location=houston, kind=consultation, day=DAY, clock=time(9)
    )
    free = availability_for(
        location=lawrenceville, kind=consultation, first=DAY, last=DAY, provider=both
    )
    assert at(lawrenceville, DAY, time(10)) not in [slot.start for slot in free]
    with pytest.raises(SlotUnavailable):
        book(
            patient=PatientFactory(),
            provider=both,
            location=lawrenceville,
            kind=consultation,
            day=DAY,
            clock=time(10),
        )


# --- idempotency --------------------------------------------------------------------------------


def test_the_same_idempotency_key_returns_the_same_appointment(
    patient, physician, houston, consultation
):
    first = book(
        patient=patient,
        provider=physician,
        location=houston,
        kind=consultation,
        day=DAY,
        clock=time(9),
        idempotency_key="k-1",
    )
    again = book(
        patient=patient,
        provider=physician,
        location=houston,
        kind=consultation,
        day=DAY,
        clock=time(9),
        idempotency_key="k-1",
    )
    assert again.pk == first.pk
    assert Appointment.objects.count() == 1
    assert IdempotencyKey.objects.get().appointment == first


def test_a_key_reused_for_another_request_is_refused(patient, physician, houston, consultation):
    book(
        patient=patient,
        provider=physician,
        location=houston,
        kind=consultation,
        day=DAY,
        clock=time(9),
        idempotency_key="k-1",
    )
    with pytest.raises(IdempotencyKeyReused):
        book(
            patient=patient,
            provider=physician,
            location=houston,
            kind=consultation,
            day=DAY,
            clock=time(10),
            idempotency_key="k-1",
        )
    assert Appointment.objects.count() == 1


def test_keys_belong_to_one_patient(physician, houston, consultation):
    book(
        patient=PatientFactory(),
        provider=physician,
        location=houston,
        kind=consultation,
        day=DAY,
        clock=time(9),
        idempotency_key="k-1",
    )
    other = book(
        patient=PatientFactory(),
        provider=physician,
        location=houston,
        kind=consultation,
        day=DAY,
        clock=time(10),
        idempotency_key="k-1",
    )
    assert Appointment.objects.count() == 2
    assert other.start == at(houston, DAY, time(10))


def test_a_failed_request_leaves_its_key_free_for_a_retry(
    patient, physician, houston, consultation
):
    with pytest.raises(SlotUnavailable):
        book(
            patient=patient,
            provider=physician,
            location=houston,
            kind=consultation,
            day=DAY,
            clock=time(12),
            idempotency_key="k-1",
        )
    assert not IdempotencyKey.objects.exists()
    assert book(
        patient=patient,
        provider=physician,
        location=houston,
        kind=consultation,
        day=DAY,
        clock=time(9),
        idempotency_key="k-1",
    )


# --- holds ------------------------------------------------------------------------------------


def _hold(patient, physician, houston, kind, clock=time(9)):
    return appointment_hold(
        patient=patient,
        provider=physician,
        location=houston,
        kind=kind,
        start=at(houston, DAY, clock),
    )


def test_a_hold_blocks_the_slot_until_it_expires(frozen, patient, physician, houston, consultation):
    held = _hold(patient, physician, houston, consultation)
    assert held.status == Appointment.Status.HELD
    assert held.hold_expires_at - held.created_at == timedelta(minutes=5)
    with pytest.raises(SlotUnavailable):
        book(
            patient=PatientFactory(),
            provider=physician,
            location=houston,
            kind=consultation,
            day=DAY,
            clock=time(9),
        )
    frozen.shift(timedelta(minutes=5, seconds=1))
    # Lapsed: availability offers the time again and a booking takes it (without any beat run).
    free = availability_for(
        location=houston, kind=consultation, first=DAY, last=DAY, provider=physician
    )
    assert at(houston, DAY, time(9)) in [slot.start for slot in free]
    taken = book(
        patient=PatientFactory(),
        provider=physician,
        location=houston,
        kind=consultation,
        day=DAY,
        clock=time(9),
    )
    assert taken.status == Appointment.Status.CONFIRMED
    assert not Appointment.objects.filter(pk=held.pk).exists()
    with pytest.raises(HoldExpired):
        appointment_confirm(appointment=held, actor=patient)


def test_confirming_a_hold_books_it_once(patient, physician, houston, consultation):
    held = _hold(patient, physician, houston, consultation)
    confirmed = appointment_confirm(appointment=held, actor=patient)
    assert confirmed.status == Appointment.Status.CONFIRMED
    assert confirmed.hold_expires_at is None
    assert appointment_confirm(appointment=held, actor=patient).pk == held.pk
    assert [e.action for e in confirmed.events.all()] == ["held", "confirmed"]


def test_a_lapsed_hold_still_in_place_can_be_confirmed(
    frozen, patient, physician, houston, consultation
):
    held = _hold(patient, physician, houston, consultation)
    frozen.shift(timedelta(minutes=10))
    assert appointment_confirm(appointment=held, actor=patient).status == "confirmed"


def test_the_beat_task_releases_only_lapsed_holds(frozen, physician, houston, consultation):
    lapsed = _hold(PatientFactory(), physician, houston, consultation, time(9))
    frozen.shift(timedelta(minutes=3))
    fresh = _hold(PatientFactory(), physician, houston, consultation, time(10))
    frozen.shift(timedelta(minutes=2, seconds=30))
    assert holds_release_expired() == 1
    assert list(Appointment.objects.values_list("pk", flat=True)) == [fresh.pk]
    assert lapsed.pk not in Appointment.objects.values_list("pk", flat=True)


def test_giving_up_a_hold_hides_it_from_the_patient(patient, physician, houston, consultation):
    held = _hold(patient, physician, houston, consultation)
    appointment_cancel(appointment=held, actor=patient)
    assert (
        not Appointment.objects.visible_to_patient(now=held.created_at).filter(pk=held.pk).exists()
    )
    assert not held.notifications.exists()


# --- reschedule and cancel ---------------------------------------------------------------------


def test_reschedule_moves_the_appointment_and_bumps_the_sequence(
    patient, physician, houston, consultation
):
    appointment = book(
        patient=patient,
        provider=physician,
        location=houston,
        kind=consultation,
        day=DAY,
        clock=time(9),
    )
    moved = appointment_reschedule(
        appointment=appointment, start=at(houston, DAY, time(9, 30)), actor=patient
    )
    assert moved.pk == appointment.pk
    assert moved.start == at(houston, DAY, time(9, 30))
    assert moved.sequence == 1
    event = moved.events.last()
    assert (event.action, event.from_start, event.to_start, event.actor) == (
        "rescheduled",
        at(houston, DAY, time(9)),
        at(houston, DAY, time(9, 30)),
        patient,
    )


def test_reschedule_to_a_taken_time_keeps_the_old_time(patient, physician, houston, consultation):
    appointment = book(
        patient=patient,
        provider=physician,
        location=houston,
        kind=consultation,
        day=DAY,
        clock=time(9),
    )
    book(
        patient=PatientFactory(),
        provider=physician,
        location=houston,
        kind=consultation,
        day=DAY,
        clock=time(11),
    )
    with pytest.raises(SlotUnavailable):
        appointment_reschedule(
            appointment=appointment, start=at(houston, DAY, time(11)), actor=patient
        )
    appointment.refresh_from_db()
    assert appointment.start == at(houston, DAY, time(9))
    assert appointment.sequence == 0
    assert appointment.events.count() == 1


def test_reschedule_to_another_physician(patient, physician, houston, consultation, kinds):
    other = working_physician(location=houston, kinds=kinds)
    appointment = book(
        patient=patient,
        provider=physician,
        location=houston,
        kind=consultation,
        day=DAY,
        clock=time(9),
    )
    moved = appointment_reschedule(
        appointment=appointment, start=appointment.start, provider=other, actor=patient
    )
    assert moved.provider == other
    assert moved.events.last().from_provider == physician


def test_reschedule_onto_the_patients_own_other_appointment_is_a_patient_conflict(
    patient, physician, houston, consultation, kinds
):
    """The other appointment is with another physician, so the new time is free on this one's
    calendar: only the patient's own appointments say no (without PostgreSQL's constraint,
    nothing else would)."""
    other = working_physician(location=houston, kinds=kinds)
    kept = book(
        patient=patient,
        provider=other,
        location=houston,
        kind=consultation,
        day=DAY,
        clock=time(11),
    )
    appointment = book(
        patient=patient,
        provider=physician,
        location=houston,
        kind=consultation,
        day=DAY,
        clock=time(9),
    )
    with pytest.raises(PatientConflict):
        appointment_reschedule(
            appointment=appointment, start=at(houston, DAY, time(11)), actor=patient
        )
    appointment.refresh_from_db()
    assert (appointment.start, appointment.sequence, appointment.events.count()) == (
        at(houston, DAY, time(9)),
        0,
        1,
    )
    kept.refresh_from_db()
    assert (kept.status, kept.start) == ("confirmed", at(houston, DAY, time(11)))


def test_inside_the_cutoff_patients_cannot_cancel_or_move(
    frozen, patient, physician, houston, consultation
):
    appointment = book(
        patient=patient,
        provider=physician,
        location=houston,
        kind=consultation,
        day=DAY,
        clock=time(9),
    )
    frozen.move_to(at(houston, DAY - timedelta(days=1), time(9, 1)))
    with pytest.raises(OutsideCancellationWindow):
        appointment_cancel(appointment=appointment, actor=patient)
    with pytest.raises(OutsideCancellationWindow):
        appointment_reschedule(
            appointment=appointment, start=at(houston, DAY, time(10)), actor=patient
        )
    appointment.refresh_from_db()
    assert appointment.status == "confirmed"


def test_just_before_the_cutoff_the_patient_can_cancel(
    frozen, patient, physician, houston, consultation
):
    appointment = book(
        patient=patient,
        provider=physician,
        location=houston,
        kind=consultation,
        day=DAY,
        clock=time(9),
    )
    frozen.move_to(at(houston, DAY - timedelta(days=1), time(9)))
    assert appointment_cancel(appointment=appointment, actor=patient).status == "cancelled"


def test_staff_override_the_cutoff_and_it_is_recorded(
    frozen, patient, physician, houston, consultation
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
    staff = StaffFactory()
    with pytest.raises(OutsideCancellationWindow):
        appointment_cancel(appointment=appointment, actor=staff)
    cancelled = appointment_cancel(
        appointment=appointment, actor=staff, override_cutoff=True, note="Called in sick"
    )
    event = cancelled.events.last()
    assert (event.action, event.actor, event.cutoff_overridden, event.note) == (
        "cancelled",
        staff,
        True,
        "Called in sick",
    )


def test_a_patient_cannot_override_the_cutoff(frozen, patient, physician, houston, consultation):
    appointment = book(
        patient=patient,
        provider=physician,
        location=houston,
        kind=consultation,
        day=DAY,
        clock=time(9),
    )
    frozen.move_to(at(houston, DAY, time(7)))
    with pytest.raises(OutsideCancellationWindow):
        appointment_cancel(appointment=appointment, actor=patient, override_cutoff=True)


def test_cancel_frees_the_slot_and_is_idempotent(patient, physician, houston, consultation):
    appointment = book(
        patient=patient,
        provider=physician,
        location=houston,
        kind=consultation,
        day=DAY,
        clock=time(9),
    )
    appointment_cancel(appointment=appointment, actor=patient)
    appointment_cancel(appointment=appointment, actor=patient)
    assert appointment.events.filter(action="cancelled").count() == 1
    again = book(
        patient=PatientFactory(),
        provider=physician,
        location=houston,
        kind=consultation,
        day=DAY,
        clock=time(9),
    )
    assert again.status == "confirmed"
    with pytest.raises(AppointmentNotActive):
        appointment_reschedule(
            appointment=appointment, start=at(houston, DAY, time(10)), actor=patient
        )


def test_staff_mark_completed_or_no_show_after_the_start(
    frozen, patient, physician, houston, consultation
):
    appointment = book(
        patient=patient,
        provider=physician,
        location=houston,
        kind=consultation,
        day=DAY,
        clock=time(9),
    )
    staff = StaffFactory()
    with pytest.raises(AppointmentNotStarted):
        appointment_mark(appointment=appointment, status="no_show", actor=staff)
    frozen.move_to(at(houston, DAY, time(9, 40)))
    assert (
        appointment_mark(appointment=appointment, status="no_show", actor=staff).status == "no_show"
    )
    assert (
        appointment_mark(appointment=appointment, status="completed", actor=staff).status
        == "completed"
    )
    assert [(e.action, e.from_status, e.to_status) for e in appointment.events.all()][1:] == [
        ("no_show", "confirmed", "no_show"),
        ("completed", "no_show", "completed"),
    ]


def test_availability_takes_a_fixed_number_of_queries(
    django_assert_max_num_queries, physician, houston, consultation, kinds
):
    for _ in range(5):
        working_physician(location=houston, kinds=kinds)
    for day in (d for d in range(5, 30, 2) if date(2026, 10, d).weekday() < 5):
        book(
            patient=PatientFactory(),
            provider=physician,
            location=houston,
            kind=consultation,
            day=date(2026, 10, day),
            clock=time(9),
        )
    with django_assert_max_num_queries(3):
        found = availability_for(
            location=houston, kind=consultation, first=date(2026, 10, 2), last=date(2026, 11, 1)
        )
    assert len({slot.provider.pk for slot in found}) == 6


def test_a_taken_time_is_never_offered_and_a_free_one_is_never_taken(
    patient, physician, houston, kinds, discseel
):
    """``slot_is_taken`` (the booking's one-query refusal) agrees with the full availability
    check: buffers included, for every type and every start of a busy day."""
    from django.utils import timezone

    from scheduling.availability import availability_for, slot_is_offered, slot_is_taken

    book(patient=patient, provider=physician, location=houston, kind=discseel, day=DAY,
         clock=time(10))  # fmt: skip
    book(patient=PatientFactory(), provider=physician, location=houston, kind=kinds[0], day=DAY,
         clock=time(14, 30))  # fmt: skip
    now = timezone.now()
    free = {(slot.start, kind.pk) for kind in kinds for slot in availability_for(
        location=houston, kind=kind, first=DAY, last=DAY, provider=physician)}  # fmt: skip
    taken_seen = 0
    for kind in kinds:
        for minutes in range(9 * 60, 17 * 60, 15):
            start = at(houston, DAY, time(minutes // 60, minutes % 60))
            taken = slot_is_taken(provider=physician, kind=kind, start=start, now=now)
            offered = slot_is_offered(
                location=houston, kind=kind, provider=physician, start=start, now=now
            )
            assert offered == ((start, kind.pk) in free)
            assert not (taken and offered), (kind.slug, start)
            taken_seen += taken
    assert taken_seen > 10
