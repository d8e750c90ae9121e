"""Settings of ``bench/location_api.py`` only: the product's settings with a URLconf that adds
the bench's bare view. Never used by the product."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.location_api_urls"
