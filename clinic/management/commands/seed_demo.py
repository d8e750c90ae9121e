"""Load the demo data of every app (``<app>.demo.seed``). Idempotent: run twice, same rows."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from clinic.discovery import app_modules


class Command(BaseCommand):
    help = "Create or refresh the fictional demo clinic: locations, physicians, users, content."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even with DJANGO_DEBUG off (it creates accounts with a known password).",
        )

    def handle(self, *args, force: bool = False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo creates accounts with a published password; it refuses to run with "
                "DJANGO_DEBUG off. Pass --force if you really mean it."
            )
        with transaction.atomic():
            for module in app_modules("demo"):
                module.seed(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
