"""Settings of ``bench/location_api.py`` only: the product's settings; with
``BENCH_NO_RESPONSE_CACHE=1`` the short path of public reads without whole answers kept
(``bench/first_pass_middleware.py``); with ``BENCH_FULL_STACK=1`` the product as it was before
public reads had their short path (``portal.middleware.PublicReadMiddleware`` left out, so every
request takes the full stack). Never used by the product."""

import os

from config.settings import *  # noqa: F403

if os.environ.get("BENCH_FULL_STACK") == "1":
    MIDDLEWARE = [m for m in MIDDLEWARE if m != "portal.middleware.PublicReadMiddleware"]  # noqa: F405
if os.environ.get("BENCH_NO_RESPONSE_CACHE") == "1":
    MIDDLEWARE = [
        "bench.first_pass_middleware.FirstPassPublicReadMiddleware"
        if m == "portal.middleware.PublicReadMiddleware"
        else m
        for m in MIDDLEWARE
    ]
