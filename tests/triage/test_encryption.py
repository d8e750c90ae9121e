"""Encrypted columns (clinic.encryption): what the database holds, key rotation with
``reencrypt_fields``, loud failure with a wrong key, the start-up check of the keys."""

from io import StringIO

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.db import connection

from clinic.encryption import FieldDecryptionError, field_encryption_keys
from tests.factories import PatientFactory, StaffFactory
from tests.triage.alerting import submit
from tests.triage.factories import AssessmentFactory
from tests.triage.vignettes import answers
from triage.alerts import alert_resolve
from triage.models import AlertOutcome, Assessment, StaffAlert, StaffAlertEvent

OLD_KEY = Fernet.generate_key().decode()
NEW_KEY = Fernet.generate_key().decode()
NOTE = "Spoke with the patient; sent to Capital Health ED by ambulance."


def stored_row(model, pk, columns: str = "*") -> tuple:
    """A row as the database holds it, read past the ORM with a cursor."""
    table, key = model._meta.db_table, model._meta.pk.get_db_prep_value(pk, connection)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM {table} WHERE id = %s", [key])
        return cursor.fetchone()


def stored(model, column: str, pk) -> str:
    return stored_row(model, pk, column)[0]


def decrypts_with(key: str, token: str) -> bool:
    try:
        Fernet(key).decrypt(token.encode())
    except Exception:
        return False
    return True


def resolved(note: str) -> StaffAlert:
    """An emergency alert resolved with ``note`` (kept on the alert and its history)."""
    alert = submit(PatientFactory()).staff_alert
    return alert_resolve(
        alert=alert, user=StaffFactory(), outcome=AlertOutcome.SENT_TO_EMERGENCY, note=note
    )


@pytest.fixture
def old_key(settings):
    settings.FIELD_ENCRYPTION_KEYS = [OLD_KEY]
    return settings


@pytest.fixture
def resolved_alert(old_key, published):
    return StaffAlert.objects.get(pk=resolved(NOTE).pk)


def test_the_column_holds_a_token_and_the_model_the_text(resolved_alert):
    raw = stored(StaffAlert, "note", resolved_alert.pk)
    assert NOTE not in raw
    assert "ambulance" not in raw
    assert decrypts_with(OLD_KEY, raw)
    assert resolved_alert.note == NOTE


def test_the_same_text_is_stored_differently_each_time(old_key, published):
    first, second = resolved(NOTE), resolved(NOTE)
    assert stored(StaffAlert, "note", first.pk) != stored(StaffAlert, "note", second.pk)


def test_a_blank_note_stays_blank(old_key, published):
    alert = submit(PatientFactory()).staff_alert
    assert stored(StaffAlert, "note", alert.pk) == ""
    assert StaffAlert.objects.get(pk=alert.pk).note == ""


def test_after_a_rotation_old_values_read_and_reencrypt_moves_them_to_the_new_key(
    resolved_alert, settings
):
    events = list(StaffAlertEvent.objects.filter(alert=resolved_alert).exclude(note=""))
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY, OLD_KEY]
    assert StaffAlert.objects.get(pk=resolved_alert.pk).note == NOTE

    call_command("reencrypt_fields")

    raw = stored(StaffAlert, "note", resolved_alert.pk)
    assert decrypts_with(NEW_KEY, raw)
    assert not decrypts_with(OLD_KEY, raw)
    for event in events:
        assert decrypts_with(NEW_KEY, stored(StaffAlertEvent, "note", event.pk))
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY]
    assert StaffAlert.objects.get(pk=resolved_alert.pk).note == NOTE
    assert [e.note for e in StaffAlertEvent.objects.filter(pk__in=[e.pk for e in events])] == [
        e.note for e in events
    ]


