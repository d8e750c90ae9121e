"""Plain reads of booking: the location to book at, appointment types, a patient's appointments
and the staff day view. Availability is in ``scheduling.availability``, the booking safety gate
in ``scheduling.gate``."""

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from audit.context import AccessContext
from audit.models import Action
from audit.services import phi_access_denied, phi_access_record
from clinic.errors import NotFound
from clinic.models import Location, Provider, User
from scheduling import slots
from scheduling.availability import schedules_load
from scheduling.models import Appointment, AppointmentType


def patient_busy(
    *, patient: User, start: datetime, end: datetime, now: datetime, exclude: int | None = None
) -> bool:
    """Whether the patient has another appointment that keeps its time (booked, held, arrived,
    requested) overlapping ``start``-``end``; ``exclude`` is the one being moved."""
    overlapping = Appointment.objects.blocking(now=now).filter(
        patient=patient, start__lt=end, end__gt=start
    )
    if exclude is not None:
        overlapping = overlapping.exclude(pk=exclude)
    return overlapping.exists()


def location_for_booking(*, slug: str) -> Location:
    """An active location by slug, in one query; ``Http404`` otherwise."""
    return get_object_or_404(Location.objects.filter(is_active=True), slug=slug)


def appointment_type_list() -> QuerySet[AppointmentType]:
    return AppointmentType.objects.filter(is_active=True)


def _with_relations(appointments: QuerySet[Appointment]) -> QuerySet[Appointment]:
    return appointments.select_related("provider", "location", "appointment_type")


def _appointments_of(patient: User, now: datetime | None = None) -> QuerySet[Appointment]:
    return _with_relations(
        Appointment.objects.filter(patient=patient).visible_to_patient(now=now or timezone.now())
    ).order_by("start", "pk")


def appointment_list_for_patient(
    *, patient: User, now: datetime | None = None, access: AccessContext | None = None
) -> QuerySet[Appointment]:
    """The patient's appointments, soonest first (one ``list`` access recorded)."""
    phi_access_record(access=access, action=Action.LIST, model=Appointment, patient_id=patient.pk)
    return _appointments_of(patient, now)


def appointment_get_for_patient(
    *, patient: User, appointment_id: int, access: AccessContext | None = None
) -> Appointment:
    """The patient's own appointment; ``NotFound`` for anyone else's (or none), recorded as
    ``denied``."""
    appointment = (
        _appointments_of(patient).filter(pk=appointment_id).first()
        if patient.is_authenticated
        else None
    )
    if appointment is None:
        phi_access_denied(access=access, model=Appointment, object_id=appointment_id)
        raise NotFound()
    phi_access_record(access=access, action=Action.VIEW, obj=appointment, patient_id=patient.pk)
    return appointment


@dataclass(frozen=True)
class PatientAppointments:
    upcoming: list[Appointment]
    past: list[Appointment]


def appointments_for_dashboard(
    *, patient: User, now: datetime | None = None, access: AccessContext | None = None
) -> PatientAppointments:
    """Upcoming (active or checked in, not yet ended; soonest first) and past (latest first)
    appointments: a visit the patient has arrived for stays upcoming until it ends."""
    now = now or timezone.now()
    upcoming, past = [], []
    for appointment in appointment_list_for_patient(patient=patient, now=now, access=access):
        ongoing = appointment.is_active or appointment.status == Appointment.Status.ARRIVED
        if ongoing and appointment.end > now:
            upcoming.append(appointment)
        elif appointment.status != Appointment.Status.HELD:
            past.append(appointment)
    past.reverse()
    return PatientAppointments(upcoming=upcoming, past=past)


@dataclass(frozen=True)
class DaySchedule:
    working: list[slots.Interval]
    time_off: list[slots.Interval]
    appointments: list[Appointment]


def day_schedule(
    *, location: Location, provider: Provider, day: date, access: AccessContext | None = None
) -> DaySchedule:
    """A physician's day at a location for the staff day view: hours and every appointment
    (one ``list`` access recorded, with the patients of the day)."""
    schedules = schedules_load(
        providers=[provider.pk], locations=[location.pk], first=day, last=day
    )
    working, off = slots.working_intervals(
        zone=location.zone,
        first=day,
        last=day,
        weekly=schedules.weekly_of(provider.pk, location.pk),
        overrides=schedules.overrides_of(provider.pk, location.pk),
    )
    low, high = slots.local_day_bounds(day, location.zone)
    appointments = list(
        _with_relations(
            Appointment.objects.filter(provider=provider, start__lt=high, end__gt=low)
            .visible_to_patient(now=timezone.now())
            .select_related("patient")
        ).order_by("start", "pk")
    )
    patients = {appointment.patient_id for appointment in appointments}
    phi_access_record(
        access=access,
        action=Action.LIST,
        model=Appointment,
        patient_id=next(iter(patients)) if len(patients) == 1 else None,
        patient_ids=patients if len(patients) > 1 else (),
        detail=f"day view: {provider.slug} at {location.slug} on {day.isoformat()}",
    )
    return DaySchedule(working=working, time_off=off, appointments=appointments)
