"""Caching of the public API: validators and 304s, answers from the cache without SQL, and a
new generation (so fresh answers) whenever something they show changes."""

import re
from datetime import date, time, timedelta

import pytest
from django.core.cache import cache
from django.db import transaction
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from clinic.models import OpeningHours
from education.models import ArticleTranslation
from portal import public_cache
from scheduling.models import ProviderAppointmentType, ScheduleOverride, WorkingHours
from scheduling.services import appointment_cancel
from tests.conftest import redis_url
from tests.education.factories import ArticleFactory
from tests.factories import ProviderFactory, ServiceFactory, StaffFactory
from tests.portal.helpers import book_first_lawrenceville_time

ENDPOINTS = [
    "/api/v1/locations/",
    "/api/v1/locations/lawrenceville-nj/",
    "/api/v1/providers/",
    "/api/v1/providers/elena-marsh/",
]
ETAG = re.compile(r'^"[0-9a-f]{32}"$')


@pytest.mark.parametrize("url", ENDPOINTS)
def test_answers_carry_an_etag_and_may_be_cached_publicly_for_a_minute(
    api_client, clinic_world, url
):
    response = api_client.get(url)

    assert response.status_code == 200
    assert ETAG.match(response["ETag"])
    assert response["Cache-Control"] == "public, max-age=60"
    assert response["Age"] == "0"
    assert response["Content-Type"] == "application/json"


@pytest.mark.parametrize("url", ENDPOINTS)
def test_a_matching_if_none_match_gets_304_with_the_same_validators(api_client, clinic_world, url):
    first = api_client.get(url)

    again = api_client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]
    assert again["Cache-Control"] == "public, max-age=60"


@pytest.mark.parametrize(
    ("header", "status"),
    [
        ("{etag}", 304),
        ("W/{etag}", 304),
        ('"stale", {etag}', 304),
        ("*", 304),
        ('"stale"', 200),
        ("", 200),
    ],
)
def test_if_none_match_uses_weak_comparison_and_lists(api_client, clinic_world, header, status):
    etag = api_client.get("/api/v1/locations/")["ETag"]

    response = api_client.get("/api/v1/locations/", HTTP_IF_NONE_MATCH=header.format(etag=etag))

    assert response.status_code == status


def test_the_etag_is_the_content_so_a_rebuild_keeps_it_and_a_language_changes_it(
    api_client, clinic_world
):
    ArticleTranslation.objects.create(
        article=ArticleFactory(title="Sciatica"), language="es", title="Ciática", summary="Resumen"
    )
    url = "/api/v1/locations/lawrenceville-nj/"
    english = api_client.get(url)["ETag"]
    cache.clear()

    assert api_client.get(url)["ETag"] == english
    spanish = api_client.get(url, HTTP_ACCEPT_LANGUAGE="es")
    assert spanish["ETag"] != english
    assert "Accept-Language" in spanish["Vary"]


@pytest.mark.parametrize("url", ENDPOINTS)
def test_cached_answers_and_304s_run_no_sql(
    api_client, clinic_world, url, django_assert_num_queries
):
    etag = api_client.get(url)["ETag"]

    with django_assert_num_queries(0):
        assert api_client.get(url).status_code == 200
    with django_assert_num_queries(0):
        assert api_client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_age_grows_and_the_answer_is_rebuilt_after_a_minute(api_client, clinic_world, public_now):
    """What no write announces (here an update that sends no signal) shows within a minute."""
    url = "/api/v1/locations/houston-tx/"
    api_client.get(url)
    OpeningHours.objects.filter(location=clinic_world.houston, weekday=0).update(closes=time(16))

    public_now.shift(timedelta(seconds=45))
    cached = api_client.get(url)
    assert cached["Age"] == "45"
    assert cached.json()["hours"]["monday"] == [{"opens": "09:00", "closes": "17:00"}]

    public_now.shift(timedelta(seconds=16))
    fresh = api_client.get(url)
    assert fresh["Age"] == "0"
    assert fresh.json()["hours"]["monday"] == [{"opens": "09:00", "closes": "16:00"}]


def _rename_location(world):
    world.lawrenceville.name = "Lawrenceville Medical Park"
    world.lawrenceville.save()
    return lambda api: api("/api/v1/locations/")[0]["name"] == "Lawrenceville Medical Park"


def _add_opening_hours(world):
    OpeningHours.objects.create(
        location=world.lawrenceville, weekday=5, opens=time(9), closes=time(12)
    )
    return lambda api: api("/api/v1/locations/")[0]["hours"]["saturday"] != []


def _rename_service(world):
    world.therapy.name = "Physiotherapy"
    world.therapy.save()
    return lambda api: api("/api/v1/locations/")[0]["services"][0]["name"] == "Physiotherapy"


