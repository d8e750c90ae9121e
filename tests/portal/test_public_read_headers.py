"""The headers of public, anonymous reads, pinned to what the full middleware stack sent before
those reads got their short path (``portal.middleware.PublicReadMiddleware``): security headers,
CSP, CORS, ETag/304, Cache-Control, Vary, Content-Language and throttling stay exactly as they
were. And the short path is taken for those reads only: never for a signed-in patient, a token,
a write, the admin or a page.

The expected header sets were captured on the main branch before the change (same requests,
same data): only ``X-Request-ID`` (random) and ``ETag`` (a hash of the body) are compared by
shape rather than value. One header was corrected since: ``Content-Language`` names the language
of the texts sent (an article without the reader's translation is in English), where it used to
name the request's.
"""

import re

import pytest
from django.test import override_settings
from rest_framework.throttling import AnonRateThrottle

from portal import middleware
from tests.education.factories import ArticleFactory
from tests.factories import PatientFactory

ORIGIN = "https://www.spine-clinic.example"
REQUEST_ID = re.compile(r"^[0-9a-f]{32}$")
ETAG = re.compile(r'^"[0-9a-f]{32}"$')

CSP = {
    "base-uri 'none'",
    "connect-src 'self'",
    "default-src 'self'",
    "font-src 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "img-src 'self' data:",
    "object-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
}
SECURITY = {
    "Cross-Origin-Opener-Policy": "same-origin",
    "Referrer-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
}
CACHED_JSON = {
    **SECURITY,
    "Age": "0",
    "Allow": "GET, HEAD, OPTIONS",
    "Cache-Control": "public, max-age=60",
    "Content-Type": "application/json",
    "Vary": "Accept-Language, origin",
}


def _headers(response) -> dict[str, str]:
    """The response's headers, ``X-Request-ID`` and ``ETag`` checked for shape and left out."""
    headers = dict(response.headers)
    assert REQUEST_ID.match(headers.pop("X-Request-ID"))
    # django-csp writes the directives in no fixed order.
    assert set(headers.pop("Content-Security-Policy").split("; ")) == CSP
    if "ETag" in headers:
        assert ETAG.match(headers.pop("ETag"))
    headers.pop("Content-Length", None)  # the body's size: compared through the body itself
    return headers


@pytest.fixture
def article(db):
    return ArticleFactory(slug="sciatica-basics")


@pytest.fixture
def taken(monkeypatch):
    """The paths each request took: ``public`` when the short path answered it."""
    paths: list[str] = []
    original = middleware.PublicReadMiddleware.__call__

    def spy(self, request):
        paths.append("public" if self.is_public_read(request) else "full")
        return original(self, request)

    monkeypatch.setattr(middleware.PublicReadMiddleware, "__call__", spy)
    return paths


CASES = [
    ("/api/v1/locations/", {}, 200, {**CACHED_JSON, "Content-Language": "en"}),
    (
        "/api/v1/locations/lawrenceville-nj/",
        {"HTTP_ACCEPT_LANGUAGE": "es"},
        200,
        {**CACHED_JSON, "Content-Language": "es"},
    ),
    ("/api/v1/providers/", {}, 200, {**CACHED_JSON, "Content-Language": "en"}),
    ("/api/v1/providers/elena-marsh/", {}, 200, {**CACHED_JSON, "Content-Language": "en"}),
    (
        "/api/v1/locations/nowhere/",
        {},
        404,
        {
            **SECURITY,
            "Allow": "GET, HEAD, OPTIONS",
            "Content-Language": "en",
            "Content-Type": "application/json",
            "Vary": "Accept-Language, origin",
        },
    ),
]


@pytest.mark.parametrize(("url", "extra", "status", "expected"), CASES)
def test_public_reads_keep_their_headers(
    api_client, clinic_world, taken, url, extra, status, expected
):
    response = api_client.get(url, **extra)

    assert response.status_code == status
    assert _headers(response) == expected
    assert taken == ["public"]


