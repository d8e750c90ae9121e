"""Reads of booking: availability (a fixed number of queries whatever the range), a patient's
appointments, and the staff day view."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from operator import itemgetter

from django.db.models import FloatField, Func, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from audit.context import AccessContext
from audit.models import Action
from audit.services import phi_access_denied, phi_access_record
from clinic.errors import NotFound
from clinic.models import Location, Provider, User
from scheduling import slots
from scheduling.models import Appointment, AppointmentType, ScheduleOverride, WorkingHours
from triage.models import Assessment, Urgency
from triage.selectors import assessment_latest_for

MAX_RANGE_DAYS = 31
# A symptom check this recent shapes the booking flow (emergency gate, earliest times first).
TRIAGE_RECENT = timedelta(hours=72)
EARLIEST_TYPE = "new-consultation"


@dataclass(frozen=True)
class Slot:
    start: datetime  # UTC
    end: datetime
    provider: Provider


class Epoch(Func):
    """Seconds since the epoch as a float: far cheaper to load than a thousand aware datetimes."""

    template = "EXTRACT(EPOCH FROM %(expressions)s)::double precision"
    output_field = FloatField()

    def as_sqlite(self, compiler, connection, **extra):
        # SQLite keeps UTC text; '%%%%s' reaches SQLite as strftime's '%s' after both escapings.
        template = "CAST(strftime('%%%%s', %(expressions)s) AS REAL)"
        return self.as_sql(compiler, connection, template=template, **extra)


def location_for_booking(*, slug: str) -> Location:
    """An active location by slug, in one query; ``Http404`` otherwise."""
    return get_object_or_404(Location.objects.filter(is_active=True), slug=slug)


def slot_rules(kind: AppointmentType, *, ignore_notice: bool = False) -> slots.SlotRules:
    return slots.SlotRules(
        duration=kind.duration,
        interval=timedelta(minutes=kind.slot_interval_minutes),
        buffer_before=kind.buffer_before,
        buffer_after=kind.buffer_after,
        notice=timedelta() if ignore_notice else timedelta(minutes=kind.minimum_notice_minutes),
        window=timedelta(days=kind.booking_window_days),
    )


def _offering_providers(*, location: Location, kind: AppointmentType, provider: Provider | None):
    providers = Provider.objects.filter(is_active=True, locations=location, appointment_types=kind)
    if provider is not None:
        providers = providers.filter(pk=provider.pk)
    return providers.values("pk")


def availability_for(
    *,
    location: Location,
    kind: AppointmentType,
    first: date,
    last: date,
    provider: Provider | None = None,
    now: datetime | None = None,
    ignore_notice: bool = False,
    exclude: Appointment | None = None,
) -> list[Slot]:
    """Free slots at ``location`` for ``kind`` on local dates ``first``..``last`` (inclusive),
    sorted by start then physician slug. Three queries, whatever the range or the number of
    physicians. ``exclude`` is an appointment being moved: it does not block its own new time.
    """
    return [
        Slot(datetime.fromtimestamp(start, UTC), datetime.fromtimestamp(end, UTC), found)
        for start, end, found in availability_seconds_for(
            location=location,
            kind=kind,
            first=first,
            last=last,
            provider=provider,
            now=now,
            ignore_notice=ignore_notice,
            exclude=exclude,
        )
    ]


def availability_seconds_for(
    *,
    location: Location,
    kind: AppointmentType,
    first: date,
    last: date,
    provider: Provider | None = None,
    now: datetime | None = None,
    ignore_notice: bool = False,
    exclude: Appointment | None = None,
) -> list[tuple[int, int, Provider]]:
    """``availability_for`` as ``(start, end, physician)`` with whole seconds since the epoch:
    what the availability API formats, without building thousands of datetimes."""
    now = now or timezone.now()
    zone = location.zone
    offering = _offering_providers(location=location, kind=kind, provider=provider)
    weekly: dict[int, list[slots.WeeklyHours]] = {}
    overrides: dict[int, list[slots.DateOverride]] = {}
    providers: dict[int, Provider] = {}

    for hours in WorkingHours.objects.filter(
        location=location, provider__in=offering
    ).select_related("provider"):
        providers[hours.provider_id] = hours.provider
        weekly.setdefault(hours.provider_id, []).append(
            slots.WeeklyHours(hours.weekday, hours.start, hours.end)
        )
    for override in ScheduleOverride.objects.filter(
        Q(location=location) | Q(location__isnull=True),
        provider__in=offering,
        date__range=(first, last),
    ).select_related("provider"):
        providers[override.provider_id] = override.provider
        overrides.setdefault(override.provider_id, []).append(
            slots.DateOverride(
                override.date,
                override.kind == ScheduleOverride.Kind.EXTRA_HOURS,
                override.start,
                override.end,
            )
        )

    # Busy time of these physicians anywhere (they may work at several locations); a day's
    # margin either side covers every buffer.
    low = slots.local_day_bounds(first, zone)[0] - timedelta(days=1)
    high = slots.local_day_bounds(last, zone)[1] + timedelta(days=1)
    taken = Appointment.objects.blocking(now=now).filter(
        provider__in=offering, blocked_start__lt=high, blocked_end__gt=low
    )
    if exclude is not None:
        taken = taken.exclude(pk=exclude.pk)
    busy: dict[int, list[tuple[int, int]]] = {}
    for provider_id, start, end in taken.values_list(
        "provider_id", Epoch("blocked_start"), Epoch("blocked_end")
    ):
        busy.setdefault(provider_id, []).append((int(start), int(end)))

    rules = slot_rules(kind, ignore_notice=ignore_notice)
    found: list[tuple[int, str, int, Provider]] = []
    for provider_id, physician in providers.items():
        slug = physician.slug
        found.extend(
            (start, slug, end, physician)
            for start, end in slots.free_slot_seconds(
                zone=zone,
                first=first,
                last=last,
                weekly=weekly.get(provider_id, ()),
                overrides=overrides.get(provider_id, ()),
                busy_seconds=busy.get(provider_id, ()),
                rules=rules,
                now=now,
            )
        )
    found.sort(key=itemgetter(0, 1))
    return [(start, end, physician) for start, _slug, end, physician in found]


def local_date(moment: datetime, location: Location) -> date:
    return moment.astimezone(location.zone).date()


def slot_is_offered(
    *,
    location: Location,
    kind: AppointmentType,
    provider: Provider,
    start: datetime,
    now: datetime | None = None,
    ignore_notice: bool = False,
    exclude: Appointment | None = None,
) -> bool:
    day = local_date(start, location)
    return any(
        slot.start == start
        for slot in availability_for(
            location=location,
            kind=kind,
            first=day,
            last=day,
            provider=provider,
            now=now,
            ignore_notice=ignore_notice,
            exclude=exclude,
        )
    )


def next_available_slot(
    *,
    location: Location,
    kind: AppointmentType,
    provider: Provider | None = None,
    after: date | None = None,
    now: datetime | None = None,
) -> Slot | None:
    """The earliest free slot on or after local date ``after`` (default today), searched month
    by month across the type's booking window."""
    now = now or timezone.now()
    first = after or local_date(now, location)
    horizon = local_date(now + timedelta(days=kind.booking_window_days), location)
    while first <= horizon:
        last = min(first + timedelta(days=MAX_RANGE_DAYS - 1), horizon)
        found = availability_for(
            location=location, kind=kind, first=first, last=last, provider=provider, now=now
        )
        if found:
            return found[0]
        first = last + timedelta(days=1)
    return None


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
    """Upcoming (active, not yet ended; soonest first) and past (latest first) appointments."""
    now = now or timezone.now()
    upcoming, past = [], []
    for appointment in appointment_list_for_patient(patient=patient, now=now, access=access):
        if appointment.is_active and appointment.end > now:
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
    weekly = [
        slots.WeeklyHours(h.weekday, h.start, h.end)
        for h in WorkingHours.objects.filter(provider=provider, location=location)
    ]
    overrides = [
        slots.DateOverride(o.date, o.kind == ScheduleOverride.Kind.EXTRA_HOURS, o.start, o.end)
        for o in ScheduleOverride.objects.filter(
            Q(location=location) | Q(location__isnull=True), provider=provider, date=day
        )
    ]
    working, off = slots.working_intervals(
        zone=location.zone, first=day, last=day, weekly=weekly, overrides=overrides
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


@dataclass(frozen=True)
class TriageGate:
    """The patient's recent symptom check that asks for care sooner than a routine booking."""

    assessment: Assessment

    @property
    def emergency(self) -> bool:
        return self.assessment.urgency == Urgency.EMERGENCY

    @property
    def urgent(self) -> bool:
        return self.assessment.urgency == Urgency.URGENT

    @property
    def soon(self) -> bool:
        return self.assessment.urgency == Urgency.SOON


def booking_triage_gate(*, patient: User, access: AccessContext | None = None) -> TriageGate | None:
    """A gate when the patient's latest symptom check of the last 72 hours is emergency,
    urgent or soon (see a clinician within two weeks); ``None`` otherwise (a newer, calmer check
    lifts it). The booking pages show a gate's check, so that is recorded as a ``view`` of it."""
    latest = assessment_latest_for(patient=patient, within=TRIAGE_RECENT)
    if latest is None or latest.urgency not in (Urgency.EMERGENCY, Urgency.URGENT, Urgency.SOON):
        return None
    phi_access_record(access=access, action=Action.VIEW, obj=latest, patient_id=patient.pk)
    return TriageGate(assessment=latest)


def earliest_slots(*, location: Location, limit: int = 6, days: int = 14) -> list[Slot]:
    """The first free new-consultation times at a location with any physician (one per time)."""
    kind = AppointmentType.objects.filter(slug=EARLIEST_TYPE, is_active=True).first()
    if kind is None:
        return []
    today = local_date(timezone.now(), location)
    found = availability_for(
        location=location, kind=kind, first=today, last=today + timedelta(days=days - 1)
    )
    earliest: list[Slot] = []
    for slot in found:
        if earliest and earliest[-1].start == slot.start:
            continue
        earliest.append(slot)
        if len(earliest) == limit:
            break
    return earliest


# --- The next free slot at many locations at once (public location API and pages) -----------

NEXT_AVAILABLE_FIRST_WINDOW_DAYS = 14


def _overrides_by_provider(
    *, provider_ids: set[int], location_ids: set[int], first: date, last: date
) -> dict[int, list[tuple[int | None, slots.DateOverride]]]:
    found: dict[int, list[tuple[int | None, slots.DateOverride]]] = {}
    rows = ScheduleOverride.objects.filter(
        Q(location__in=location_ids) | Q(location__isnull=True),
        provider__in=provider_ids,
        date__range=(first, last),
    ).values_list("provider_id", "location_id", "date", "kind", "start", "end")
    for provider_id, location_id, day, kind, start, end in rows:
        extra = kind == ScheduleOverride.Kind.EXTRA_HOURS
        found.setdefault(provider_id, []).append(
            (location_id, slots.DateOverride(day, extra, start, end))
        )
    return found


def _busy_by_provider(
    *, provider_ids: set[int], low: datetime, high: datetime, now: datetime
) -> dict[int, list[tuple[int, int]]]:
    """Blocked time of these physicians at any location, in seconds since the epoch."""
    found: dict[int, list[tuple[int, int]]] = {}
    rows = (
        Appointment.objects.blocking(now=now)
        .filter(provider__in=provider_ids, blocked_start__lt=high, blocked_end__gt=low)
        .values_list("provider_id", Epoch("blocked_start"), Epoch("blocked_end"))
    )
    for provider_id, start, end in rows:
        found.setdefault(provider_id, []).append((int(start), int(end)))
    return found


def _earliest(candidates: list[Slot]) -> Slot | None:
    return min(candidates, key=lambda slot: (slot.start, slot.provider.slug), default=None)


def next_available_by_location(
    *, locations: Sequence[Location], kind_slug: str, now: datetime | None = None
) -> dict[int, Slot]:
    """The earliest free slot of the active type ``kind_slug`` at each of ``locations``, keyed by
    location id (a location without one in the booking window is left out): for each location
    the slot ``next_available_slot`` finds, but in at most seven queries whatever the number of
    locations, physicians or appointments.

    The first two weeks are searched for every location at once; the rest of the booking
    window only for the locations still without a slot.
    """
    now = now or timezone.now()
    kind = AppointmentType.objects.filter(slug=kind_slug, is_active=True).first()
    by_id = {location.pk: location for location in locations}
    if kind is None or not by_id:
        return {}
    offering: dict[int, list[Provider]] = {}
    for pair in Provider.locations.through.objects.filter(
        location__in=list(by_id), provider__is_active=True, provider__appointment_types=kind
    ).select_related("provider"):
        offering.setdefault(pair.location_id, []).append(pair.provider)
    weekly: dict[tuple[int, int], list[slots.WeeklyHours]] = {}
    for provider_id, location_id, weekday, start, end in WorkingHours.objects.filter(
        location__in=list(offering),
        provider__in={provider.pk for group in offering.values() for provider in group},
    ).values_list("provider_id", "location_id", "weekday", "start", "end"):
        weekly.setdefault((provider_id, location_id), []).append(
            slots.WeeklyHours(weekday, start, end)
        )

    rules = slot_rules(kind)
    found: dict[int, Slot] = {}
    for offset, length in (
        (0, NEXT_AVAILABLE_FIRST_WINDOW_DAYS),
        (NEXT_AVAILABLE_FIRST_WINDOW_DAYS, None),
    ):
        spans: dict[int, tuple[date, date]] = {}
        for pk in offering.keys() - found.keys():
            today = local_date(now, by_id[pk])
            horizon = local_date(now + rules.window, by_id[pk])
            first = today + timedelta(days=offset)
            last = horizon if length is None else min(horizon, first + timedelta(days=length - 1))
            if first <= last:
                spans[pk] = (first, last)
        if not spans:
            break
        provider_ids = {provider.pk for pk in spans for provider in offering[pk]}
        overrides = _overrides_by_provider(
            provider_ids=provider_ids,
            location_ids=set(spans),
            first=min(first for first, _last in spans.values()),
            last=max(last for _first, last in spans.values()),
        )
        bounds = [
            bound
            for pk, (first, last) in spans.items()
            for bound in (
                slots.local_day_bounds(first, by_id[pk].zone)[0],
                slots.local_day_bounds(last, by_id[pk].zone)[1],
            )
        ]
        busy = _busy_by_provider(
            provider_ids=provider_ids,
            low=min(bounds) - timedelta(days=1),
            high=max(bounds) + timedelta(days=1),
            now=now,
        )
        for pk, (first, last) in spans.items():
            candidates = []
            for provider in offering[pk]:
                free = slots.free_slot_seconds(
                    zone=by_id[pk].zone,
                    first=first,
                    last=last,
                    weekly=weekly.get((provider.pk, pk), ()),
                    overrides=[
                        override
                        for location_id, override in overrides.get(provider.pk, ())
                        if location_id in (pk, None)
                    ],
                    busy_seconds=busy.get(provider.pk, ()),
                    rules=rules,
                    now=now,
                )
                if free:
                    start, end = free[0]
                    candidates.append(
                        Slot(
                            datetime.fromtimestamp(start, UTC),
                            datetime.fromtimestamp(end, UTC),
                            provider,
                        )
                    )
            slot = _earliest(candidates)
            if slot is not None:
                found[pk] = slot
    return found
