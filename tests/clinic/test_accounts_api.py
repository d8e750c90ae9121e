from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from clinic.models import User
from tests.clinic.admin_forms import user_change_post
from tests.factories import PASSWORD, LocationFactory, PatientFactory

pytestmark = pytest.mark.django_db

REGISTER = {
    "email": "Jo.Tester@Example.org",
    "password": "a long and memorable passphrase",
    "first_name": "Jo",
    "last_name": "Tester",
    "phone": "(609) 555-0166",
    "date_of_birth": "1969-04-30",
}


def token_for(client, email, password=PASSWORD):
    return client.post("/api/v1/auth/token/", {"email": email, "password": password}, format="json")


CHECK_YOUR_EMAIL = (
    "Thank you. We have sent an e-mail to this address: open the link in it to confirm the "
    "address and finish signing up."
)


def test_register_creates_a_usable_account_and_sends_a_verification_email(
    api_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.post("/api/v1/auth/register/", REGISTER, format="json")
    assert response.status_code == 201
    assert response.json() == {
        "email": "jo.tester@example.org",
        "email_verified": False,
        "first_name": "Jo",
        "last_name": "Tester",
        "phone": "+16095550166",
        "date_of_birth": "1969-04-30",
        "preferred_location": None,
        "preferred_language": "en",
        "detail": CHECK_YOUR_EMAIL,
    }
    assert [m.to for m in mail.outbox] == [["jo.tester@example.org"]]
    assert token_for(api_client, "jo.tester@example.org", REGISTER["password"]).status_code == 200


def test_register_with_a_taken_email_answers_the_same_and_creates_nothing(api_client):
    PatientFactory(email="jo.tester@example.org")
    response = api_client.post("/api/v1/auth/register/", REGISTER, format="json")
    assert response.status_code == 201
    assert response.json()["detail"] == CHECK_YOUR_EMAIL
    assert User.objects.count() == 1


def test_register_with_a_weak_password_names_the_field(api_client):
    response = api_client.post(
        "/api/v1/auth/register/", {**REGISTER, "password": "password123"}, format="json"
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert list(body["errors"]) == ["password"]
    assert body["detail"].startswith("password: ")
    assert not User.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"email": "not-an-email"}, "email"),
        ({"date_of_birth": "30/04/1969"}, "date_of_birth"),
        ({"first_name": ""}, "first_name"),
        ({"password": None}, "password"),
    ],
)
def test_register_bad_input_is_a_400_naming_the_field(api_client, change, field):
    response = api_client.post("/api/v1/auth/register/", {**REGISTER, **change}, format="json")
    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_register_malformed_json_is_a_json_400(api_client):
    response = api_client.post(
        "/api/v1/auth/register/", data="{not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


def test_token_is_issued_used_and_stored_hashed(api_client):
    user = PatientFactory(email="pat@example.org")
    response = token_for(api_client, "Pat@Example.org")
    assert response.status_code == 200
    token = response.json()["token"]
    assert set(response.json()) == {"token", "expiry"}
    stored = AuthToken.objects.get(user=user)
    assert token not in (stored.digest, stored.token_key)
    assert len(stored.digest) == 128

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    me = client.get("/api/v1/me/")
    assert me.status_code == 200
    assert me.json()["email"] == "pat@example.org"


def test_wrong_credentials_are_a_401_json_error(api_client):
    PatientFactory(email="pat@example.org")
    wrong = token_for(api_client, "pat@example.org", "nope-nope-nope")
    unknown = token_for(api_client, "nobody@example.org", "nope-nope-nope")
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()
    assert wrong.json()["code"] == "invalid_credentials"


def test_token_log_in_locks_after_five_failures(api_client):
    PatientFactory(email="pat@example.org")
    for _ in range(4):
        assert token_for(api_client, "pat@example.org", "wrong-password").status_code == 401
    fifth = token_for(api_client, "pat@example.org", "wrong-password")
    assert fifth.status_code == 429
    locked = token_for(api_client, "pat@example.org")
    assert locked.status_code == 429
    assert locked.json()["code"] == "account_locked"
    assert 0 < int(locked["Retry-After"]) <= 15 * 60


def test_token_expires(api_client):
    PatientFactory(email="pat@example.org")
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        token = token_for(api_client, "pat@example.org").json()["token"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    with time_machine.travel(start + timedelta(hours=9), tick=False):
        assert client.get("/api/v1/me/").status_code == 200
    with time_machine.travel(start + timedelta(hours=10, minutes=1), tick=False):
        response = client.get("/api/v1/me/")
        assert response.status_code == 401
        assert response.json()["code"] == "authentication_failed"


def test_logout_revokes_the_token(api_client):
    PatientFactory(email="pat@example.org")
    token = token_for(api_client, "pat@example.org").json()["token"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.post("/api/v1/auth/logout/").status_code == 204
    assert client.get("/api/v1/me/").status_code == 401
    assert not AuthToken.objects.exists()


def test_me_needs_authentication(api_client):
    response = api_client.get("/api/v1/me/")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_me_patch_updates_only_the_given_fields(patient_client, patient):
    LocationFactory(slug="houston-tx")
    response = patient_client.patch(
        "/api/v1/me/",
        {"preferred_location": "houston-tx", "preferred_language": "es", "phone": "(713) 555-0100"},
        format="json",
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["preferred_location"], body["preferred_language"], body["phone"]) == (
        "houston-tx",
        "es",
        "+17135550100",
    )
    assert body["first_name"] == patient.first_name
    assert body["date_of_birth"] == "1970-05-17"


def test_me_patch_with_an_unknown_location_names_the_field(patient_client):
    response = patient_client.patch(
        "/api/v1/me/", {"preferred_location": "atlantis"}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["preferred_location"]


def test_me_patch_cannot_change_email_or_staff_status(patient_client, patient):
    response = patient_client.patch(
        "/api/v1/me/", {"email": "evil@example.org", "is_staff": True}, format="json"
    )
    assert response.status_code == 200
    patient.refresh_from_db()
    assert patient.email != "evil@example.org"
    assert patient.is_staff is False


def test_auth_scope_is_throttled_with_retry_after(api_client, monkeypatch):
    from rest_framework.throttling import ScopedRateThrottle

    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"auth": "2/min"})
    for _ in range(2):
        assert token_for(api_client, "nobody@example.org", "x").status_code == 401
    response = token_for(api_client, "nobody@example.org", "x")
    assert response.status_code == 429
    assert response.json()["code"] == "throttled"
    assert int(response["Retry-After"]) > 0


def token_client(api_client, email) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(api_client, email).json()['token']}")
    return client


def test_a_password_change_revokes_api_tokens_and_other_sessions(api_client, client):
    from django.test import Client

    user = PatientFactory(email="pat@example.org")
    with_token = token_client(api_client, "pat@example.org")
    other_browser = Client()
    other_browser.post("/accounts/login/", {"username": "pat@example.org", "password": PASSWORD})
    assert other_browser.get("/dashboard/").status_code == 200

    client.post("/accounts/login/", {"username": "pat@example.org", "password": PASSWORD})
    new = "another long passphrase here"
    response = client.post(
        "/accounts/password/change/",
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    assert client.get("/dashboard/").status_code == 200  # this session stays
    assert other_browser.get("/dashboard/").status_code == 302
    assert with_token.get("/api/v1/me/").status_code == 401
    assert not AuthToken.objects.filter(user=user).exists()


def test_deactivating_an_account_in_the_admin_ends_its_tokens_and_sessions(
    api_client, admin_client
):
    from django.test import Client

    user = PatientFactory(email="pat@example.org")
    with_token = token_client(api_client, "pat@example.org")
    browser = Client()
    browser.force_login(user)
    change_url, data = user_change_post(admin_client, user, is_active=None)
    response = admin_client.post(change_url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    user.refresh_from_db()
    assert user.is_active is False
    assert not AuthToken.objects.filter(user=user).exists()
    assert with_token.get("/api/v1/me/").status_code == 401
    assert browser.get("/dashboard/").status_code == 302
