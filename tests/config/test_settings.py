"""The settings module read with a given environment: defaults and production hardening."""

import importlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from config.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[2]
SETTINGS_PACKAGE = "config.settings"
PRODUCTION_ENV = {
    "DJANGO_SECRET_KEY": "a-production-like-secret-key-with-plenty-of-entropy-0123456789-abcdef",
    "DJANGO_ALLOWED_HOSTS": "portal.clinic.example",
    "DATABASE_URL": "postgres://clinic:secret@db:5432/clinic",
    "REDIS_URL": "redis://redis:6379/1",
    "CELERY_BROKER_URL": "redis://redis:6379/2",
    "EMAIL_URL": "smtp+tls://mailer:secret@smtp.clinic.example:587",
    "ALERT_FALLBACK_EMAIL": "alerts@clinic.example",
    "FIELD_ENCRYPTION_KEYS": "cHJvZHVjdGlvbi1saWtlLWZpZWxkLWtleS0wMTIzNDU=",
    "AUDIT_CHAIN_KEYS": "a-production-like-audit-chain-key-0123456789",
    "AUDIT_CHECKPOINT_PATH": "/var/lib/clinic/audit-checkpoints.jsonl",
}
VARIABLES = [
    "DJANGO_DEBUG",
    "DJANGO_SECRET_KEY",
    "DJANGO_ALLOWED_HOSTS",
    "DATABASE_URL",
    "REDIS_URL",
    "CELERY_BROKER_URL",
    "EMAIL_URL",
    "API_THROTTLE_RATES",
    "DJANGO_SECURE_SSL_REDIRECT",
    "CLINIC_NAME",
    "CLINIC_PHONE",
    "CLINIC_EMERGENCY_NUMBER",
    "ALERT_FALLBACK_EMAIL",
    "FIELD_ENCRYPTION_KEYS",
    "DJANGO_SECRET_KEY_FALLBACKS",
    "AUDIT_CHAIN_KEYS",
    "AUDIT_CHECKPOINT_PATH",
]


def load_settings(monkeypatch, **env) -> dict:
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    # The settings package and its parts, imported afresh under this environment (and put back
    # as they were afterwards).
    import config

    monkeypatch.setattr(config, "settings", config.settings)
    for module in list(sys.modules):
        if module == SETTINGS_PACKAGE or module.startswith(f"{SETTINGS_PACKAGE}."):
            monkeypatch.delitem(sys.modules, module)
    return vars(importlib.import_module(SETTINGS_PACKAGE))


