"""The demo schedule is a contract: types, hours, the physician at both locations."""

import io
from datetime import time

import pytest
from django.core.management import call_command

from scheduling.models import AppointmentType, ProviderAppointmentType, WorkingHours


@pytest.fixture
def seeded(db, settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())  # idempotent


def test_demo_types(seeded):
    rows = {
        t.slug: (
            t.duration_minutes,
            t.slot_interval_minutes,
            t.buffer_before_minutes,
            t.buffer_after_minutes,
            t.minimum_notice_minutes,
            t.booking_window_days,
            t.cutoff_hours,
            t.is_active,
        )
        for t in AppointmentType.objects.all()
    }
    assert rows == {
        "new-consultation": (30, 30, 0, 0, 120, 180, 24, True),
        "follow-up": (15, 15, 0, 0, 120, 180, 24, True),
        "discseel-candidacy": (60, 30, 0, 15, 120, 180, 24, True),
    }


def _week(provider_slug, location_slug):
    return sorted(
        WorkingHours.objects.filter(
            provider__slug=provider_slug, location__slug=location_slug
        ).values_list("weekday", "start", "end")
    )


def test_every_physician_works_the_demo_week_and_offers_every_type(seeded):
    day = [(time(9), time(12)), (time(13), time(17))]
    for slug, location in [
        ("elena-marsh", "lawrenceville-nj"),
        ("mateo-alvarado", "houston-tx"),
        ("samuel-okafor", "houston-tx"),
    ]:
        assert _week(slug, location) == [(d, s, e) for d in range(5) for s, e in day]
    assert _week("nadia-brennan", "lawrenceville-nj") == [
        (d, s, e) for d in (0, 2, 4) for s, e in day
    ]
    assert _week("nadia-brennan", "houston-tx") == [(d, s, e) for d in (1, 3) for s, e in day]
    assert ProviderAppointmentType.objects.count() == 4 * 3
    assert WorkingHours.objects.count() == 4 * 10
