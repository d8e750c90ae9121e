"""URLconf of ``bench/location_api.py`` only: the product's URLs plus a bare Django view that
returns a fixed JSON body, the yardstick the public location API is measured against. It lives
here so the product never serves it.

The bare view comes first, so its URL resolves at once: the location endpoints pay for every
step of their own routing and are compared with the cheapest Django response there is.
"""

import json

from django.http import HttpResponse
from django.urls import path

from config.urls import handler400, handler403, handler404, handler500  # noqa: F401
from config.urls import urlpatterns as product_urlpatterns

BARE_PATH = "bench/bare/"
BARE_BODY = json.dumps(
    {"slug": "bench", "name": "A fixed body", "phone": "(609) 555-0100", "ok": True}
).encode()


def bare(request):
    return HttpResponse(BARE_BODY, content_type="application/json")


urlpatterns = [path(BARE_PATH, bare), *product_urlpatterns]
