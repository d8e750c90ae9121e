"""Writes of booking: hold, confirm, book, reschedule, cancel, mark; each in one transaction,
each leaving a history row and, where the patient must hear of it, an outbox notification.

Double booking is impossible by construction on PostgreSQL: the exclusion constraints of
``scheduling/db.py`` reject an overlapping row even when two requests pass the availability check
at once, and ``_save_or_conflict`` turns that rejection into ``SlotUnavailable`` or
``PatientConflict``. On SQLite (development only) the same checks run inside an IMMEDIATE
transaction, which admits one writer at a time.
"""

import hashlib
import logging
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, OperationalError, transaction
from django.db.models import Q
from django.utils import timezone

from audit.context import AccessContext
from audit.models import Action as AccessAction
from audit.services import phi_access_record
from clinic import outbox
from clinic.messages import patient_message_queue
from clinic.models import Location, PatientMessage, Provider, User
from scheduling import db
from scheduling.availability import slot_is_offered, slot_is_taken
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
from scheduling.frontdesk_selectors import no_show_policy_applies
from scheduling.gate import SymptomCheck, booking_symptom_check
from scheduling.models import (
    Appointment,
    AppointmentEvent,
    AppointmentType,
    IdempotencyKey,
    Notification,
    TriageAttention,
)
from scheduling.notifications import (
    SEND_TASK,
    appointment_text_context,
    appointment_text_kind,
)
from scheduling.selectors import patient_busy
from scheduling.waitlist.freed import waitlist_slot_freed

logger = logging.getLogger(__name__)

DEADLOCK_DETECTED = "40P01"
DEADLOCK_RETRIES = 3

Status = Appointment.Status
Action = AppointmentEvent.Action


# --- shared steps ------------------------------------------------------------------------------


def _is_staff_action(*, actor: User | None, patient: User) -> bool:
    return actor is not None and actor.is_staff and actor.pk != patient.pk


def _validate_booking(
    *, provider: Provider, location: Location, kind: AppointmentType, start: datetime
) -> None:
    if timezone.is_naive(start):
        raise InvalidBooking("The start needs a UTC offset.", field="start")
    if not location.is_active:
        raise InvalidBooking("This location does not take bookings.", field="location")
    if not kind.is_active:
        raise InvalidBooking("This appointment type cannot be booked.", field="type")
    if not provider.is_active or not provider.locations.filter(pk=location.pk).exists():
        raise InvalidBooking("This physician does not practise at this location.", field="provider")


def _delete_lapsed_holds(holds) -> int:
    """Delete the lapsed holds among ``holds``; returns how many.

    The rows are locked first: a hold its patient is confirming right now is waited for, and
    once confirmed no longer matches, so it stays. (A bare ``delete()`` reads the ids first and
    deletes by id afterwards, taking along a hold confirmed in between.)"""
    with transaction.atomic():
        rows = list(
            holds.select_for_update()
            .order_by("pk")
            .values_list("pk", "provider_id", "location_id", "start")
        )
        if not rows:
            return 0
        _total, per_model = Appointment.objects.filter(pk__in=[row[0] for row in rows]).delete()
        for _pk, provider_id, location_id, start in rows:
            waitlist_slot_freed(provider_id=provider_id, location_id=location_id, start=start)
    return per_model.get(Appointment._meta.label, 0)


def _release_expired_holds(*, now: datetime, provider: Provider, patient: User) -> None:
    """Lapsed holds still occupy their range in the exclusion constraints (a constraint cannot
    read the clock), so a booking deletes those in its way, in its own transaction; the beat
    task clears the rest. A crashed beat therefore never blocks a time."""
    _delete_lapsed_holds(
        Appointment.objects.expired_holds(now=now).filter(Q(provider=provider) | Q(patient=patient))
    )


