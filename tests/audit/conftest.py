"""Fixtures of the audit tests: two patients with records of every kind, and row look-ups."""

from dataclasses import dataclass
from datetime import date, time

import pytest

from audit.models import PhiAccess
from clinic.models import User
from scheduling.models import Appointment, WaitlistEntry
from scheduling.waitlist.services import waitlist_join
from tests.factories import PatientFactory
from tests.scheduling.conftest import (  # noqa: F401 - fixtures shared with the booking tests
    consultation,
    discseel,
    follow_up,
    frozen,
    houston,
    kinds,
    physician,
)
from tests.scheduling.helpers import book
from tests.triage.alerting import EMERGENCY, submit
from tests.triage.conftest import published  # noqa: F401 - the published questionnaire
from triage.models import Assessment, StaffAlert

# Well inside the booking window of the frozen clock (tests/scheduling/conftest.py NOW).
BOOKED_DAY = date(2026, 10, 6)
# A free time on another day (Houston, with its offset), for bookings made over HTTP.
FREE_START = "2026-10-07T09:00:00-05:00"
BROWSER_IP = "203.0.113.7"


@dataclass
class PatientRecords:
    patient: User
    assessment: Assessment
    alert: StaffAlert
    appointment: Appointment
    waitlist_entry: WaitlistEntry


@pytest.fixture
def records_of(frozen, published, physician, houston, consultation):  # noqa: F811
    """``records_of(patient)``: an emergency symptom check (with its staff alert), a
    confirmed appointment and a waitlist entry for that patient, made through the services
    (nothing recorded)."""

    def make(patient: User, clock: time = time(10)) -> PatientRecords:
        assessment = submit(patient, EMERGENCY)
        appointment = book(
            patient=patient,
            provider=physician,
            location=houston,
            kind=consultation,
            day=BOOKED_DAY,
            clock=clock,
        )
        entry = waitlist_join(
            patient=patient,
            location=houston,
            kind=consultation,
            first=BOOKED_DAY,
            last=BOOKED_DAY,
        )
        return PatientRecords(patient, assessment, assessment.staff_alert, appointment, entry)

    return make


@pytest.fixture
def bob(records_of) -> PatientRecords:
    """The other patient, whose records Alice must never see."""
    return records_of(PatientFactory(), time(11))


def rows(**filters) -> list[PhiAccess]:
    return list(PhiAccess.objects.filter(**filters).order_by("id"))


def book_over_api(client, provider, **extra):
    """POST /api/v1/appointments/ for the free time with ``provider``, plus ``extra`` fields."""
    return client.post(
        "/api/v1/appointments/",
        {
            "location": "houston-tx",
            "type": "new-consultation",
            "provider": provider.slug,
            "start": FREE_START,
            **extra,
        },
        content_type="application/json",
    )
