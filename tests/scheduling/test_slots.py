"""Slot arithmetic (pure): DST on both sides, overrides, buffers, notice, window."""

import itertools
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scheduling.slots import (
    DateOverride,
    SlotRules,
    WeeklyHours,
    free_slots,
    local_instant,
    wall_time_exists,
)

DEMO_WEEK = [WeeklyHours(d, time(9), time(12)) for d in range(7)] + [
    WeeklyHours(d, time(13), time(17)) for d in range(7)
]
HALF_HOUR = SlotRules(duration=timedelta(minutes=30), interval=timedelta(minutes=30))
NOW = datetime(2026, 10, 1, tzinfo=UTC)


def _wall(moment, zone):
    return moment.astimezone(zone).replace(tzinfo=None)


def _local(slots, zone):
    return [
        (s.astimezone(zone).strftime("%H:%M"), s.astimezone(zone).utcoffset()) for s, _ in slots
    ]


def test_local_instant_reads_a_skipped_time_with_the_offset_before_the_gap():
    zone = ZoneInfo("America/New_York")
    moment = local_instant(date(2027, 3, 14), time(2, 30), zone)
    assert moment == datetime(2027, 3, 14, 7, 30, tzinfo=UTC)  # 03:30 EDT
    assert not wall_time_exists(datetime(2027, 3, 14, 2, 30), zone)
    assert wall_time_exists(datetime(2027, 3, 14, 3, 30), zone)


def test_local_instant_reads_a_repeated_time_as_its_first_occurrence():
    zone = ZoneInfo("America/Chicago")
    assert local_instant(date(2026, 11, 1), time(1, 30), zone) == datetime(
        2026, 11, 1, 6, 30, tzinfo=UTC
    )


def test_slots_fill_working_hours_on_the_interval_grid():
    zone = ZoneInfo("America/Chicago")
    day = date(2026, 12, 1)
    found = free_slots(zone=zone, first=day, last=day, weekly=DEMO_WEEK, rules=HALF_HOUR, now=NOW)
    labels = [label for label, _ in _local(found, zone)]
    assert labels[:7] == ["09:00", "09:30", "10:00", "10:30", "11:00", "11:30", "13:00"]
    assert len(found) == 14


def test_a_long_type_only_starts_where_it_still_fits():
    zone = ZoneInfo("America/Chicago")
    day = date(2026, 12, 1)
    rules = SlotRules(duration=timedelta(minutes=60), interval=timedelta(minutes=30))
    found = free_slots(zone=zone, first=day, last=day, weekly=DEMO_WEEK, rules=rules, now=NOW)
    labels = [label for label, _ in _local(found, zone)]
    assert "11:00" in labels
    assert "11:30" not in labels
    assert "16:00" in labels
    assert "16:30" not in labels


def test_busy_time_and_both_buffers_block_overlapping_slots():
    zone = ZoneInfo("America/New_York")
    day = date(2026, 12, 1)
    busy_start = local_instant(day, time(10), zone)
    busy = [(busy_start, busy_start + timedelta(minutes=60))]
    rules = SlotRules(
        duration=timedelta(minutes=30),
        interval=timedelta(minutes=30),
        buffer_after=timedelta(minutes=15),
        buffer_before=timedelta(minutes=15),
    )
    found = free_slots(
        zone=zone, first=day, last=day, weekly=DEMO_WEEK, rules=rules, now=NOW, busy=busy
    )
    labels = [label for label, _ in _local(found, zone)]
    # 09:30-10:00 + 15 min after overlaps 10:00; 11:00 - 15 min before overlaps until 11:00.
    assert labels[:3] == ["09:00", "11:30", "13:00"]


def test_notice_and_window_bound_the_offered_starts():
    zone = ZoneInfo("America/New_York")
    now = local_instant(date(2026, 12, 1), time(9, 10), zone)
    rules = SlotRules(
        duration=timedelta(minutes=30),
        interval=timedelta(minutes=30),
        notice=timedelta(hours=2),
        window=timedelta(days=1),
    )
    found = free_slots(
        zone=zone,
        first=date(2026, 12, 1),
        last=date(2026, 12, 3),
        weekly=DEMO_WEEK,
        rules=rules,
        now=now,
    )
    assert found[0][0] == local_instant(date(2026, 12, 1), time(11, 30), zone)
    assert found[-1][0] == local_instant(date(2026, 12, 2), time(9), zone)


def test_all_day_time_off_removes_the_day_and_partial_time_off_only_its_part():
    zone = ZoneInfo("America/Chicago")
    overrides = [
        DateOverride(date(2026, 12, 1), available=False),
        DateOverride(date(2026, 12, 2), available=False, start=time(9), end=time(10, 15)),
    ]
    found = free_slots(
        zone=zone,
        first=date(2026, 12, 1),
        last=date(2026, 12, 2),
        weekly=DEMO_WEEK,
        rules=HALF_HOUR,
        now=NOW,
        overrides=overrides,
    )
    labels = [s.astimezone(zone).strftime("%d %H:%M") for s, _ in found]
    assert not any(label.startswith("01") for label in labels)
    assert labels[0] == "02 10:30"


