"""Slot arithmetic: pure functions, no ORM. Schedules in, bookable start times out.

Wall-clock times (weekly hours, overrides) belong to the location's time zone and are turned
into UTC instants day by day with ``datetime.combine(day, clock, tzinfo=zone)``; all arithmetic
after that is on UTC instants, so a 09:00 schedule starts at local 09:00 on both sides of a DST
change and no duration is ever stretched or squeezed by one.

Local times are resolved the way RFC 5545 (iCalendar) and JavaScript's Temporal ("compatible")
do, which is also what ``fold=0`` means for ``zoneinfo``: a time repeated when the clocks fall
back means its first occurrence; a time skipped when they spring forward is read with the offset
before the gap (02:30 on a spring-forward night is 03:30 daylight time). Slots are laid on a grid
of elapsed time from the start of each working interval, so they are real instants: a skipped
wall-clock time is never offered, and the repeated fall-back hour gives each real half hour
exactly once (01:00 EDT and 01:00 EST are different slots, shown with their zone names).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

Interval = tuple[datetime, datetime]  # half-open [start, end), aware UTC


@dataclass(frozen=True)
class WeeklyHours:
    weekday: int  # Monday is 0
    start: time
    end: time


@dataclass(frozen=True)
class DateOverride:
    day: date
    available: bool  # True: extra hours; False: time off
    start: time | None = None  # None (with end None): the whole day
    end: time | None = None


@dataclass(frozen=True)
class SlotRules:
    duration: timedelta
    interval: timedelta
    buffer_before: timedelta = timedelta()
    buffer_after: timedelta = timedelta()
    notice: timedelta = timedelta()
    window: timedelta = timedelta(days=180)


def local_instant(day: date, clock: time, zone: ZoneInfo) -> datetime:
    """The UTC instant of a wall-clock time on a local date (RFC 5545 resolution, see above)."""
    return datetime.combine(day, clock, tzinfo=zone).astimezone(UTC)


def local_day_bounds(day: date, zone: ZoneInfo) -> Interval:
    """The local calendar day as UTC instants (23 or 25 hours long on transition days)."""
    return local_instant(day, time(0), zone), local_instant(day + timedelta(days=1), time(0), zone)


def wall_time_exists(local: datetime, zone: ZoneInfo) -> bool:
    """Whether a naive wall-clock time happens in ``zone`` (False inside a spring-forward gap):
    the round trip through UTC gives the same reading back."""
    return local.replace(tzinfo=zone).astimezone(UTC).astimezone(zone).replace(tzinfo=None) == local


def merge(intervals: Iterable[Interval]) -> list[Interval]:
    """Sorted union of intervals; touching intervals join."""
    merged: list[Interval] = []
    for start, end in sorted(i for i in intervals if i[0] < i[1]):
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def working_intervals(
    *,
    zone: ZoneInfo,
    first: date,
    last: date,
    weekly: Sequence[WeeklyHours],
    overrides: Sequence[DateOverride] = (),
) -> tuple[list[Interval], list[Interval]]:
    """The provider's working time and time off over local dates ``first``..``last``, in UTC.

    Working time is weekly hours plus extra hours (merged); time off is returned separately so
    the slot grid keeps its alignment to the start of working hours.
    """
    by_weekday: dict[int, list[WeeklyHours]] = {}
    for hours in weekly:
        by_weekday.setdefault(hours.weekday, []).append(hours)
    by_day: dict[date, list[DateOverride]] = {}
    for override in overrides:
        by_day.setdefault(override.day, []).append(override)

    working: list[Interval] = []
    off: list[Interval] = []
    day = first
    while day <= last:
        for hours in by_weekday.get(day.weekday(), ()):
            working.append(
                (local_instant(day, hours.start, zone), local_instant(day, hours.end, zone))
            )
        for override in by_day.get(day, ()):
            if override.start is None or override.end is None:
                span = local_day_bounds(day, zone)
            else:
                span = (
                    local_instant(day, override.start, zone),
                    local_instant(day, override.end, zone),
                )
            (working if override.available else off).append(span)
        day += timedelta(days=1)
    return merge(working), merge(off)


def _seconds(intervals: Iterable[Interval]) -> tuple[list[int], list[int]]:
    """Merged intervals as two sorted lists of whole seconds since the epoch (starts, ends)."""
    merged = merge(intervals)
    return [int(a.timestamp()) for a, _b in merged], [int(b.timestamp()) for _a, b in merged]


def _blocked_starts(
    off: Iterable[Interval],
    busy_seconds: Iterable[tuple[int, int]],
    *,
    duration: int,
    before: int,
    after: int,
) -> list[tuple[int, int]]:
    """The start times that time off or busy time rule out, as sorted, disjoint open intervals
    ``(a, b)``: a slot starting at ``s`` overlaps time off ``[os, oe)`` when
    ``os - duration < s < oe``, and its range widened by the buffers overlaps busy time
    ``[bs, be)`` when ``bs - duration - after < s < be + before``."""
    off_starts, off_ends = _seconds(off)
    ruled_out = [(a - duration, b) for a, b in zip(off_starts, off_ends, strict=True)]
    ruled_out += [(a - duration - after, b + before) for a, b in busy_seconds if a < b]
    ruled_out.sort()
    merged: list[tuple[int, int]] = []
    for a, b in ruled_out:
        if merged and a < merged[-1][1]:  # open intervals: touching ones leave a start free
            if b > merged[-1][1]:
                merged[-1] = (merged[-1][0], b)
        else:
            merged.append((a, b))
    return merged


def free_slot_seconds(
    *,
    zone: ZoneInfo,
    first: date,
    last: date,
    weekly: Sequence[WeeklyHours],
    rules: SlotRules,
    now: datetime,
    overrides: Sequence[DateOverride] = (),
    busy_seconds: Iterable[tuple[int, int]] = (),
) -> list[tuple[int, int]]:
    """``free_slots`` in whole seconds since the epoch, with ``busy`` given the same way: the
    form the availability API uses, since a month of ten physicians' slots is thousands of
    instants and integers are far cheaper to make, sort and format than aware datetimes.

    The grid of each working interval is ``start + k * step``; the candidates are a range of
    ``k`` (fitting in the interval, after the notice, within the window), and time off and busy
    time each rule out a range of ``k`` (``_blocked_starts``), so the free slots come out as a
    few ranges rather than by testing every candidate.
    """
    working, off = working_intervals(
        zone=zone, first=first, last=last, weekly=weekly, overrides=overrides
    )
    duration = int(rules.duration.total_seconds())
    step = int(rules.interval.total_seconds())
    blocked = _blocked_starts(
        off,
        busy_seconds,
        duration=duration,
        before=int(rules.buffer_before.total_seconds()),
        after=int(rules.buffer_after.total_seconds()),
    )
    earliest = int((now + rules.notice).timestamp())
    latest = int((now + rules.window).timestamp())
    found: list[tuple[int, int]] = []
    p = 0  # first ruled-out interval that may still matter (they are disjoint and sorted)
    for work_start, work_end in working:
        base, stop = int(work_start.timestamp()), int(work_end.timestamp())
        highest = min(stop - duration, latest)
        if highest < base:
            continue
        k_low = max(0, -((base - earliest) // step))  # ceil((earliest - base) / step)
        k_high = (highest - base) // step
        if k_low > k_high:
            continue
        low_start = base + k_low * step
        while p < len(blocked) and blocked[p][1] <= low_start:
            p += 1
        k = k_low
        q = p
        while k <= k_high:
            if q < len(blocked) and blocked[q][0] < base + k_high * step:
                a, b = blocked[q]
                first_out = max(k, (a - base) // step + 1)  # smallest k with start > a
                last_out = -((base - b) // step) - 1  # largest k with start < b
                stop_free = min(k_high + 1, first_out)
            else:
                first_out = last_out = None
                stop_free = k_high + 1
            found.extend(
                (start, start + duration)
                for start in range(base + k * step, base + stop_free * step, step)
            )
            if first_out is None:
                break
            k = max(k, last_out + 1)
            q += 1
    return found


def free_slots(
    *,
    zone: ZoneInfo,
    first: date,
    last: date,
    weekly: Sequence[WeeklyHours],
    rules: SlotRules,
    now: datetime,
    overrides: Sequence[DateOverride] = (),
    busy: Iterable[Interval] = (),
) -> list[Interval]:
    """Bookable ``(start, end)`` UTC pairs of one provider over local dates ``first``..``last``.

    A slot lies wholly inside working time, overlaps no time off, and its range widened by the
    type's buffers overlaps no ``busy`` interval (other appointments, already widened by their
    own buffers). It starts no sooner than ``now + notice`` and no later than ``now + window``.

    Candidates only move forward in time, so one sweep over the sorted, merged time off and busy
    intervals decides each in constant time.
    """
    seconds = free_slot_seconds(
        zone=zone,
        first=first,
        last=last,
        weekly=weekly,
        rules=rules,
        now=now,
        overrides=overrides,
        busy_seconds=[(int(a.timestamp()), int(b.timestamp())) for a, b in busy],
    )
    return [(datetime.fromtimestamp(a, UTC), datetime.fromtimestamp(b, UTC)) for a, b in seconds]
