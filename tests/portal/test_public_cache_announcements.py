"""Availability answered from a worker's memory, exactly, on Redis: a new cache generation is
announced (published in the transaction that sets it) and each worker thread listens, so a hit
asks Redis nothing until a change is announced, and a lost subscription is never trusted (one
lost without a word, for two seconds at most)."""

import queue
import threading
import time as clock
import uuid

import pytest
import redis
from django.core.cache import cache, caches
from django.db import connections, transaction
from rest_framework.test import APIClient

from portal import public_cache
from tests.conftest import redis_url
from tests.portal.helpers import book_first_lawrenceville_time

pytestmark = pytest.mark.requires_redis

AVAILABILITY = "/api/v1/locations/lawrenceville-nj/availability/"
DAY = {"type": "new-consultation", "start": "2026-10-05", "end": "2026-10-05"}
ELEVEN = "2026-10-05T11:00:00-04:00"


@pytest.fixture
def redis_cache(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "clinic.cache.RedisCache",
            "LOCATION": redis_url(),
            "KEY_PREFIX": f"test-announce-{uuid.uuid4().hex}",
        }
    }
    yield
    keys = list(redis.Redis.from_url(redis_url()).scan_iter(f"{cache.key_prefix}:*"))
    if keys:
        redis.Redis.from_url(redis_url()).delete(*keys)


@pytest.fixture
def cache_reads(monkeypatch):
    """The keys this thread reads from the shared cache (but the throttles'), from the moment
    it is used."""
    reads: list = []

    def start():
        backend = caches["default"]
        for name in ("get", "get_many"):
            original = getattr(backend, name)

            def spy(keys, *args, _original=original):
                if not str(keys).startswith("throttle_"):  # the throttles' own counters aside
                    reads.append(keys)
                return _original(keys, *args)

            monkeypatch.setattr(backend, name, spy)
        return reads

    return start


def _starts(api_client) -> list[str]:
    response = api_client.get(AVAILABILITY, DAY)
    assert response.status_code == 200
    return [slot["start"] for slot in response.json()["slots"]]


def _told_of_a_change(deadline_seconds: float = 2.0) -> None:
    """Until this thread's watch has received the announcement (on loopback: microseconds
    after the transaction that made it)."""
    deadline = clock.monotonic() + deadline_seconds
    while public_cache._announced_generation() is not None:
        assert clock.monotonic() < deadline, "the announcement never arrived"
        clock.sleep(0.001)


def test_a_hit_asks_redis_nothing_and_a_booking_shows_once_announced(
    api_client, clinic_world, redis_cache, cache_reads, django_capture_on_commit_callbacks
):
    assert ELEVEN in _starts(api_client)  # built and stored
    assert ELEVEN in _starts(api_client)  # from the worker's memory, after subscribing
    reads = cache_reads()
    assert ELEVEN in _starts(api_client)
    assert reads == []

    with django_capture_on_commit_callbacks(execute=True):
        book_first_lawrenceville_time(clinic_world)
    _told_of_a_change()
    assert ELEVEN not in _starts(api_client)
    assert reads[0] == public_cache.GENERATION_KEY  # told of a change: asked once
    reads.clear()
    assert ELEVEN not in _starts(api_client)
    assert reads == []


def test_a_change_announced_by_another_worker_shows_on_the_next_request(
    api_client, clinic_world, redis_cache
):
    assert _starts(api_client)
    assert _starts(api_client)
    type(clinic_world.marsh).objects.filter(pk=clinic_world.marsh.pk).update(is_active=False)

    elsewhere = threading.Thread(target=public_cache.public_cache_bump)  # its own connections
    elsewhere.start()
    elsewhere.join()
    _told_of_a_change()
    assert _starts(api_client) == []


def test_a_lost_subscription_is_never_trusted(api_client, clinic_world, redis_cache, cache_reads):
    assert _starts(api_client)
    assert _starts(api_client)
    watch = public_cache._announced.watch
    port = watch._pubsub.connection._sock.getsockname()[1]
    admin = redis.Redis.from_url(redis_url())
    assert admin.client_kill(f"127.0.0.1:{port}") is True
    admin.close()
    # A change whose announcement this worker cannot have heard (it was not listening).
    type(clinic_world.marsh).objects.filter(pk=clinic_world.marsh.pk).update(is_active=False)
    cache.set(public_cache.GENERATION_KEY, "set-while-this-worker-was-deaf", timeout=None)

    reads = cache_reads()
    assert _starts(api_client) == []
    assert reads[0] == public_cache.GENERATION_KEY


def test_a_subscription_fallen_silent_is_trusted_two_seconds_at_most(
    api_client, clinic_world, redis_cache, cache_reads
):
    """A connection that dies without a word (a NAT forgetting it): no error, no messages. The
    change whose announcement it lost shows once the watch's PING goes unanswered."""
    assert _starts(api_client)
    assert _starts(api_client)
    watch = public_cache._announced.watch
    now = [clock.monotonic()]
    watch._clock = lambda: now[0]
    watch._pubsub.get_message = lambda **kwargs: None
    type(clinic_world.marsh).objects.filter(pk=clinic_world.marsh.pk).update(is_active=False)
    elsewhere = threading.Thread(target=public_cache.public_cache_bump)  # announced, unheard
    elsewhere.start()
    elsewhere.join()

    reads = cache_reads()
    now[0] += 1.0
    assert _starts(api_client)  # inside the window: the PING goes out
    assert reads == []
    now[0] += 1.0
    assert _starts(api_client) == []  # unanswered for a second: Redis is asked
    assert reads[0] == public_cache.GENERATION_KEY


class OtherWorker:
    """Another worker process, as far as the cache can tell: a thread of its own (its own watch,
    cache client and database connection) serving the calls it is handed, one at a time."""

    def __init__(self) -> None:
        self._calls: queue.Queue = queue.Queue()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        try:
            while (item := self._calls.get()) is not None:
                call, done = item
                try:
                    done.put((True, call()))
                except Exception as exc:  # handed back to the test
                    done.put((False, exc))
        finally:
            connections.close_all()

    def run(self, call):
        done: queue.Queue = queue.Queue()
        self._calls.put((call, done))
        ok, value = done.get(timeout=30)
        if not ok:
            raise value
        return value

    def stop(self) -> None:
        self._calls.put(None)
        self._thread.join(10)


@pytest.mark.requires_postgres
@pytest.mark.django_db(transaction=True)
def test_a_booking_is_offered_by_another_worker_until_it_commits_and_never_after(
    clinic_world, redis_cache
):
    other = OtherWorker()

    def offered() -> list[str]:
        return _starts(APIClient())

    def offered_once_told() -> list[str]:
        _told_of_a_change()
        return offered()

    def trusts_its_generation() -> bool:
        return public_cache._announced_generation() is not None

    try:
        assert ELEVEN in other.run(offered)
        assert ELEVEN in other.run(offered)
        assert other.run(trusts_its_generation)

        with transaction.atomic():
            book_first_lawrenceville_time(clinic_world)
            assert ELEVEN in other.run(offered)  # not committed: still free for everyone else
            assert other.run(trusts_its_generation)  # nothing announced before the commit

        assert ELEVEN not in other.run(offered_once_told)
    finally:
        other.stop()
