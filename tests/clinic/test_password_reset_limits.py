"""Password-reset e-mails are limited per address and per client (issue 13, item 6): three an
hour to one address, ten an hour from one client, and the visitor sees the same page whether a
mail went out or not. The limits live in the cache and fail open when it is down."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client, override_settings
from django.utils import timezone

from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db

RESET = "/accounts/password-reset/"


def ask(client, email, ip="203.0.113.7"):
    return client.post(RESET, {"email": email}, REMOTE_ADDR=ip)


def test_fifteen_requests_for_one_address_send_three_mails_and_look_the_same(client):
    patient = PatientFactory(email="pat@example.org")
    answers = {
        (r.status_code, r["Location"])
        for r in (ask(client, patient.email, ip=f"198.51.100.{n}") for n in range(15))
    }
    assert answers == {(302, "/accounts/password-reset/sent/")}
    assert [m.to for m in mail.outbox] == [[patient.email]] * 3


def test_the_address_limit_ignores_letter_case_and_lifts_after_an_hour(client):
    PatientFactory(email="pat@example.org")
    with time_machine.travel(timezone.now(), tick=False) as clock:
        for email in ("pat@example.org", "PAT@example.org", "Pat@Example.org", "pat@EXAMPLE.org"):
            ask(client, email)
        assert len(mail.outbox) == 3
        clock.shift(timedelta(hours=1, seconds=1))
        ask(client, "pat@example.org")
    assert len(mail.outbox) == 4


def test_one_client_sends_at_most_ten_an_hour_to_any_addresses(client):
    patients = [PatientFactory() for _ in range(12)]
    for patient in patients:
        assert ask(client, patient.email).status_code == 302
    assert len(mail.outbox) == 10
    ask(client, patients[-1].email, ip="192.0.2.55")  # another client still can
    assert len(mail.outbox) == 11


def test_the_client_is_the_address_behind_the_configured_proxies(client, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    patients = [PatientFactory() for _ in range(11)]
    for number, patient in enumerate(patients):
        client.post(
            RESET,
            {"email": patient.email},
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{number}, 203.0.113.9",
        )
    assert len(mail.outbox) == 10  # the spoofable first hop changed, the real client did not


def test_unknown_addresses_count_too_and_look_the_same(client):
    for _ in range(4):
        response = ask(client, "nobody@example.org")
        assert response["Location"] == "/accounts/password-reset/sent/"
    assert mail.outbox == []


def test_with_the_cache_down_resets_still_go_out(client, caplog):
    patient = PatientFactory()
    dead_redis = {
        "default": {
            "BACKEND": "clinic.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 1},
        }
    }
    with override_settings(CACHES=dead_redis):
        for _ in range(4):
            assert ask(Client(), patient.email).status_code == 302
    assert len(mail.outbox) == 4
    assert "rate limit password-reset:address skipped: the cache is unavailable" in caplog.text


@pytest.mark.requires_redis
def test_the_limit_holds_across_workers_through_redis(client):
    """Every web worker counts in the same Redis: the fourth request to one address sends
    nothing whichever worker takes it."""
    from tests.conftest import redis_url

    patient = PatientFactory()
    shared = {
        "default": {
            "BACKEND": "clinic.cache.RedisCache",
            "LOCATION": redis_url(),
            "KEY_PREFIX": f"test-reset-{patient.pk}-{timezone.now().timestamp()}",
        }
    }
    with override_settings(CACHES=shared):
        for _ in range(5):
            ask(Client(), patient.email)
    assert len(mail.outbox) == 3
