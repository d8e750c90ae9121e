"""Appending to the PHI access log.

Every row is linked to the one before, so writers must take turns: each append locks the single
chain-head row (``SELECT ... FOR UPDATE`` on PostgreSQL; on SQLite the IMMEDIATE transaction the
settings ask for admits one writer at a time), inserts the next row and moves the head, all in
one transaction. Row ids are the chain positions, so even a writer that skipped the lock could
not fork the chain: its INSERT would collide with the other's id.

Called inside a change's transaction, the row commits or rolls back with the
change; called outside one (a read), it is its own short transaction. The head stays locked
until that transaction ends, so a service records its change as its last step.
"""

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from django.core.exceptions import ValidationError
from django.db import connections, models, router, transaction
from django.utils import timezone

from audit import chain
from audit.chain import GENESIS_HASH, HASHED_FIELDS, patient_ids_text, row_hash
from audit.checkpoints import checkpoint_sink
from audit.context import AccessContext
from audit.keys import signing_key
from audit.models import Action, PhiAccess, PhiAccessChainHead

logger = logging.getLogger(__name__)

HEAD_ID = 1
# The stored columns of a row, in the order of the INSERT.
COLUMNS = (*HASHED_FIELDS, "hash")


@dataclass(frozen=True)
class _Statements:
    lock_head: str
    insert: str
    move_head: str


@cache
def _statements(alias: str) -> _Statements:
    """The three statements of an append. Only identifiers from the models' own metadata are
    put in the text; every value is a parameter."""
    connection = connections[alias]
    quote = connection.ops.quote_name
    head = quote(PhiAccessChainHead._meta.db_table)
    columns = ", ".join(quote(PhiAccess._meta.get_field(name).column) for name in COLUMNS)
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    return _Statements(
        lock_head=f"SELECT last_id, last_hash FROM {head} WHERE id = %s{lock}",  # noqa: S608
        insert=(
            f"INSERT INTO {quote(PhiAccess._meta.db_table)} ({columns}) "  # noqa: S608
            f"VALUES ({', '.join(['%s'] * len(COLUMNS))})"
        ),
        move_head=f"UPDATE {head} SET last_id = %s, last_hash = %s WHERE id = %s",  # noqa: S608
    )


def _head(cursor, statements: _Statements) -> tuple[int, str]:
    """Lock the chain head and read it; recreate it when missing."""
    cursor.execute(statements.lock_head, [HEAD_ID])
    found = cursor.fetchone()
    if found is not None:
        return found
    # No head yet (a new or emptied database) or lost: go on from the last row.
    last = PhiAccess.objects.order_by("-id").values_list("id", "hash").first()
    if last is not None:
        logger.error("PHI access chain head missing; rebuilt from row %s", last[0])
    PhiAccessChainHead.objects.get_or_create(
        pk=HEAD_ID,
        defaults={
            "last_id": last[0] if last else 0,
            "last_hash": last[1] if last else GENESIS_HASH,
        },
    )
    cursor.execute(statements.lock_head, [HEAD_ID])
    return cursor.fetchone()


def _append(values: dict[str, object]) -> PhiAccess:
    """Link ``values`` to the chain and store them: lock the head, INSERT, move the head.

    Three hand-written statements (values prepared by the model's own fields) because this runs
    on every access to patient data, and the ORM's model machinery tripled its cost.
    """
    using = router.db_for_write(PhiAccess)
    connection = connections[using]
    statements = _statements(using)
    fields = [PhiAccess._meta.get_field(name) for name in COLUMNS]
    key_id, key = signing_key()
    with transaction.atomic(using=using), connection.cursor() as cursor:
        last_id, last_hash = _head(cursor, statements)
        row = PhiAccess(id=last_id + 1, previous_hash=last_hash, key_id=key_id, **values)
        row.hash = row_hash(row.chain_values(), key)
        cursor.execute(
            statements.insert,
            [field.get_db_prep_save(getattr(row, field.attname), connection) for field in fields],
        )
        cursor.execute(statements.move_head, [row.id, row.hash, HEAD_ID])
    row._state.adding, row._state.db = False, using
    return row


def phi_access_record(
    *,
    access: AccessContext | None,
    action: Action,
    obj: models.Model | None = None,
    model: type[models.Model] | None = None,
    object_id: object = "",
    patient_id: int | None = None,
    patient_ids: Iterable[int | None] = (),
    detail: str = "",
) -> PhiAccess | None:
    """Append one row: ``access`` did ``action`` on ``obj`` (or on ``model`` with ``object_id``,
    or on a list of ``model`` when there is no id), whose patient is ``patient_id``.

    ``access=None`` means no person is behind the call (a task, a command, demo data): nothing
    is recorded. The same action on the same record twice in one request is recorded once.
    """
    if access is None:
        return None
    model = obj._meta.model if obj is not None else model  # obj may be a lazy request.user
    if model is None:
        raise TypeError("phi_access_record needs obj or model")
    object_type = model._meta.label_lower
    object_id = str(obj.pk if obj is not None else object_id)[:64]
    key = (str(action), object_type, object_id)
    if key in access.recorded:
        return None
    row = _append(
        {
            "at": timezone.now(),
            "actor_id": access.actor_id,
            "patient_id": patient_id,
            "patient_ids": patient_ids_text(patient_ids),
            "object_type": object_type,
            "object_id": object_id,
            "action": action,
            "channel": access.channel,
            "ip": access.ip,
            "request_id": access.request_id,
            "detail": detail[:500],
        }
    )
    access.recorded.add(key)
    return row


def phi_access_denied(
    *,
    access: AccessContext | None,
    model: type[models.Model],
    object_id: object,
    patient_field: str = "patient",
) -> PhiAccess | None:
    """Record a refused request for a record by id (the caller answers 404): the record's
    patient when the record exists (looked up through ``patient_field``), else none."""
    if access is None:
        return None
    try:
        owner = (
            model._default_manager.filter(pk=object_id)
            .values_list(patient_field, flat=True)
            .first()
        )
    except (ValidationError, ValueError, TypeError):
        owner = None
    return phi_access_record(
        access=access, action=Action.DENIED, model=model, object_id=object_id, patient_id=owner
    )


def phi_access_checkpoint_write(*, report: chain.ChainReport) -> chain.Checkpoint | None:
    """Sign the head an intact walk found and append it to the checkpoint sink (outside the
    database). ``None`` when no sink is configured."""
    if not report.ok:
        raise ValueError("Only the head of an intact chain is checkpointed.")
    sink = checkpoint_sink()
    if sink is None:
        logger.warning("PHI access log checkpoint not written: AUDIT_CHECKPOINT_PATH is not set")
        return None
    key_id, key = signing_key()
    checkpoint = chain.Checkpoint(
        position=report.head_id,
        hash=report.head_hash,
        at=chain.utc_text(timezone.now()),
        key_id=key_id,
    ).signed(key)
    sink.append(checkpoint.to_record())
    return checkpoint
