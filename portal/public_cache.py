"""The public API's response cache: rendered JSON bodies with their ETag in the Django cache
(Redis in production), all invalidated at once by replacing the cache *generation*.

Each entry records the generation it was built in and counts only while that generation is
current. A committed write to anything a public response shows replaces the generation, so
the next request rebuilds; a request that read the old generation and stores its body after
the write simply stores an entry nobody will use. Entries also expire after ``MAX_AGE``
seconds, which bounds what no write announces: time passing (a slot moving inside the minimum
notice, a hold lapsing, a scheduled article going live) and a generation change lost because
the cache was down when the write committed.

Each worker process also keeps the entries it served, and trusts the generation it last read
for ``PUBLIC_API_WORKER_CACHE_SECONDS`` (default 1): most hits then cost no cache round trip at
all. A write shows at once in the process that made it and within that second elsewhere.

Answers that must show a write at once everywhere (availability: a booked slot is never
offered once its booking committed) are not trusted for a second: on Redis a new generation is
*announced*, published in the same transaction that sets it (``clinic.cache``), and each worker
thread keeps a subscription it reads without waiting. It trusts the generation it last read
from Redis while no announcement has arrived since, and its subscription was not lost (nor
left unconfirmed for two seconds: ``ChannelWatch`` PINGs it); so a hit costs no round trip
until something changes. The announcement reaches the workers when Redis answers the
transaction (microseconds on one network), before the writer has even sent its own answer. A
cache without announcements (local memory in development) is asked on every such request
instead.

Why signals: most of these writes are staff edits in the Django admin (locations, opening
hours, physicians, schedules) that no service sees, and the receivers only do cache
bookkeeping, never domain work. Appointment writes bump too: they are a few a minute at the
busiest, a rebuild costs a handful of queries, and the website then stops offering a slot the
moment it is taken instead of up to a minute later.
"""

import logging
import math
import os
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from django.apps import apps
from django.conf import settings
from django.core.cache import cache, caches
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

logger = logging.getLogger(__name__)

MAX_AGE = 60
GENERATION_KEY = "public-api:generation"
# Where a new generation is announced, in the transaction that sets it (Redis only).
ANNOUNCEMENTS = "public-api:generation-announced"
ENTRY_PREFIX = "public-api:entry:"
RESPONSE_PREFIX = "public-api:response:"

# Everything a public response is built from. Appointments change the next free slot.
WATCHED_MODELS = (
    "clinic.Location",
    "clinic.OpeningHours",
    "clinic.Service",
    "clinic.Provider",
    "scheduling.AppointmentType",
    "scheduling.ProviderAppointmentType",
    "scheduling.WorkingHours",
    "scheduling.ScheduleOverride",
    "scheduling.Appointment",
    "education.Article",
    "education.ArticleTranslation",
    "education.FaqEntry",
    "education.Person",
    "education.Tag",
)
# Many-to-many fields whose ``add``/``remove``/``clear`` change a public response.
WATCHED_RELATIONS = (
    ("clinic.Location", "services"),
    ("clinic.Provider", "locations"),
    ("scheduling.AppointmentType", "providers"),
    ("education.Article", "locations"),
    ("education.Article", "tags"),
    ("education.Article", "related"),
)


@dataclass(frozen=True)
class Entry:
    generation: str
    etag: str
    body: bytes
    built_at: float

    @property
    def age(self) -> int:
        return max(0, int(time.time() - self.built_at))


@dataclass(frozen=True)
class StoredResponse:
    """A whole public answer as the short path sent it (``portal.middleware``): status, the
    headers that are the same for every request of its key, body, and until when it counts."""

    generation: str
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes
    built_at: float
    expires_at: float

    def current(self, generation: str | None, now: float) -> bool:
        return self.generation == generation and now < self.expires_at

    @cached_property
    def header_store(self) -> dict[str, tuple[str, str]]:
        """The headers as Django's ``ResponseHeaders`` keeps them (lower-cased name: (name,
        value)), built once per worker: a hit copies them without re-validating each."""
        return {name.lower(): (name, value) for name, value in self.headers}

    @property
    def age(self) -> int:
        return max(0, int(time.time() - self.built_at))


