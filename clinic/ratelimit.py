"""Counting requests per key in the shared cache (Redis in production), for the limits that are
not DRF throttles: e-mails a visitor can make the portal send (password resets, sign-ups).

Fails open, like the API's throttles: when the cache is down the request goes through and the
outage is logged. Keys are hashed, so no e-mail address is written to the cache.
"""

import hashlib
import logging

from django.core.cache import cache

logger = logging.getLogger(__name__)


def rate_limit_hit(*, scope: str, key: str, limit: int, window_seconds: int) -> bool:
    """Count one hit of ``key`` in ``scope``; ``True`` while at most ``limit`` hits fell in the
    window (which starts at the first hit)."""
    digest = hashlib.sha256(f"{scope}\x00{key}".encode()).hexdigest()
    cache_key = f"ratelimit:{scope}:{digest}"
    try:
        if cache.add(cache_key, 1, timeout=window_seconds):
            return limit >= 1
        try:
            count = cache.incr(cache_key)
        except ValueError:  # expired between add and incr: a new window
            cache.add(cache_key, 1, timeout=window_seconds)
            count = 1
    except Exception as exc:  # any cache failure: count nothing, refuse nothing
        logger.warning(
            "rate limit %s skipped: the cache is unavailable (%s)", scope, type(exc).__name__
        )
        return True
    return count <= limit


def mail_rate_allowed(*, scope: str, email: str, client: str, per_address: int, per_client: int):
    """Both limits of a request that e-mails ``email``: per address (what one inbox receives)
    and per client address (what one visitor sends, to any inbox). Both counters count."""
    window = 60 * 60
    by_address = rate_limit_hit(
        scope=f"{scope}:address", key=email.strip().lower(), limit=per_address,
        window_seconds=window,
    )  # fmt: skip
    by_client = rate_limit_hit(
        scope=f"{scope}:client", key=client, limit=per_client, window_seconds=window
    )
    return by_address and by_client
