"""Publish lumbar-radiculopathy v2 and its ruleset v2 (issue 12), carry unfinished drafts over
to v2 (its questions include every v1 question with the same codes), and let the "Alert
responders" group work the follow-up worklist of "soon" results. Idempotent. Assessments made
with v1 keep pointing at v1."""

from django.db import migrations

GROUP = "Alert responders"
PERMISSIONS = ["view_followup", "change_followup"]
SLUG = "lumbar-radiculopathy"


def publish(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    from triage.loading import publish_files

    Questionnaire = apps.get_model("triage", "Questionnaire")
    publish_files(Questionnaire, apps.get_model("triage", "Ruleset"))
    old = Questionnaire.objects.filter(slug=SLUG, version=1).first()
    new = Questionnaire.objects.filter(slug=SLUG, version=2).first()
    if old is not None and new is not None:
        Draft = apps.get_model("triage", "AssessmentDraft")
        has_new = Draft.objects.filter(questionnaire=new).values("patient_id")
        Draft.objects.filter(questionnaire=old).exclude(patient_id__in=has_new).update(
            questionnaire=new
        )

    config = apps.get_app_config("triage")
    config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    config.models_module = None
    group, _ = apps.get_model("auth", "Group").objects.get_or_create(name=GROUP)
    group.permissions.add(
        *apps.get_model("auth", "Permission").objects.filter(
            content_type__app_label="triage", codename__in=PERMISSIONS
        )
    )


class Migration(migrations.Migration):
    dependencies = [("triage", "0007_soon_follow_ups_anonymous_alerts")]

    operations = [migrations.RunPython(publish, migrations.RunPython.noop)]
