"""The hash chain of the PHI access log, as pure functions (no ORM): what a row's hash covers,
and how a walk over the rows finds the first one that does not fit.

Each row's hash is SHA-256 over a canonical serialisation of its fields and the hash of the row
before it. Changing a field breaks that row's hash; deleting or reordering rows breaks the link
(``previous_hash``) or the numbering (ids are the chain positions 1, 2, 3 ... without gaps);
cutting rows off the end no longer matches the chain head.
"""

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

# The hash before the first row.
GENESIS_HASH = "0" * 64
# Bumped if the serialisation ever changes; part of every hash.
CHAIN_VERSION = "phiaccess.v1"

HASHED_FIELDS = (
    "id",
    "at",
    "actor_id",
    "patient_id",
    "patient_ids",
    "object_type",
    "object_id",
    "action",
    "channel",
    "ip",
    "request_id",
    "detail",
    "previous_hash",
)


def utc_text(moment: datetime) -> str:
    """An instant as fixed-width UTC text with microseconds (what the database keeps)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _text(value) -> object:
    return utc_text(value) if isinstance(value, datetime) else value


def canonical(values: Mapping[str, object]) -> bytes:
    """The bytes a row's hash is computed over: a JSON array in ``HASHED_FIELDS`` order."""
    payload = [CHAIN_VERSION, *(_text(values[name]) for name in HASHED_FIELDS)]
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()


def row_hash(values: Mapping[str, object]) -> str:
    return hashlib.sha256(canonical(values)).hexdigest()


def patient_ids_text(ids: Iterable[int | None]) -> str:
    """Several patients as stored: sorted, unique, comma-delimited at both ends (``,3,17,``) so
    that "contains ``,17,``" finds exactly patient 17."""
    unique = sorted({int(pk) for pk in ids if pk is not None})
    return f",{','.join(map(str, unique))}," if unique else ""


@dataclass(frozen=True)
class ChainBreak:
    """The first row (by chain position) that does not fit, and why."""

    row_id: int | None
    reason: str


@dataclass(frozen=True)
class ChainReport:
    rows: int
    head_id: int
    head_hash: str
    broken: ChainBreak | None

    @property
    def ok(self) -> bool:
        return self.broken is None


def verify(rows: Iterable[Mapping[str, object]], *, head: tuple[int, str] | None) -> ChainReport:
    """Walk ``rows`` in id order and report the first break.

    ``head`` is the recorded chain head ``(last id, last hash)``, or ``None`` when there is none
    (an empty log never wrote one).
    """
    expected_id, previous = 1, GENESIS_HASH
    count = 0
    for row in rows:
        count += 1
        row_id = row["id"]
        if row_id != expected_id:
            where = (
                f"the log starts at row {row_id}"
                if expected_id == 1
                else f"row {row_id} comes after row {expected_id - 1}"
            )
            gap = (
                f"row {expected_id} is"
                if row_id == expected_id + 1
                else f"rows {expected_id}-{row_id - 1} are"
            )
            reason = f"{where}: {gap} missing"
            return ChainReport(count, expected_id - 1, previous, ChainBreak(row_id, reason))
        if row["previous_hash"] != previous:
            reason = (
                f"row {row_id} does not link to row {row_id - 1}: a row was replaced, "
                "reordered or deleted"
            )
            return ChainReport(count, row_id - 1, previous, ChainBreak(row_id, reason))
        if row_hash(row) != row["hash"]:
            reason = f"row {row_id} was changed after it was written: its hash does not match"
            return ChainReport(count, row_id - 1, previous, ChainBreak(row_id, reason))
        expected_id, previous = row_id + 1, row["hash"]
    last_id = expected_id - 1
    if head is None:
        broken = (
            ChainBreak(None, f"the chain head is missing ({last_id} rows found)")
            if last_id
            else None
        )
    elif head != (last_id, previous):
        broken = ChainBreak(
            None,
            f"the chain head says the last row is {head[0]}, the log ends at row {last_id}: "
            "rows were cut off the end or the head was altered",
        )
    else:
        broken = None
    return ChainReport(count, last_id, previous, broken)
