"""Settings of ``bench/location_api.py`` only: the product's settings, and with
``BENCH_FULL_STACK=1`` the product as it was before public reads had their short path
(``portal.middleware.PublicReadMiddleware`` left out, so every request takes the full stack).
Never used by the product."""

import os

from config.settings import *  # noqa: F403

if os.environ.get("BENCH_FULL_STACK") == "1":
    MIDDLEWARE = [m for m in MIDDLEWARE if m != "portal.middleware.PublicReadMiddleware"]  # noqa: F405
