"""Celery tasks of triage: deliver a staff alert's outbox row, and the minute sweep (beat) that
escalates overdue alerts and re-queues deliveries whose task was lost or never queued."""

from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from triage import alerts
from triage.selectors import alert_delivery_ids_pending

# Rows this fresh most likely still have their own task in the queue; the next sweep gets them.
SWEEP_GRACE = timedelta(seconds=10)


@shared_task(bind=True, acks_late=True, max_retries=None, ignore_result=True)
def deliver_alert(self, delivery_id: int) -> str:
    """Send one outbox row. Idempotent (the row is locked and must still be pending), so it is
    safe to acknowledge late and to run twice. The retry budget lives on the row, not here."""
    result = alerts.alert_delivery_send(delivery_id=delivery_id)
    if result.retry_in is not None:
        # Without raising: run eagerly (no broker) the retry is dropped, and the row waits for
        # the sweeper or send_pending_alerts instead of being retried on the spot.
        self.retry(countdown=result.retry_in, throw=False)
    return result.outcome


@shared_task(ignore_result=True)
def sweep_alerts() -> int:
    """Escalate overdue alerts, then queue every pending delivery that is due. Returns how many
    deliveries were queued."""
    alerts.alert_escalate_due()
    due = alert_delivery_ids_pending(due_before=timezone.now() - SWEEP_GRACE)
    for delivery_id in due:
        deliver_alert.delay(delivery_id)
    return len(due)
