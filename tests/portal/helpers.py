"""Helpers of the public API tests, on the world of ``clinic_world`` (tests/portal/conftest.py)."""

from datetime import date, time

from scheduling.models import Appointment
from tests.factories import PatientFactory
from tests.scheduling.helpers import book


def book_first_lawrenceville_time(world) -> Appointment:
    """A patient books Lawrenceville's first free time of the day: Dr. Marsh at 11:00 on
    Monday 5 October 2026."""
    return book(
        patient=PatientFactory(),
        provider=world.marsh,
        location=world.lawrenceville,
        kind=world.consultation,
        day=date(2026, 10, 5),
        clock=time(11),
    )
