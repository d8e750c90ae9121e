"""Reads of the PHI access log: the chain check and the rows of a CSV export."""

from collections.abc import Iterator

from django.conf import settings
from django.db.models import QuerySet

from audit import chain
from audit.checkpoints import checkpoint_sink
from audit.keys import chain_keys
from audit.models import PhiAccess, PhiAccessChainHead

CHUNK = 5000
# A spreadsheet runs a cell starting with one of these as a formula (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def phi_access_chain_verify() -> chain.ChainReport:
    """Walk the whole log in chain order, under the configured keys and against every
    checkpoint in the sink, and report the first thing that does not fit (a checkpoint that
    the keys did not sign included)."""
    keys = chain_keys()
    checkpoints = []
    sink = checkpoint_sink()
    for line, record in enumerate(sink.records() if sink is not None else (), start=1):
        try:
            checkpoints.append(chain.checkpoint_read(record, keys))
        except chain.BadCheckpoint as exc:
            reason = f"checkpoint {line} in {settings.AUDIT_CHECKPOINT_PATH} is not valid: {exc}"
            return chain.ChainReport(0, 0, chain.GENESIS_HASH, chain.ChainBreak(None, reason))
    head = PhiAccessChainHead.objects.filter(pk=1).values_list("last_id", "last_hash").first()
    fields = (*chain.HASHED_FIELDS, "hash")
    rows = (
        dict(zip(fields, values, strict=True))
        for values in PhiAccess.objects.order_by("id").values_list(*fields).iterator(CHUNK)
    )
    return chain.verify(
        rows, head=tuple(head) if head else None, keys=keys, checkpoints=checkpoints
    )


# Column name, and the field it comes from.
EXPORT_COLUMNS = (
    ("id", "id"),
    ("time_utc", "at"),
    ("actor_id", "actor_id"),
    ("actor_email", "actor__email"),
    ("action", "action"),
    ("channel", "channel"),
    ("object_type", "object_type"),
    ("object_id", "object_id"),
    ("patient_id", "patient_id"),
    ("patient_email", "patient__email"),
    ("patients_listed", "patient_ids"),
    ("ip", "ip"),
    ("request_id", "request_id"),
    ("detail", "detail"),
    ("previous_hash", "previous_hash"),
    ("hash", "hash"),
)


def _cell(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "astimezone"):
        return chain.utc_text(value)
    text = str(value)
    return f"'{text}" if text.startswith(_FORMULA_START) else text


def phi_access_export_rows(*, rows: QuerySet[PhiAccess]) -> Iterator[list[str]]:
    """The header, then the cells of each of ``rows`` (read in chunks, never all at once).
    Several patients come out space-separated; text that a spreadsheet would run as a formula
    is quoted."""
    yield [name for name, _field in EXPORT_COLUMNS]
    listed = [name for name, _field in EXPORT_COLUMNS].index("patients_listed")
    for values in rows.values_list(*(f for _name, f in EXPORT_COLUMNS)).iterator(CHUNK):
        cells = [_cell(value) for value in values]
        cells[listed] = cells[listed].strip(",").replace(",", " ")
        yield cells
