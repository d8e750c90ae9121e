"""Fixtures of the public location API and pages: two locations in two time zones, their
physicians, services, schedules and an article, at a fixed moment."""

from datetime import UTC, datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
import time_machine

from clinic.models import Service
from tests.factories import LocationFactory, ServiceFactory
from tests.scheduling.factories import demo_type, working_physician

# Monday 5 October 2026, 09:00 in New Jersey (EDT) and 08:00 in Houston (CDT).
PUBLIC_NOW = datetime(2026, 10, 5, 13, 0, tzinfo=UTC)


@pytest.fixture
def public_now():
    with time_machine.travel(PUBLIC_NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def clinic_world(db, public_now):
    """Lawrenceville (with coordinates) and Houston (without); Dr. Marsh works in Lawrenceville,
    Dr. Brennan practises at both but works in Houston only; both offer new consultations."""
    consultation = demo_type("new-consultation")
    lawrenceville = LocationFactory(
        slug="lawrenceville-nj",
        name="Lawrenceville, NJ",
        street="2150 Larkspur Commons Drive, Suite 210",
        phone="(609) 555-0142",
        timezone="America/New_York",
        latitude=Decimal("40.297000"),
        longitude=Decimal("-74.729000"),
        sort_order=1,
    )
    houston = LocationFactory(
        slug="houston-tx",
        name="Houston, TX",
        street="7400 Larkspur Medical Parkway, Suite 400",
        city="Houston",
        region="TX",
        postal_code="77030",
        phone="(713) 555-0187",
        timezone="America/Chicago",
        sort_order=2,
    )
    therapy = ServiceFactory(
        slug="physical-therapy",
        name="Physical therapy",
        category=Service.Category.CONSERVATIVE,
        sort_order=1,
    )
    discseel = ServiceFactory(
        slug="discseel",
        name="Discseel procedure",
        category=Service.Category.MINIMALLY_INVASIVE,
        sort_order=2,
    )
    lawrenceville.services.set([therapy, discseel])
    houston.services.set([discseel])
    marsh = working_physician(
        location=lawrenceville,
        kinds=[consultation],
        slug="elena-marsh",
        name="Dr. Elena Marsh",
        credentials="MD",
        specialty="Physical medicine and rehabilitation",
        bio="Treats sciatica with exercise first.",
        sort_order=1,
    )
    brennan = working_physician(
        location=houston,
        kinds=[consultation],
        slug="nadia-brennan",
        name="Dr. Nadia Brennan",
        credentials="MD, FIPP",
        specialty="Interventional pain medicine",
        bio="Performs image-guided spine procedures.",
        sort_order=2,
    )
    brennan.locations.add(lawrenceville)
    return SimpleNamespace(
        consultation=consultation,
        lawrenceville=lawrenceville,
        houston=houston,
        therapy=therapy,
        discseel=discseel,
        marsh=marsh,
        brennan=brennan,
    )
