"""Shared fixtures and the service markers.

``requires_postgres`` / ``requires_redis`` tests are skipped when the service is not
configured, unless ``REQUIRE_SERVICES=1``: then a missing service fails the test instead.
"""

import importlib
import os

import pytest
import redis
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import translation
from rest_framework.test import APIClient

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"


def redis_url() -> str:
    return os.environ.get("REDIS_URL") or os.environ.get("CELERY_BROKER_URL", "")


def _redis_available(url: str) -> bool:
    if not url.startswith(("redis://", "rediss://")):
        return False
    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=1)
        client.ping()
        client.close()
    except redis.RedisError:
        return False
    return True


def _missing_service(item) -> str | None:
    engine = settings.DATABASES["default"]["ENGINE"]
    if item.get_closest_marker("requires_postgres") and engine != "django.db.backends.postgresql":
        return "needs PostgreSQL: set DATABASE_URL=postgres://..."
    if item.get_closest_marker("requires_redis") and not _redis_available(redis_url()):
        return "needs Redis: set REDIS_URL (or CELERY_BROKER_URL) to a running server"
    return None


def pytest_runtest_setup(item):
    reason = _missing_service(item)
    if reason:
        if REQUIRE_SERVICES:
            pytest.fail(f"REQUIRE_SERVICES=1 but this test {reason}", pytrace=False)
        pytest.skip(reason)


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _empty_sms_outbox():
    """Text messages sent by the test settings' ``locmem`` backend, like ``mail.outbox``."""
    from clinic import sms

    sms.outbox.clear()
    yield
    sms.outbox.clear()


@pytest.fixture(autouse=True)
def _default_language_afterwards():
    """A Spanish request activates Spanish for the thread; the next test must not inherit it."""
    yield
    translation.deactivate()


# The data migrations whose rows tests rely on: (app, migration, forward function). Each is
# idempotent, as a data migration must be.
DATA_MIGRATIONS = (
    ("triage", "0002_publish_lumbar_radiculopathy_v1", "publish"),
    ("triage", "0004_alert_responders_group", "create_group"),
    ("triage", "0008_publish_lumbar_radiculopathy_v2", "publish"),
    ("education", "0002_search_index_and_triage_tags", "create_triage_tags"),
    ("audit", "0003_compliance_group", "create_group"),
)


@pytest.fixture
def migration_data(transactional_db):
    """The rows the data migrations made (the published questionnaire, the reserved triage
    tags, the staff groups), made again: each transactional test ends by emptying every table,
    so a later one that needs them (``seed_demo``, as ``migrate`` left the database) must not
    depend on running first."""
    state = MigrationExecutor(connection).loader.project_state().apps
    for app, migration, function in DATA_MIGRATIONS:
        module = importlib.import_module(f"{app}.migrations.{migration}")
        getattr(module, function)(state, None)


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def patient(db):
    from tests.factories import PatientFactory

    return PatientFactory()


@pytest.fixture
def patient_client(patient) -> APIClient:
    client = APIClient()
    client.force_authenticate(patient)
    return client


def login_verified(client, user) -> None:
    """Log ``user`` in with a session verified by two-step verification, as the admin requires
    of staff (``MFA_REQUIRED_FOR_STAFF``)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Test authenticator", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


@pytest.fixture
def admin_client(client, admin_user):
    """pytest-django's superuser client, with the two-step verified session staff need."""
    login_verified(client, admin_user)
    return client
