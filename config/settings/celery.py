"""Celery (read by ``config.celery`` under the ``CELERY_`` namespace) and what beat runs.

Without ``CELERY_BROKER_URL`` tasks run eagerly in-process, which is how ``make run`` works
without Redis.
"""

from celery.schedules import crontab

from config.settings.base import env

CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=120)
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=100)
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Queueing happens after commit with the outbox row already saved, and a beat sweep re-queues
# what is pending: with the broker down, give up fast instead of holding the patient's request.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.1,
    "interval_max": 0.1,
}
# A task unacknowledged this long is redelivered by Redis; retries must back off well below it.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
# A worker that lost the broker tries again this often (not Kombu's back-off up to 30 s), and
# sweeps the outboxes as soon as it is connected again (config.celery.SweepOnConnect).
CELERY_BROKER_CONNECTION_RETRY = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None  # never give up: the broker comes back
CELERY_BROKER_RECONNECT_SECONDS = env.float("CELERY_BROKER_RECONNECT_SECONDS", default=1.0)
CELERY_WORKER_CONSUMER = "config.celery:ReconnectingConsumer"
CELERY_TIMEZONE = "UTC"

CELERY_BEAT_SCHEDULE = {
    # Release booking holds the patient never confirmed.
    "scheduling-release-expired-holds": {
        "task": "scheduling.tasks.release_expired_holds",
        "schedule": 60.0,
    },
    # Close waitlist offers nobody claimed in time and offer their times to the next patient.
    "scheduling-waitlist-expire-offers": {
        "task": "scheduling.waitlist.tasks.expire_offers",
        "schedule": 60.0,
    },
    # Offer freed times whose queueing after the commit was lost (a broker down then).
    "scheduling-waitlist-offer-missed": {
        "task": "scheduling.waitlist.tasks.offer_missed_times",
        "schedule": 300.0,
    },
    # The one outbox sweep (clinic.outbox): escalate red-flag alerts nobody acknowledged in
    # time, then queue every due row of every outbox (alerts, appointment e-mails, messages).
    "outbox-sweep": {
        "task": "clinic.tasks.sweep_outboxes",
        "schedule": 60.0,
        # A sweep that waited longer than its interval is superseded by the next one.
        "options": {"expires": 55},
    },
    # Every night the PHI access log's chain is walked; a break is logged as critical, an
    # intact head is signed and appended to the checkpoint sink.
    "audit-verify-chain": {
        "task": "audit.tasks.verify_audit_chain",
        "schedule": crontab(hour=3, minute=17),
    },
}
