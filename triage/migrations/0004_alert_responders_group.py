"""Create the "Alert responders" group with the permissions to work the alert queue, so that
after ``migrate`` an administrator only has to add people to it. Idempotent."""

from django.db import migrations

GROUP = "Alert responders"
PERMISSIONS = ["view_staffalert", "change_staffalert"]


def create_group(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally made after the whole migrate run; make triage's now.
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
    dependencies = [
        ("triage", "0003_staff_alerts"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, migrations.RunPython.noop)]
