"""No double booking by construction: btree_gist and two exclusion constraints (PostgreSQL only;
on SQLite these operations do nothing, see scheduling/db.py)."""

from django.contrib.postgres.operations import BtreeGistExtension
from django.db import migrations

from scheduling.db import EXCLUSION_CONSTRAINTS, PostgreSQLOnlyConstraint


class Migration(migrations.Migration):
    dependencies = [("scheduling", "0001_initial")]

    operations = [
        BtreeGistExtension(),
        *[
            PostgreSQLOnlyConstraint(model_name="appointment", constraint=constraint)
            for constraint in EXCLUSION_CONSTRAINTS
        ],
    ]
