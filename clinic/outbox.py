"""What the portal's outboxes (staff alerts, appointment e-mails) share: when to try again."""

import random
from datetime import timedelta


def retry_delay(*, attempts: int, base: timedelta, cap: timedelta) -> timedelta:
    """How long to wait after the ``attempts``-th failed delivery: exponential from ``base``,
    never above ``cap``, and half of it random ("equal jitter") so that many rows failing
    together do not hammer a recovering server together."""
    ceiling = min(cap, base * 2 ** max(attempts - 1, 0))
    return ceiling / 2 + ceiling / 2 * random.random()  # noqa: S311 - jitter, not a secret
