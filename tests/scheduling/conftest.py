from datetime import UTC, datetime

import pytest
import time_machine

from tests.factories import LocationFactory
from tests.scheduling.factories import demo_type, working_physician

# Well before both DST changes the matrix covers (2026-11-01, 2027-03-14), inside the window.
NOW = datetime(2026, 10, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def consultation(db):
    return demo_type("new-consultation")


@pytest.fixture
def follow_up(db):
    return demo_type("follow-up")


@pytest.fixture
def discseel(db):
    return demo_type("discseel-candidacy")


@pytest.fixture
def kinds(consultation, follow_up, discseel):
    return [consultation, follow_up, discseel]


@pytest.fixture
def houston(db):
    return LocationFactory(
        slug="houston-tx",
        timezone="America/Chicago",
        name="Houston, TX",
        city="Houston",
        region="TX",
    )


@pytest.fixture
def lawrenceville(db):
    return LocationFactory(
        slug="lawrenceville-nj", timezone="America/New_York", name="Lawrenceville, NJ"
    )


@pytest.fixture
def physician(houston, kinds):
    return working_physician(location=houston, kinds=kinds, slug="mateo-alvarado")


@pytest.fixture
def web(client, patient):
    """The patient's browser, logged in (the booking pages' tests)."""
    client.force_login(patient)
    return client
