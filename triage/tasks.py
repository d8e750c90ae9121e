"""Celery tasks of triage: deliver a staff alert's outbox row. The minute sweep that escalates
overdue alerts and re-queues due deliveries is the kernel's ``clinic.tasks.sweep_outboxes``;
``sweep_alerts`` keeps its old name for the alerts alone."""

from celery import shared_task

from clinic import outbox
from clinic.tasks import deliver
from triage import alerts

# Kept here under its old name for callers that read it (the sweep's grace lives on the outbox).
SWEEP_GRACE = alerts.SWEEP_GRACE


@shared_task(
    name=alerts.DELIVER_TASK, bind=True, acks_late=True, max_retries=None, ignore_result=True
)
def deliver_alert(self, delivery_id: int) -> str:
    """Send one alert outbox row (``clinic.tasks.deliver``)."""
    return deliver(self, label=alerts.OUTBOX_LABEL, row_id=delivery_id).outcome


@shared_task(ignore_result=True)
def sweep_alerts() -> int:
    """The old beat task, now the kernel's sweep for the alerts' outbox alone: escalate overdue
    alerts, then queue every due delivery. Returns how many deliveries were queued."""
    return outbox.outbox_sweep(labels=[alerts.OUTBOX_LABEL])[alerts.OUTBOX_LABEL]
