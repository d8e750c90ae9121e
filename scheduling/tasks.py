"""Celery tasks of booking. They take ids and are idempotent (see ``scheduling.notifications``).
The minute sweep of due e-mails is the kernel's ``clinic.tasks.sweep_outboxes``;
``sweep_notifications`` keeps its old name for the appointment e-mails alone."""

from celery import shared_task

from clinic import outbox
from clinic.tasks import deliver
from scheduling.notifications import OUTBOX_LABEL, SEND_TASK
from scheduling.services import holds_release_expired


@shared_task(name=SEND_TASK, bind=True, acks_late=True, max_retries=None, ignore_result=True)
def send_notification(self, notification_id: int) -> bool:
    """Send one appointment e-mail (``clinic.tasks.deliver``); True when this run sent it."""
    return deliver(self, label=OUTBOX_LABEL, row_id=notification_id).outcome == "sent"


@shared_task(ignore_result=True)
def sweep_notifications() -> int:
    """The old beat task, now the kernel's sweep for appointment e-mails alone: queue every
    pending notification that is due (reminders, retries, and rows whose first queueing was
    lost because the broker was down)."""
    return outbox.outbox_sweep(labels=[OUTBOX_LABEL])[OUTBOX_LABEL]


@shared_task(ignore_result=True)
def release_expired_holds() -> int:
    """Beat, every minute: delete holds whose five minutes are over."""
    return holds_release_expired()


# The waitlist's tasks live with it; imported here so the worker's autodiscovery registers them.
from scheduling.waitlist.tasks import (  # noqa: E402, F401
    expire_offers,
    offer_freed_time,
    offer_missed_times,
)
