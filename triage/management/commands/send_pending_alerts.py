"""Deliver every pending staff alert now, in this process, without Celery or the broker.

The alerts' part of ``send_pending_outbox``, kept under its name for operators and cron. It
escalates overdue alerts first (their escalation rows are sent in the same run) and sends every
pending delivery, due or backing off. Safe to run at any time and any number of times, also
alongside workers: a row is sent only while it is pending, under a row lock.
"""

from django.core.management.base import BaseCommand

from clinic.outbox import outbox_send_due
from triage.alerts import OUTBOX_LABEL, alert_escalate_due


class Command(BaseCommand):
    help = (
        "Send every pending staff alert delivery now (no broker needed); escalate overdue alerts."
    )

    def handle(self, *args, **options):
        escalated = len(alert_escalate_due(enqueue=False))
        counts = outbox_send_due(labels=[OUTBOX_LABEL], force=True, before_sweep=False)
        self.stdout.write(
            f"Escalated {escalated} alert(s). Deliveries: {counts['sent']} sent, "
            f"{counts['retry']} failed and will be retried, {counts['failed']} failed for good, "
            f"{counts['skipped']} skipped (busy elsewhere or already done)."
        )
