"""Two-step verification on PostgreSQL with no wrapping test transaction: the deployed shape.

django-otp reads the devices with ``SELECT ... FOR UPDATE`` while verifying; outside a
transaction PostgreSQL refuses that, which SQLite and transaction-wrapped tests never show.
The demo staff member signs in exactly as at the clinic: password, a wrong code, the right one,
then the admin and the alert queue.
"""

import io
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from clinic import demo as clinic_demo
from clinic.demo import DEMO_PASSWORD, DEMO_TOTP_DEVICE_NAME
from triage.demo import seed_alert_responders

pytestmark = [pytest.mark.requires_postgres, pytest.mark.django_db(transaction=True)]


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def _wrong_code(device: TOTPDevice) -> str:
    return f"{(int(_code(device)) + 500_000) % 1_000_000:06d}"


def test_demo_staff_signs_in_with_the_code_and_works_the_alert_queue(client):
    # The demo accounts only: a transactional test that ran before emptied the rows migrations
    # made (questionnaires, article tags), which the rest of seed_demo needs.
    clinic_demo.seed(stdout=io.StringIO())
    seed_alert_responders(stdout=io.StringIO())
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
