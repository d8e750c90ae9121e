"""Settings and URLconf of the yardstick of ``bench/location_api.py``: a bare Django application
(SecurityMiddleware and CommonMiddleware only, no apps, no database) that answers each path the
bench loads with the bytes the product sent for it, read at start from the JSON file named by
``BENCH_BARE_BODIES`` (``{path: [content type, body]}``). Served by gunicorn with
``DJANGO_SETTINGS_MODULE=bench.bare_app`` and ``config.wsgi``; never used by the product.
"""

import json
import os
from pathlib import Path

from django.http import HttpResponse
from django.urls import path

SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS: list[str] = []
DATABASES: dict = {}
USE_TZ = True
ROOT_URLCONF = __name__
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.common.CommonMiddleware",
]


def _view(body: bytes, content_type: str):
    def view(request):
        return HttpResponse(body, content_type=content_type)

    return view


urlpatterns = [
    path(url.lstrip("/"), _view(body.encode(), content_type))
    for url, (content_type, body) in json.loads(
        Path(os.environ["BENCH_BARE_BODIES"]).read_text()
    ).items()
]
