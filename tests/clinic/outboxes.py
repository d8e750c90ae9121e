"""Rows in both of the portal's outboxes (a staff alert's delivery and an appointment e-mail),
left pending as a dead broker leaves them: the fixtures of the kernel outbox's tests."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from unittest import mock

import pytest

from scheduling.models import Notification
from tests.scheduling.factories import demo_type, working_physician
from tests.scheduling.helpers import book
from tests.triage.alerting import AlertSetup, submit
from triage.loading import publish_files
from triage.models import AlertDelivery, Questionnaire, Ruleset

NOW = datetime(2026, 10, 1, 12, 0, tzinfo=UTC)
DAY = date(2026, 10, 6)


@dataclass
class Pending:
    delivery: AlertDelivery
    booked: Notification
    reminder: Notification
    responder_email: str
    patient_email: str


def make_pending(patient) -> Pending:
    """One alert delivery and one booking e-mail, pending and due, and a reminder not due yet."""
    places = AlertSetup.make()
    responder = places.responder(places.north)
    physician = working_physician(
        location=places.south, kinds=[demo_type("new-consultation")], slug="mateo-alvarado"
    )
    with mock.patch("clinic.outbox.task_enqueue", side_effect=ConnectionError("broker down")):
        submit()
        book(
            patient=patient,
            provider=physician,
            location=places.south,
            kind=demo_type("new-consultation"),
            day=DAY,
            clock=time(9),
        )
    return Pending(
        delivery=AlertDelivery.objects.get(),
        booked=Notification.objects.get(kind="booked"),
        reminder=Notification.objects.get(kind="reminder"),
        responder_email=responder.email,
        patient_email=patient.email,
    )


@pytest.fixture
def pending(db, settings, patient):
    publish_files(Questionnaire, Ruleset)
    settings.ALERT_FALLBACK_EMAIL = ""
    settings.ALERT_ESCALATION_EMAILS = []
    settings.ALERT_CHANNELS = ["email"]
    return make_pending(patient)
