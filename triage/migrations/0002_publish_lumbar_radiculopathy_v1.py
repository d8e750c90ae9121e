"""Publish the definition files (lumbar-radiculopathy v1 and its ruleset v1), so ``migrate``
alone leaves a usable questionnaire. Idempotent; later versions add a migration like this one."""

from django.db import migrations


def publish(apps, schema_editor):
    from triage.loading import publish_files

    publish_files(apps.get_model("triage", "Questionnaire"), apps.get_model("triage", "Ruleset"))


class Migration(migrations.Migration):
    dependencies = [("triage", "0001_initial")]

    operations = [migrations.RunPython(publish, migrations.RunPython.noop)]