def test_a_304_keeps_its_headers(api_client, clinic_world, taken):
    etag = api_client.get("/api/v1/locations/")["ETag"]

    response = api_client.get("/api/v1/locations/", HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 304
    assert response["ETag"] == etag
    expected = {**CACHED_JSON, "Content-Language": "en"}
    del expected["Content-Type"]  # a 304 has no body
    assert _headers(response) == expected
    assert taken == ["public", "public"]


@override_settings(CORS_ALLOWED_ORIGINS=[ORIGIN])
def test_cors_headers_stay(api_client, clinic_world, taken):
    response = api_client.get("/api/v1/locations/", HTTP_ORIGIN=ORIGIN)

    assert _headers(response) == {
        **CACHED_JSON,
        "Content-Language": "en",
        "access-control-allow-origin": ORIGIN,
        "access-control-expose-headers": "ETag, Retry-After",
    }
    assert taken == ["public"]


def test_articles_keep_their_headers_and_the_language_cookie_still_counts(
    api_client, article, taken
):
    listed = api_client.get("/api/v1/articles/")
    api_client.cookies["django_language"] = "es"
    read = api_client.get("/api/v1/articles/sciatica-basics/")

    assert listed.status_code == read.status_code == 200
    expected = {
        **SECURITY,
        "Allow": "GET, HEAD, OPTIONS",
        "Cache-Control": "public, max-age=60",
        "Content-Type": "application/json",
        "Vary": "Accept-Language, Cookie, origin",
    }
    assert _headers(listed) == {
        **expected,
        "Content-Language": "en",
        "Last-Modified": listed["Last-Modified"],
    }
    assert _headers(read) == {
        **expected,
        "Content-Language": "en",
        "Last-Modified": read["Last-Modified"],
    }
    assert read.json()["language"] == "en"  # no Spanish version: English, and it says so
    assert taken == ["public", "public"]


def test_availability_keeps_its_headers(api_client, clinic_world, taken):
    response = api_client.get(
        "/api/v1/locations/lawrenceville-nj/availability/",
        {"type": "new-consultation", "start": "2026-10-06", "end": "2026-10-06"},
    )

    assert response.status_code == 200
    assert len(response.json()["slots"]) > 0
    assert _headers(response) == {
        **SECURITY,
        "Allow": "GET, HEAD, OPTIONS",
        "Content-Language": "en",
        "Content-Type": "application/json",
        "Vary": "Accept-Language, origin",
    }
    assert taken == ["public"]


def test_throttling_still_applies_on_the_short_path(api_client, clinic_world, taken, monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "2/min"})
    statuses = [api_client.get("/api/v1/locations/").status_code for _ in range(3)]

    assert statuses == [200, 200, 429]
    assert taken == ["public"] * 3


# --- where the short path is never taken ------------------------------------------------------


def test_a_signed_in_patient_takes_the_full_path(client, clinic_world, taken):
    patient = PatientFactory()
    client.force_login(patient)

    own = client.get("/api/v1/me/")
    listed = client.get("/api/v1/locations/")

    assert own.status_code == 200
    assert own["Cache-Control"] == "no-store, private"
    assert own["Vary"] == "Accept-Language, Cookie, origin"
    assert listed.status_code == 200
    assert listed["Vary"] == "Accept-Language, Cookie, origin"
    assert taken == ["full", "full"]


def test_a_token_takes_the_full_path(api_client, clinic_world, taken):
    response = api_client.get("/api/v1/locations/", HTTP_AUTHORIZATION="Token nope")

    assert response.status_code == 200
    assert taken == ["full"]


def test_writes_pages_and_the_admin_take_the_full_path(api_client, clinic_world, taken):
    api_client.post("/api/v1/locations/", {})
    api_client.options("/api/v1/locations/")
    api_client.get("/admin/")
    api_client.get("/locations/lawrenceville-nj/")
    api_client.get("/api/v1/me/")
    api_client.get("/api/v1/appointments/")

    assert taken == ["full"] * 6


def test_an_unknown_api_path_takes_the_full_path(api_client, db, taken):
    response = api_client.get("/api/v1/no-such-thing/")

    assert response.status_code == 404
    assert taken == ["full"]
