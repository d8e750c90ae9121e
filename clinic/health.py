"""Liveness and readiness probes for the load balancer and docker compose."""

import logging

import redis
from django.conf import settings
from django.db import connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


def _check_database() -> None:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _check_redis(url: str) -> None:
    client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
    try:
        client.ping()
    finally:
        client.close()


def readiness_checks() -> dict[str, object]:
    """Name -> zero-argument check; Redis and the broker only when configured."""
    checks: dict[str, object] = {"database": _check_database}
    if settings.REDIS_URL:
        checks["redis"] = lambda: _check_redis(settings.REDIS_URL)
    broker = settings.CELERY_BROKER_URL
    if broker.startswith(("redis://", "rediss://")) and broker != settings.REDIS_URL:
        checks["broker"] = lambda: _check_redis(broker)
    return checks


@never_cache
@require_GET
def healthz(request):
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def readyz(request):
    results: dict[str, str] = {}
    for name, check in readiness_checks().items():
        try:
            check()
        except Exception as exc:
            logger.warning("readiness check %s failed: %s", name, type(exc).__name__)
            results[name] = "down"
        else:
            results[name] = "ok"
    down = [name for name, state in results.items() if state != "ok"]
    body = {"status": "unavailable" if down else "ok", "checks": results, "down": down}
    return JsonResponse(body, status=503 if down else 200)
