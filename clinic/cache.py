"""Django's Redis cache backend, made cheaper per call.

Two costs of Django's ``RedisCacheClient`` are paid on every cache call of the portal (throttle
counters, login throttling, the public response cache's generation read on each availability
request), and each is larger than the round trip to Redis itself:

- ``get_client`` builds a new ``redis.Redis`` per call, and redis-py's constructor fills a
  table of some 170 response callbacks each time (about 0.25 ms of CPU). A client holds no
  connection of its own (its pool does, and redis-py's pool starts afresh in a forked
  process), so one client per pool serves every call, from any thread.
- a read goes through the client's command machinery: a connection taken from the pool (with
  a poll of the socket), a retry wrapper, the connection given back under a lock. ``get``, the
  most frequent call, instead sends its one command on a connection of its own per thread and
  process; when that connection fails it is dropped and the call is made the usual way, with
  the pool and redis-py's retries, so a failure behaves as it does in Django's backend.
"""

import os
import threading
import time

import redis
from django.core.cache.backends import redis as django_redis
from django.core.cache.backends.base import DEFAULT_TIMEOUT


class RedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients: dict[int, redis.Redis] = {}
        self._own = threading.local()

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client

    def _own_connection(self, pool) -> redis.connection.AbstractConnection:
        """This thread's connection to ``pool``'s server (not one of the pool's: nothing else
        uses it), made again in a forked process."""
        own = getattr(self._own, "connections", None)
        if own is None or self._own.pid != os.getpid():
            own = self._own.connections = {}
            self._own.pid = os.getpid()
        connection = own.get(id(pool))
        if connection is None:
            connection = own[id(pool)] = pool.make_connection()
        return connection

    def get(self, key, default):
        connection = self._own_connection(self._get_connection_pool(write=False))
        try:
            connection.send_command("GET", key)
            value = connection.read_response()
        except (redis.ConnectionError, redis.TimeoutError):
            connection.disconnect()
            return super().get(key, default)
        except BaseException:
            connection.disconnect()  # a reply may still be on its way: never read it as ours
            raise
        return default if value is None else self._serializer.loads(value)


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient

    def set_and_publish(self, key, value, *, channel: str, timeout=DEFAULT_TIMEOUT) -> None:
        """``set(key, value, timeout)`` and a message on ``channel`` (see ``watch``), in one
        transaction: whoever reads the new value can also have been told of it."""
        key = self.make_and_validate_key(key)
        timeout = self.get_backend_timeout(timeout)
        client = self._cache.get_client(key, write=True)
        with client.pipeline(transaction=True) as pipe:
            pipe.set(key, self._cache._serializer.dumps(value), ex=timeout)
            pipe.publish(self.make_key(channel), b"1")
            pipe.execute()

    def watch(self, channel: str) -> "ChannelWatch":
        """A watch on what ``set_and_publish`` publishes on ``channel``, for one thread."""
        return ChannelWatch(self._cache.get_client(write=True), self.make_key(channel))


class ChannelWatch:
    """Whether anything was published on a Redis channel since a moment, told without a round
    trip to Redis: a subscription of its own, read without waiting (a few microseconds).

    ``listen()`` subscribes when needed and returns the *epoch*, a number that changes with
    every message received and whenever the subscription was lost (redis-py then reconnects
    it; what was published meanwhile is unknown). So a value read from Redis right after
    ``listen()`` returned epoch ``e`` is still the latest as long as ``epoch()`` returns ``e``:
    a later change would have been announced, in the same transaction that made it.

    A connection can also die without a word (a firewall or NAT forgetting an idle one): no
    error, no messages. So the subscription is trusted only while it is *confirmed*: a PING
    sent on it less than ``HEARTBEAT_SECONDS + SILENCE_SECONDS`` ago was answered (Redis
    answers in order, so everything published before that PING has arrived). A PING goes out
    once the last confirmation is ``HEARTBEAT_SECONDS`` old; unanswered for ``SILENCE_SECONDS``,
    the subscription is dropped and made again. A change published on a connection that has
    died silently is therefore noticed within ``HEARTBEAT_SECONDS + SILENCE_SECONDS``; after a
    quiet spell the first call is not trusted until its PING is answered.

    Not thread-safe: one per thread. Messages are counted, never read for their content.
    """

    RETRY_SECONDS = 1.0  # after a failed subscription, before trying again
    CONFIRM_SECONDS = 0.5  # the subscription's confirmation, at most
    HEARTBEAT_SECONDS = 1.0  # of quiet on the subscription before a PING
    SILENCE_SECONDS = 1.0  # for that PING's answer, before the subscription counts as lost

    def __init__(self, client: redis.Redis, channel: str, *, clock=time.monotonic):
        self._client = client
        self._channel = channel
        self._clock = clock
        self._pubsub = None
        self._epoch = 0
        self._failed_at: float | None = None
        self._confirmed_at = 0.0  # when the last answered PING (or the subscription) was sent
        self._pinged_at: float | None = None  # when the PING not yet answered was sent

    def epoch(self) -> int | None:
        """The epoch, or None while not subscribed or not confirmed (nothing can be trusted
        then)."""
        if self._pubsub is None:
            return None
        now = self._clock()
        try:
            while (message := self._pubsub.get_message(timeout=0.0)) is not None:
                if message["type"] != "pong":
                    self._epoch += 1
                elif self._pinged_at is not None:
                    self._confirmed_at, self._pinged_at = self._pinged_at, None
            if self._pinged_at is None and now - self._confirmed_at >= self.HEARTBEAT_SECONDS:
                self._pubsub.ping()
                self._pinged_at = now
        except (redis.RedisError, OSError):
            self.close()
            return None
        if self._pinged_at is not None and now - self._pinged_at >= self.SILENCE_SECONDS:
            self.close()  # lost without a word: made again by the next listen()
            return None
        if now - self._confirmed_at >= self.HEARTBEAT_SECONDS + self.SILENCE_SECONDS:
            return None  # not confirmed lately: trusted again once the PING is answered
        return self._epoch

    def listen(self) -> int | None:
        """Subscribe when not subscribed (not more often than every ``RETRY_SECONDS`` while
        Redis refuses), then ``epoch()``."""
        if self._pubsub is None and not self._subscribe():
            return None
        return self.epoch()

    def close(self) -> None:
        if self._pubsub is not None:
            if self._pubsub.connection is not None:
                self._pubsub.connection.deregister_connect_callback(self._reconnected)
            self._pubsub.close()
            self._pubsub = None
        self._pinged_at = None
        self._epoch += 1

    def _subscribe(self) -> bool:
        now = self._clock()
        if self._failed_at is not None and now - self._failed_at < self.RETRY_SECONDS:
            return False
        pubsub = self._client.pubsub()
        try:
            pubsub.subscribe(self._channel)
            confirmation = pubsub.get_message(timeout=self.CONFIRM_SECONDS)
            if confirmation is None or confirmation["type"] != "subscribe":
                raise redis.ConnectionError("no confirmation of the subscription")
        except (redis.RedisError, OSError):
            pubsub.close()
            self._failed_at = now
            return False
        pubsub.connection.register_connect_callback(self._reconnected)
        self._pubsub, self._failed_at = pubsub, None
        self._confirmed_at = now  # answered in order too: nothing was missed before it
        return True

    def _reconnected(self, connection) -> None:
        """redis-py made the subscription's connection again and re-sent SUBSCRIBE, without
        waiting for its answer: a PING sent after it must be answered before any trust."""
        self._epoch += 1
        self._confirmed_at, self._pinged_at = 0.0, None
