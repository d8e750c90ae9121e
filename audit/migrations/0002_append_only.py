"""The chain head row, and on PostgreSQL a trigger that refuses UPDATE and DELETE of log rows
(the ORM refuses them too; the trigger also stops raw SQL and other clients).

TRUNCATE is not refused: Django's test runner empties tables with it. In production, grant the
application's database role INSERT and SELECT on ``audit_phiaccess`` only."""

from django.db import migrations

CREATE = [
    """
CREATE OR REPLACE FUNCTION audit_phiaccess_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_phiaccess is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$
""",
    """
CREATE TRIGGER audit_phiaccess_append_only
    BEFORE UPDATE OR DELETE ON audit_phiaccess
    FOR EACH ROW EXECUTE FUNCTION audit_phiaccess_append_only()
""",
]

DROP = [
    "DROP TRIGGER IF EXISTS audit_phiaccess_append_only ON audit_phiaccess",
    "DROP FUNCTION IF EXISTS audit_phiaccess_append_only()",
]


def _on_postgresql(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql, params=None)

    return run


def create_head(apps, schema_editor):
    apps.get_model("audit", "PhiAccessChainHead").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [
        migrations.RunPython(create_head, migrations.RunPython.noop),
        migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(DROP)),
    ]
