"""Create the "Compliance" group, which may read and export the PHI access log, so that after
``migrate`` an administrator only has to add people to it. Idempotent."""

from django.db import migrations

GROUP = "Compliance"
PERMISSIONS = ["view_phiaccess", "export_phiaccess"]


def create_group(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally made after the whole migrate run; make audit's now.
    config = apps.get_app_config("audit")
    config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    config.models_module = None
    group, _ = apps.get_model("auth", "Group").objects.get_or_create(name=GROUP)
    group.permissions.add(
        *apps.get_model("auth", "Permission").objects.filter(
            content_type__app_label="audit", codename__in=PERMISSIONS
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_append_only"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, migrations.RunPython.noop)]
