"""Demo data, locations, health probes, the API schema and error format."""

from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import OperationalError
from django.test import override_settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from clinic.models import Location, OpeningHours, PatientProfile, Provider, Service, User
from tests.conftest import redis_url
from tests.factories import LocationFactory

pytestmark = pytest.mark.django_db

SEEDED_MODELS = [User, PatientProfile, Location, OpeningHours, Provider, Service]


def counts():
    return {model.__name__: model.objects.count() for model in SEEDED_MODELS}


@override_settings(DEBUG=True)
def test_seed_demo_is_idempotent_and_creates_the_contract_data():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    first = counts()
    call_command("seed_demo", stdout=StringIO())
    assert counts() == first
    assert "demo-pass-2026" in out.getvalue()

    lawrenceville = Location.objects.get(slug="lawrenceville-nj")
    houston = Location.objects.get(slug="houston-tx")
    assert (lawrenceville.timezone, houston.timezone) == ("America/New_York", "America/Chicago")
    assert Provider.objects.count() == 4
    both = [p for p in Provider.objects.all() if p.locations.count() == 2]
    assert len(both) == 1
    staff = User.objects.get(email="staff@example.com")
    patient = User.objects.get(email="patient@example.com")
    assert staff.is_staff
    assert staff.check_password("demo-pass-2026")
    assert set(staff.served_locations.all()) == {lawrenceville, houston}
    assert not patient.is_staff
    assert (patient.patient_profile.phone, patient.patient_profile.sms_opt_in) == (
        "+16095550199",
        True,
    )
    code = StringIO()
    call_command("demo_totp_code", stdout=code)
    device = TOTPDevice.objects.get(user=staff, confirmed=True)
    assert device.verify_token(code.getvalue().strip())
    assert patient.check_password("demo-pass-2026")


@override_settings(DEBUG=False)
def test_seed_demo_refuses_with_debug_off_unless_forced():
    with pytest.raises(CommandError, match="--force"):
        call_command("seed_demo", stdout=StringIO())
    assert not User.objects.exists()
    call_command("seed_demo", "--force", stdout=StringIO())
    assert User.objects.filter(email="patient@example.com").exists()


@pytest.mark.parametrize("zone", ["Mars/Olympus_Mons", "EST-ish", "", "america/new_york"])
def test_an_invalid_time_zone_is_refused(zone):
    location = LocationFactory.build(timezone=zone)
    with pytest.raises(ValidationError) as excinfo:
        location.full_clean()
    assert "timezone" in excinfo.value.message_dict


def test_a_valid_time_zone_is_accepted():
    LocationFactory.build(slug="houston-tx", timezone="America/Chicago").full_clean()


def test_opening_hours_must_close_after_they_open():
    location = LocationFactory()
    from datetime import time

    hours = OpeningHours(location=location, weekday=0, opens=time(17), closes=time(9))
    with pytest.raises(ValidationError):
        hours.full_clean()


def test_healthz_answers_while_the_process_runs(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@override_settings(REDIS_URL="", CELERY_BROKER_URL="")
def test_readyz_is_ok_with_a_working_database(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok"}


@override_settings(REDIS_URL="", CELERY_BROKER_URL="")
def test_readyz_reports_a_dead_database_as_503(client, monkeypatch):
    from django.db.backends.utils import CursorWrapper

    def refuse(self, sql, params=None):
        if sql == "SELECT 1":
            raise OperationalError("connection refused")
        return original(self, sql, params)

    original = CursorWrapper.execute
    monkeypatch.setattr(CursorWrapper, "execute", refuse)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "checks": {"database": "down"},
        "down": ["database"],
    }


@override_settings(REDIS_URL="redis://127.0.0.1:1/0", CELERY_BROKER_URL="")
def test_readyz_reports_a_dead_redis_as_503(client):
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["down"] == ["redis"]
    assert response.json()["checks"]["database"] == "ok"


@pytest.mark.requires_redis
def test_readyz_is_ok_with_a_live_redis(client):
    with override_settings(REDIS_URL=redis_url(), CELERY_BROKER_URL=""):
        response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "redis": "ok"}


def test_schema_endpoint_renders_the_account_api(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    for path in [
        "/api/v1/auth/register/",
        "/api/v1/auth/token/",
        "/api/v1/auth/logout/",
        "/api/v1/me/",
    ]:
        assert path in schema["paths"]
    assert "Error" in schema["components"]["schemas"]


def test_docs_page_is_served_offline(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in html
    assert "cdn" not in html.lower()


def test_unknown_api_url_is_a_json_404(client):
    response = client.get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "detail": response.json()["detail"]}


def test_unknown_page_is_a_friendly_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_wrong_content_type_is_a_json_415(patient_client):
    response = patient_client.patch("/api/v1/me/", data="phone=1", content_type="text/plain")
    assert response.status_code == 415
    assert response.json()["code"] == "unsupported_media_type"


def test_an_oversized_body_is_a_json_413(api_client):
    body = '{"email": "' + "a" * (1024 * 1024 + 10) + '@example.org"}'
    response = api_client.post("/api/v1/auth/register/", data=body, content_type="application/json")
    assert response.status_code == 413
    assert response.json()["code"] == "payload_too_large"


@override_settings(ROOT_URLCONF="tests.clinic.boom_urls", DEBUG=False)
@pytest.mark.parametrize(("url", "json"), [("/boom/", False), ("/api/v1/boom/", True)])
def test_a_server_error_shows_a_friendly_page_without_a_traceback(client, url, json):
    client.raise_request_exception = False
    response = client.get(url)
    assert response.status_code == 500
    body = response.content.decode()
    assert "Traceback" not in body
    assert "secret internal detail" not in body
    if json:
        assert response.json()["code"] == "server_error"
    else:
        assert "Something went wrong" in body


DEAD_REDIS_CACHE = {
    "default": {
        "BACKEND": "clinic.cache.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
    }
}


@override_settings(CACHES=DEAD_REDIS_CACHE)
def test_the_public_api_and_throttled_writes_keep_working_when_redis_is_down(client, api_client):
    LocationFactory(slug="houston-tx", timezone="America/Chicago")
    listing = client.get("/api/v1/locations/")
    assert listing.status_code == 200
    assert [row["slug"] for row in listing.json()] == ["houston-tx"]
    assert client.get("/api/v1/locations/houston-tx/").status_code == 200
    login = api_client.post(
        "/api/v1/auth/token/", {"email": "nobody@example.org", "password": "x"}, format="json"
    )
    assert login.status_code == 401  # refused for the credentials, not a 500 from the limiter
