"""Send every due appointment e-mail now, without a broker (for operators and cron)."""

from django.core.management.base import BaseCommand

from scheduling.notifications import notification_deliver, notifications_due


class Command(BaseCommand):
    help = "Deliver every pending appointment notification that is due, synchronously."

    def handle(self, *args, **options):
        sent = failed = 0
        while due := notifications_due():
            progressed = False
            for notification_id in due:
                if notification_deliver(notification_id=notification_id):
                    sent += 1
                    progressed = True
                else:
                    failed += 1
            if not progressed:
                break
        self.stdout.write(f"Sent {sent} notification(s); {failed} not sent (see the admin).")