def _add_service_to_location(world):
    world.houston.services.add(ServiceFactory(slug="rfa", name="Radiofrequency ablation"))
    return lambda api: len(api("/api/v1/locations/")[1]["services"]) == 2


def _rename_physician(world):
    world.marsh.name = "Dr. Elena Marsh-Ortiz"
    world.marsh.save()
    return lambda api: api("/api/v1/providers/elena-marsh/")["name"] == "Dr. Elena Marsh-Ortiz"


def _physician_joins_location(world):
    ProviderFactory(slug="new-doctor", name="Dr. New").locations.add(world.houston)
    return lambda api: len(api("/api/v1/locations/houston-tx/")["providers"]) == 2


def _working_hours_removed(world):
    WorkingHours.objects.filter(provider=world.marsh, weekday=0).delete()
    return lambda api: api("/api/v1/locations/")[0]["next_available"]["start"].startswith(
        "2026-10-06T09:00"
    )


def _time_off(world):
    ScheduleOverride.objects.create(
        provider=world.marsh, date=date(2026, 10, 5), kind=ScheduleOverride.Kind.TIME_OFF
    )
    return lambda api: api("/api/v1/locations/")[0]["next_available"]["start"].startswith(
        "2026-10-06T09:00"
    )


def _type_no_longer_offered(world):
    ProviderAppointmentType.objects.filter(provider=world.marsh).delete()
    return lambda api: api("/api/v1/locations/")[0]["next_available"] is None


def _appointment_booked(world):
    book_first_lawrenceville_time(world)
    return lambda api: api("/api/v1/locations/")[0]["next_available"]["start"].startswith(
        "2026-10-05T11:30"
    )


def _article_published(world):
    ArticleFactory(slug="fresh", title="Fresh article")
    return lambda api: (
        [a["slug"] for a in api("/api/v1/locations/houston-tx/")["articles"]] == ["fresh"]
    )


@pytest.mark.parametrize(
    "change",
    [
        _rename_location,
        _add_opening_hours,
        _rename_service,
        _add_service_to_location,
        _rename_physician,
        _physician_joins_location,
        _working_hours_removed,
        _time_off,
        _type_no_longer_offered,
        _appointment_booked,
        _article_published,
    ],
)
def test_a_committed_change_shows_at_once(
    api_client, clinic_world, django_capture_on_commit_callbacks, change
):
    def api(url):
        return api_client.get(url).json()

    for url in [*ENDPOINTS, "/api/v1/locations/houston-tx/"]:
        api(url)

    with django_capture_on_commit_callbacks(execute=True):
        shows = change(clinic_world)

    assert shows(api)


def test_a_cancellation_frees_the_time_at_once(
    api_client, clinic_world, django_capture_on_commit_callbacks
):
    world = clinic_world
    with django_capture_on_commit_callbacks(execute=True):
        appointment = book_first_lawrenceville_time(world)
    assert api_client.get("/api/v1/locations/").json()[0]["next_available"]["start"] == (
        "2026-10-05T11:30:00-04:00"
    )

    with django_capture_on_commit_callbacks(execute=True):
        appointment_cancel(appointment=appointment, actor=StaffFactory(), override_cutoff=True)

    assert api_client.get("/api/v1/locations/").json()[0]["next_available"]["start"] == (
        "2026-10-05T11:00:00-04:00"
    )


def test_a_translation_and_an_article_moved_to_another_location_show_at_once(
    api_client, clinic_world, django_capture_on_commit_callbacks
):
    article = ArticleFactory(slug="sciatica", title="Sciatica")
    url = "/api/v1/locations/houston-tx/"
    api_client.get(url, {"lang": "es"})

    with django_capture_on_commit_callbacks(execute=True):
        ArticleTranslation.objects.create(
            article=article, language="es", title="Ciática", summary="Resumen"
        )
    assert api_client.get(url, {"lang": "es"}).json()["articles"][0]["title"] == "Ciática"

    with django_capture_on_commit_callbacks(execute=True):
        article.locations.set([clinic_world.lawrenceville])
    assert api_client.get(url, {"lang": "es"}).json()["articles"] == []


def test_a_rolled_back_write_does_not_invalidate(
    api_client, clinic_world, django_capture_on_commit_callbacks
):
    api_client.get("/api/v1/providers/")
    generation = cache.get(public_cache.GENERATION_KEY)

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        clinic_world.marsh.save()
        transaction.set_rollback(True)

    assert cache.get(public_cache.GENERATION_KEY) == generation


def test_a_lost_generation_never_revives_an_old_answer(api_client, clinic_world):
    """Eviction of the generation key (or a Redis restart) starts a new random generation."""
    api_client.get("/api/v1/providers/")
    type(clinic_world.marsh).objects.filter(pk=clinic_world.marsh.pk).update(name="Dr. Renamed")

    cache.delete(public_cache.GENERATION_KEY)

    assert api_client.get("/api/v1/providers/").json()[0]["name"] == "Dr. Renamed"


