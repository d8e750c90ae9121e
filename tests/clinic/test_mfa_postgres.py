"""Two-step verification on PostgreSQL with no wrapping test transaction: the deployed shape.

django-otp reads the devices with ``SELECT ... FOR UPDATE`` while verifying; outside a
transaction PostgreSQL refuses that, which SQLite and transaction-wrapped tests never show.
The demo staff member signs in exactly as at the clinic: password, a wrong code, the right one,
then the admin and the alert queue.
"""

from datetime import timedelta
from importlib import import_module

import pytest
import time_machine
from django.apps import apps as django_apps
from django.core.management import call_command
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from clinic.demo import DEMO_PASSWORD, DEMO_TOTP_DEVICE_NAME

pytestmark = [pytest.mark.requires_postgres, pytest.mark.django_db(transaction=True)]


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def _wrong_code(device: TOTPDevice) -> str:
    return f"{(int(_code(device)) + 500_000) % 1_000_000:06d}"


def _restore_rows_made_by_migrations() -> None:
    """An earlier transactional test in this process flushed every table, taking along what the
    data migrations made and seed_demo needs (the published questionnaire, the reserved article
    tags, the staff groups)."""
    for module, function in [
        ("triage.migrations.0002_publish_lumbar_radiculopathy_v1", "publish"),
        ("triage.migrations.0004_alert_responders_group", "create_group"),
        ("audit.migrations.0003_compliance_group", "create_group"),
        ("education.migrations.0002_search_index_and_triage_tags", "create_triage_tags"),
    ]:
        getattr(import_module(module), function)(django_apps, None)


def test_demo_staff_signs_in_with_the_code_and_works_the_alert_queue(client, settings):
    settings.DEBUG = True  # seed_demo refuses to run in production mode
    _restore_rows_made_by_migrations()
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    settings.DEBUG = False
    device = TOTPDevice.objects.get(user__email="staff@example.com", name=DEMO_TOTP_DEVICE_NAME)

    with time_machine.travel(timezone.now(), tick=False) as clock:
        signed_in = client.post(
            "/accounts/login/", {"username": "staff@example.com", "password": DEMO_PASSWORD}
        )
        assert signed_in.status_code == 302
        assert client.get("/admin/")["Location"].startswith("/accounts/mfa/verify/")

        wrong = client.post("/accounts/mfa/verify/", {"token": _wrong_code(device)})
        assert wrong.status_code == 200
        assert "token" in wrong.context["form"].errors
        device.refresh_from_db()
        assert device.throttling_failure_count == 1

        clock.shift(timedelta(seconds=2))  # django-otp's delay after one failure is 1 s
        right = client.post("/accounts/mfa/verify/", {"token": _code(device), "next": "/admin/"})
        assert right.status_code == 302
        assert right["Location"] == "/admin/"
        device.refresh_from_db()
        assert device.throttling_failure_count == 0

        assert client.get("/admin/").status_code == 200
        assert client.get("/admin/triage/staffalert/").status_code == 200
