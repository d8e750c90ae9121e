"""The alert configuration is checked at start-up, and two senders never send one row twice."""

import threading
from unittest import mock

import pytest
from django.core import mail
from django.core.checks import run_checks
from django.db import connection, transaction

from tests.triage.alerting import EMERGENCY, submit
from triage import tasks
from triage.alerts import alert_delivery_send
from triage.models import AlertDelivery


def check_ids(**kwargs) -> list[str]:
    return [message.id for message in run_checks(**kwargs) if message.id.startswith("triage.")]


def test_an_unknown_or_empty_channel_list_is_an_error(settings):
    settings.ALERT_FALLBACK_EMAIL = "alerts@clinic.example"
    assert check_ids() == []
    settings.ALERT_CHANNELS = ["email", "fax"]
    assert check_ids() == ["triage.E002"]
    settings.ALERT_CHANNELS = []
    assert check_ids() == ["triage.E001"]


def test_a_deployment_without_a_fallback_address_is_warned(settings):
    settings.ALERT_FALLBACK_EMAIL = ""
    assert check_ids(include_deployment_checks=True) == ["triage.W001"]
    settings.ALERT_FALLBACK_EMAIL = "alerts@clinic.example"
    assert check_ids(include_deployment_checks=True) == []


@pytest.mark.requires_postgres
@pytest.mark.django_db(transaction=True)
def test_a_row_being_sent_elsewhere_is_skipped_not_sent_again(alert_setup):
    alert_setup.responder(alert_setup.north)
    with mock.patch.object(tasks.deliver_alert, "delay"):  # left pending for this test
        submit(None, EMERGENCY)
    delivery = AlertDelivery.objects.get()
    results = []

    def second_sender():
        try:
            results.append(alert_delivery_send(delivery_id=delivery.pk).outcome)
        finally:
            connection.close()

    with transaction.atomic():
        AlertDelivery.objects.select_for_update().get(pk=delivery.pk)  # the first sender's lock
        thread = threading.Thread(target=second_sender)
        thread.start()
        thread.join(10)
    assert results == ["skipped"]
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("pending", 0)
    assert alert_delivery_send(delivery_id=delivery.pk).outcome == "sent"
    assert alert_delivery_send(delivery_id=delivery.pk).outcome == "skipped"
    assert len(mail.outbox) == 1
