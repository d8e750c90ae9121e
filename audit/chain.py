"""The keyed hash chain of the PHI access log and its checkpoints, as pure functions (no ORM,
no settings): what a row's hash covers, how a checkpoint is signed, and how a walk over the rows
finds the first thing that does not fit.

Each row's hash is an HMAC-SHA-256, under a key from the environment (``audit.keys``), of a
canonical serialisation of its fields, the id of that key and the hash of the row before it.
Changing a field breaks that row's hash; deleting or reordering rows breaks the link
(``previous_hash``) or the numbering (ids are the chain positions 1, 2, 3 ... without gaps);
cutting rows off the end no longer matches the chain head. Whoever owns the database but not
the key cannot recompute a hash, so cannot rebuild the chain after an edit.

Against someone who also has the key, checkpoints: the nightly walk signs the head it found
(position and hash) and appends it to a sink outside the database. A chain rebuilt after that
night no longer has that hash at that position, or no longer reaches it.
"""

import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

# The hash before the first row.
GENESIS_HASH = "0" * 64
# Bumped if the serialisation ever changes; part of every hash.
CHAIN_VERSION = "phiaccess.v2"
CHECKPOINT_VERSION = "phiaccess.checkpoint.v1"

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
    "key_id",
    "previous_hash",
)


def utc_text(moment: datetime) -> str:
    """An instant as fixed-width UTC text with microseconds (what the database keeps)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _text(value) -> object:
    return utc_text(value) if isinstance(value, datetime) else value


def _json(payload: list) -> bytes:
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()


def canonical(values: Mapping[str, object]) -> bytes:
    """The bytes a row's hash is computed over: a JSON array in ``HASHED_FIELDS`` order."""
    return _json([CHAIN_VERSION, *(_text(values[name]) for name in HASHED_FIELDS)])


def row_hash(values: Mapping[str, object], key: bytes) -> str:
    return hmac.new(key, canonical(values), hashlib.sha256).hexdigest()


def patient_ids_text(ids: Iterable[int | None]) -> str:
    """Several patients as stored: sorted, unique, comma-delimited at both ends (``,3,17,``) so
    that "contains ``,17,``" finds exactly patient 17."""
    unique = sorted({int(pk) for pk in ids if pk is not None})
    return f",{','.join(map(str, unique))}," if unique else ""


# --- checkpoints ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Checkpoint:
    """The chain's head as a walk found it: row ``position`` had hash ``hash`` at ``at``."""

    position: int
    hash: str
    at: str
    key_id: str
    signature: str = ""

    def _signed_bytes(self) -> bytes:
        return _json([CHECKPOINT_VERSION, self.position, self.hash, self.at, self.key_id])

    def signed(self, key: bytes) -> "Checkpoint":
        signature = hmac.new(key, self._signed_bytes(), hashlib.sha256).hexdigest()
        return Checkpoint(self.position, self.hash, self.at, self.key_id, signature)

    def signature_ok(self, key: bytes) -> bool:
        return hmac.compare_digest(self.signed(key).signature, self.signature)

    def to_record(self) -> str:
        """One line of the sink."""
        return json.dumps(
            {
                "v": CHECKPOINT_VERSION,
                "position": self.position,
                "hash": self.hash,
                "at": self.at,
                "key_id": self.key_id,
                "signature": self.signature,
            },
            separators=(",", ":"),
        )


class BadCheckpoint(ValueError):
    pass


def checkpoint_read(record: str, keys: Mapping[str, bytes]) -> Checkpoint:
    """A checkpoint from one line of the sink, its signature checked; ``BadCheckpoint`` when
    the line is not one the chain's keys signed."""
    try:
        data = json.loads(record)
        checkpoint = Checkpoint(
            position=int(data["position"]),
            hash=str(data["hash"]),
            at=str(data["at"]),
            key_id=str(data["key_id"]),
            signature=str(data["signature"]),
        )
        valid_version = data["v"] == CHECKPOINT_VERSION
    except (ValueError, TypeError, KeyError) as exc:
        raise BadCheckpoint("it is not a checkpoint") from exc
    key = keys.get(checkpoint.key_id)
    if not valid_version or key is None:
        raise BadCheckpoint(f"it is signed with an unknown key ({checkpoint.key_id})")
    if not checkpoint.signature_ok(key):
        raise BadCheckpoint("its signature does not match: it was altered")
    return checkpoint


# --- the walk ---------------------------------------------------------------------------------


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
    checkpoints: int = 0

    @property
    def ok(self) -> bool:
        return self.broken is None


def _row_problem(row, expected_id: int, previous: str, keys, checkpoints) -> str | None:
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
        return f"{where}: {gap} missing"
    if row["previous_hash"] != previous:
        return (
            f"row {row_id} does not link to row {row_id - 1}: a row was replaced, "
            "reordered or deleted"
        )
    key = keys.get(row["key_id"])
    if key is None:
        return (
            f"row {row_id} names a signing key that is not configured ({row['key_id'] or 'none'}"
            "): it was not written by the portal, or AUDIT_CHAIN_KEYS lost a key"
        )
    if not hmac.compare_digest(row_hash(row, key), row["hash"]):
        return f"row {row_id} was changed after it was written: its hash does not match"
    checkpoint = checkpoints.get(row_id)
    if checkpoint is not None and checkpoint.hash != row["hash"]:
        return (
            f"row {row_id} is not the row the checkpoint of {checkpoint.at} recorded: "
            "the chain up to it was rebuilt"
        )
    return None


def verify(
    rows: Iterable[Mapping[str, object]],
    *,
    head: tuple[int, str] | None,
    keys: Mapping[str, bytes],
    checkpoints: Iterable[Checkpoint] = (),
) -> ChainReport:
    """Walk ``rows`` in id order and report the first break.

    ``head`` is the recorded chain head ``(last id, last hash)``, or ``None`` when there is none
    (an empty log never wrote one). ``keys`` are the configured keys by id; ``checkpoints`` the
    signed heads of earlier walks (their signatures already checked).
    """
    checkpoints = list(checkpoints)
    by_position = {c.position: c for c in checkpoints}
    expected_id, previous = 1, GENESIS_HASH
    count = 0
    for row in rows:
        count += 1
        reason = _row_problem(row, expected_id, previous, keys, by_position)
        if reason is not None:
            return ChainReport(
                count, expected_id - 1, previous, ChainBreak(row["id"], reason), len(checkpoints)
            )
        expected_id, previous = row["id"] + 1, row["hash"]
    last_id = expected_id - 1
    beyond = [c for c in checkpoints if c.position > last_id]
    if beyond:
        furthest = max(beyond, key=lambda c: c.position)
        broken = ChainBreak(
            None,
            f"the checkpoint of {furthest.at} recorded row {furthest.position}, the log ends at "
            f"row {last_id}: rows were cut off the end",
        )
    elif head is None:
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
    return ChainReport(count, last_id, previous, broken, len(checkpoints))
