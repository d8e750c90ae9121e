"""DRF's rate throttles, failing open: when their cache (Redis in production) is down they let
the request through and log it. A red-flag submission or the website's location page must never
fail because the rate limiter cannot count."""

import logging

from rest_framework import throttling

logger = logging.getLogger(__name__)


class FailOpenMixin:
    def allow_request(self, request, view) -> bool:
        try:
            return super().allow_request(request, view)
        except Exception as exc:  # any cache failure: count nothing, refuse nothing
            logger.warning(
                "%s skipped: the throttle cache is unavailable (%s)",
                type(self).__name__,
                type(exc).__name__,
            )
            return True


class AnonRateThrottle(FailOpenMixin, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(FailOpenMixin, throttling.UserRateThrottle):
    pass


class ScopedRateThrottle(FailOpenMixin, throttling.ScopedRateThrottle):
    pass