def _take_slot(
    appointment: Appointment,
    *,
    provider: Provider,
    start: datetime,
    now: datetime,
    staff: bool,
    moving: bool = False,
) -> None:
    """The slot check of booking and rescheduling alike: ``appointment`` set to ``start``, then
    ``PatientConflict`` when the patient has another appointment then and ``SlotUnavailable``
    when ``provider`` does not offer that time (the minimum notice waived for staff); lapsed
    holds in the way released last. ``moving``: ``appointment`` is being rescheduled, so its
    own current time blocks neither check.

    Both checks already ignore lapsed holds (``blocking(now=...)``); only the insert's
    exclusion constraints see them. Releasing them after the checks keeps a refused request
    (the many losers of a race for one slot) from deleting anything first."""
    patient = appointment.patient
    _set_time(appointment, start=start)
    exclude = appointment if moving else None
    if patient_busy(
        patient=patient,
        start=appointment.start,
        end=appointment.end,
        now=now,
        exclude=exclude.pk if exclude is not None else None,
    ):
        raise PatientConflict()
    # A taken time (every loser of a race for one slot) is refused in one query; otherwise the
    # full check: on the grid, in working hours, after the notice, free.
    kind = appointment.appointment_type
    if slot_is_taken(
        provider=provider, kind=kind, start=start, now=now, exclude=exclude
    ) or not slot_is_offered(
        location=appointment.location,
        kind=kind,
        provider=provider,
        start=start,
        now=now,
        ignore_notice=staff,
        exclude=exclude,
    ):
        raise SlotUnavailable()
    _release_expired_holds(now=now, provider=provider, patient=patient)


def _conflict_from(exc: IntegrityError) -> Exception | None:
    constraint = getattr(getattr(exc.__cause__, "diag", None), "constraint_name", None)
    if constraint == db.PROVIDER_OVERLAP:
        return SlotUnavailable()
    if constraint == db.PATIENT_OVERLAP:
        return PatientConflict()
    return None


def _deadlocked(exc: OperationalError) -> bool:
    return getattr(exc.__cause__, "sqlstate", None) == DEADLOCK_DETECTED


def _save_or_conflict(appointment: Appointment, **save_kwargs) -> None:
    """Save inside a savepoint; a constraint violation becomes the domain error.

    Two transactions inserting rows that conflict under both exclusion constraints can wait on
    each other; PostgreSQL then aborts one with a deadlock error. Only that savepoint is lost, so
    the insert is tried again: this time it waits for the winner and gets the clean conflict.
    """
    for attempt in range(DEADLOCK_RETRIES + 1):
        try:
            with transaction.atomic():
                appointment.save(**save_kwargs)
            return
        except IntegrityError as exc:
            conflict = _conflict_from(exc)
            if conflict is None:
                raise
            raise conflict from exc
        except OperationalError as exc:
            if not _deadlocked(exc) or attempt == DEADLOCK_RETRIES:
                raise
            logger.info("booking insert deadlocked; trying again")


def _set_time(appointment: Appointment, *, start: datetime) -> None:
    kind = appointment.appointment_type
    appointment.start = start
    appointment.end = start + kind.duration
    appointment.blocked_start = appointment.start - kind.buffer_before
    appointment.blocked_end = appointment.end + kind.buffer_after


def _record(
    appointment: Appointment,
    *,
    action: str,
    actor: User | None,
    from_status: str = "",
    from_start: datetime | None = None,
    from_provider: Provider | None = None,
    cutoff_overridden: bool = False,
    note: str = "",
) -> AppointmentEvent:
    return AppointmentEvent.objects.create(
        appointment=appointment,
        action=action,
        actor=actor,
        from_status=from_status,
        to_status=appointment.status,
        from_start=from_start,
        to_start=appointment.start,
        from_provider=from_provider,
        to_provider=appointment.provider,
        cutoff_overridden=cutoff_overridden,
        note=note,
    )