@dataclass
class _WorkerCache:
    generation: str | None = None
    checked_at: float = 0.0
    entries: dict[str, Entry] = field(default_factory=dict)
    responses: dict[str, StoredResponse] = field(default_factory=dict)
    response_bytes: int = 0

    def trusts(self, now: float) -> bool:
        window = settings.PUBLIC_API_WORKER_CACHE_SECONDS
        return self.generation is not None and 0 <= now - self.checked_at < window

    def remember(self, generation: str, now: float) -> None:
        self.generation, self.checked_at = generation, now


_worker = _WorkerCache()


def _new_generation() -> str:
    # Random rather than a counter: a counter restarting after eviction could revive entries
    # of an earlier generation with the same number.
    return secrets.token_hex(8)


# The generation of answers built while the cache is unreachable: never stored, never trusted.
UNCACHED = "uncached"


def public_cache_bump() -> None:
    """Start a new generation: every cached public response is rebuilt on its next request."""
    generation = _new_generation()
    announce = getattr(cache, "set_and_publish", None)
    if announce is None:  # a cache without announcements (local memory in development)
        cache.set(GENERATION_KEY, generation, timeout=None)
    else:
        announce(GENERATION_KEY, generation, channel=ANNOUNCEMENTS, timeout=None)
    _worker.remember(generation, time.time())


class _Announced(threading.local):
    """Per thread: the generation last read from the shared cache, and the epoch of this
    thread's watch on the announcements when it was read (``clinic.cache.ChannelWatch``)."""

    backend = None
    pid = None
    watch = None
    generation: str | None = None
    epoch: int | None = None


_announced = _Announced()


def _watch():
    """This thread's watch on new generations; None when the cache announces nothing."""
    backend = caches["default"]
    if _announced.backend is not backend or _announced.pid != os.getpid():
        if _announced.watch is not None and _announced.pid == os.getpid():
            _announced.watch.close()
        make = getattr(backend, "watch", None)
        _announced.watch = make(ANNOUNCEMENTS) if make is not None else None
        _announced.backend, _announced.pid = backend, os.getpid()
        _announced.generation = _announced.epoch = None
    return _announced.watch


def _announced_generation() -> str | None:
    """The current generation without a round trip, when this thread read it from the shared
    cache and no new one was announced since; else None."""
    watch = _watch()
    if watch is None or _announced.generation is None:
        return None
    if watch.epoch() != _announced.epoch:
        return None
    return _announced.generation


def _current_generation(known: str | None) -> str:
    if known is not None:
        return known
    cache.add(GENERATION_KEY, _new_generation(), timeout=None)
    return cache.get(GENERATION_KEY)


def _lookup(key: str) -> tuple[Entry | None, str]:
    """The current entry under ``key`` (or None) and the current generation."""
    now = time.time()
    if _worker.trusts(now):
        entry = _worker.entries.get(key)
        if entry is not None and entry.generation == _worker.generation and entry.age < MAX_AGE:
            return entry, entry.generation
    entry_key = ENTRY_PREFIX + key
    try:
        found = cache.get_many([GENERATION_KEY, entry_key])
        generation = _current_generation(found.get(GENERATION_KEY))
    except Exception as exc:  # the cache is down: answer from the database
        logger.warning("public cache unavailable (%s); answering uncached", type(exc).__name__)
        return None, UNCACHED
    _worker.remember(generation, now)
    entry = found.get(entry_key)
    if isinstance(entry, Entry) and entry.generation == generation:
        _worker.entries[key] = entry
        return entry, generation
    return None, generation


def public_cache_lookup(*, key: str) -> Entry | None:
    """The cached entry under ``key`` if it belongs to the current generation, else None.

    No cache round trip while this worker trusts its generation, else one (the generation and
    the entry are read together).
    """
    return _lookup(key)[0]


def public_cache_entry(*, key: str, build: Callable[[], bytes], etag_of: Callable) -> Entry:
    """The cached entry under ``key``, or ``build()`` stored as the entry of the current
    generation (``build`` may raise, e.g. ``Http404``: nothing is cached then)."""
    entry, generation = _lookup(key)
    if entry is None:
        body = build()
        entry = Entry(generation=generation, etag=etag_of(body), body=body, built_at=time.time())
        if generation != UNCACHED:
            cache.set(ENTRY_PREFIX + key, entry, timeout=MAX_AGE)
            _worker.entries[key] = entry
    return entry


