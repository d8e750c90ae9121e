"""The PHI access log is append-only and tamper-evident: the ORM, the admin and (on PostgreSQL) the
database refuse changes; ``verify_audit_log`` finds a row changed, deleted or reordered by raw
SQL; concurrent writers never fork the chain."""

import logging
import threading
from contextlib import contextmanager
from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.admin.sites import site
from django.core.management import CommandError, call_command
from django.db import DatabaseError, IntegrityError, connection, connections, transaction
from django.test import RequestFactory

from audit import chain
from audit.context import AccessContext
from audit.keys import signing_key
from audit.models import Action, AppendOnlyError, PhiAccess, PhiAccessChainHead
from audit.services import phi_access_record
from audit.tasks import verify_audit_chain
from clinic.models import User
from tests.audit.conftest import rows
from tests.factories import PatientFactory, StaffFactory

pytestmark = pytest.mark.django_db

TABLE = PhiAccess._meta.db_table
KEY = signing_key()[1]
TRIGGER = "audit_phiaccess_append_only"


def _append(count: int, *, actor=None, patient=None) -> list[PhiAccess]:
    access = AccessContext(actor_id=actor.pk if actor else None, channel="web", ip="192.0.2.1")
    return [
        phi_access_record(
            access=access, action=Action.VIEW, model=User, object_id=n, patient_id=patient
        )
        for n in range(count)
    ]