def _notify(appointment: Appointment, *, kind: str, due: datetime | None = None) -> Notification:
    """Outbox: the row commits with the change; the task is queued only after the commit, and a
    dead broker leaves the row pending for the sweeper (the patient's request still succeeds)."""
    notification = Notification.objects.create(
        appointment=appointment,
        kind=kind,
        starts_at=appointment.start,
        ends_at=appointment.end,
        provider=appointment.provider,
        location=appointment.location,
        sequence=appointment.sequence,
        next_attempt_at=due or timezone.now(),
    )
    if due is None:
        outbox.task_enqueue_on_commit(SEND_TASK, notification.pk)
    # The same notice by text message to a patient who opted in: a row of its own.
    patient_message_queue(
        patient_id=appointment.patient_id,
        kind=appointment_text_kind(kind),
        context=appointment_text_context(appointment),
        channels=[PatientMessage.Channel.SMS],
        due=due,
    )
    return notification


def _schedule_reminder(appointment: Appointment, *, now: datetime) -> None:
    """A reminder ``reminder_hours`` before the start, unless that moment has already passed.
    The beat sweeper sends it when due (no long countdowns in the broker)."""
    hours = appointment.appointment_type.reminder_hours
    if hours and appointment.start - timedelta(hours=hours) > now:
        _notify(
            appointment,
            kind=Notification.Kind.REMINDER,
            due=appointment.start - timedelta(hours=hours),
        )


def _skip_pending_reminders(appointment: Appointment) -> None:
    Notification.objects.filter(
        appointment=appointment,
        kind=Notification.Kind.REMINDER,
        status=Notification.Status.PENDING,
    ).update(status=Notification.Status.SKIPPED)
    PatientMessage.objects.filter(
        kind=appointment_text_kind(Notification.Kind.REMINDER),
        context__appointment_id=appointment.pk,
        status=PatientMessage.Status.PENDING,
    ).update(status=PatientMessage.Status.SKIPPED)


def _record_access(
    appointment: Appointment,
    access: AccessContext | None,
    action: AccessAction = AccessAction.CHANGE,
) -> None:
    """The PHI access row of a booking change: the service's last write, in its transaction."""
    phi_access_record(
        access=access, action=action, obj=appointment, patient_id=appointment.patient_id
    )


def _locked(appointment: Appointment) -> Appointment:
    return (
        Appointment.objects.select_for_update(of=("self",))
        .select_related("appointment_type", "location", "provider", "patient")
        .get(pk=appointment.pk)
    )


def _check_cutoff(
    appointment: Appointment, *, actor: User | None, override_cutoff: bool, now: datetime
) -> bool:
    """Whether the change is inside the cutoff (allowed only to staff who override it)."""
    inside = appointment.inside_cutoff(now=now)
    if inside and not (
        override_cutoff and _is_staff_action(actor=actor, patient=appointment.patient)
    ):
        raise OutsideCancellationWindow()
    return inside


def _confirmed(appointment: Appointment, *, now: datetime) -> None:
    appointment.status = Status.CONFIRMED
    appointment.hold_expires_at = None
    appointment.confirmed_at = now


def _confirm_or_request(appointment: Appointment, *, now: datetime, actor: User | None) -> bool:
    """Confirm a patient's booking, or, under the no-show policy, make it a request that keeps
    its time until staff confirm or decline it. True when it is a request."""
    if not _is_staff_action(actor=actor, patient=appointment.patient) and no_show_policy_applies(
        patient=appointment.patient, now=now
    ):
        appointment.status = Status.REQUESTED
        appointment.hold_expires_at = None
        return True
    _confirmed(appointment, now=now)
    return False


def _booked_or_requested(appointment: Appointment, *, requested: bool, now: datetime) -> None:
    """The patient's e-mail (the booking, or the request received) and the reminder."""
    if requested:
        _notify(appointment, kind=Notification.Kind.REQUESTED)
        return
    _notify(appointment, kind=Notification.Kind.BOOKED)
    _schedule_reminder(appointment, now=now)


def _fingerprint(**request) -> str:
    text = "|".join(f"{name}={request[name]}" for name in sorted(request))
    return hashlib.sha256(text.encode()).hexdigest()


