"""Send everything due in every outbox now, in this process, without Celery or the broker.

For operators while Redis is down, and for cron as a belt-and-braces sweep. Each outbox's own
sweep work runs first (overdue alerts escalate, and their rows are sent in the same run). Safe
at any time and any number of times, also alongside workers: a row is sent only while it is
pending, under a row lock, so nothing is sent twice.
"""

from django.core.management.base import BaseCommand

from clinic.outbox import outbox_send_due, outboxes


class Command(BaseCommand):
    help = "Send every due row of every outbox now (no broker needed); escalate overdue alerts."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Also send rows still backing off after a failure or not yet due.",
        )

    def handle(self, *args, force: bool = False, **options):
        for outbox in outboxes():
            counts = outbox_send_due(labels=[outbox.label], force=force)
            self.stdout.write(
                f"{outbox.label}: {counts['sent']} sent, {counts['retry']} failed and will be "
                f"retried, {counts['failed']} failed for good, {counts['skipped']} skipped."
            )