def test_embedded_defaults_are_sqlite_eager_celery_console_mail_and_local_cache(monkeypatch):
    conf = load_settings(monkeypatch, DJANGO_DEBUG="1")
    assert conf["DEBUG"] is True
    assert conf["DATABASES"]["default"]["ENGINE"] == "django.db.backends.sqlite3"
    assert conf["DATABASES"]["default"]["NAME"] == str(ROOT / "db.sqlite3")
    assert conf["CELERY_BROKER_URL"] == ""
    assert conf["CELERY_TASK_ALWAYS_EAGER"] is True
    assert conf["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"
    assert conf["CACHES"]["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    assert conf["USE_TZ"] is True
    assert conf["SECURE_SSL_REDIRECT"] is False


def test_debug_is_off_by_default_and_then_a_secret_key_is_required(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match="DJANGO_SECRET_KEY"):
        load_settings(monkeypatch)


def test_production_environment_configures_services(monkeypatch):
    conf = load_settings(monkeypatch, **PRODUCTION_ENV)
    assert conf["DEBUG"] is False
    db = conf["DATABASES"]["default"]
    assert (db["ENGINE"], db["NAME"], db["HOST"], db["USER"]) == (
        "django.db.backends.postgresql",
        "clinic",
        "db",
        "clinic",
    )
    assert conf["CELERY_TASK_ALWAYS_EAGER"] is False
    assert conf["CELERY_BROKER_URL"] == "redis://redis:6379/2"
    assert conf["CACHES"]["default"]["BACKEND"] == "clinic.cache.RedisCache"
    assert conf["CACHES"]["default"]["LOCATION"] == "redis://redis:6379/1"
    assert conf["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (conf["EMAIL_HOST"], conf["EMAIL_PORT"], conf["EMAIL_USE_TLS"]) == (
        "smtp.clinic.example",
        587,
        True,
    )
    assert conf["ALLOWED_HOSTS"] == ["portal.clinic.example"]


def test_production_security_settings(monkeypatch):
    conf = load_settings(monkeypatch, **PRODUCTION_ENV)
    assert conf["SECURE_SSL_REDIRECT"] is True
    assert conf["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")
    assert conf["SECURE_HSTS_SECONDS"] >= 31536000
    assert conf["SESSION_COOKIE_SECURE"] is True
    assert conf["CSRF_COOKIE_SECURE"] is True
    assert conf["SECURE_CONTENT_TYPE_NOSNIFF"] is True
    assert conf["SECURE_REFERRER_POLICY"] == "same-origin"
    assert conf["X_FRAME_OPTIONS"] == "DENY"


def test_ssl_redirect_can_be_turned_off_behind_a_tls_proxy(monkeypatch):
    conf = load_settings(monkeypatch, DJANGO_SECURE_SSL_REDIRECT="0", **PRODUCTION_ENV)
    assert conf["SECURE_SSL_REDIRECT"] is False
    assert conf["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")


def test_argon2_is_the_first_password_hasher(monkeypatch):
    conf = load_settings(monkeypatch, DJANGO_DEBUG="1")
    assert conf["PASSWORD_HASHERS"][0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_branding_comes_from_the_environment(monkeypatch):
    conf = load_settings(
        monkeypatch,
        DJANGO_DEBUG="1",
        CLINIC_NAME="Test Spine",
        CLINIC_PHONE="(555) 555-0100",
        CLINIC_EMERGENCY_NUMBER="112",
    )
    assert (conf["CLINIC_NAME"], conf["CLINIC_PHONE"], conf["CLINIC_EMERGENCY_NUMBER"]) == (
        "Test Spine",
        "(555) 555-0100",
        "112",
    )


def test_throttle_rates_override_the_given_scopes_and_keep_the_others(monkeypatch):
    conf = load_settings(monkeypatch, DJANGO_DEBUG="1", API_THROTTLE_RATES="anon=60/min,auth=5/min")
    rates = conf["REST_FRAMEWORK"]["DEFAULT_THROTTLE_RATES"]
    assert rates["anon"] == "60/min"
    assert rates["auth"] == "5/min"
    assert rates["user"] == "600/min"
    assert len(conf["REST_FRAMEWORK"]["DEFAULT_THROTTLE_CLASSES"]) == 3


def test_throttling_off_disables_every_throttle(monkeypatch):
    conf = load_settings(monkeypatch, DJANGO_DEBUG="1", API_THROTTLE_RATES="off")
    assert conf["REST_FRAMEWORK"]["DEFAULT_THROTTLE_CLASSES"] == []


def test_malformed_throttle_rates_are_refused(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match="API_THROTTLE_RATES"):
        load_settings(monkeypatch, DJANGO_DEBUG="1", API_THROTTLE_RATES="anon")


def test_celery_app_reads_django_settings_json_only_with_time_limits():
    conf = celery_app.conf
    assert conf.task_always_eager is True  # the test settings run tasks in-process
    assert conf.task_serializer == "json"
    assert conf.accept_content == ["json"]
    assert conf.task_time_limit == settings.CELERY_TASK_TIME_LIMIT
    assert conf.task_soft_time_limit < conf.task_time_limit
    assert conf.broker_transport_options["visibility_timeout"] == 3600


def test_check_deploy_passes_with_a_production_like_environment():
    result = _manage_check(PRODUCTION_ENV, "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def _manage_check(environment: dict, *args: str) -> subprocess.CompletedProcess:
    """``manage.py check`` in a fresh process with the production settings module."""
    env = {k: v for k, v in os.environ.items() if k not in VARIABLES}
    env.update(environment, DJANGO_SETTINGS_MODULE="config.settings")
    return subprocess.run(
        [sys.executable, "manage.py", "check", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_does_not_start_without_field_encryption_keys():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "FIELD_ENCRYPTION_KEYS"}
    result = _manage_check(env)
    assert result.returncode != 0
    assert "clinic.E010" in result.stderr


def test_production_does_not_start_without_audit_chain_keys():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "AUDIT_CHAIN_KEYS"}
    result = _manage_check(env)
    assert result.returncode != 0
    assert "audit.E001" in result.stderr


def test_audit_chain_keys_are_a_list_and_debug_has_a_development_default(monkeypatch):
    conf = load_settings(monkeypatch, **{**PRODUCTION_ENV, "AUDIT_CHAIN_KEYS": "k1,k2"})
    assert conf["AUDIT_CHAIN_KEYS"] == ["k1", "k2"]
    debug = load_settings(monkeypatch, DJANGO_DEBUG="1")
    assert debug["AUDIT_CHAIN_KEYS"] == [debug["AUDIT_CHAIN_DEVELOPMENT_KEY"]]
    assert debug["AUDIT_CHECKPOINT_PATH"] == str(ROOT / "audit-checkpoints.jsonl")


def test_field_encryption_keys_are_a_list_and_debug_has_a_development_default(monkeypatch):
    conf = load_settings(monkeypatch, **{**PRODUCTION_ENV, "FIELD_ENCRYPTION_KEYS": "k1,k2"})
    assert conf["FIELD_ENCRYPTION_KEYS"] == ["k1", "k2"]
    conf = load_settings(monkeypatch, DJANGO_DEBUG="1")
    assert conf["FIELD_ENCRYPTION_KEYS"] == [conf["FIELD_ENCRYPTION_DEVELOPMENT_KEY"]]
    without = {k: v for k, v in PRODUCTION_ENV.items() if k != "FIELD_ENCRYPTION_KEYS"}
    assert load_settings(monkeypatch, **without)["FIELD_ENCRYPTION_KEYS"] == []


def test_previous_secret_keys_come_from_the_environment(monkeypatch):
    conf = load_settings(monkeypatch, **PRODUCTION_ENV, DJANGO_SECRET_KEY_FALLBACKS="old-1,old-2")
    assert conf["SECRET_KEY_FALLBACKS"] == ["old-1", "old-2"]
    assert load_settings(monkeypatch, DJANGO_DEBUG="1")["SECRET_KEY_FALLBACKS"] == []
