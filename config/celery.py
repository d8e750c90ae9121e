"""The Celery application, configured from Django settings under the ``CELERY_`` namespace.

With no ``CELERY_BROKER_URL`` the settings turn on ``task_always_eager``: tasks run in-process,
which is how ``make run`` works without Redis.

A worker sweeps the outboxes each time its connection to the broker is (re)established
(``SweepOnConnect``), and retries a lost connection every ``CELERY_BROKER_RECONNECT_SECONDS``
instead of Kombu's back-off to 30 s (``ReconnectingConsumer``): what was written while the
broker was down (alerts, appointment e-mails) is sent within seconds of it coming back, and
the minute beat sweep stays as it is.
"""

import functools
import logging
import os

from celery import Celery, bootsteps
from celery.worker.consumer import Consumer

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

logger = logging.getLogger(__name__)

# clinic.tasks.SWEEP_TASK, by name: this module is imported before Django's apps are ready.
SWEEP_TASK = "clinic.tasks.sweep_outboxes"


class ReconnectingConsumer(Consumer):
    """The worker's consumer, retrying a lost broker connection at a short, fixed interval."""

    def ensure_connected(self, conn):
        interval = float(self.app.conf.get("broker_reconnect_seconds") or 1.0)
        conn.ensure_connection = functools.partial(
            conn.ensure_connection,
            interval_start=interval,
            interval_step=0,
            interval_max=interval,
        )
        return super().ensure_connected(conn)


class SweepOnConnect(bootsteps.StartStopStep):
    """Queue the outbox sweep each time the consumer has (re)connected to the broker: consumer
    bootsteps start again after every reconnection."""

    requires = ("celery.worker.consumer.tasks:Tasks",)

    def start(self, c):
        try:
            # A fresh connection: the app's producer pool may still hold the lost one.
            with c.app.connection_for_write() as connection:
                c.app.send_task(
                    SWEEP_TASK, kwargs={"reconnected": True}, expires=55, connection=connection
                )
        except Exception as exc:  # the next connection or the beat sweep tries again
            logger.warning("could not queue the outbox sweep on connect: %r", exc)
        else:
            logger.info("broker connected: outbox sweep queued")


app = Celery("clinic")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.steps["consumer"].add(SweepOnConnect)
app.autodiscover_tasks()