def test_a_body_built_while_a_write_commits_is_not_served_after_it():
    """The generation is read before building: a body from old data carries the old one."""
    builds = []

    def build():
        builds.append(1)
        if len(builds) == 1:
            public_cache.public_cache_bump()  # a write commits while this body is built
        return b"{}"

    def entry():
        return public_cache.public_cache_entry(key="race", build=build, etag_of=str)

    entry()
    entry()
    entry()
    assert len(builds) == 2


def test_a_write_succeeds_when_the_cache_is_down(
    clinic_world, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    def unreachable(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(public_cache, "public_cache_bump", unreachable)
    clinic_world.marsh.name = "Dr. Still Saved"

    with django_capture_on_commit_callbacks(execute=True):
        clinic_world.marsh.save()

    clinic_world.marsh.refresh_from_db()
    assert clinic_world.marsh.name == "Dr. Still Saved"
    assert "cache down" in caplog.text


@pytest.mark.requires_redis
def test_the_cache_works_on_redis(api_client, clinic_world, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "clinic.cache.RedisCache",
            "LOCATION": redis_url(),
            "KEY_PREFIX": "test-public-api",
        }
    }
    url = "/api/v1/locations/lawrenceville-nj/"
    try:
        first = api_client.get(url)
        hit = api_client.get(url)
        not_modified = api_client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
        public_cache.public_cache_bump()
        rebuilt = api_client.get(url)
    finally:
        cache.delete_many(
            [
                public_cache.GENERATION_KEY,
                public_cache.ENTRY_PREFIX + "location:lawrenceville-nj:en",
            ]
        )

    assert (first.status_code, hit.status_code, not_modified.status_code) == (200, 200, 304)
    assert hit.content == first.content
    assert rebuilt.content == first.content
    assert rebuilt["ETag"] == first["ETag"]


@pytest.fixture
def worker_cache(settings, monkeypatch):
    """The per-worker memory layer as in production (the test settings turn it off)."""
    settings.PUBLIC_API_WORKER_CACHE_SECONDS = 1
    monkeypatch.setattr(public_cache, "_worker", public_cache._WorkerCache())


def test_a_worker_answers_from_memory_without_asking_the_shared_cache(
    api_client, clinic_world, worker_cache, monkeypatch
):
    api_client.get("/api/v1/locations/")
    reads = []
    original = public_cache.cache.get_many
    monkeypatch.setattr(
        public_cache.cache, "get_many", lambda keys: reads.append(keys) or original(keys)
    )

    assert api_client.get("/api/v1/locations/").status_code == 200
    assert reads == []


def test_a_write_in_another_worker_shows_within_a_second(
    api_client, clinic_world, worker_cache, public_now
):
    api_client.get("/api/v1/providers/")
    type(clinic_world.marsh).objects.filter(pk=clinic_world.marsh.pk).update(name="Dr. Renamed")
    cache.set(public_cache.GENERATION_KEY, "bumped-by-another-worker", timeout=None)

    assert api_client.get("/api/v1/providers/").json()[0]["name"] == "Dr. Elena Marsh"
    public_now.shift(1.01)
    assert api_client.get("/api/v1/providers/").json()[0]["name"] == "Dr. Renamed"


def test_a_write_in_this_worker_shows_at_once(
    api_client, clinic_world, worker_cache, django_capture_on_commit_callbacks
):
    api_client.get("/api/v1/providers/")
    clinic_world.marsh.name = "Dr. Renamed"

    with django_capture_on_commit_callbacks(execute=True):
        clinic_world.marsh.save()

    assert api_client.get("/api/v1/providers/").json()[0]["name"] == "Dr. Renamed"


@pytest.mark.parametrize("url", ENDPOINTS)
def test_a_hit_answers_exactly_as_the_full_path(api_client, clinic_world, url):
    """Hits skip DRF's request machinery; what the client sees must not change."""
    built = api_client.get(url)  # a miss: the full DRF path
    hit = api_client.get(url)

    assert hit.content == built.content
    for header in ("Content-Type", "ETag", "Cache-Control", "Age", "Allow", "Vary"):
        assert hit[header] == built[header], header


def test_a_throttled_hit_is_counted_as_drf_counts_it(api_client, clinic_world, monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "2/min"})
    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {"user": "10/min"})

    statuses = [api_client.get("/api/v1/providers/").status_code for _ in range(3)]

    assert statuses == [200, 200, 429]
    # The refused request was judged once: not recorded by the throttle that refused it, and
    # recorded once by the one that let it through (as DRF's own check does).
    assert len(cache.get("throttle_anon_127.0.0.1")) == 2
    assert len(cache.get("throttle_user_127.0.0.1")) == 3
