"""Two-step verification on the API's token log-in (issue 13, item 1): an account with a
confirmed authenticator (and staff) gets a token only with ``otp`` as well as the password; a
wrong code is counted by the same device throttle as a code typed on the website."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from knox.models import AuthToken
from rest_framework.test import APIClient

from clinic.services import mfa_recovery_codes_regenerate
from tests.factories import PASSWORD, PatientFactory, StaffFactory

pytestmark = pytest.mark.django_db


def code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def wrong(device: TOTPDevice) -> str:
    return f"{(int(code(device)) + 500_000) % 1_000_000:06d}"


def enrolled(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)


def log_in(client, user, **extra):
    body = {"email": user.email, "password": PASSWORD, **extra}
    return client.post("/api/v1/auth/token/", body, format="json")


@pytest.fixture
def clock():
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        yield traveller


def test_a_patient_with_an_authenticator_needs_a_code_for_a_token(api_client, clock):
    patient = PatientFactory()
    device = enrolled(patient)
    without = log_in(api_client, patient)
    assert without.status_code == 401
    assert without.json()["code"] == "mfa_required"
    assert log_in(api_client, patient, otp="").json()["code"] == "mfa_required"
    assert not AuthToken.objects.exists()

    response = log_in(api_client, patient, otp=code(device))
    assert response.status_code == 200
    reader = APIClient()
    reader.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    assert reader.get("/api/v1/me/").json()["email"] == patient.email


def test_a_wrong_code_is_a_401_and_throttles_the_device_as_on_the_website(api_client, clock):
    patient = PatientFactory()
    device = enrolled(patient)
    response = log_in(api_client, patient, otp=wrong(device))
    assert response.status_code == 401
    assert response.json()["code"] == "invalid_otp"
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    # Within a second of that failure even the right code is refused, on the API and on the
    # website: one throttle, whichever door the codes come through.
    assert log_in(api_client, patient, otp=code(device)).json()["code"] == "invalid_otp"
    browser = Client()
    browser.post("/accounts/login/", {"username": patient.email, "password": PASSWORD})
    refused = browser.post("/accounts/mfa/verify/", {"token": code(device)})
    assert "token" in refused.context["form"].errors
    clock.shift(timedelta(seconds=2))
    assert log_in(api_client, patient, otp=code(device)).status_code == 200
    device.refresh_from_db()
    assert device.throttling_failure_count == 0
    assert AuthToken.objects.filter(user=patient).count() == 1


def test_an_unused_recovery_code_works_once(api_client):
    patient = PatientFactory()
    enrolled(patient)
    first, *_rest = mfa_recovery_codes_regenerate(user=patient)
    assert log_in(api_client, patient, otp=first).status_code == 200
    assert StaticToken.objects.filter(token=first).exists() is False
    again = log_in(api_client, patient, otp=first)
    assert again.status_code == 401
    assert again.json()["code"] == "invalid_otp"


def test_staff_need_a_code_and_get_no_token_before_they_enrol(api_client, clock):
    staff = StaffFactory()
    refused = log_in(api_client, staff, otp="123456")
    assert refused.status_code == 401
    assert refused.json()["code"] == "mfa_required"
    device = enrolled(staff)
    assert log_in(api_client, staff).json()["code"] == "mfa_required"
    assert log_in(api_client, staff, otp=code(device)).status_code == 200


def test_staff_without_the_requirement_log_in_with_the_password(api_client, settings):
    settings.MFA_REQUIRED_FOR_STAFF = False
    assert log_in(api_client, StaffFactory()).status_code == 200


def test_a_wrong_password_says_nothing_about_two_step_verification(api_client):
    patient = PatientFactory()
    device = enrolled(patient)
    response = log_in(api_client, patient, password="not-the-password", otp=code(device))
    assert response.status_code == 401
    assert response.json()["code"] == "invalid_credentials"
    device.refresh_from_db()
    assert device.throttling_failure_count == 0


def test_patients_without_an_authenticator_log_in_with_the_password_alone(api_client):
    assert log_in(api_client, PatientFactory()).status_code == 200


def test_the_schema_documents_otp_and_the_401_codes(api_client):
    schema = api_client.get("/api/schema/", {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/auth/token/"]["post"]
    request = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    fields = schema["components"]["schemas"][request.rsplit("/", 1)[1]]["properties"]
    assert set(fields) == {"email", "password", "otp"}
    assert "mfa_required" in fields["otp"]["description"]
    description = operation["responses"]["401"]["description"]
    for code_name in ("invalid_credentials", "mfa_required", "invalid_otp"):
        assert code_name in description


@pytest.mark.requires_postgres
@pytest.mark.django_db(transaction=True)
def test_the_code_is_checked_under_a_row_lock_on_postgresql(api_client, clock):
    """The devices are read ``FOR UPDATE``: outside a test transaction (as deployed) that needs
    the service's own transaction, and a wrong code's count must survive the refusal."""
    patient = PatientFactory()
    device = enrolled(patient)
    assert log_in(api_client, patient, otp=wrong(device)).json()["code"] == "invalid_otp"
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    clock.shift(timedelta(seconds=2))
    assert log_in(api_client, patient, otp=code(device)).status_code == 200
