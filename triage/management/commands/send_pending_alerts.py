"""Deliver every pending staff alert now, in this process, without Celery or the broker.

For operators while Redis is down, and for cron as a belt-and-braces sweep. It escalates
overdue alerts first (their escalation rows are sent in the same run). Safe to run at any time
and any number of times, also alongside workers: a row is sent only while it is pending, under
a row lock, so nothing is sent twice.
"""

from django.core.management.base import BaseCommand

from triage.alerts import alert_delivery_send, alert_escalate_due
from triage.selectors import alert_delivery_ids_pending


class Command(BaseCommand):
    help = (
        "Send every pending staff alert delivery now (no broker needed); escalate overdue alerts."
    )

    def handle(self, *args, **options):
        escalated = alert_escalate_due(enqueue=False)
        counts = {"sent": 0, "retry": 0, "failed": 0, "skipped": 0}
        for delivery_id in alert_delivery_ids_pending():
            counts[alert_delivery_send(delivery_id=delivery_id, force=True).outcome] += 1
        self.stdout.write(
            f"Escalated {len(escalated)} alert(s). Deliveries: {counts['sent']} sent, "
            f"{counts['retry']} failed and will be retried, {counts['failed']} failed for good, "
            f"{counts['skipped']} skipped (busy elsewhere or already done)."
        )
