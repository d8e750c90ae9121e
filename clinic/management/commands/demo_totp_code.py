"""Print the current two-step code of the demo staff account (debug mode only)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from clinic.demo import DEMO_TOTP_DEVICE_NAME


class Command(BaseCommand):
    help = "Print the current TOTP code of staff@example.com's demo authenticator (DEBUG only)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("demo_totp_code only runs with DJANGO_DEBUG on.")
        device = TOTPDevice.objects.filter(
            name=DEMO_TOTP_DEVICE_NAME, user__email="staff@example.com"
        ).first()
        if device is None:
            raise CommandError("No demo authenticator: run `python manage.py seed_demo` first.")
        code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
        self.stdout.write(f"{code:0{device.digits}d}")