def test_reencrypt_reports_counts_and_a_second_run_changes_nothing(resolved_alert, settings):
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY, OLD_KEY]
    first = _run("reencrypt_fields")
    assert "triage.StaffAlert.note: 1 re-encrypted, 0 already current" in first
    assert "triage.StaffAlertEvent.note: 1 re-encrypted, 0 already current" in first
    raw = stored(StaffAlert, "note", resolved_alert.pk)
    second = _run("reencrypt_fields")
    assert "triage.StaffAlert.note: 0 re-encrypted, 1 already current" in second
    assert stored(StaffAlert, "note", resolved_alert.pk) == raw


def test_the_free_text_answers_column_is_rotated_too(old_key, published, patient):
    assessment = AssessmentFactory(patient=patient, answers=answers(notes="Left calf cramps."))
    old_key.FIELD_ENCRYPTION_KEYS = [NEW_KEY, OLD_KEY]
    call_command("reencrypt_fields", stdout=StringIO())
    raw = stored(Assessment, "free_text_answers", assessment.pk)
    assert decrypts_with(NEW_KEY, raw)
    old_key.FIELD_ENCRYPTION_KEYS = [NEW_KEY]
    assert Assessment.objects.get(pk=assessment.pk).answers["notes"] == "Left calf cramps."


def test_check_fails_while_values_need_an_old_key(resolved_alert, settings):
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY, OLD_KEY]
    with pytest.raises(CommandError, match="still encrypted with an older key"):
        call_command("reencrypt_fields", "--check", stdout=StringIO())
    assert decrypts_with(OLD_KEY, stored(StaffAlert, "note", resolved_alert.pk))
    call_command("reencrypt_fields", stdout=StringIO())
    call_command("reencrypt_fields", "--check", stdout=StringIO())


def test_a_wrong_key_fails_loudly_instead_of_showing_ciphertext(resolved_alert, settings):
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY]
    with pytest.raises(FieldDecryptionError, match=r"triage\.StaffAlert\.note"):
        StaffAlert.objects.get(pk=resolved_alert.pk)
    with pytest.raises(CommandError, match="None of FIELD_ENCRYPTION_KEYS decrypts"):
        call_command("reencrypt_fields", stdout=StringIO())


def test_no_key_at_all_refuses_to_write(settings, published):
    settings.FIELD_ENCRYPTION_KEYS = []
    with pytest.raises(ImproperlyConfigured, match="FIELD_ENCRYPTION_KEYS"):
        resolved(NOTE)


def test_encrypted_columns_can_only_be_tested_for_blank(resolved_alert):
    assert StaffAlert.objects.exclude(note="").count() == 1
    assert StaffAlert.objects.filter(note__isnull=True).count() == 0
    with pytest.raises(FieldError, match="encrypted"):
        list(StaffAlert.objects.filter(note=NOTE))
    with pytest.raises(FieldError, match="Unsupported lookup"):
        list(StaffAlert.objects.filter(note__icontains="ambulance"))


def test_new_key_prints_a_usable_key():
    key = _run("reencrypt_fields", "--new-key").strip()
    assert decrypts_with(key, Fernet(key).encrypt(b"x").decode())


@pytest.mark.parametrize(
    ("keys", "debug", "ids"),
    [
        ([NEW_KEY], False, []),
        ([NEW_KEY, OLD_KEY], False, []),
        ([], False, ["clinic.E010"]),
        (["not-a-key", NEW_KEY], False, ["clinic.E011"]),
        (["ZGV2LW9ubHktbm90LXNlY3JldC1maWVsZC1rZXktMDA="], False, ["clinic.E012"]),
        (["ZGV2LW9ubHktbm90LXNlY3JldC1maWVsZC1rZXktMDA="], True, []),
    ],
)
def test_the_start_up_check_of_the_keys(settings, keys, debug, ids):
    settings.FIELD_ENCRYPTION_KEYS = keys
    settings.DEBUG = debug
    assert [message.id for message in field_encryption_keys(None)] == ids


def _run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()
