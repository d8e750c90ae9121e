"""``next_available_by_location``: the next free slot at many locations in a fixed number of
queries, always the slot ``next_available_slot`` finds location by location."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
import time_machine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scheduling.availability import next_available_by_location, next_available_slot
from scheduling.models import Appointment, ScheduleOverride, WorkingHours
from tests.factories import LocationFactory, PatientFactory
from tests.scheduling.factories import working_physician
from tests.scheduling.helpers import at, book


def _expected(locations, kind):
    found = {}
    for location in locations:
        slot = next_available_slot(location=location, kind=kind)
        if slot is not None:
            found[location.pk] = slot
    return found


def _taken(*, patient, provider, location, kind, start):
    """A confirmed appointment written straight to the table (no booking rules in the way)."""
    end = start + timedelta(minutes=30)
    Appointment.objects.create(
        patient=patient,
        provider=provider,
        location=location,
        appointment_type=kind,
        start=start,
        end=end,
        blocked_start=start,
        blocked_end=end,
        status=Appointment.Status.CONFIRMED,
    )


def _starts(found):
    return {pk: (slot.start, slot.provider.slug) for pk, slot in found.items()}


@pytest.fixture
def both(houston, lawrenceville, consultation):
    """Dr. Brennan works Mon/Wed/Fri in Lawrenceville and Tue/Thu in Houston, as in the demo."""
    brennan = _split_week(houston, lawrenceville, consultation)
    return houston, lawrenceville, brennan


def _split_week(houston, lawrenceville, kind):
    brennan = working_physician(
        location=lawrenceville, kinds=[kind], weekdays=(0, 2, 4), slug="nadia-brennan"
    )
    brennan.locations.add(houston)
    for weekday in (1, 3):
        for start, end in ((time(9), time(12)), (time(13), time(17))):
            WorkingHours.objects.create(
                provider=brennan, location=houston, weekday=weekday, start=start, end=end
            )
    return brennan


def test_each_location_gets_its_own_next_slot_in_local_time(frozen, both, consultation):
    houston, lawrenceville, _brennan = both

    found = next_available_by_location(
        locations=[houston, lawrenceville], kind_slug="new-consultation"
    )

    # Thursday 1 October 2026, 12:00 UTC: 07:00 in Houston, 08:00 in New Jersey; 2 h notice.
    assert found[houston.pk].start == at(houston, date(2026, 10, 1), time(9))
    assert found[lawrenceville.pk].start == at(lawrenceville, date(2026, 10, 2), time(9))
    assert _starts(found) == _starts(_expected([houston, lawrenceville], consultation))


def test_a_physician_busy_at_one_location_is_busy_at_the_other(frozen, both, consultation):
    houston, lawrenceville, brennan = both
    # Extra hours in Lawrenceville on a Houston day, 10:00-11:00 EDT (09:00-10:00 CDT)...
    ScheduleOverride.objects.create(
        provider=brennan,
        location=lawrenceville,
        date=date(2026, 10, 1),
        kind=ScheduleOverride.Kind.EXTRA_HOURS,
        start=time(10),
        end=time(11),
    )
    # ...and a Houston booking at 09:00 CDT, the same instant as 10:00 EDT.
    book(
        patient=PatientFactory(),
        provider=brennan,
        location=houston,
        kind=consultation,
        day=date(2026, 10, 1),
        clock=time(9),
    )

    found = next_available_by_location(
        locations=[houston, lawrenceville], kind_slug="new-consultation"
    )

    assert found[lawrenceville.pk].start == at(lawrenceville, date(2026, 10, 1), time(10, 30))
    assert found[houston.pk].start == at(houston, date(2026, 10, 1), time(9, 30))
    assert _starts(found) == _starts(_expected([houston, lawrenceville], consultation))


def test_extra_hours_count_where_a_physician_has_no_weekly_hours(frozen, both, consultation):
    _houston, _lawrenceville, brennan = both
    princeton = LocationFactory(slug="princeton-nj")
    brennan.locations.add(princeton)
    assert next_available_by_location(locations=[princeton], kind_slug="new-consultation") == {}

    ScheduleOverride.objects.create(
        provider=brennan,
        location=princeton,
        date=date(2026, 10, 3),
        kind=ScheduleOverride.Kind.EXTRA_HOURS,
        start=time(10),
        end=time(12),
    )
    found = next_available_by_location(locations=[princeton], kind_slug="new-consultation")

    assert found[princeton.pk].start == at(princeton, date(2026, 10, 3), time(10))


def test_time_off_everywhere_moves_every_location(frozen, both, consultation):
    houston, lawrenceville, brennan = both
    for day in (date(2026, 10, 1), date(2026, 10, 2)):
        ScheduleOverride.objects.create(
            provider=brennan, date=day, kind=ScheduleOverride.Kind.TIME_OFF
        )

    found = next_available_by_location(
        locations=[houston, lawrenceville], kind_slug="new-consultation"
    )

    assert found[lawrenceville.pk].start == at(lawrenceville, date(2026, 10, 5), time(9))
    assert found[houston.pk].start == at(houston, date(2026, 10, 6), time(9))


def test_the_first_free_time_after_the_clocks_go_back(consultation, houston, physician):
    """Friday before the fall-back weekend, fully booked: the next slot is Monday 09:00 CST."""
    patient = PatientFactory()
    friday = date(2026, 10, 30)
    with time_machine.travel(datetime(2026, 10, 30, 12, 0, tzinfo=UTC), tick=False):
        for clock in [time(h, m) for h in (9, 10, 11, 13, 14, 15, 16) for m in (0, 30)]:
            _taken(
                patient=patient,
                provider=physician,
                location=houston,
                kind=consultation,
                start=at(houston, friday, clock),
            )
        found = next_available_by_location(locations=[houston], kind_slug="new-consultation")

    assert found[houston.pk].start == datetime(2026, 11, 2, 15, 0, tzinfo=UTC)  # 09:00 CST
    assert found[houston.pk].start.astimezone(houston.zone).isoformat() == (
        "2026-11-02T09:00:00-06:00"
    )


def test_no_slot_no_type_or_no_locations_give_nothing(frozen, houston, consultation):
    LocationFactory(slug="empty-office")

    assert next_available_by_location(locations=[houston], kind_slug="new-consultation") == {}
    assert next_available_by_location(locations=[houston], kind_slug="no-such-type") == {}
    assert next_available_by_location(locations=[], kind_slug="new-consultation") == {}


def test_queries_stay_fixed_even_when_nothing_is_free(
    frozen, both, consultation, django_assert_num_queries
):
    houston, lawrenceville, brennan = both
    locations = [houston, lawrenceville]

    with django_assert_num_queries(5):
        assert len(next_available_by_location(locations=locations, kind_slug=consultation.slug))

    ScheduleOverride.objects.bulk_create(
        ScheduleOverride(
            provider=brennan,
            date=date(2026, 10, 1) + timedelta(days=n),
            kind=ScheduleOverride.Kind.TIME_OFF,
        )
        for n in range(200)
    )
    # The schedules of the whole window are loaded once; only the busy time is read again.
    with django_assert_num_queries(6):
        assert next_available_by_location(locations=locations, kind_slug=consultation.slug) == {}


@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    taken=st.lists(
        st.tuples(st.integers(0, 20), st.integers(0, 13), st.booleans()),
        max_size=25,
        unique_by=lambda t: (t[0], t[1], t[2]),
    ),
    days_off=st.lists(st.integers(0, 20), max_size=6, unique=True),
)
def test_it_always_agrees_with_the_one_location_search(frozen, both, consultation, taken, days_off):
    houston, lawrenceville, brennan = both
    Appointment.objects.all().delete()
    ScheduleOverride.objects.all().delete()
    patient = PatientFactory()
    first = date(2026, 10, 1)
    for day_offset, half_hour, in_houston in taken:
        location = houston if in_houston else lawrenceville
        start = at(location, first + timedelta(days=day_offset), time(9)) + timedelta(
            minutes=30 * half_hour
        )
        _taken(patient=patient, provider=brennan, location=location, kind=consultation, start=start)
    for day_offset in days_off:
        ScheduleOverride.objects.create(
            provider=brennan,
            date=first + timedelta(days=day_offset),
            kind=ScheduleOverride.Kind.TIME_OFF,
        )

    found = next_available_by_location(
        locations=[houston, lawrenceville], kind_slug="new-consultation"
    )

    assert _starts(found) == _starts(_expected([houston, lawrenceville], consultation))