def _link_symptom_check(
    appointment: Appointment,
    *,
    now: datetime,
    emergency_confirmation: str,
    check: SymptomCheck | None,
) -> None:
    """Attach the patient's latest symptom check (``check``: the request's reading of it, read
    here when it has none); flag the booking for staff when that check was an emergency in the
    last 72 hours (with what the patient confirmed, if anything)."""
    check = check or booking_symptom_check(patient=appointment.patient)
    appointment.assessment = check.latest
    if check.recent_emergency(now=now):
        confirmed = {TriageAttention.EMERGENCY_SEEN, TriageAttention.EMERGENCY_NOT}
        appointment.triage_attention = (
            emergency_confirmation
            if emergency_confirmation in confirmed
            else TriageAttention.EMERGENCY_UNCONFIRMED
        )


# --- services ----------------------------------------------------------------------------------


def _new_appointment(
    *,
    patient: User,
    provider: Provider,
    location: Location,
    kind: AppointmentType,
    start: datetime,
    booked_by: User | None,
    now: datetime,
    emergency_confirmation: str = "",
    symptom_check: SymptomCheck | None = None,
) -> Appointment:
    """Check and insert a row (status set by the caller before ``_save_or_conflict``)."""
    _validate_booking(provider=provider, location=location, kind=kind, start=start)
    staff = _is_staff_action(actor=booked_by, patient=patient)
    appointment = Appointment(
        patient=patient,
        provider=provider,
        location=location,
        appointment_type=kind,
        booked_by=booked_by or patient,
        booked_via=Appointment.BookedVia.STAFF if staff else Appointment.BookedVia.PATIENT,
    )
    _take_slot(appointment, provider=provider, start=start, now=now, staff=staff)
    # Only a request that may get the time reads the symptom check (when not read already).
    _link_symptom_check(
        appointment,
        now=now,
        emergency_confirmation=emergency_confirmation,
        check=symptom_check,
    )
    return appointment


@transaction.atomic
def appointment_hold(
    *,
    patient: User,
    provider: Provider,
    location: Location,
    kind: AppointmentType,
    start: datetime,
    booked_by: User | None = None,
    emergency_confirmation: str = "",
    symptom_check: SymptomCheck | None = None,
    access: AccessContext | None = None,
) -> Appointment:
    """Keep a slot for the patient for ``SCHEDULING_HOLD_MINUTES`` while they confirm it. The
    hold is a real row under the same constraints, so nobody else can take the time meanwhile.

    ``emergency_confirmation`` is what a patient with a recent emergency symptom check confirmed
    before booking (a ``TriageAttention`` value); it flags the appointment for staff.
    ``symptom_check`` is the request's reading of the patient's latest symptom check, when the
    caller has read it already (the booking gate)."""
    now = timezone.now()
    appointment = _new_appointment(
        patient=patient,
        provider=provider,
        location=location,
        kind=kind,
        start=start,
        booked_by=booked_by,
        now=now,
        emergency_confirmation=emergency_confirmation,
        symptom_check=symptom_check,
    )
    appointment.status = Status.HELD
    appointment.hold_expires_at = now + timedelta(minutes=settings.SCHEDULING_HOLD_MINUTES)
    _save_or_conflict(appointment)
    _record(appointment, action=Action.HELD, actor=booked_by or patient)
    _record_access(appointment, access)
    return appointment