def public_response_lookup(*, key: str, worker: bool = True) -> tuple[StoredResponse | None, str]:
    """The whole answer stored under ``key`` if it is current, and the current generation (to
    store under if it is not: read *before* the answer is built, so a write committing
    meanwhile leaves that answer unused).

    With ``worker`` the worker's own memory answers while it trusts its generation (a write
    elsewhere shows within ``PUBLIC_API_WORKER_CACHE_SECONDS``); without, only while no new
    generation was announced since this thread read it from the shared cache (else, or with no
    announcements, it is read again), so a committed write shows on the next request anywhere.
    Either way an answer this worker already holds is not fetched again: only the generation is
    read.
    """
    now = time.time()
    kept = _worker.responses.get(key)
    if kept is not None:
        if worker and _worker.trusts(now) and kept.current(_worker.generation, now):
            return kept, _worker.generation
        announced = None if worker else _announced_generation()
        if announced is not None and kept.current(announced, now):
            return kept, announced
    response_key = RESPONSE_PREFIX + key
    watch = None if worker else _watch()
    epoch = watch.listen() if watch is not None else None  # before the read: see ChannelWatch
    try:
        if kept is not None:
            generation = _current_generation(cache.get(GENERATION_KEY))
            stored = kept if kept.current(generation, now) else cache.get(response_key)
        else:
            found = cache.get_many([GENERATION_KEY, response_key])
            generation = _current_generation(found.get(GENERATION_KEY))
            stored = found.get(response_key)
    except Exception as exc:  # the cache is down: answer from the database
        logger.warning("public cache unavailable (%s); answering uncached", type(exc).__name__)
        return None, UNCACHED
    _worker.remember(generation, now)
    if epoch is not None:
        _announced.generation, _announced.epoch = generation, epoch
    if isinstance(stored, StoredResponse) and stored.current(generation, now):
        if stored is not kept:
            _keep(key, stored)
        return stored, generation
    return None, generation


def public_response_store(*, key: str, stored: StoredResponse) -> None:
    """Keep ``stored`` (built in ``stored.generation``) under ``key`` until it expires, in
    the shared cache and in this worker's memory."""
    timeout = math.ceil(stored.expires_at - time.time())
    if stored.generation == UNCACHED or timeout <= 0:
        return
    try:
        cache.set(RESPONSE_PREFIX + key, stored, timeout=timeout)
    except Exception as exc:
        logger.warning("public cache unavailable (%s); answer not kept", type(exc).__name__)
        return
    _keep(key, stored)


# What a worker keeps of whole answers in its own memory, at most (emptied when over).
RESPONSES_KEPT = 1024
RESPONSE_BYTES_KEPT = 32 * 1024 * 1024


def _keep(key: str, stored: StoredResponse) -> None:
    if (
        len(_worker.responses) >= RESPONSES_KEPT
        or _worker.response_bytes + len(stored.body) > RESPONSE_BYTES_KEPT
    ):
        _worker.responses, _worker.response_bytes = {}, 0
    previous = _worker.responses.get(key)
    _worker.response_bytes += len(stored.body) - (len(previous.body) if previous else 0)
    _worker.responses[key] = stored


def _bump_on_commit(**kwargs) -> None:
    if kwargs.get("action", "post_").startswith("post_"):
        transaction.on_commit(public_cache_bump, robust=True)


def connect_invalidation() -> None:
    """Bump the generation when a watched row commits (called from ``PortalConfig.ready``)."""
    for label in WATCHED_MODELS:
        model = apps.get_model(label)
        for signal in (post_save, post_delete):
            signal.connect(_bump_on_commit, sender=model, dispatch_uid=f"public-cache:{label}")
    for label, relation in WATCHED_RELATIONS:
        through = getattr(apps.get_model(label), relation).through
        m2m_changed.connect(
            _bump_on_commit, sender=through, dispatch_uid=f"public-cache:{label}.{relation}"
        )
