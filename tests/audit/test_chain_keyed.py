"""The chain survives its owner (issue 13, item 4): whoever owns the database can switch the
trigger off, edit a row and recompute every hash, but without the key (``AUDIT_CHAIN_KEYS``)
the recomputed chain does not verify; with the key, the signed checkpoints the nightly walk
wrote outside the database no longer match. Keys rotate like the field encryption keys."""

import hashlib
import json
import logging
from io import StringIO

import pytest
from django.core import checks
from django.core.management import CommandError, call_command

from audit import chain
from audit.checks import audit_chain_settings
from audit.keys import chain_keys, key_id, signing_key
from audit.models import PhiAccess, PhiAccessChainHead
from audit.tasks import verify_audit_chain
from tests.audit.test_chain import TABLE, _append, _tampering

pytestmark = pytest.mark.django_db

OLD_KEY = "old-audit-chain-key-used-before-rotation-000"
NEW_KEY = "new-audit-chain-key-after-rotation-11111111"
ROW_COLUMNS = (*chain.HASHED_FIELDS, "hash")


@pytest.fixture
def sink(settings, tmp_path):
    settings.AUDIT_CHECKPOINT_PATH = str(tmp_path / "audit" / "checkpoints.jsonl")
    return tmp_path / "audit" / "checkpoints.jsonl"


def verify() -> str:
    out = StringIO()
    call_command("verify_audit_log", stdout=out, stderr=StringIO())
    return out.getvalue().strip()


def broken() -> str:
    with pytest.raises(CommandError) as failure:
        verify()
    return str(failure.value)


def stored_rows() -> list[dict]:
    return [
        dict(zip(ROW_COLUMNS, values, strict=True))
        for values in PhiAccess.objects.order_by("id").values_list(*ROW_COLUMNS)
    ]


def rebuild(rows: list[dict], hasher) -> None:
    """What the owner of the database does after editing rows: recompute every link and hash
    from the first row, then move the head, with the append-only trigger off."""
    previous = chain.GENESIS_HASH
    with _tampering() as cursor:
        for row in rows:
            row = {**row, "previous_hash": previous}
            row["hash"] = hasher(row)
            cursor.execute(
                f"UPDATE {TABLE} SET patient_id = %s, key_id = %s, previous_hash = %s, hash = %s "
                "WHERE id = %s",
                [row["patient_id"], row["key_id"], row["previous_hash"], row["hash"], row["id"]],
            )
            previous = row["hash"]
    PhiAccessChainHead.objects.filter(pk=1).update(last_id=rows[-1]["id"], last_hash=previous)


def plain_sha256(row: dict) -> str:
    """The unkeyed chain of before: SHA-256 over the same canonical serialisation."""
    return hashlib.sha256(chain.canonical(row)).hexdigest()


def test_rows_are_signed_with_the_first_key_and_name_it():
    [row] = _append(1)
    current_id, key = signing_key()
    assert row.key_id == current_id == key_id(key)
    assert len(row.key_id) == 16
    assert row.hash == chain.row_hash(row.chain_values(), key)
    assert row.hash != plain_sha256(row.chain_values())


def test_the_issue_attack_edit_a_row_and_recompute_the_plain_chain_is_found():
    """Bypass the trigger, edit a row, recompute the plain SHA-256 chain: once reported intact."""
    _append(4)
    rows = stored_rows()
    rows[1]["patient_id"] = 999
    rebuild(rows, plain_sha256)
    assert broken() == (
        "PHI access log tampered with: row 1 was changed after it was written: "
        "its hash does not match."
    )


def test_a_chain_rebuilt_under_a_key_of_ones_own_is_found():
    _append(3)
    rows = stored_rows()
    forger = b"a key the forger made up, 32 bytes or more"
    for row in rows:
        row["key_id"] = key_id(forger)
    rows[2]["patient_id"] = 999
    rebuild(rows, lambda row: chain.row_hash(row, forger))
    assert broken().startswith(
        "PHI access log tampered with: row 1 names a signing key that is not configured"
    )


def test_a_chain_rebuilt_with_the_real_key_is_found_by_the_checkpoints(sink):
    _append(3)
    assert verify_audit_chain() is True  # the nightly walk checkpoints row 3
    _append(2)
    rows = stored_rows()
    rows[1]["patient_id"] = 999  # before the checkpoint
    _key_id, key = signing_key()
    rebuild(rows, lambda row: chain.row_hash(row, key))
    assert broken().startswith(
        "PHI access log tampered with: row 3 is not the row the checkpoint of "
    )
    assert broken().endswith("recorded: the chain up to it was rebuilt.")


def test_a_chain_cut_back_before_a_checkpoint_is_found(sink):
    _append(4)
    assert verify_audit_chain() is True
    with _tampering() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE id > 2")
    head = PhiAccess.objects.get(pk=2)
    PhiAccessChainHead.objects.filter(pk=1).update(last_id=2, last_hash=head.hash)
    message = broken()
    assert message.startswith("PHI access log tampered with: the checkpoint of ")
    assert message.endswith("recorded row 4, the log ends at row 2: rows were cut off the end.")