@transaction.atomic
def appointment_confirm(
    *, appointment: Appointment, actor: User, access: AccessContext | None = None
) -> Appointment:
    """Turn the patient's hold into a booking. A hold that lapsed but is still in place (nobody
    needed the time) is confirmed as well; one already released raises ``HoldExpired``."""
    now = timezone.now()
    try:
        appointment = _locked(appointment)
    except Appointment.DoesNotExist as exc:
        raise HoldExpired() from exc
    if appointment.status in (Status.CONFIRMED, Status.REQUESTED):
        return appointment
    if appointment.status != Status.HELD:
        raise AppointmentNotActive()
    if appointment.start <= now:
        raise HoldExpired()
    requested = _confirm_or_request(appointment, now=now, actor=appointment.booked_by)
    appointment.save(update_fields=["status", "hold_expires_at", "confirmed_at", "updated_at"])
    _record(
        appointment,
        action=Action.REQUESTED if requested else Action.CONFIRMED,
        actor=actor,
        from_status=Status.HELD,
    )
    _booked_or_requested(appointment, requested=requested, now=now)
    _record_access(appointment, access)
    return appointment


@transaction.atomic
def appointment_book(
    *,
    patient: User,
    provider: Provider,
    location: Location,
    kind: AppointmentType,
    start: datetime,
    idempotency_key: str = "",
    booked_by: User | None = None,
    access: AccessContext | None = None,
) -> Appointment:
    """Book a slot. Raises ``SlotUnavailable`` when the slot is not offered or was taken
    meanwhile, ``PatientConflict`` when it overlaps the patient's own appointment.

    With an ``idempotency_key``, a repeated request of the same patient returns the appointment
    the first one made and creates nothing; the key is claimed first, so a concurrent twin waits
    on its unique index and then replays.
    """
    now = timezone.now()
    key_row = None
    if idempotency_key:
        _validate_booking(provider=provider, location=location, kind=kind, start=start)
        fingerprint = _fingerprint(
            provider=provider.pk,
            location=location.pk,
            kind=kind.pk,
            start=start.astimezone(UTC).isoformat(),
        )
        try:
            with transaction.atomic():
                key_row = IdempotencyKey.objects.create(
                    patient=patient, key=idempotency_key, fingerprint=fingerprint
                )
        except IntegrityError:
            earlier = IdempotencyKey.objects.select_related("appointment").get(
                patient=patient, key=idempotency_key
            )
            if earlier.fingerprint != fingerprint or earlier.appointment is None:
                raise IdempotencyKeyReused() from None
            _record_access(earlier.appointment, access, AccessAction.VIEW)
            return earlier.appointment

    appointment = _new_appointment(
        patient=patient,
        provider=provider,
        location=location,
        kind=kind,
        start=start,
        booked_by=booked_by,
        now=now,
    )
    requested = _confirm_or_request(appointment, now=now, actor=booked_by)
    _save_or_conflict(appointment)
    if key_row is not None:
        key_row.appointment = appointment
        key_row.save(update_fields=["appointment"])
    _record(
        appointment,
        action=Action.REQUESTED if requested else Action.BOOKED,
        actor=booked_by or patient,
    )
    _booked_or_requested(appointment, requested=requested, now=now)
    logger.info("appointment %s booked (via %s)", appointment.pk, appointment.booked_via)
    _record_access(appointment, access)
    return appointment


@transaction.atomic
def appointment_reschedule(
    *,
    appointment: Appointment,
    start: datetime,
    actor: User,
    provider: Provider | None = None,
    override_cutoff: bool = False,
    note: str = "",
    access: AccessContext | None = None,
) -> Appointment:
    """Move a confirmed appointment to another offered time (and physician, optionally).

    Atomic: when the new time is taken, the error rolls everything back and the appointment
    keeps its old time. The calendar UID stays; SEQUENCE goes up; the old reminder is dropped.
    """
    now = timezone.now()
    appointment = _locked(appointment)
    if appointment.status != Status.CONFIRMED:
        raise AppointmentNotActive()
    inside_cutoff = _check_cutoff(
        appointment, actor=actor, override_cutoff=override_cutoff, now=now
    )
    provider = provider or appointment.provider
    kind, location, patient = (
        appointment.appointment_type,
        appointment.location,
        appointment.patient,
    )
    _validate_booking(provider=provider, location=location, kind=kind, start=start)
    if start == appointment.start and provider.pk == appointment.provider_id:
        return appointment
    staff = _is_staff_action(actor=actor, patient=patient)
    old_start, old_provider = appointment.start, appointment.provider
    _take_slot(appointment, provider=provider, start=start, now=now, staff=staff, moving=True)
    appointment.provider = provider
    appointment.sequence += 1
    _save_or_conflict(appointment)
    _record(
        appointment,
        action=Action.RESCHEDULED,
        actor=actor,
        from_status=Status.CONFIRMED,
        from_start=old_start,
        from_provider=old_provider,
        cutoff_overridden=inside_cutoff,
        note=note,
    )
    _skip_pending_reminders(appointment)
    _notify(appointment, kind=Notification.Kind.RESCHEDULED)
    waitlist_slot_freed(provider_id=old_provider.pk, location_id=location.pk, start=old_start)
    _schedule_reminder(appointment, now=now)
    _record_access(appointment, access)
    return appointment


