"""Whole answers of public reads kept by the short path (``portal.middleware``): a hit sends
the same headers as the miss that stored it (request id and CORS per request), runs no SQL,
answers 304 for its ETag, keeps languages apart, is never used for a signed-in patient or a
token, and a committed edit of anything it shows is visible on the next request."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.utils import timezone

from education import services as articles
from education.models import ArticleTranslation
from portal import middleware, public_cache
from scheduling.services import appointment_cancel
from tests.education.factories import ArticleFactory
from tests.factories import PatientFactory, StaffFactory
from tests.portal.helpers import book_first_lawrenceville_time

ORIGIN = "https://www.spine-clinic.example"
LOCATION = "/api/v1/locations/lawrenceville-nj/"
AVAILABILITY = "/api/v1/locations/lawrenceville-nj/availability/"
DAY = {"type": "new-consultation", "start": "2026-10-05", "end": "2026-10-05"}
PATHS = [
    ("/api/v1/locations/", {}),
    ("/api/v1/locations/lawrenceville-nj/", {}),
    ("/api/v1/providers/", {}),
    ("/api/v1/providers/elena-marsh/", {"lang": "es"}),
    ("/api/v1/articles/", {}),
    ("/api/v1/articles/sciatica-basics/", {}),
    (AVAILABILITY, DAY),
]


def _headers(response) -> dict[str, str]:
    headers = dict(response.headers)
    assert len(headers.pop("X-Request-ID")) == 32
    return headers


@pytest.fixture
def article(db):
    return ArticleFactory(slug="sciatica-basics", title="Sciatica basics")


@pytest.mark.parametrize(("url", "params"), PATHS)
def test_a_hit_sends_what_the_miss_sent_without_sql(
    api_client, clinic_world, article, django_assert_num_queries, url, params
):
    miss = api_client.get(url, params)

    with django_assert_num_queries(0):
        hit = api_client.get(url, params)

    assert miss.status_code == hit.status_code == 200
    assert hit.content == miss.content
    assert _headers(hit) == _headers(miss)
    assert hit["X-Request-ID"] != miss["X-Request-ID"]


def test_a_hit_keeps_the_time_its_body_was_built_in_age(api_client, clinic_world, public_now):
    assert api_client.get("/api/v1/locations/")["Age"] == "0"
    public_now.shift(timedelta(seconds=25))

    assert api_client.get("/api/v1/locations/")["Age"] == "25"

    public_now.shift(timedelta(seconds=40))  # past a minute since it was built: rebuilt
    assert api_client.get("/api/v1/locations/")["Age"] == "0"


@pytest.mark.parametrize(
    "url", ["/api/v1/locations/", "/api/v1/articles/sciatica-basics/", AVAILABILITY]
)
def test_a_304_from_a_hit_is_the_304_of_a_miss(api_client, clinic_world, article, url):
    params = DAY if url == AVAILABILITY else {}
    etag = api_client.get(url, params).get("ETag")
    if etag is None:  # availability has no validators: a hit answers 200 to any If-None-Match
        assert api_client.get(url, params, HTTP_IF_NONE_MATCH='"x"').status_code == 200
        return
    cache.clear()
    miss = api_client.get(url, params, HTTP_IF_NONE_MATCH=etag)
    api_client.get(url, params)  # stored

    hit = api_client.get(url, params, HTTP_IF_NONE_MATCH=etag)

    assert miss.status_code == hit.status_code == 304
    assert hit.content == b""
    assert _headers(hit) == _headers(miss)


@override_settings(CORS_ALLOWED_ORIGINS=[ORIGIN])
def test_cors_headers_are_per_request_on_a_hit(api_client, clinic_world):
    api_client.get("/api/v1/locations/")  # stored without an Origin

    hit = api_client.get("/api/v1/locations/", HTTP_ORIGIN=ORIGIN)
    other = api_client.get("/api/v1/locations/", HTTP_ORIGIN="https://elsewhere.example")

    assert hit["Access-Control-Allow-Origin"] == ORIGIN
    assert hit["Access-Control-Expose-Headers"] == "ETag, Retry-After"
    assert hit["Vary"] == "Accept-Language, origin"
    assert "Access-Control-Allow-Origin" not in other


def test_languages_are_never_mixed(api_client, clinic_world, article):
    ArticleTranslation.objects.create(
        article=article, language="es", title="Ciática", summary="Resumen"
    )

    def titles(url, **extra):
        response = api_client.get(url, **extra)
        body = response.json()
        found = body["results"] if "results" in body else body["articles"]
        return response["Content-Language"], [a["title"] for a in found]

    for _ in range(2):  # a miss, then hits
        assert titles("/api/v1/articles/") == ("en", ["Sciatica basics"])
        assert titles("/api/v1/articles/", HTTP_ACCEPT_LANGUAGE="es") == ("es", ["Ciática"])
        assert titles(LOCATION) == ("en", ["Sciatica basics"])
        assert titles(LOCATION, HTTP_ACCEPT_LANGUAGE="es") == ("es", ["Ciática"])
        api_client.cookies["django_language"] = "es"
        # Articles follow the cookie; the location's texts follow Accept-Language only, and
        # its Content-Language says so.
        assert titles("/api/v1/articles/") == ("es", ["Ciática"])
        assert titles(LOCATION) == ("en", ["Sciatica basics"])
        del api_client.cookies["django_language"]


def test_content_language_names_the_language_of_the_texts(api_client, clinic_world, article):
    """``lang`` wins over the cookie and ``Accept-Language``; an article without the asked
    translation is in English and says so, from a miss and from each kind of hit."""
    ArticleTranslation.objects.create(
        article=article, language="es", title="Ciática", summary="Resumen"
    )
    other = ArticleFactory(slug="neck-pain")
    api_client.cookies["django_language"] = "en"

    def read(url, **params):
        response = api_client.get(url, params, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 200
        return response["Content-Language"]

    for _ in range(2):  # a miss, then hits
        assert read("/api/v1/locations/", lang="es") == "es"
        assert read(LOCATION, lang="es") == "es"
        assert read("/api/v1/providers/", lang="es") == "es"
        assert read("/api/v1/articles/", lang="es") == "es"
        assert read("/api/v1/articles/sciatica-basics/", lang="es") == "es"
        assert read(f"/api/v1/articles/{other.slug}/", lang="es") == "en"
        assert read(LOCATION) == "en"


def test_a_session_cookie_or_a_token_never_reads_nor_fills_the_cache(
    client, api_client, clinic_world, monkeypatch
):
    calls = []
    for name in ("public_response_lookup", "public_response_store"):
        original = getattr(public_cache, name)
        monkeypatch.setattr(
            public_cache,
            name,
            lambda _original=original, _name=name, **kw: calls.append(_name) or _original(**kw),
        )
    client.force_login(PatientFactory())

    assert client.get("/api/v1/locations/").status_code == 200
    assert api_client.get("/api/v1/locations/", HTTP_AUTHORIZATION="Token nope").status_code
    assert calls == []

    assert api_client.get("/api/v1/locations/").status_code == 200
    assert calls == ["public_response_lookup", "public_response_store"]


def test_other_accepts_and_preconditions_bypass_the_cache(api_client, clinic_world, monkeypatch):
    looked_up = []
    original = public_cache.public_response_lookup
    monkeypatch.setattr(
        public_cache,
        "public_response_lookup",
        lambda **kw: looked_up.append(kw["key"]) or original(**kw),
    )

    api_client.get("/api/v1/locations/", HTTP_ACCEPT="text/html")
    api_client.get("/api/v1/locations/", {"format": "json"})
    api_client.get("/api/v1/locations/", HTTP_IF_MODIFIED_SINCE="Mon, 05 Oct 2026 10:00:00 GMT")

    assert looked_up == []


def test_the_query_is_normalised_in_the_key(rf):
    one = rf.get("/api/v1/articles/", {"tag": "sciatica", "category": "conditions"})
    two = rf.get("/api/v1/articles/?category=conditions&tag=sciatica")
    spanish = rf.get(two.get_full_path(), HTTP_ACCEPT_LANGUAGE="es")

    key = middleware.PublicReadMiddleware.response_key
    assert key(one) == key(two) != key(spanish)


# --- invalidation -----------------------------------------------------------------------------


def test_an_article_edit_publication_and_unpublication_show_on_the_next_request(
    api_client, clinic_world, article, django_capture_on_commit_callbacks
):
    assert api_client.get("/api/v1/articles/sciatica-basics/").json()["title"] == (
        "Sciatica basics"
    )

    with django_capture_on_commit_callbacks(execute=True):
        articles.article_update(article=article, user=None, title="Sciatica, explained")
    assert api_client.get("/api/v1/articles/sciatica-basics/").json()["title"] == (
        "Sciatica, explained"
    )
    assert api_client.get("/api/v1/articles/").json()["count"] == 1

    with django_capture_on_commit_callbacks(execute=True):
        articles.article_archive(article=article, user=None)
    assert api_client.get("/api/v1/articles/sciatica-basics/").status_code == 404
    assert api_client.get("/api/v1/articles/").json()["count"] == 0

    with django_capture_on_commit_callbacks(execute=True):
        articles.article_publish(article=article, user=None)
    assert api_client.get("/api/v1/articles/").json()["count"] == 1


def test_a_scheduled_article_appears_when_its_time_comes(api_client, clinic_world, public_now):
    ArticleFactory(slug="now")
    ArticleFactory(slug="soon", published_at=timezone.now() + timedelta(seconds=20))
    assert api_client.get("/api/v1/articles/").json()["count"] == 1

    public_now.shift(timedelta(seconds=19))
    assert api_client.get("/api/v1/articles/").json()["count"] == 1
    public_now.shift(timedelta(seconds=2))
    assert api_client.get("/api/v1/articles/").json()["count"] == 2


def _starts(api_client) -> list[str]:
    return [slot["start"] for slot in api_client.get(AVAILABILITY, DAY).json()["slots"]]


def test_a_booking_and_a_cancellation_show_in_availability_at_once(
    api_client, clinic_world, django_capture_on_commit_callbacks
):
    world = clinic_world
    assert "2026-10-05T11:00:00-04:00" in _starts(api_client)

    with django_capture_on_commit_callbacks(execute=True):
        appointment = book_first_lawrenceville_time(world)
    assert "2026-10-05T11:00:00-04:00" not in _starts(api_client)

    with django_capture_on_commit_callbacks(execute=True):
        appointment_cancel(appointment=appointment, actor=StaffFactory(), override_cutoff=True)
    assert "2026-10-05T11:00:00-04:00" in _starts(api_client)


def test_availability_never_trusts_the_workers_memory(
    api_client, clinic_world, settings, monkeypatch
):
    """A booking committed in another worker shows at once. Without announcements (this cache
    is local memory; on Redis see test_public_cache_announcements.py) the shared cache is asked
    on every availability request, while locations may come from this worker's memory for a
    second."""
    settings.PUBLIC_API_WORKER_CACHE_SECONDS = 1
    monkeypatch.setattr(public_cache, "_worker", public_cache._WorkerCache())
    api_client.get(AVAILABILITY, DAY)
    api_client.get("/api/v1/locations/")
    reads = []
    for name in ("get", "get_many"):
        original = getattr(public_cache.cache, name)

        def spy(keys, *args, _original=original):
            if not str(keys).startswith("throttle_"):  # the throttles' own keys aside
                reads.append(keys)
            return _original(keys, *args)

        monkeypatch.setattr(public_cache.cache, name, spy)

    api_client.get("/api/v1/locations/")
    assert reads == []
    api_client.get(AVAILABILITY, DAY)
    assert reads == [public_cache.GENERATION_KEY]  # the answer itself: from this worker

    cache.set(public_cache.GENERATION_KEY, "another-worker-wrote", timeout=None)
    world = clinic_world
    type(world.marsh).objects.filter(pk=world.marsh.pk).update(is_active=False)
    assert _starts(api_client) == []


def test_availability_is_kept_thirty_seconds_at_most(api_client, clinic_world, public_now):
    assert _starts(api_client)
    type(clinic_world.marsh).objects.filter(pk=clinic_world.marsh.pk).update(is_active=False)

    public_now.shift(timedelta(seconds=29))
    assert _starts(api_client)  # from the cache: no write announced the change
    public_now.shift(timedelta(seconds=2))
    assert _starts(api_client) == []


def test_a_head_is_answered_from_a_stored_get_but_never_stores(
    api_client, clinic_world, monkeypatch
):
    stored = []
    original = public_cache.public_response_store
    monkeypatch.setattr(
        public_cache,
        "public_response_store",
        lambda **kw: stored.append(kw["key"]) or original(**kw),
    )

    assert api_client.head("/api/v1/providers/").status_code == 200
    assert stored == []
    get = api_client.get("/api/v1/providers/")
    head = api_client.head("/api/v1/providers/")

    assert len(stored) == 1
    assert head.status_code == 200
    assert head["ETag"] == get["ETag"]
