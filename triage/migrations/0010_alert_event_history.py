from django.db import migrations


class Migration(migrations.Migration):
    """Alert events take their time field from the shared history-event model (``at``)."""

    dependencies = [
        ("triage", "0009_outbox_delivery_row"),
    ]

    operations = [
        migrations.RenameField(model_name="staffalertevent", old_name="created_at", new_name="at"),
        migrations.AlterModelOptions(
            name="staffalertevent",
            options={
                "ordering": ["at", "pk"],
                "verbose_name": "alert event",
                "verbose_name_plural": "alert history",
            },
        ),
    ]
