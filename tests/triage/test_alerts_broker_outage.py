"""After a broker outage the worker sends what was written meanwhile as soon as the broker is
back, with no beat running: its consumer sweeps the outboxes at every (re)connection.

The test runs its own ``redis-server`` on a free port in 6390-6399 (stopped and started again
on the same port; the shared Redis is never touched) and a real Celery worker on it. How long
it takes is measured by ``bench/broker_outage.py``; here only a generous timeout."""

import shutil
import time

import pytest
from celery import signals
from celery.contrib.testing.worker import start_worker
from django.core import mail

from config.celery import app as celery_app
from tests.redis_server import PrivateRedis, free_port
from tests.triage.alerting import EMERGENCY
from tests.triage.test_alerts_worker import _close_worker_connections, wait_for
from triage.models import AlertDelivery

PORTS = range(6390, 6400)


def _forget_broker_connections() -> None:
    """The app's connection and producer pools were made for the other broker (left open:
    other tests use them again afterwards)."""
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def own_redis():
    if shutil.which("redis-server") is None:
        pytest.fail("redis-server is not installed")
    port = free_port(PORTS)
    if port is None:
        pytest.fail("no free port in 6390-6399 for the test's own redis-server")
    server = PrivateRedis(port)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def worker_on(own_redis, monkeypatch):
    """A real worker (solo pool, no beat) on the test's own redis-server, and this process
    queueing its tasks there too (the environment's broker URL wins over the app's setting)."""
    url = f"redis://127.0.0.1:{own_redis.port}/0"
    monkeypatch.setenv("CELERY_BROKER_URL", url)
    conf = celery_app.conf
    saved = (conf.task_always_eager, conf.broker_url, conf.worker_hijack_root_logger)
    _forget_broker_connections()
    conf.task_always_eager = False
    conf.broker_url = url
    conf.worker_hijack_root_logger = False
    signals.task_postrun.connect(_close_worker_connections, weak=False)
    try:
        with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
            yield own_redis
    finally:
        signals.task_postrun.disconnect(_close_worker_connections)
        _forget_broker_connections()
        conf.task_always_eager, conf.broker_url, conf.worker_hijack_root_logger = saved


@pytest.mark.requires_redis
@pytest.mark.requires_postgres
@pytest.mark.django_db(transaction=True)
def test_an_alert_raised_while_the_broker_is_down_is_sent_when_it_is_back_without_beat(
    alert_setup, api_client, worker_on
):
    responder = alert_setup.responder(alert_setup.north)
    time.sleep(1)  # the worker's first connection (and its sweep of nothing) is done
    worker_on.stop()
    response = api_client.post(
        "/api/v1/triage/assessments/",
        {"questionnaire": "lumbar-radiculopathy", "answers": EMERGENCY},
        format="json",
    )
    assert response.status_code == 201
    delivery = AlertDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("pending", 0)
    time.sleep(2)  # still down: nothing can send it
    delivery.refresh_from_db()
    assert delivery.status == "pending"

    worker_on.start()  # the same port: the worker reconnects and sweeps
    assert wait_for(
        lambda: AlertDelivery.objects.filter(pk=delivery.pk, status="sent").exists(), timeout=60
    )
    delivery.refresh_from_db()
    assert (delivery.attempts, delivery.recipients) == (1, [responder.email])
    assert [m.to for m in mail.outbox] == [[responder.email]]
