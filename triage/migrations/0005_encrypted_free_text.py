"""Free text encrypted at rest: the answers column keeps the structured answers only (renamed
``structured_answers``), a new encrypted column holds the free-text answers, and the staff alert
notes become encrypted columns (same ``text`` type: no change in the database)."""

import clinic.encryption
from django.db import migrations, models


def free_text_field():
    return clinic.encryption.EncryptedJSONField(
        blank=True,
        default=dict,
        help_text="Answers typed in the patient's own words, encrypted at rest.",
        verbose_name="free-text answers",
    )


class Migration(migrations.Migration):
    dependencies = [("triage", "0004_alert_responders_group")]

    operations = [
        migrations.RenameField("assessment", "answers", "structured_answers"),
        migrations.AlterField(
            model_name="assessment",
            name="structured_answers",
            field=models.JSONField(
                help_text="Every answer except free text: linkId -> value.",
                verbose_name="answers",
            ),
        ),
        migrations.AddField("assessment", "free_text_answers", free_text_field()),
        migrations.RenameField("assessmentdraft", "answers", "structured_answers"),
        migrations.AddField("assessmentdraft", "free_text_answers", free_text_field()),
        migrations.AlterField(
            model_name="staffalert",
            name="note",
            field=clinic.encryption.EncryptedTextField(blank=True, verbose_name="note"),
        ),
        migrations.AlterField(
            model_name="staffalertevent",
            name="note",
            field=clinic.encryption.EncryptedTextField(blank=True, verbose_name="note"),
        ),
    ]
