"""Encrypt what was stored in plain text before 0005: free-text answers move out of the
answers JSON of assessments and drafts into the encrypted column, and existing staff alert
notes are encrypted in place. Reversible (decrypts back). Needs FIELD_ENCRYPTION_KEYS."""

from django.db import migrations
from django.db.models import TextField, Value
from django.db.models.functions import Cast

BATCH = 500


def _text_item_ids(items) -> set[str]:
    """linkIds of the free-text questions of a questionnaire definition (nested groups)."""
    found = set()
    for item in items or []:
        if item.get("type") == "text":
            found.add(item["linkId"])
        found |= _text_item_ids(item.get("items"))
    return found


def _records(apps):
    for model_name in ("Assessment", "AssessmentDraft"):
        yield apps.get_model("triage", model_name)


def move_free_text(apps, schema_editor):
    Questionnaire = apps.get_model("triage", "Questionnaire")
    for questionnaire in Questionnaire.objects.all():
        ids = sorted(_text_item_ids(questionnaire.definition.get("items")))
        if not ids:
            continue
        for model in _records(apps):
            rows = model.objects.filter(
                questionnaire=questionnaire, structured_answers__has_any_keys=ids
            )
            changed = []
            for row in rows.iterator(chunk_size=BATCH):
                for link_id in ids:
                    if link_id in row.structured_answers:
                        row.free_text_answers[link_id] = row.structured_answers.pop(link_id)
                changed.append(row)
            model.objects.bulk_update(
                changed, ["structured_answers", "free_text_answers"], batch_size=BATCH
            )


def move_free_text_back(apps, schema_editor):
    for model in _records(apps):
        changed = []
        for row in model.objects.iterator(chunk_size=BATCH):
            if row.free_text_answers:
                row.structured_answers.update(row.free_text_answers)
                row.free_text_answers = {}
                changed.append(row)
        model.objects.bulk_update(
            changed, ["structured_answers", "free_text_answers"], batch_size=BATCH
        )


def _notes(apps):
    for model_name in ("StaffAlert", "StaffAlertEvent"):
        yield apps.get_model("triage", model_name)


def encrypt_notes(apps, schema_editor):
    for model in _notes(apps):
        # The column still holds plain text: read it as stored, write it through the field.
        stored = model.objects.exclude(note="").annotate(
            plain=Cast("note", output_field=TextField())
        )
        for pk, plain in stored.values_list("pk", "plain").iterator(chunk_size=BATCH):
            model.objects.filter(pk=pk).update(note=plain)


def decrypt_notes(apps, schema_editor):
    for model in _notes(apps):
        for pk, note in model.objects.exclude(note="").values_list("pk", "note"):
            model.objects.filter(pk=pk).update(note=Value(note, output_field=TextField()))


class Migration(migrations.Migration):
    dependencies = [("triage", "0005_encrypted_free_text")]

    operations = [
        migrations.RunPython(move_free_text, move_free_text_back),
        migrations.RunPython(encrypt_notes, decrypt_notes),
    ]