# --- the DST matrix: America/New_York and America/Chicago, 2026-11-01 and 2027-03-14 ----------

ZONES = {"America/New_York": (-4, -5), "America/Chicago": (-5, -6)}  # (daylight, standard)


@pytest.mark.parametrize("zone_name", ZONES)
@pytest.mark.parametrize(
    ("day", "daylight"),
    [
        (date(2026, 10, 30), True),  # Friday before fall-back
        (date(2026, 11, 2), False),  # Monday after
        (date(2027, 3, 12), False),  # Friday before spring-forward
        (date(2027, 3, 15), True),  # Monday after
    ],
)
def test_a_nine_oclock_schedule_starts_at_local_nine_on_both_sides(zone_name, day, daylight):
    zone = ZoneInfo(zone_name)
    found = free_slots(zone=zone, first=day, last=day, weekly=DEMO_WEEK, rules=HALF_HOUR, now=NOW)
    offset = ZONES[zone_name][0 if daylight else 1]
    assert next(label for label, _ in _local(found, zone)) == "09:00"
    assert found[0][0].astimezone(zone).utcoffset() == timedelta(hours=offset)
    assert found[0][0].hour == 9 - offset
    assert len(found) == 14


@pytest.mark.parametrize("zone_name", ZONES)
def test_fall_back_override_gives_every_real_half_hour_once(zone_name):
    zone = ZoneInfo(zone_name)
    day = date(2026, 11, 1)
    extra = [DateOverride(day, available=True, start=time(1), end=time(4))]
    found = free_slots(
        zone=zone, first=day, last=day, weekly=[], overrides=extra, rules=HALF_HOUR, now=NOW
    )
    daylight, standard = (timedelta(hours=h) for h in ZONES[zone_name])
    assert _local(found, zone) == [
        ("01:00", daylight),
        ("01:30", daylight),
        ("01:00", standard),
        ("01:30", standard),
        ("02:00", standard),
        ("02:30", standard),
        ("03:00", standard),
        ("03:30", standard),
    ]
    starts = [s for s, _ in found]
    assert len(set(starts)) == len(starts) == 8
    assert all(b - a == timedelta(minutes=30) for a, b in itertools.pairwise(starts))


@pytest.mark.parametrize("zone_name", ZONES)
def test_spring_forward_override_never_offers_the_skipped_hour(zone_name):
    zone = ZoneInfo(zone_name)
    day = date(2027, 3, 14)
    extra = [DateOverride(day, available=True, start=time(1), end=time(4))]
    found = free_slots(
        zone=zone, first=day, last=day, weekly=[], overrides=extra, rules=HALF_HOUR, now=NOW
    )
    daylight, standard = (timedelta(hours=h) for h in ZONES[zone_name])
    assert _local(found, zone) == [
        ("01:00", standard),
        ("01:30", standard),
        ("03:00", daylight),
        ("03:30", daylight),
    ]
    assert all(wall_time_exists(_wall(s, zone), zone) for s, _ in found)


@pytest.mark.parametrize("zone_name", ZONES)
@pytest.mark.parametrize("day", [date(2026, 11, 1), date(2027, 3, 14)])
def test_time_off_over_the_transition_hours_blocks_exactly_them(zone_name, day):
    zone = ZoneInfo(zone_name)
    overrides = [
        DateOverride(day, available=True, start=time(0), end=time(6)),
        DateOverride(day, available=False, start=time(1), end=time(4)),
    ]
    found = free_slots(
        zone=zone, first=day, last=day, weekly=[], overrides=overrides, rules=HALF_HOUR, now=NOW
    )
    labels = [label for label, _ in _local(found, zone)]
    assert labels == ["00:00", "00:30", "04:00", "04:30", "05:00", "05:30"]


# --- properties --------------------------------------------------------------------------------

clock = st.builds(time, st.integers(0, 23), st.sampled_from([0, 15, 30, 45]))


@st.composite
def weekly_hours(draw):
    hours = []
    for weekday in draw(st.sets(st.integers(0, 6), min_size=1)):
        start, end = sorted(draw(st.lists(clock, min_size=2, max_size=2, unique=True)))
        hours.append(WeeklyHours(weekday, start, end))
    return hours