@contextmanager
def _tampering():
    """Raw SQL as someone with the database owner's rights: on PostgreSQL they must switch the
    append-only trigger off first (and can)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER {TRIGGER}")
        yield cursor
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER {TRIGGER}")


def _verify() -> str:
    out = StringIO()
    call_command("verify_audit_log", stdout=out, stderr=StringIO())
    return out.getvalue()


def _broken() -> str:
    with pytest.raises(CommandError) as failure:
        _verify()
    return str(failure.value)


# --- writing ---------------------------------------------------------------------------------


def test_rows_are_numbered_and_linked_from_the_genesis_hash():
    first, second, third = _append(3)
    assert [first.id, second.id, third.id] == [1, 2, 3]
    assert first.previous_hash == chain.GENESIS_HASH
    assert second.previous_hash == first.hash
    assert third.previous_hash == second.hash
    assert third.hash == chain.row_hash(PhiAccess.objects.get(pk=3).chain_values(), KEY)
    head = PhiAccessChainHead.objects.get()
    assert (head.last_id, head.last_hash) == (3, third.hash)


def test_the_hash_covers_every_field_and_the_previous_hash():
    [row] = _append(1)
    values = row.chain_values()
    for name in chain.HASHED_FIELDS:
        changed = {
            **values,
            name: values[name] + timedelta(microseconds=1) if name == "at" else f"{values[name]}x",
        }
        assert chain.row_hash(changed, KEY) != row.hash, name


def test_a_lost_chain_head_is_rebuilt_from_the_last_row():
    _append(2)
    PhiAccessChainHead.objects.all().delete()
    [third] = _append(1)
    assert third.id == 3
    assert "intact: 3 rows" in _verify()


def test_a_change_rolled_back_takes_its_row_with_it():
    _append(1)

    def failing_change():
        with transaction.atomic():
            _append(1)
            raise RuntimeError("the change failed")

    with pytest.raises(RuntimeError):
        failing_change()
    assert PhiAccess.objects.count() == 1
    assert PhiAccessChainHead.objects.get().last_id == 1
    [next_row] = _append(1)
    assert next_row.id == 2
    assert "intact" in _verify()


def test_the_same_read_twice_in_one_request_is_one_row():
    access = AccessContext(actor_id=None, channel="api")
    for _ in range(2):
        phi_access_record(access=access, action=Action.VIEW, model=User, object_id=7)
    phi_access_record(access=access, action=Action.CHANGE, model=User, object_id=7)
    assert [row.action for row in rows()] == ["view", "change"]


def test_the_client_address_honours_num_proxies_like_drf(settings):
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.9, 203.0.113.5"
    )
    assert AccessContext.web(request).ip == "10.0.0.2"  # the header is not trusted by default
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.9, 203.0.113.5"
    )
    assert AccessContext.web(request).ip == "203.0.113.5"
    request = RequestFactory().get("/", REMOTE_ADDR="::ffff:192.0.2.4")
    assert AccessContext.web(request).ip == "192.0.2.4"
    assert AccessContext.web(RequestFactory().get("/", REMOTE_ADDR="junk")).ip == ""


# --- nobody changes a row ----------------------------------------------------------------------


def test_the_orm_refuses_to_change_or_delete_rows():
    [row] = _append(1)
    stored = PhiAccess.objects.get(pk=row.pk)
    stored.action = "list"
    with pytest.raises(AppendOnlyError):
        stored.save()
    with pytest.raises(AppendOnlyError):
        stored.delete()
    with pytest.raises(AppendOnlyError):
        PhiAccess.objects.filter(pk=row.pk).update(action="list")
    with pytest.raises(AppendOnlyError):
        PhiAccess.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        PhiAccess.objects.bulk_update([stored], ["action"])
    with pytest.raises(IntegrityError), transaction.atomic():
        PhiAccess(**{**stored.chain_values(), "hash": stored.hash}).save()  # an insert, refused
    assert PhiAccess.objects.get(pk=row.pk).action == "view"


def test_deleting_a_user_leaves_their_rows_alone():
    patient = PatientFactory()
    patient_id = patient.pk
    _append(1, patient=patient_id)
    patient.delete()
    assert PhiAccess.objects.get().patient_id == patient_id
    assert "intact" in _verify()


def test_the_admin_has_no_add_change_or_delete_even_for_a_superuser(admin_user):
    request = RequestFactory().get("/")
    request.user = admin_user
    model_admin = site._registry[PhiAccess]
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
    assert model_admin.has_view_permission(request)
    assert model_admin.get_actions(request) == {}


@pytest.mark.requires_postgres
def test_postgresql_refuses_raw_updates_and_deletes():
    _append(2)
    for sql in (f"UPDATE {TABLE} SET action = 'list'", f"DELETE FROM {TABLE} WHERE id = 1"):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql)
    assert PhiAccess.objects.count() == 2


# --- verify_audit_log finds tampering -----------------------------------------------------------


def test_an_intact_log_verifies_and_names_its_head():
    rows_made = _append(5)
    assert _verify().strip() == (
        f"PHI access log intact: 5 rows, last row 5, last hash {rows_made[-1].hash}; "
        "0 checkpoints match."
    )


def test_an_empty_log_verifies():
    assert "intact: 0 rows" in _verify()


@pytest.mark.parametrize(
    ("statements", "reason"),
    [
        pytest.param(
            ["UPDATE {table} SET patient_id = 999 WHERE id = 3"],
            "row 3 was changed after it was written: its hash does not match",
            id="a field changed",
        ),
        pytest.param(
            ["DELETE FROM {table} WHERE id = 2"],
            "row 3 comes after row 1: row 2 is missing",
            id="a row deleted",
        ),
        pytest.param(
            ["DELETE FROM {table} WHERE id < 3"],
            "the log starts at row 3: rows 1-2 are missing",
            id="the first rows deleted",
        ),
        pytest.param(
            [
                "UPDATE {table} SET id = 99 WHERE id = 2",
                "UPDATE {table} SET id = 2 WHERE id = 3",
                "UPDATE {table} SET id = 3 WHERE id = 99",
            ],
            "row 2 does not link to row 1: a row was replaced, reordered or deleted",
            id="two rows swapped",
        ),
        pytest.param(
            ["DELETE FROM {table} WHERE id > 3"],
            "the chain head says the last row is 5, the log ends at row 3: rows were cut off "
            "the end or the head was altered",
            id="the last rows cut off",
        ),
    ],
)
def test_raw_sql_tampering_is_found(statements, reason):
    _append(5)
    with _tampering() as cursor:
        for sql in statements:
            cursor.execute(sql.format(table=TABLE))
    assert _broken() == f"PHI access log tampered with: {reason}."


def test_a_row_replaced_with_a_freshly_hashed_one_is_found():
    """Recomputing the changed row's own hash is not enough: the next row's link breaks."""
    _append(3)
    stored = PhiAccess.objects.get(pk=2)
    forged = {**stored.chain_values(), "patient_id": 999}
    with _tampering() as cursor:
        cursor.execute(
            f"UPDATE {TABLE} SET patient_id = 999, hash = %s WHERE id = 2",
            [chain.row_hash(forged, KEY)],
        )
    assert "row 3 does not link to row 2" in _broken()


def test_the_first_break_is_reported_with_the_intact_prefix():
    _append(6)
    with _tampering() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET action = 'list' WHERE id IN (4, 5)")
    err = StringIO()
    with pytest.raises(CommandError, match="row 4 was changed"):
        call_command("verify_audit_log", stdout=StringIO(), stderr=err)
    assert err.getvalue().strip() == "Checked 4 rows; the chain is intact up to row 3."


# --- concurrent writers -------------------------------------------------------------------------


@pytest.mark.requires_postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_never_link_to_the_same_row():
    staff = [StaffFactory() for _ in range(8)]
    barrier = threading.Barrier(len(staff))
    errors = []

    def write(user):
        try:
            barrier.wait()
            _append(25, actor=user)
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(user,)) for user in staff]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert list(PhiAccess.objects.order_by("id").values_list("id", flat=True)) == list(
        range(1, 201)
    )
    assert len(set(PhiAccess.objects.values_list("previous_hash", flat=True))) == 200
    assert "intact: 200 rows" in _verify()


def test_the_nightly_check_logs_the_head_or_the_break(caplog):
    [*_, last] = _append(3)
    with caplog.at_level(logging.INFO, logger="audit.tasks"):
        assert verify_audit_chain() is True
    assert f"PHI access log intact: 3 rows, last row 3, last hash {last.hash}" in caplog.text
    with _tampering() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET action = 'list' WHERE id = 2")
    caplog.clear()
    assert verify_audit_chain() is False
    [record] = caplog.records
    assert record.levelname == "CRITICAL"
    assert record.getMessage() == (
        "PHI access log tampered with: row 2 was changed after it was written: "
        "its hash does not match"
    )


def test_the_nightly_check_is_scheduled(settings):
    [entry] = [e for e in settings.CELERY_BEAT_SCHEDULE.values() if "audit" in e["task"]]
    assert entry["task"] == "audit.tasks.verify_audit_chain"
