"""End to end with a real Celery worker on the Redis broker: the API's commit queues the task,
the worker sends the e-mail and marks the outbox row sent."""

import os
import threading
import time

import pytest
from celery import signals
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.db import connections

from config.celery import app as celery_app
from tests.conftest import redis_url
from tests.triage.alerting import EMERGENCY
from triage.models import AlertDelivery


def _close_worker_connections(**kwargs) -> None:
    """The worker thread's database connection must not outlive the test (the test database
    is flushed and dropped afterwards)."""
    if threading.current_thread() is not threading.main_thread():
        connections.close_all()


@pytest.fixture
def real_worker():
    conf = celery_app.conf
    saved = (conf.task_always_eager, conf.broker_url, conf.worker_hijack_root_logger)
    conf.task_always_eager = False
    conf.broker_url = os.environ.get("CELERY_BROKER_URL") or redis_url()
    conf.worker_hijack_root_logger = False
    signals.task_postrun.connect(_close_worker_connections, weak=False)
    try:
        celery_app.control.purge()
        with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
            yield
    finally:
        signals.task_postrun.disconnect(_close_worker_connections)
        conf.task_always_eager, conf.broker_url, conf.worker_hijack_root_logger = saved


def wait_for(condition, timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


@pytest.mark.requires_redis
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_delivers_the_alert_e_mail(alert_setup, api_client, real_worker):
    responder = alert_setup.responder(alert_setup.north)
    response = api_client.post(
        "/api/v1/triage/assessments/",
        {"questionnaire": "lumbar-radiculopathy", "answers": EMERGENCY},
        format="json",
    )
    assert response.status_code == 201
    assert wait_for(lambda: AlertDelivery.objects.filter(status="sent").exists())
    delivery = AlertDelivery.objects.get()
    assert (delivery.attempts, delivery.recipients) == (1, [responder.email])
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [responder.email]
    assert "Critical alert" in mail.outbox[0].subject
