"""Settings for the test suite: the production module with what tests need changed.

The environment decides the database, broker and cache exactly as in production, so
``make test`` with ``DATABASE_URL`` and ``REDIS_URL`` runs on PostgreSQL and Redis.
"""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-secret-key-" + "t" * 40)
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
# A test-only field encryption key (clinic.encryption); tests of rotation set their own.
os.environ.setdefault("FIELD_ENCRYPTION_KEYS", "dGVzdC1vbmx5LWZpZWxkLWVuY3J5cHRpb24ta2V5LTA=")
# A test-only key of the PHI access log's chain; tests of rotation and checkpoints set their own.
os.environ.setdefault("AUDIT_CHAIN_KEYS", "test-only-audit-chain-key-" + "a" * 20)

from config.settings import *  # noqa: F403

# Hashing with Argon2 on every factory-made user would make the suite crawl; the tests that
# check the production hasher read ``config.settings`` directly.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Each test starts with an empty cache; keep the test cache local even when REDIS_URL is set,
# unless a test asks for the real one.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
# Tasks run in-process in tests even when CELERY_BROKER_URL points at Redis; the tests that
# need a real worker start one against the broker (celery.contrib.testing).
CELERY_TASK_ALWAYS_EAGER = True
# `make test` runs the suite on several pytest-xdist workers (one process and one test database
# each) sharing the broker: each keeps its own keys there, so a real worker started by a test
# only ever takes that worker's tasks.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    **CELERY_BROKER_TRANSPORT_OPTIONS,  # noqa: F405
    "global_keyprefix": f"tests-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}:",
}
# Every test starts with an empty cache, and expects a write to show at once: the public API's
# per-worker memory layer is off here and has its own tests (tests/clinic/test_public_api_caching).
PUBLIC_API_WORKER_CACHE_SECONDS = 0
# No checkpoint sink unless a test gives one (a file under its tmp_path).
AUDIT_CHECKPOINT_PATH = ""
SMS_BACKEND = "locmem"
