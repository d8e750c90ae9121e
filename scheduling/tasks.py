"""Celery tasks of booking. They take ids and are idempotent (see ``scheduling.notifications``)."""

from celery import shared_task

from scheduling.notifications import notification_deliver, notifications_due
from scheduling.services import holds_release_expired


@shared_task(acks_late=True, ignore_result=True)
def send_notification(notification_id: int) -> bool:
    return notification_deliver(notification_id=notification_id)


@shared_task(ignore_result=True)
def sweep_notifications() -> int:
    """Beat, every minute: queue every pending notification that is due (reminders, retries,
    and rows whose first queueing was lost because the broker was down)."""
    due = notifications_due()
    for notification_id in due:
        send_notification.delay(notification_id)
    return len(due)


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
