"""Availability: which times can be booked, read from the database in a fixed number of
queries and worked out by the pure slot arithmetic of ``scheduling.slots``.

One schedule loader (``schedules_load``: weekly hours and date overrides of some physicians at
some locations) and one busy-time loader (``busy_load``) serve every reader: the availability
of one location, the next free slot of many, the staff day view.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from django.db.models import FloatField, Func, Q, QuerySet
from django.utils import timezone

from clinic.models import Location, Provider
from scheduling import slots
from scheduling.models import Appointment, AppointmentType, ScheduleOverride, WorkingHours

MAX_RANGE_DAYS = 31
EARLIEST_TYPE = "new-consultation"
NEXT_AVAILABLE_FIRST_WINDOW_DAYS = 14


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


# --- loading schedules and busy time ------------------------------------------------------------

Ids = Iterable[int] | QuerySet


@dataclass(frozen=True)
class Schedules:
    """Weekly hours per (physician, location) and date overrides per physician (each with its
    location, ``None`` for every location); the slugs of the physicians they belong to, and
    the physicians themselves when asked for."""

    slugs: dict[int, str]
    providers: dict[int, Provider]
    weekly: dict[tuple[int, int], list[slots.WeeklyHours]]
    overrides: dict[int, list[tuple[int | None, slots.DateOverride]]]

    def weekly_of(self, provider_id: int, location_id: int) -> list[slots.WeeklyHours]:
        return self.weekly.get((provider_id, location_id), [])

    def overrides_of(self, provider_id: int, location_id: int) -> list[slots.DateOverride]:
        return [
            override
            for at, override in self.overrides.get(provider_id, ())
            if at is None or at == location_id
        ]


def schedules_load(
    *, providers: Ids, locations: Ids, first: date, last: date, objects: bool = False
) -> Schedules:
    """The schedules of ``providers`` (ids, or a query of ids) at ``locations``: weekly hours,
    and date overrides from ``first`` to ``last`` there or everywhere. Two queries. Rows are
    read as plain values (a month of availability is read on every page of the website); with
    ``objects`` the physicians come along as model instances."""
    weekly_rows = WorkingHours.objects.filter(location__in=locations, provider__in=providers)
    override_rows = ScheduleOverride.objects.filter(
        Q(location__in=locations) | Q(location__isnull=True),
        provider__in=providers,
        date__range=(first, last),
    )
    found: dict[int, Provider] = {}
    if objects:
        weekly_rows = [
            (h.provider_id, h.provider, h.location_id, h.weekday, h.start, h.end)
            for h in weekly_rows.select_related("provider")
        ]
        override_rows = [
            (o.provider_id, o.provider, o.location_id, o.date, o.kind, o.start, o.end)
            for o in override_rows.select_related("provider")
        ]
    else:
        weekly_rows = weekly_rows.values_list(
            "provider_id", "provider__slug", "location_id", "weekday", "start", "end"
        )
        override_rows = override_rows.values_list(
            "provider_id", "provider__slug", "location_id", "date", "kind", "start", "end"
        )
    slugs: dict[int, str] = {}
    weekly: dict[tuple[int, int], list[slots.WeeklyHours]] = {}
    for provider_id, provider, location_id, weekday, start, end in weekly_rows:
        if objects:
            found[provider_id], provider = provider, provider.slug
        slugs[provider_id] = provider
        weekly.setdefault((provider_id, location_id), []).append(
            slots.WeeklyHours(weekday, start, end)
        )
    overrides: dict[int, list[tuple[int | None, slots.DateOverride]]] = {}
    extra = ScheduleOverride.Kind.EXTRA_HOURS
    for provider_id, provider, location_id, day, kind, start, end in override_rows:
        if objects:
            found[provider_id], provider = provider, provider.slug
        slugs[provider_id] = provider
        overrides.setdefault(provider_id, []).append(
            (location_id, slots.DateOverride(day, kind == extra, start, end))
        )
    return Schedules(slugs=slugs, providers=found, weekly=weekly, overrides=overrides)


def busy_load(
    *, providers: Ids, low: datetime, high: datetime, now: datetime, exclude: int | None = None
) -> dict[int, list[tuple[int, int]]]:
    """Blocked time (buffers included) of ``providers`` at any location between ``low`` and
    ``high``, in whole seconds since the epoch, per physician; ``exclude`` is an appointment
    id left out (one being moved). One query."""
    taken = Appointment.objects.blocking(now=now).filter(
        provider__in=providers, blocked_start__lt=high, blocked_end__gt=low
    )
    if exclude is not None:
        taken = taken.exclude(pk=exclude)
    busy: dict[int, list[tuple[int, int]]] = {}
    for provider_id, start, end in taken.values_list(
        "provider_id", Epoch("blocked_start"), Epoch("blocked_end")
    ):
        busy.setdefault(provider_id, []).append((int(start), int(end)))
    return busy


def _search_bounds(first: date, last: date, zone) -> tuple[datetime, datetime]:
    """The local dates as UTC instants, widened by a day either side: covers every buffer."""
    low = slots.local_day_bounds(first, zone)[0] - timedelta(days=1)
    high = slots.local_day_bounds(last, zone)[1] + timedelta(days=1)
    return low, high


# --- availability -------------------------------------------------------------------------------


def local_date(moment: datetime, location: Location) -> date:
    return moment.astimezone(location.zone).date()


def slot_rules(kind: AppointmentType, *, ignore_notice: bool = False) -> slots.SlotRules:
    return slots.SlotRules(
        duration=kind.duration,
        interval=timedelta(minutes=kind.slot_interval_minutes),
        buffer_before=kind.buffer_before,
        buffer_after=kind.buffer_after,
        notice=timedelta() if ignore_notice else kind.minimum_notice,
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
    rows, physicians = _free_seconds(
        location=location,
        kind=kind,
        first=first,
        last=last,
        provider=provider,
        now=now,
        ignore_notice=ignore_notice,
        exclude=exclude,
        objects=True,
    )
    return [
        Slot(datetime.fromtimestamp(start, UTC), datetime.fromtimestamp(end, UTC), physicians[slug])
        for start, slug, end in rows
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
) -> list[tuple[int, str, int]]:
    """``availability_for`` as ``(start, physician slug, end)`` with whole seconds since the
    epoch, in the same order: what the availability API formats, without building thousands of
    datetimes or objects."""
    return _free_seconds(
        location=location,
        kind=kind,
        first=first,
        last=last,
        provider=provider,
        now=now,
        ignore_notice=ignore_notice,
        exclude=exclude,
    )[0]


def _free_seconds(
    *,
    location: Location,
    kind: AppointmentType,
    first: date,
    last: date,
    provider: Provider | None,
    now: datetime | None,
    ignore_notice: bool,
    exclude: Appointment | None,
    objects: bool = False,
) -> tuple[list[tuple[int, str, int]], dict[str, Provider]]:
    """The free slots as sorted ``(start, physician slug, end)``, and with ``objects`` the
    physicians by slug."""
    now = now or timezone.now()
    zone = location.zone
    offering = _offering_providers(location=location, kind=kind, provider=provider)
    schedules = schedules_load(
        providers=offering, locations=[location.pk], first=first, last=last, objects=objects
    )
    low, high = _search_bounds(first, last, zone)
    busy = busy_load(
        providers=offering,
        low=low,
        high=high,
        now=now,
        exclude=exclude.pk if exclude is not None else None,
    )
    rules = slot_rules(kind, ignore_notice=ignore_notice)
    found: list[tuple[int, str, int]] = []
    for provider_id, slug in schedules.slugs.items():
        found.extend(
            (start, slug, end)
            for start, end in slots.free_slot_seconds(
                zone=zone,
                first=first,
                last=last,
                weekly=schedules.weekly_of(provider_id, location.pk),
                overrides=schedules.overrides_of(provider_id, location.pk),
                busy_seconds=busy.get(provider_id, ()),
                rules=rules,
                now=now,
            )
        )
    found.sort()  # by start, then slug: a physician has one slot per start
    return found, {physician.slug: physician for physician in schedules.providers.values()}


def slot_is_taken(
    *,
    provider: Provider,
    kind: AppointmentType,
    start: datetime,
    now: datetime,
    exclude: Appointment | None = None,
) -> bool:
    """Whether another appointment of ``provider`` (at any location) blocks a ``kind`` slot at
    ``start``, buffers included: the one condition of ``slot_is_offered`` that a race for a
    time decides, in one query. When it holds, the slot is not offered."""
    taken = Appointment.objects.blocking(now=now).filter(
        provider=provider,
        blocked_start__lt=start + kind.duration + kind.buffer_after,
        blocked_end__gt=start - kind.buffer_before,
    )
    if exclude is not None:
        taken = taken.exclude(pk=exclude.pk)
    return taken.exists()


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
    """Whether ``provider`` offers a ``kind`` slot at ``location`` starting at ``start``."""
    day = local_date(start, location)
    moment = start.timestamp()
    return any(
        found == moment and slug == provider.slug
        for found, slug, _end in availability_seconds_for(
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


# --- the next free slot at many locations at once (public location API and pages) -------------


def _earliest(candidates: list[Slot]) -> Slot | None:
    return min(candidates, key=lambda slot: (slot.start, slot.provider.slug), default=None)


def next_available_by_location(
    *, locations: Sequence[Location], kind_slug: str, now: datetime | None = None
) -> dict[int, Slot]:
    """The earliest free slot of the active type ``kind_slug`` at each of ``locations``, keyed by
    location id (a location without one in the booking window is left out): for each location
    the slot ``next_available_slot`` finds, but in at most six queries whatever the number of
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

    rules = slot_rules(kind)
    # Schedules over the whole booking window of every location, loaded once.
    horizons = {
        pk: (local_date(now, by_id[pk]), local_date(now + rules.window, by_id[pk]))
        for pk in offering
    }
    if not horizons:
        return {}
    schedules = schedules_load(
        providers={provider.pk for group in offering.values() for provider in group},
        locations=list(offering),
        first=min(today for today, _horizon in horizons.values()),
        last=max(horizon for _today, horizon in horizons.values()),
    )
    found: dict[int, Slot] = {}
    for offset, length in (
        (0, NEXT_AVAILABLE_FIRST_WINDOW_DAYS),
        (NEXT_AVAILABLE_FIRST_WINDOW_DAYS, None),
    ):
        spans: dict[int, tuple[date, date]] = {}
        for pk in offering.keys() - found.keys():
            today, horizon = horizons[pk]
            first = today + timedelta(days=offset)
            last = horizon if length is None else min(horizon, first + timedelta(days=length - 1))
            if first <= last:
                spans[pk] = (first, last)
        if not spans:
            break
        provider_ids = {provider.pk for pk in spans for provider in offering[pk]}
        bounds = [
            bound
            for pk, (first, last) in spans.items()
            for bound in _search_bounds(first, last, by_id[pk].zone)
        ]
        busy = busy_load(providers=provider_ids, low=min(bounds), high=max(bounds), now=now)
        for pk, (first, last) in spans.items():
            candidates = []
            for provider in offering[pk]:
                free = slots.free_slot_seconds(
                    zone=by_id[pk].zone,
                    first=first,
                    last=last,
                    weekly=schedules.weekly_of(provider.pk, pk),
                    overrides=schedules.overrides_of(provider.pk, pk),
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
