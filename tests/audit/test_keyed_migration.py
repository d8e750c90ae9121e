"""Migration 0004 re-signs a log written under the plain SHA-256 chain with the chain key, after
checking the plain chain end to end; a log that is already broken is refused, not laundered.
On PostgreSQL outside a test transaction, as deployed: the append-only trigger must be off for
the rewrite and on again afterwards."""

import hashlib
import json
from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from audit.keys import signing_key
from audit.models import PhiAccess

pytestmark = [pytest.mark.requires_postgres, pytest.mark.django_db(transaction=True)]

BEFORE = [("audit", "0003_compliance_group")]
V1_FIELDS = (
    "id", "at", "actor_id", "patient_id", "patient_ids", "object_type", "object_id", "action",
    "channel", "ip", "request_id", "detail", "previous_hash",
)  # fmt: skip


def v1_hash(values: dict) -> str:
    """A row's hash as the plain chain wrote it (audit.chain before issue 13)."""
    payload = [
        "phiaccess.v1",
        *(
            values[name].astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
            if name == "at"
            else values[name]
            for name in V1_FIELDS
        ),
    ]
    return hashlib.sha256(
        json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()
    ).hexdigest()


def migrate(targets) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


@pytest.fixture
def old_log():
    """The log at migration 0003 with three rows written by the plain chain; every app back at
    its newest migration afterwards."""
    migrate(BEFORE)
    apps = MigrationExecutor(connection).loader.project_state(BEFORE).apps
    old_model = apps.get_model("audit", "PhiAccess")
    head_model = apps.get_model("audit", "PhiAccessChainHead")
    previous = "0" * 64
    start = datetime(2026, 10, 5, 13, 0, tzinfo=UTC)
    for number in (1, 2, 3):
        values = {
            "id": number,
            "at": start + timedelta(minutes=number),
            "actor_id": 7,
            "patient_id": 7,
            "patient_ids": "",
            "object_type": "triage.assessment",
            "object_id": str(number),
            "action": "view",
            "channel": "web",
            "ip": "192.0.2.1",
            "request_id": f"req{number:06d}",
            "detail": "",
            "previous_hash": previous,
        }
        previous = v1_hash(values)
        old_model.objects.create(**values, hash=previous)
    head_model.objects.update_or_create(pk=1, defaults={"last_id": 3, "last_hash": previous})
    yield old_model
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_the_plain_log_is_re_signed_under_the_key_and_verifies(old_log, capsys):
    before = list(PhiAccess.objects.order_by("id").values_list("id", "at", "object_id", "ip"))
    migrate([("audit", "0004_keyed_chain")])
    assert "PHI access log re-signed: 3 rows" in capsys.readouterr().out
    rows = list(PhiAccess.objects.order_by("id"))
    assert [(r.id, r.at, r.object_id, r.ip) for r in rows] == before
    assert {r.key_id for r in rows} == {signing_key()[0]}
    out = StringIO()
    call_command("verify_audit_log", stdout=out)
    assert f"intact: 3 rows, last row 3, last hash {rows[-1].hash}" in out.getvalue()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        PhiAccess.objects.filter(pk=1)._raw_delete(using="default")  # the trigger is back on


def _set_ip(row_id: int, ip: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE audit_phiaccess DISABLE TRIGGER audit_phiaccess_append_only")
        cursor.execute("UPDATE audit_phiaccess SET ip = %s WHERE id = %s", [ip, row_id])
        cursor.execute("ALTER TABLE audit_phiaccess ENABLE TRIGGER audit_phiaccess_append_only")


def test_a_log_broken_before_the_upgrade_is_not_re_signed(old_log):
    plain = list(old_log.objects.order_by("id").values_list("hash", flat=True))
    _set_ip(2, "198.51.100.1")
    with pytest.raises(RuntimeError, match="broken at row 2: it is not re-signed"):
        migrate([("audit", "0004_keyed_chain")])
    # Nothing rewritten: the migration's transaction rolled back, the trigger is on again.
    assert list(old_log.objects.order_by("id").values_list("hash", flat=True)) == plain
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        old_log.objects.filter(pk=1).update(ip="")
    _set_ip(2, "192.0.2.1")  # repaired, so the fixture can migrate forward again


def test_the_migration_reverses_to_the_plain_chain(old_log):
    plain = list(old_log.objects.order_by("id").values_list("hash", flat=True))
    migrate([("audit", "0004_keyed_chain")])
    migrate(BEFORE)
    assert list(old_log.objects.order_by("id").values_list("hash", flat=True)) == plain
