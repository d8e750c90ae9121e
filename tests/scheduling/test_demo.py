"""The demo schedule is a contract: types, hours, the physician at both locations."""

import io
from datetime import UTC, datetime, time, timedelta

import pytest
import time_machine
from django.core.management import call_command

from clinic.models import Location
from scheduling.models import Appointment, AppointmentType, ProviderAppointmentType, WorkingHours


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


def _board_rows():
    return sorted(
        Appointment.objects.values_list(
            "patient__email", "provider__slug", "location__slug", "start", "status",
            "triage_attention",
        )
    )  # fmt: skip


@pytest.mark.parametrize(
    "now",
    [
        datetime(2026, 12, 2, 17, 30, tzinfo=UTC),  # Wednesday: midday in both zones
        datetime(2026, 12, 5, 17, 30, tzinfo=UTC),  # Saturday: a demo weekend morning
    ],
)
def test_the_demo_board_has_a_believable_today_and_tomorrow_at_both_locations(db, settings, now):
    settings.DEBUG = True
    with time_machine.travel(now, tick=False):
        call_command("seed_demo", stdout=io.StringIO())
        first = _board_rows()
        call_command("seed_demo", stdout=io.StringIO())
        assert _board_rows() == first  # idempotent: the same rows
    for slug in ("houston-tx", "lawrenceville-nj"):
        location = Location.objects.get(slug=slug)
        today = now.astimezone(location.zone).date()
        here = Appointment.objects.filter(location=location)
        days = {a.start.astimezone(location.zone).date() for a in here}
        assert days == {today, today + timedelta(days=1)}
        todays = [a for a in here if a.start.astimezone(location.zone).date() == today]
        assert len({a.provider_id for a in todays}) >= 2  # several physicians side by side
        statuses = {a.status for a in todays}
        assert {"completed", "no_show"} <= statuses
        if now.weekday() < 5:  # a working afternoon still to come
            assert "confirmed" in statuses
        assert any(a.triage_attention for a in here)
        assert all(a.patient.get_full_name() and a.patient.patient_profile.phone for a in here)
        for appointment in here:
            if appointment.start > now:
                assert appointment.status in ("confirmed", "arrived")
            elif appointment.start + timedelta(hours=1) <= now:
                assert appointment.status in ("completed", "no_show")
