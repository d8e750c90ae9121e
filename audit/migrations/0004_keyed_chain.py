"""The PHI access log's chain becomes keyed: each row's hash is an HMAC-SHA-256 under the first
key of ``AUDIT_CHAIN_KEYS``, and each row records the id of that key.

Rows written before this migration carry plain SHA-256 hashes, which anyone who owns the
database can recompute. They are re-signed here, in chain order, after the plain chain is
checked from the first row to the recorded head: a log that is already broken is not laundered
into a valid keyed one, the migration stops and names the first break (investigate, then
SECURITY.md says how to go on). The fields of every row stay as they were; only ``key_id``,
``previous_hash`` and ``hash`` change, so heads logged before the upgrade no longer match the
new ones (the migration prints both). Reversing re-signs with the plain hash the same way.

On PostgreSQL the append-only trigger is switched off for the rewrite and on again, inside the
migration's transaction: the migration runs as the table's owner, like every schema change.

The hashing is copied here, not imported, so that later changes to ``audit.chain`` leave what
this migration does unchanged.
"""

import hashlib
import hmac
import json
from datetime import UTC

from django.conf import settings
from django.db import migrations, models

GENESIS = "0" * 64
FIELDS = (
    "id", "at", "actor_id", "patient_id", "patient_ids", "object_type", "object_id", "action",
    "channel", "ip", "request_id", "detail",
)
TABLE = "audit_phiaccess"
TRIGGER = "audit_phiaccess_append_only"
BATCH = 2000


def _canonical(version: str, row: dict, *extra: str) -> bytes:
    values = [
        row[name].astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ") if name == "at" else row[name]
        for name in FIELDS
    ]
    payload = [version, *values, *extra]
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()


def plain_hash(row: dict, previous: str) -> tuple[str, str]:
    return "", hashlib.sha256(_canonical("phiaccess.v1", row, previous)).hexdigest()


def keyed_hash(row: dict, previous: str) -> tuple[str, str]:
    raw = settings.AUDIT_CHAIN_KEYS[0].encode()
    key_id = hmac.new(raw, b"clinic.audit.chain-key-id", hashlib.sha256).hexdigest()[:16]
    payload = _canonical("phiaccess.v2", row, key_id, previous)
    return key_id, hmac.new(raw, payload, hashlib.sha256).hexdigest()


def _keyed_check(row: dict, previous: str) -> str:
    for raw in settings.AUDIT_CHAIN_KEYS:
        key = raw.encode()
        key_id = hmac.new(key, b"clinic.audit.chain-key-id", hashlib.sha256).hexdigest()[:16]
        if key_id == row["key_id"]:
            payload = _canonical("phiaccess.v2", row, key_id, previous)
            return hmac.new(key, payload, hashlib.sha256).hexdigest()
    return ""


def _rows(PhiAccess):
    columns = (*FIELDS, "key_id", "previous_hash", "hash")
    for values in PhiAccess.objects.order_by("id").values_list(*columns).iterator(BATCH):
        yield dict(zip(columns, values, strict=True))


def _resign(apps, schema_editor, *, check, sign):
    PhiAccess = apps.get_model("audit", "PhiAccess")
    Head = apps.get_model("audit", "PhiAccessChainHead")
    if not PhiAccess.objects.exists():
        return
    if sign is keyed_hash and not settings.AUDIT_CHAIN_KEYS:
        raise RuntimeError("Set AUDIT_CHAIN_KEYS before migrating the PHI access log.")
    connection = schema_editor.connection
    postgres = connection.vendor == "postgresql"
    old_previous = new_previous = GENESIS
    expected = 1
    updates = []
    with connection.cursor() as cursor:
        if postgres:
            cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER {TRIGGER}")
        for row in _rows(PhiAccess):
            if (
                row["id"] != expected
                or row["previous_hash"] != old_previous
                or check(row, old_previous) != row["hash"]
            ):
                raise RuntimeError(
                    f"The PHI access log is broken at row {row['id']}: it is not re-signed. "
                    "Run verify_audit_log, investigate, and see SECURITY.md before migrating."
                )
            key_id, new_hash = sign(row, new_previous)
            updates.append((key_id, new_previous, new_hash, row["id"]))
            old_previous, new_previous, expected = row["hash"], new_hash, expected + 1
            if len(updates) >= BATCH:
                _write(cursor, updates)
        _write(cursor, updates)
        head = Head.objects.filter(pk=1).values_list("last_id", "last_hash").first()
        if head is not None and tuple(head) != (expected - 1, old_previous):
            raise RuntimeError(
                f"The PHI access log ends at row {expected - 1}, its head says {head[0]}: it is "
                "not re-signed. Investigate and see SECURITY.md before migrating."
            )
        Head.objects.update_or_create(
            pk=1, defaults={"last_id": expected - 1, "last_hash": new_previous}
        )
        if postgres:
            cursor.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER {TRIGGER}")
    print(  # noqa: T201 - the operator records both heads
        f"\n  PHI access log re-signed: {expected - 1} rows; head was {old_previous}, "
        f"is now {new_previous}"
    )


def _write(cursor, updates: list) -> None:
    if updates:
        cursor.executemany(
            f"UPDATE {TABLE} SET key_id = %s, previous_hash = %s, hash = %s WHERE id = %s",
            updates,
        )
        updates.clear()


def to_keyed(apps, schema_editor):
    _resign(apps, schema_editor, check=lambda row, prev: plain_hash(row, prev)[1], sign=keyed_hash)


def to_plain(apps, schema_editor):
    _resign(apps, schema_editor, check=_keyed_check, sign=plain_hash)


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_compliance_group")]

    operations = [
        migrations.AddField(
            model_name="phiaccess",
            name="key_id",
            field=models.CharField(
                blank=True,
                default="",
                help_text="Id of the key that signed it.",
                max_length=16,
                verbose_name="signing key",
            ),
            preserve_default=False,
        ),
        migrations.RunPython(to_keyed, to_plain),
    ]