@transaction.atomic
def appointment_cancel(
    *,
    appointment: Appointment,
    actor: User,
    override_cutoff: bool = False,
    note: str = "",
    access: AccessContext | None = None,
) -> Appointment:
    """Cancel a booking (or give up a hold). Cancelling twice changes nothing. Inside the cutoff
    only staff may cancel, by overriding it; the override is recorded with their name."""
    now = timezone.now()
    appointment = _locked(appointment)
    if appointment.status == Status.CANCELLED:
        return appointment
    if appointment.status not in Appointment.ACTIVE_STATUSES:
        raise AppointmentNotActive()
    was = appointment.status
    inside_cutoff = (
        _check_cutoff(appointment, actor=actor, override_cutoff=override_cutoff, now=now)
        if was == Status.CONFIRMED
        else False
    )
    appointment.status = Status.CANCELLED
    appointment.hold_expires_at = None
    if was == Status.CONFIRMED:
        appointment.sequence += 1
    appointment.save(update_fields=["status", "hold_expires_at", "sequence", "updated_at"])
    _record(
        appointment,
        action=Action.CANCELLED,
        actor=actor,
        from_status=was,
        cutoff_overridden=inside_cutoff,
        note=note,
    )
    _skip_pending_reminders(appointment)
    if was == Status.CONFIRMED:
        _notify(appointment, kind=Notification.Kind.CANCELLED)
    waitlist_slot_freed(
        provider_id=appointment.provider_id,
        location_id=appointment.location_id,
        start=appointment.start,
    )
    _record_access(appointment, access)
    return appointment


@transaction.atomic
def appointment_mark(
    *,
    appointment: Appointment,
    status: str,
    actor: User,
    note: str = "",
    access: AccessContext | None = None,
) -> Appointment:
    """Staff record the outcome: ``completed`` or ``no_show`` (either may be corrected later).
    A patient checked in (``arrived``) can be completed, not marked a no-show."""
    if status not in (Status.COMPLETED, Status.NO_SHOW):
        raise ValueError(f"Cannot mark an appointment {status!r}.")
    appointment = _locked(appointment)
    if appointment.status not in (Status.CONFIRMED, Status.COMPLETED, Status.NO_SHOW) and not (
        appointment.status == Status.ARRIVED and status == Status.COMPLETED
    ):
        raise AppointmentNotActive()
    if appointment.start > timezone.now():
        raise AppointmentNotStarted()
    if appointment.status == status:
        return appointment
    was = appointment.status
    appointment.status = status
    appointment.save(update_fields=["status", "updated_at"])
    _record(
        appointment,
        action=Action.COMPLETED if status == Status.COMPLETED else Action.NO_SHOW,
        actor=actor,
        from_status=was,
        note=note,
    )
    _skip_pending_reminders(appointment)
    _record_access(appointment, access)
    return appointment


def holds_release_expired() -> int:
    """Delete every lapsed hold (the beat task); returns how many."""
    return _delete_lapsed_holds(Appointment.objects.expired_holds(now=timezone.now()))
