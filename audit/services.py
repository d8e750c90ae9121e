"""Appending to the PHI access log.

Every row is linked to the one before, so writers must take turns: each append locks the single
chain-head row (``SELECT ... FOR UPDATE`` on PostgreSQL; on SQLite the IMMEDIATE transaction the
settings ask for admits one writer at a time), inserts the next row and moves the head, all in
one transaction. Called inside a change's transaction, the row commits or rolls back with the
change; called outside one (a read), it is its own short transaction. The head stays locked
until that transaction ends, so a service records its change as its last step.
"""

import logging
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from audit.chain import GENESIS_HASH, patient_ids_text, row_hash
from audit.context import AccessContext
from audit.models import Action, PhiAccess, PhiAccessChainHead

logger = logging.getLogger(__name__)

HEAD_ID = 1


def _locked_head() -> PhiAccessChainHead:
    head = PhiAccessChainHead.objects.select_for_update().filter(pk=HEAD_ID).first()
    if head is not None:
        return head
    # No head yet (a new database) or lost: continue from the last row, so the chain goes on.
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
    return PhiAccessChainHead.objects.select_for_update().get(pk=HEAD_ID)


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
    with transaction.atomic():
        head = _locked_head()
        row = PhiAccess(
            id=head.last_id + 1,
            at=timezone.now(),
            actor_id=access.actor_id,
            patient_id=patient_id,
            patient_ids=patient_ids_text(patient_ids),
            object_type=object_type,
            object_id=object_id,
            action=action,
            channel=access.channel,
            ip=access.ip,
            request_id=access.request_id,
            detail=detail[:500],
            previous_hash=head.last_hash,
        )
        row.hash = row_hash(row.chain_values())
        row.save()
        head.last_id, head.last_hash = row.id, row.hash
        head.save(update_fields=["last_id", "last_hash"])
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