@settings(max_examples=150, deadline=None)
@given(
    zone_name=st.sampled_from(["America/New_York", "America/Chicago", "Europe/London"]),
    first=st.dates(date(2026, 10, 25), date(2027, 3, 20)),
    weekly=weekly_hours(),
    minutes=st.sampled_from([15, 30, 45, 60]),
    interval=st.sampled_from([15, 30]),
    buffer_after=st.sampled_from([0, 15]),
    busy_offsets=st.lists(st.integers(0, 7 * 24 * 4), max_size=12),
)
def test_offered_slots_are_real_unique_inside_hours_and_clear_of_busy_time(
    zone_name, first, weekly, minutes, interval, buffer_after, busy_offsets
):
    zone = ZoneInfo(zone_name)
    last = first + timedelta(days=6)
    rules = SlotRules(
        duration=timedelta(minutes=minutes),
        interval=timedelta(minutes=interval),
        buffer_after=timedelta(minutes=buffer_after),
    )
    origin = local_instant(first, time(0), zone)
    busy = [
        (origin + timedelta(minutes=15 * o), origin + timedelta(minutes=15 * o + 45))
        for o in busy_offsets
    ]
    found = free_slots(
        zone=zone, first=first, last=last, weekly=weekly, rules=rules, now=NOW, busy=busy
    )
    starts = [s for s, _ in found]
    assert starts == sorted(set(starts))
    for start, end in found:
        assert end - start == rules.duration
        local = start.astimezone(zone)
        assert wall_time_exists(_wall(start, zone), zone)
        # (compared in UTC: PEP 495 makes == across zones False for a repeated wall time)
        assert _wall(start, zone).replace(tzinfo=zone, fold=local.fold).astimezone(UTC) == start
        assert first <= local.date() <= last
        # Inside one of that day's weekly intervals, measured on real time.
        assert any(
            h.weekday == local.date().weekday()
            and local_instant(local.date(), h.start, zone) <= start
            and end <= local_instant(local.date(), h.end, zone)
            for h in weekly
        )
        assert not any(b0 < end + rules.buffer_after and start < b1 for b0, b1 in busy)


# --- the range arithmetic of free_slot_seconds against testing every candidate -----------------

CHICAGO = ZoneInfo("America/Chicago")
FIRST = date(2026, 10, 30)  # the week of the fall-back night


def _every_candidate(*, working, off, busy, duration, step, before, after, earliest, latest):
    """The slots by the definition, one candidate at a time."""
    found = []
    for work_start, work_end in working:
        start = work_start
        while start + duration <= work_end and start <= latest:
            end = start + duration
            if (
                start >= earliest
                and not any(a < end and start < b for a, b in off)
                and not any(a < end + after and start - before < b for a, b in busy)
            ):
                found.append((start, end))
            start += step
    return found


_minutes = st.integers(min_value=0, max_value=4 * 24 * 60)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(
    hours=st.lists(
        st.tuples(st.integers(0, 6), st.integers(0, 22), st.integers(1, 10)), max_size=6
    ),
    time_off=st.lists(st.tuples(_minutes, st.integers(1, 600)), max_size=4),
    busy=st.lists(st.tuples(_minutes, st.integers(1, 240)), max_size=12),
    duration=st.sampled_from([10, 15, 30, 45, 60, 90]),
    step=st.sampled_from([5, 10, 15, 20, 30, 60]),
    before=st.sampled_from([0, 5, 10, 15]),
    after=st.sampled_from([0, 5, 10, 30]),
    notice=st.integers(0, 3 * 24 * 60),
    window=st.integers(0, 5 * 24 * 60),
)
def test_free_slot_seconds_equals_testing_every_candidate(
    hours, time_off, busy, duration, step, before, after, notice, window
):
    from scheduling.slots import free_slot_seconds, local_day_bounds, working_intervals

    weekly = [
        WeeklyHours(weekday, time(start), time(min(start + length, 23), 59))
        for weekday, start, length in hours
    ]
    origin = int(local_day_bounds(FIRST, CHICAGO)[0].timestamp())
    busy_seconds = [(origin + a * 60, origin + (a + n) * 60) for a, n in busy]
    off_days = [
        DateOverride(FIRST + timedelta(days=a // (24 * 60)), False, time(0), time(1 + n // 60 % 22))
        for a, n in time_off
    ]
    rules = SlotRules(
        duration=timedelta(minutes=duration),
        interval=timedelta(minutes=step),
        buffer_before=timedelta(minutes=before),
        buffer_after=timedelta(minutes=after),
        notice=timedelta(minutes=notice),
        window=timedelta(minutes=window),
    )
    now = datetime.fromtimestamp(origin, UTC)
    last = FIRST + timedelta(days=4)
    working, off = working_intervals(
        zone=CHICAGO, first=FIRST, last=last, weekly=weekly, overrides=off_days
    )

    def secs(intervals):
        return [(int(a.timestamp()), int(b.timestamp())) for a, b in intervals]

    expected = _every_candidate(
        working=secs(working),
        off=secs(off),
        busy=busy_seconds,
        duration=duration * 60,
        step=step * 60,
        before=before * 60,
        after=after * 60,
        earliest=origin + notice * 60,
        latest=origin + window * 60,
    )
    assert (
        free_slot_seconds(
            zone=CHICAGO,
            first=FIRST,
            last=last,
            weekly=weekly,
            rules=rules,
            now=now,
            overrides=off_days,
            busy_seconds=busy_seconds,
        )
        == expected
    )
