"""Helpers of the PostgreSQL tests that run outside a test transaction with real threads.

Each thread opens its own database connection (Django's connections are per thread), so the
threads' transactions really overlap; every thread closes its connections when it is done, or
the test database could not be flushed and dropped afterwards.
"""

import threading
import time
from collections.abc import Callable
from typing import Any

from celery import _state as celery_state
from django.db import connection, connections

LOCK_WAIT_TIMEOUT = 10.0


def _eager_tasks_settled() -> None:
    """Celery marks "inside a task" in one process-wide flag, saved and restored around every
    eager task; eager tasks of two threads at once can leave it set, and every later
    ``result.get()`` of the test process would then refuse to run. Nothing runs now: clear it."""
    celery_state._set_task_join_will_block(False)


def race(calls: list[Callable[[], Any]], timeout: float = 60) -> list[Any]:
    """Run every call in its own thread, released together at a barrier; each outcome is the
    call's result or the exception it raised, in the order of ``calls``."""
    barrier = threading.Barrier(len(calls))
    outcomes: list[Any] = [None] * len(calls)

    def run(index: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            outcomes[index] = call()
        except Exception as exc:  # returned to the test, which asserts on it
            outcomes[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    _eager_tasks_settled()
    return outcomes


class Background:
    """One call running in another thread (and connection): ``result()`` waits for it and
    returns its value or raises what it raised."""

    def __init__(self, call: Callable[[], Any]) -> None:
        self._outcome: list[Any] = []
        self._thread = threading.Thread(target=self._run, args=(call,))
        self._thread.start()

    def _run(self, call: Callable[[], Any]) -> None:
        try:
            self._outcome.append((True, call()))
        except Exception as exc:  # handed back by result()
            self._outcome.append((False, exc))
        finally:
            connections.close_all()

    def result(self, timeout: float = 30) -> Any:
        self._thread.join(timeout)
        _eager_tasks_settled()
        assert self._outcome, "the background call did not finish"
        ok, value = self._outcome[0]
        if not ok:
            raise value
        return value


def waiting_on_locks() -> int:
    """How many other sessions of this database are waiting for a lock right now."""
    with connection.cursor() as cursor:
        # Inside a transaction the statistics views keep their first snapshot: take a new one.
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock' "
            "AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def until_blocked(count: int = 1, timeout: float = LOCK_WAIT_TIMEOUT) -> None:
    """Wait until ``count`` other sessions wait for a lock (one this test holds, typically):
    the race is then set up exactly, with no sleeping on a guess."""
    deadline = time.monotonic() + timeout
    while waiting_on_locks() < count:
        assert time.monotonic() < deadline, f"nobody waited for a lock within {timeout} s"
        time.sleep(0.01)
