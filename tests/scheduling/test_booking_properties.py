"""Property: for random schedules and existing bookings, every offered slot can be booked and
overlaps nothing (checked through the services, on whichever database the suite runs)."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
import time_machine
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scheduling.availability import availability_for
from scheduling.models import Appointment, ScheduleOverride, WorkingHours
from scheduling.services import appointment_book
from tests.factories import PatientFactory
from tests.scheduling.factories import AppointmentTypeFactory, working_physician

NOW = datetime(2026, 10, 28, 12, tzinfo=UTC)
FIRST = date(2026, 10, 30)  # Friday before fall-back, through Tuesday after
LAST = date(2026, 11, 3)


class _Rollback(Exception):
    pass


clock = st.builds(time, st.integers(0, 22), st.sampled_from([0, 30]))


@st.composite
def scenario(draw):
    hours = []
    for weekday in draw(st.sets(st.integers(0, 6), min_size=1, max_size=4)):
        start = draw(clock)
        end = draw(st.builds(time, st.integers(start.hour + 1, 23), st.sampled_from([0, 30])))
        hours.append((weekday, start, end))
    return {
        "zone": draw(st.sampled_from(["America/New_York", "America/Chicago"])),
        "hours": hours,
        "duration": draw(st.sampled_from([15, 30, 60])),
        "interval": draw(st.sampled_from([15, 30])),
        "buffer_after": draw(st.sampled_from([0, 15])),
        "time_off": draw(st.lists(st.tuples(st.integers(0, 4), clock), max_size=2)),
        "bookings": draw(st.lists(st.integers(0, 200), max_size=6)),
    }


@pytest.mark.django_db
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(case=scenario())
def test_every_offered_slot_is_bookable_and_overlaps_nothing(case):
    try:
        with time_machine.travel(NOW, tick=False), transaction.atomic():
            _check(case)
            raise _Rollback
    except _Rollback:
        pass


def _check(case):
    kind = AppointmentTypeFactory(
        duration_minutes=case["duration"],
        slot_interval_minutes=case["interval"],
        buffer_after_minutes=case["buffer_after"],
    )
    provider = working_physician(kinds=[kind], weekdays=[], intervals=[])
    location = provider.locations.get()
    location.timezone = case["zone"]
    location.save()
    for weekday, start, end in case["hours"]:
        WorkingHours.objects.create(
            provider=provider, location=location, weekday=weekday, start=start, end=end
        )
    for offset, start in case["time_off"]:
        ScheduleOverride.objects.create(
            provider=provider,
            date=FIRST + timedelta(days=offset),
            kind="time_off",
            start=start,
            end=time(min(start.hour + 2, 23), 59),
        )
    offered = availability_for(location=location, kind=kind, first=FIRST, last=LAST)
    # Book some of the offered slots (by index), then everything offered afterwards.
    for index in case["bookings"]:
        if offered:
            slot = offered[index % len(offered)]
            appointment_book(
                patient=PatientFactory(),
                provider=provider,
                location=location,
                kind=kind,
                start=slot.start,
            )
            offered = availability_for(location=location, kind=kind, first=FIRST, last=LAST)
    booked = list(Appointment.objects.filter(provider=provider))
    for slot in offered:
        widened = (slot.start - kind.buffer_before, slot.end + kind.buffer_after)
        assert not any(a.blocked_start < widened[1] and widened[0] < a.blocked_end for a in booked)
        with transaction.atomic():
            made = appointment_book(
                patient=PatientFactory(),
                provider=provider,
                location=location,
                kind=kind,
                start=slot.start,
            )
            assert made.start == slot.start
            transaction.set_rollback(True)
