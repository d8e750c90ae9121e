"""Where the nightly walk's signed checkpoints go: an append-only sink outside the database.

A sink is anything with ``append(record)`` and ``records()``. ``AUDIT_CHECKPOINT_PATH`` names
it: a file path (or ``file://`` URL), one JSON line per checkpoint, opened for appending only
and synced to disk after each line. An object store fits the same two methods (one object per
checkpoint under a prefix, with the bucket's object lock / write-once retention doing what the
file's append-only attribute does); add a class and a URL scheme here when one is needed.
"""

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


class CheckpointSink(Protocol):
    def append(self, record: str) -> None: ...

    def records(self) -> Iterator[str]: ...


class FileSink:
    """One line per checkpoint in a file only ever appended to (give it the filesystem's
    append-only attribute, ``chattr +a``, and ship it off the host with the logs)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def append(self, record: str) -> None:
        if "\n" in record:
            raise ValueError("A checkpoint record is one line.")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
        try:
            os.write(descriptor, (record + "\n").encode())
            os.fsync(descriptor)
        finally:
            os.close(descriptor)

    def records(self) -> Iterator[str]:
        if not self.path.exists():
            return
        with self.path.open(encoding="utf-8") as lines:
            for line in lines:
                if line.strip():
                    yield line.rstrip("\n")


def checkpoint_sink() -> CheckpointSink | None:
    """The configured sink, or ``None`` when ``AUDIT_CHECKPOINT_PATH`` is empty."""
    where = str(settings.AUDIT_CHECKPOINT_PATH or "")
    if not where:
        return None
    if where.startswith("file://"):
        where = where.removeprefix("file://")
    elif "://" in where:
        raise ImproperlyConfigured(
            f"AUDIT_CHECKPOINT_PATH: no checkpoint sink for {where.split('://')[0]}:// yet."
        )
    return FileSink(Path(where))
