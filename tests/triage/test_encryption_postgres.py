"""``reencrypt_fields`` on PostgreSQL with no wrapping test transaction: it locks each batch
before rewriting it, so a value a member of staff changes while the command runs is never
overwritten with the older text the command read."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction

from tests.concurrency import Background, until_blocked
from tests.triage.test_encryption import NEW_KEY, NOTE, OLD_KEY, decrypts_with, resolved, stored
from triage.models import StaffAlert

pytestmark = [pytest.mark.requires_postgres, pytest.mark.django_db(transaction=True)]
CORRECTED = "Called back: the patient was admitted; the ED note is on file."


@pytest.fixture
def rotated(settings, published):
    """Two alerts resolved under the old key, then the new key put first (a rotation)."""
    settings.FIELD_ENCRYPTION_KEYS = [OLD_KEY]
    alerts = [resolved(NOTE), resolved(NOTE)]
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY, OLD_KEY]
    return alerts


def _reencrypt() -> str:
    out = StringIO()
    call_command("reencrypt_fields", stdout=out)
    return out.getvalue()


def test_every_value_moves_to_the_new_key_and_a_second_run_changes_nothing(rotated, settings):
    first = _reencrypt()
    assert "triage.StaffAlert.note: 2 re-encrypted, 0 already current" in first
    assert "triage.StaffAlertEvent.note: 2 re-encrypted, 0 already current" in first
    assert all(decrypts_with(NEW_KEY, stored(StaffAlert, "note", a.pk)) for a in rotated)
    assert "triage.StaffAlert.note: 0 re-encrypted, 2 already current" in _reencrypt()
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY]
    assert [StaffAlert.objects.get(pk=a.pk).note for a in rotated] == [NOTE, NOTE]


def test_a_note_changed_while_the_command_runs_is_not_overwritten(rotated, settings):
    changing = rotated[0]
    with transaction.atomic():
        alert = StaffAlert.objects.select_for_update().get(pk=changing.pk)
        alert.note = CORRECTED
        alert.save(update_fields=["note"])
        command = Background(_reencrypt)
        until_blocked()
    assert "triage.StaffAlert.note: 1 re-encrypted, 1 already current" in command.result()
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY]
    assert [StaffAlert.objects.get(pk=a.pk).note for a in rotated] == [CORRECTED, NOTE]
