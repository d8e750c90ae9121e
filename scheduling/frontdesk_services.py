"""Writes of the front desk: check-in, booking for a patient with recorded overrides, and staff
confirming or declining the booking requests of patients under the no-show policy.

Each is one transaction that locks the appointment, allows only valid transitions, and leaves a
history row (with the overrides and the reason staff gave); the patient hears of confirmations
and declines through the notification outbox. Booking goes through ``appointment_book``, so its
rules and conflicts are the patient's own.
"""

from collections.abc import Iterable
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from audit.context import AccessContext
from clinic.models import Location, Provider, User
from scheduling.availability import local_date
from scheduling.errors import (
    AppointmentNotActive,
    AppointmentNotToday,
    OverrideRequired,
)
from scheduling.frontdesk_selectors import no_show_policy_applies
from scheduling.gate import booking_triage_gate
from scheduling.models import Appointment, AppointmentEvent, AppointmentType, Notification
from scheduling.services import (
    _locked,
    _notify,
    _record,
    _record_access,
    _schedule_reminder,
    _skip_pending_reminders,
    appointment_book,
)
from scheduling.waitlist.freed import waitlist_slot_freed

Status = Appointment.Status
Action = AppointmentEvent.Action


class Override:
    """Rules staff may override when booking for a patient, each with a reason."""

    TRIAGE_GATE = "triage_gate"
    SHORT_NOTICE = "short_notice"
    NO_SHOW_POLICY = "no_show_policy"

    ALL = (TRIAGE_GATE, SHORT_NOTICE, NO_SHOW_POLICY)


def booking_overrides_needed(
    *, patient: User, kind: AppointmentType, start: datetime, now: datetime
) -> list[str]:
    """The overrides a staff booking of this patient at ``start`` needs, in ``Override.ALL``
    order: a recent emergency symptom check (the patient's online booking stops at the
    emergency advice), a start inside the type's change cutoff or minimum notice (the patient
    could neither book nor move it online), and the no-show policy."""
    needed = []
    gate = booking_triage_gate(patient=patient)
    if gate is not None and gate.emergency:
        needed.append(Override.TRIAGE_GATE)
    if kind.short_notice(start=start, now=now):
        needed.append(Override.SHORT_NOTICE)
    if no_show_policy_applies(patient=patient, now=now):
        needed.append(Override.NO_SHOW_POLICY)
    return needed


@transaction.atomic
def appointment_book_for_patient(
    *,
    patient: User,
    provider: Provider,
    location: Location,
    kind: AppointmentType,
    start: datetime,
    staff: User,
    overrides: Iterable[str] = (),
    reason: str = "",
    access: AccessContext | None = None,
) -> Appointment:
    """Staff book an offered time for a patient through ``appointment_book`` (same rules and
    conflicts; no minimum notice). A rule the patient's own booking would meet must be
    overridden explicitly, with a reason: otherwise ``OverrideRequired`` names the missing ones.
    The booking's history row records the overrides used and the reason."""
    overrides = {name for name in overrides if name in Override.ALL}
    reason = reason.strip()
    needed = booking_overrides_needed(patient=patient, kind=kind, start=start, now=timezone.now())
    missing = [name for name in needed if name not in overrides]
    if missing:
        raise OverrideRequired(missing=missing)
    used = [name for name in Override.ALL if name in overrides and name in needed]
    if used and not reason:
        raise OverrideRequired(missing=[], reason_missing=True)
    appointment = appointment_book(
        patient=patient,
        provider=provider,
        location=location,
        kind=kind,
        start=start,
        booked_by=staff,
        access=access,
    )
    AppointmentEvent.objects.filter(appointment=appointment, action=Action.BOOKED).update(
        overrides=used, note=reason[:300]
    )
    return appointment


@transaction.atomic
def appointment_check_in(
    *, appointment: Appointment, actor: User, access: AccessContext | None = None
) -> Appointment:
    """The patient has arrived: a confirmed appointment of today (the location's day) becomes
    ``arrived`` and keeps its time blocked. Checking in twice changes nothing."""
    appointment = _locked(appointment)
    if appointment.status == Status.ARRIVED:
        return appointment
    if appointment.status != Status.CONFIRMED:
        raise AppointmentNotActive()
    location = appointment.location
    if local_date(appointment.start, location) != local_date(timezone.now(), location):
        raise AppointmentNotToday()
    appointment.status = Status.ARRIVED
    appointment.save(update_fields=["status", "updated_at"])
    _record(appointment, action=Action.CHECKED_IN, actor=actor, from_status=Status.CONFIRMED)
    _skip_pending_reminders(appointment)
    _record_access(appointment, access)
    return appointment


@transaction.atomic
def appointment_request_confirm(
    *, appointment: Appointment, actor: User, access: AccessContext | None = None
) -> Appointment:
    """Staff accept a patient's booking request: it is booked, the patient is e-mailed the
    booking (with its calendar file) and a reminder is scheduled."""
    now = timezone.now()
    appointment = _locked(appointment)
    if appointment.status != Status.REQUESTED:
        raise AppointmentNotActive()
    appointment.status = Status.CONFIRMED
    appointment.confirmed_at = now
    appointment.save(update_fields=["status", "confirmed_at", "updated_at"])
    _record(appointment, action=Action.CONFIRMED, actor=actor, from_status=Status.REQUESTED)
    _notify(appointment, kind=Notification.Kind.BOOKED)
    _schedule_reminder(appointment, now=now)
    _record_access(appointment, access)
    return appointment


@transaction.atomic
def appointment_request_decline(
    *,
    appointment: Appointment,
    actor: User,
    note: str = "",
    access: AccessContext | None = None,
) -> Appointment:
    """Staff decline a patient's booking request: the time is free again (offered to the
    waitlist) and the patient is e-mailed that the clinic could not confirm it (and how to reach
    the clinic)."""
    appointment = _locked(appointment)
    if appointment.status != Status.REQUESTED:
        raise AppointmentNotActive()
    appointment.status = Status.CANCELLED
    appointment.save(update_fields=["status", "updated_at"])
    _record(
        appointment,
        action=Action.DECLINED,
        actor=actor,
        from_status=Status.REQUESTED,
        note=note.strip()[:300],
    )
    _notify(appointment, kind=Notification.Kind.DECLINED)
    waitlist_slot_freed(
        provider_id=appointment.provider_id,
        location_id=appointment.location_id,
        start=appointment.start,
    )
    _record_access(appointment, access)
    return appointment
