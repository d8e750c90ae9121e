"""A small clinic with something in every table the patient-facing pages and the API show: two
locations, a physician with a schedule, a published article, the published questionnaire, a
patient with an emergency check (so a staff alert) and an appointment, and a staff member."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time

import pytest
import time_machine
from rest_framework.throttling import SimpleRateThrottle

from clinic.models import Location, Provider, User
from clinic.services import api_token_issue
from education.models import Article
from scheduling.models import Appointment, AppointmentType, WaitlistEntry, WaitlistOffer
from scheduling.waitlist.services import waitlist_join, waitlist_offer_next
from tests.education.factories import ArticleFactory
from tests.factories import LocationFactory, PatientFactory, ServiceFactory, StaffFactory
from tests.scheduling.factories import demo_type, working_physician
from tests.scheduling.helpers import at, book
from tests.triage.alerting import EMERGENCY, submit
from triage.loading import publish_files
from triage.models import Assessment, Questionnaire, Ruleset, StaffAlert

# Monday 5 October 2026, 09:00 in New Jersey: the week ahead has free times.
NOW = datetime(2026, 10, 5, 13, 0, tzinfo=UTC)
APPOINTMENT_DAY = date(2026, 10, 7)
THROTTLE_SCOPES = ("anon", "user", "auth", "triage", "booking")


@dataclass
class World:
    lawrenceville: Location
    houston: Location
    consultation: AppointmentType
    physician: Provider
    article: Article
    patient: User
    staff: User
    assessment: Assessment
    alert: StaffAlert
    appointment: Appointment
    waitlist_entry: WaitlistEntry
    waitlist_offer: WaitlistOffer

    def token(self) -> str:
        """A new API token of the patient."""
        return api_token_issue(user=self.patient)[0]


@pytest.fixture
def frozen_now():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def no_throttling(monkeypatch):
    """Throttling has its own tests; here it would only turn later requests into 429s."""
    monkeypatch.setattr(
        SimpleRateThrottle, "THROTTLE_RATES", dict.fromkeys(THROTTLE_SCOPES, "100000/min")
    )


@pytest.fixture
def world(db, frozen_now, no_throttling) -> World:
    publish_files(Questionnaire, Ruleset)
    consultation = demo_type("new-consultation")
    lawrenceville = LocationFactory(slug="lawrenceville-nj", name="Lawrenceville, NJ", sort_order=1)
    houston = LocationFactory(
        slug="houston-tx", name="Houston, TX", timezone="America/Chicago", sort_order=2
    )
    lawrenceville.services.set([ServiceFactory(slug="physical-therapy", name="Physical therapy")])
    physician = working_physician(
        location=houston, kinds=[consultation], slug="mateo-alvarado", name="Dr. Mateo Alvarado"
    )
    patient = PatientFactory()
    assessment = submit(patient, EMERGENCY)
    appointment = book(
        patient=patient,
        provider=physician,
        location=houston,
        kind=consultation,
        day=APPOINTMENT_DAY,
        clock=time(9),
    )
    entry = waitlist_join(
        patient=patient,
        location=houston,
        kind=consultation,
        first=APPOINTMENT_DAY,
        last=APPOINTMENT_DAY,
    )
    offer = waitlist_offer_next(
        provider_id=physician.pk,
        location_id=houston.pk,
        start=at(houston, APPOINTMENT_DAY, time(11)),
    )
    return World(
        lawrenceville=lawrenceville,
        houston=houston,
        consultation=consultation,
        physician=physician,
        article=ArticleFactory(slug="sciatica-basics", title="Sciatica basics"),
        patient=patient,
        staff=StaffFactory(is_superuser=True),
        assessment=assessment,
        alert=assessment.staff_alert,
        appointment=appointment,
        waitlist_entry=entry,
        waitlist_offer=offer,
    )
