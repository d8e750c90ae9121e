"""PostgreSQL-only database objects: the exclusion constraints that make double booking impossible.

They are not declared in ``Appointment.Meta`` because Django's ``ExclusionConstraint`` exists only
on PostgreSQL (model validation and the SQLite schema editor cannot run it). Migration 0002 adds
them with ``PostgreSQLOnly``, an operation that leaves the migration state alone, so
``makemigrations --check`` stays clean on every database and SQLite simply skips them.
On SQLite (development only) the booking services' own check runs inside an IMMEDIATE
transaction, which serialises writers.
"""

from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateTimeRangeField, RangeOperators
from django.db import router
from django.db.migrations.operations.base import Operation
from django.db.models import Func, Q

PROVIDER_OVERLAP = "appointment_no_provider_overlap"
PATIENT_OVERLAP = "appointment_no_patient_overlap"


class TsTzRange(Func):
    """``tstzrange(start, end)``: half-open, so back-to-back appointments do not overlap."""

    function = "TSTZRANGE"
    output_field = DateTimeRangeField()


# Holds and every booked status (``Appointment.BOOKED_STATUSES``): an arrived patient and a
# request awaiting staff confirmation keep their time as a confirmed booking does.
OCCUPYING_STATUSES = ["held", "confirmed", "arrived", "requested"]
_OCCUPYING = Q(status__in=OCCUPYING_STATUSES)

EXCLUSION_CONSTRAINTS = [
    # One physician, one appointment at a time, buffers included.
    ExclusionConstraint(
        name=PROVIDER_OVERLAP,
        expressions=[
            ("provider", RangeOperators.EQUAL),
            (TsTzRange("blocked_start", "blocked_end"), RangeOperators.OVERLAPS),
        ],
        condition=_OCCUPYING,
    ),
    # One patient, one appointment at a time, at any location.
    ExclusionConstraint(
        name=PATIENT_OVERLAP,
        expressions=[
            ("patient", RangeOperators.EQUAL),
            (TsTzRange("start", "end"), RangeOperators.OVERLAPS),
        ],
        condition=_OCCUPYING,
    ),
]


class PostgreSQLOnlyConstraintRemoval(Operation):
    """Drop a PostgreSQL-only constraint by name (``IF EXISTS``), outside the migration state;
    backwards it adds ``constraint`` (the definition being removed) again."""

    reversible = True

    def __init__(self, model_name: str, constraint) -> None:
        self.model_name = model_name
        self.constraint = constraint

    def deconstruct(self):
        return (
            self.__class__.__name__,
            [],
            {"model_name": self.model_name, "constraint": self.constraint},
        )

    def state_forwards(self, app_label, state):
        pass

    def _applies(self, schema_editor, app_label) -> bool:
        return schema_editor.connection.vendor == "postgresql" and router.allow_migrate(
            schema_editor.connection.alias, app_label
        )

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if self._applies(schema_editor, app_label):
            model = from_state.apps.get_model(app_label, self.model_name)
            schema_editor.execute(
                f"ALTER TABLE {schema_editor.quote_name(model._meta.db_table)} "
                f"DROP CONSTRAINT IF EXISTS {schema_editor.quote_name(self.constraint.name)}"
            )

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if self._applies(schema_editor, app_label):
            model = to_state.apps.get_model(app_label, self.model_name)
            schema_editor.add_constraint(model, self.constraint)

    def describe(self):
        return f"Remove {self.constraint.name} on PostgreSQL"

    @property
    def migration_name_fragment(self):
        return f"pg_remove_{self.constraint.name}"


class PostgreSQLOnlyConstraint(Operation):
    """Add a constraint on PostgreSQL only, outside the migration state (see module docstring)."""

    reversible = True

    def __init__(self, model_name: str, constraint) -> None:
        self.model_name = model_name
        self.constraint = constraint

    def deconstruct(self):
        return (
            self.__class__.__name__,
            [],
            {
                "model_name": self.model_name,
                "constraint": self.constraint,
            },
        )

    def state_forwards(self, app_label, state):
        pass

    def _applies(self, schema_editor, app_label) -> bool:
        return schema_editor.connection.vendor == "postgresql" and router.allow_migrate(
            schema_editor.connection.alias, app_label
        )

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if self._applies(schema_editor, app_label):
            model = to_state.apps.get_model(app_label, self.model_name)
            schema_editor.add_constraint(model, self.constraint)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if self._applies(schema_editor, app_label):
            model = from_state.apps.get_model(app_label, self.model_name)
            schema_editor.remove_constraint(model, self.constraint)

    def describe(self):
        return f"Add {self.constraint.name} on PostgreSQL"

    @property
    def migration_name_fragment(self):
        return f"pg_{self.constraint.name}"
