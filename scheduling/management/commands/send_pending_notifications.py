"""Send every due appointment e-mail now, without a broker (for operators and cron): the
appointment e-mails' part of ``send_pending_outbox``, kept under its name."""

from django.core.management.base import BaseCommand

from clinic.outbox import outbox_send_due
from scheduling.notifications import OUTBOX_LABEL


class Command(BaseCommand):
    help = "Deliver every pending appointment notification that is due, synchronously."

    def handle(self, *args, **options):
        counts = outbox_send_due(labels=[OUTBOX_LABEL])
        sent = counts["sent"]
        self.stdout.write(
            f"Sent {sent} notification(s); {counts.total() - sent} not sent (see the admin)."
        )