def test_edits_after_the_last_checkpoint_still_need_the_key(sink):
    _append(2)
    verify_audit_chain()
    _append(2)
    rows = stored_rows()
    rows[3]["patient_id"] = 999
    rebuild(rows, plain_sha256)
    assert "row 1 was changed after it was written" in broken()


def test_the_nightly_walk_appends_a_signed_checkpoint_and_later_walks_check_it(sink, caplog):
    rows = _append(3)
    with caplog.at_level(logging.INFO, logger="audit.tasks"):
        assert verify_audit_chain() is True
    assert "checkpoint written" in caplog.text
    _append(1)
    assert verify_audit_chain() is True
    lines = sink.read_text().splitlines()
    assert len(lines) == 2
    first = json.loads(lines[0])
    assert (first["position"], first["hash"], first["key_id"]) == (
        3,
        rows[-1].hash,
        rows[-1].key_id,
    )
    assert chain.checkpoint_read(lines[0], chain_keys()).position == 3
    assert verify() == (
        f"PHI access log intact: 4 rows, last row 4, last hash {PhiAccess.objects.get(pk=4).hash}; "
        "2 checkpoints match."
    )


@pytest.mark.parametrize(
    ("edit", "reason"),
    [
        (lambda data: {**data, "position": 2}, "its signature does not match: it was altered"),
        (lambda data: {**data, "hash": "0" * 64}, "its signature does not match: it was altered"),
        (lambda data: {**data, "key_id": "0" * 16}, "it is signed with an unknown key"),
        (lambda data: "not json", "it is not a checkpoint"),
    ],
)
def test_an_altered_checkpoint_is_reported(sink, edit, reason):
    _append(3)
    verify_audit_chain()
    data = json.loads(sink.read_text())
    changed = edit(data)
    sink.write_text((json.dumps(changed) if isinstance(changed, dict) else changed) + "\n")
    message = broken()
    assert message.startswith(f"PHI access log tampered with: checkpoint 1 in {sink} is not valid")
    assert reason in message


def test_the_command_writes_a_checkpoint_on_request(sink):
    _append(2)
    out = StringIO()
    call_command("verify_audit_log", "--checkpoint", stdout=out)
    assert out.getvalue().strip().endswith("Checkpoint written at row 2.")
    assert len(sink.read_text().splitlines()) == 1


def test_without_a_sink_the_walk_says_so(settings, caplog):
    settings.AUDIT_CHECKPOINT_PATH = ""
    _append(1)
    with caplog.at_level(logging.INFO):
        assert verify_audit_chain() is True
    assert "no checkpoint sink" in caplog.text
    with pytest.raises(CommandError, match="AUDIT_CHECKPOINT_PATH is not set"):
        call_command("verify_audit_log", "--checkpoint", stdout=StringIO())


def test_keys_rotate_the_first_signs_and_every_listed_key_verifies(settings, sink):
    settings.AUDIT_CHAIN_KEYS = [OLD_KEY]
    _append(2)
    verify_audit_chain()
    settings.AUDIT_CHAIN_KEYS = [NEW_KEY, OLD_KEY]
    [third] = _append(1)
    assert third.key_id == key_id(NEW_KEY.encode())
    assert PhiAccess.objects.get(pk=1).key_id == key_id(OLD_KEY.encode())
    assert "intact: 3 rows" in verify()
    verify_audit_chain()  # the new checkpoint is signed with the new key
    settings.AUDIT_CHAIN_KEYS = [NEW_KEY]
    assert "checkpoint 1 in" in broken()  # the old key is still needed for the old checkpoint


def test_a_row_under_a_key_that_was_dropped_is_reported(settings):
    settings.AUDIT_CHAIN_KEYS = [OLD_KEY]
    _append(1)
    settings.AUDIT_CHAIN_KEYS = [NEW_KEY]
    assert "row 1 names a signing key that is not configured" in broken()


@pytest.mark.parametrize(
    ("keys", "debug", "path", "ids"),
    [
        ([], False, "/var/log/x", ["audit.E001"]),
        (["short"], False, "/var/log/x", ["audit.E002"]),
        (["dev-only-not-secret-audit-chain-key-0000000000"], False, "/x", ["audit.E003"]),
        ([NEW_KEY], False, "", ["audit.W001"]),
        (["dev-only-not-secret-audit-chain-key-0000000000"], True, "", []),
        ([NEW_KEY, OLD_KEY], False, "/var/log/x", []),
    ],
)
def test_the_system_check_refuses_missing_weak_or_public_keys(settings, keys, debug, path, ids):
    settings.AUDIT_CHAIN_KEYS = keys
    settings.DEBUG = debug
    settings.AUDIT_CHECKPOINT_PATH = path
    assert [message.id for message in audit_chain_settings(None)] == ids
    assert all(isinstance(m, checks.CheckMessage) for m in audit_chain_settings(None))
