"""The shared cache's Redis backend (``clinic.cache``): Django's, with one client per pool."""

import time
import uuid
from unittest import mock

import pytest
import redis

from clinic.cache import ChannelWatch, RedisCache
from tests.conftest import redis_url

pytestmark = pytest.mark.requires_redis


@pytest.fixture
def shared_cache():
    backend = RedisCache(redis_url(), {"KEY_PREFIX": f"test-cache-{uuid.uuid4().hex}"})
    yield backend
    backend.delete_many(["a", "b", "n", "gone"])


def _within(seconds: float, condition) -> None:
    """Waits (in real time) until ``condition()``: an answer from Redis on loopback."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "Redis never answered"
        time.sleep(0.001)


def test_values_round_trip_as_with_djangos_backend(shared_cache):
    shared_cache.set("a", {"generation": "abc", "body": b"{}"}, timeout=30)
    assert shared_cache.get("a") == {"generation": "abc", "body": b"{}"}
    assert shared_cache.add("a", "other", timeout=30) is False
    assert shared_cache.add("b", "first", timeout=30) is True
    assert shared_cache.get_many(["a", "b", "missing"]) == {
        "a": {"generation": "abc", "body": b"{}"},
        "b": "first",
    }
    shared_cache.set("n", 1, timeout=30)
    assert shared_cache.incr("n") == 2
    shared_cache.set("gone", "x", timeout=30)
    assert shared_cache.delete("gone") is True
    assert shared_cache.get("gone", "default") == "default"


def test_one_redis_client_serves_every_call(shared_cache):
    built = mock.Mock(wraps=redis.Redis)
    with mock.patch.object(shared_cache._cache, "_client", built):
        for number in range(50):
            shared_cache.set("a", number, timeout=30)
            assert shared_cache.get("a") == number
    assert built.call_count == 1
    assert shared_cache._cache.get_client() is shared_cache._cache.get_client(write=True)


def test_a_connection_dropped_by_the_server_is_replaced(shared_cache):
    shared_cache.set("a", "before", timeout=30)
    client = shared_cache._cache.get_client()
    connection_id = client.client_id()  # the pool's idle connection, the one the next call takes
    admin = redis.Redis.from_url(redis_url())
    assert admin.client_kill_filter(_id=connection_id) == 1
    admin.close()

    assert shared_cache.get("a") == "before"
    assert shared_cache._cache.get_client() is client


def test_a_watch_tells_of_what_was_published_since_it_listened(shared_cache):
    watch = shared_cache.watch("changes")
    epoch = watch.listen()
    assert epoch is not None
    assert watch.epoch() == epoch  # nothing published

    shared_cache.set_and_publish("a", "new", channel="changes", timeout=30)
    assert shared_cache.get("a") == "new"
    _within(2, lambda: watch.epoch() != epoch)
    seen = watch.epoch()
    assert watch.epoch() == seen  # counted once
    shared_cache.set_and_publish("b", "other", channel="elsewhere", timeout=30)
    time.sleep(0.05)
    assert watch.epoch() == seen  # another channel: nothing for this watch
    watch.close()
    assert watch.epoch() is None


def test_a_watch_on_a_dead_redis_listens_to_nothing_and_waits_before_trying_again():
    dead = RedisCache("redis://127.0.0.1:1/0", {"OPTIONS": {"socket_connect_timeout": 0.2}})
    watch = dead.watch("changes")
    attempts = mock.Mock(wraps=watch._client.pubsub)
    with mock.patch.object(watch._client, "pubsub", attempts):
        assert watch.listen() is None
        assert watch.listen() is None
    assert attempts.call_count == 1
    assert watch.epoch() is None


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _watch(shared_cache, clock) -> ChannelWatch:
    client = shared_cache._cache.get_client(write=True)
    return ChannelWatch(client, shared_cache.make_key("changes"), clock=clock)


def test_a_quiet_watch_is_trusted_again_only_once_redis_answers_its_ping(shared_cache):
    clock = FakeClock()
    watch = _watch(shared_cache, clock)
    epoch = watch.listen()
    assert epoch is not None
    clock.now += 2.5
    assert watch.epoch() is None  # confirmed by the subscription 2.5 s ago: a PING goes out
    _within(2, lambda: watch.epoch() == epoch)  # answered: confirmed as of that PING
    clock.now += 1.5
    assert watch.epoch() == epoch  # confirmed 1.5 s ago: trusted, and the next PING goes out
    watch.close()


def test_a_subscription_that_falls_silent_is_trusted_two_seconds_at_most_then_made_again(
    shared_cache,
):
    clock = FakeClock()
    watch = _watch(shared_cache, clock)
    epoch = watch.listen()
    silent = watch._pubsub
    silent.get_message = lambda **kwargs: None  # nothing arrives any more, and no error
    shared_cache.set_and_publish("a", "lost", channel="changes", timeout=30)
    time.sleep(0.05)

    clock.now += 1.0
    assert watch.epoch() == epoch  # within the window: the PING goes out
    clock.now += 0.9
    assert watch.epoch() == epoch
    clock.now += 0.1
    assert watch.epoch() is None  # the PING unanswered for a second: dropped
    assert watch._pubsub is None

    again = watch.listen()
    assert again is not None
    assert again != epoch
    shared_cache.set_and_publish("a", "heard", channel="changes", timeout=30)
    _within(2, lambda: watch.epoch() != again)
    watch.close()
