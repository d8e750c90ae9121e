"""The GIN index of the full-text search vector (PostgreSQL only, so it is not in the model's
Meta) and the reserved triage tags that link triage results to articles."""

from django.db import migrations

INDEX = "education_article_search_gin"

TRIAGE_TAGS = [
    ("pattern-l5", "Triage pattern: L5", "Patrón de triaje: L5", "triage_pattern", "L5"),
    ("pattern-s1", "Triage pattern: S1", "Patrón de triaje: S1", "triage_pattern", "S1"),
    ("pattern-l5-s1", "Triage pattern: L5 and S1", "Patrón de triaje: L5 y S1", "triage_pattern", "L5_S1"),
    ("pattern-unspecified", "Triage pattern: unspecified", "Patrón de triaje: sin especificar", "triage_pattern", "unspecified"),
    ("pattern-none", "Triage pattern: none", "Patrón de triaje: ninguno", "triage_pattern", "none"),
    ("urgency-routine", "Triage urgency: routine", "Urgencia: rutina", "triage_urgency", "routine"),
    ("urgency-soon", "Triage urgency: soon", "Urgencia: pronto", "triage_urgency", "soon"),
    ("urgency-urgent", "Triage urgency: urgent", "Urgencia: urgente", "triage_urgency", "urgent"),
    ("urgency-emergency", "Triage urgency: emergency", "Urgencia: emergencia", "triage_urgency", "emergency"),
]


def create_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON education_article USING gin (search_vector)"
        )


def drop_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


def create_triage_tags(apps, schema_editor):
    Tag = apps.get_model("education", "Tag")
    for slug, name, name_es, kind, value in TRIAGE_TAGS:
        Tag.objects.update_or_create(
            kind=kind, value=value, defaults={"slug": slug, "name": name, "name_es": name_es}
        )


def delete_triage_tags(apps, schema_editor):
    Tag = apps.get_model("education", "Tag")
    Tag.objects.exclude(kind="topic").delete()


class Migration(migrations.Migration):
    dependencies = [("education", "0001_initial")]

    operations = [
        migrations.RunPython(create_search_index, drop_search_index),
        migrations.RunPython(create_triage_tags, delete_triage_tags),
    ]
