"""Re-encrypt every encrypted column with the newest of ``FIELD_ENCRYPTION_KEYS``.

After a rotation (new key first, old keys after it) this moves every stored value to the new
key, so the old keys can then be removed. Values already under the newest key are left alone:
running it twice changes nothing the second time. ``--check`` only counts (exit status 1 while
any value still needs an old key); ``--new-key`` prints a freshly generated key.
"""

from cryptography.fernet import Fernet
from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import connections, router, transaction
from django.db.models import TextField
from django.db.models.functions import Cast

from clinic.encryption import (
    EncryptedTextField,
    FieldDecryptionError,
    field_cipher,
    token_is_current,
    token_rotate,
)

BATCH = 500


def encrypted_columns():
    """``(model, field)`` for every encrypted field of every installed model."""
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, EncryptedTextField):
                yield model, field


def _stored(model, field):
    """The rows that hold a value, with the token as stored (not decrypted)."""
    return (
        model._base_manager.exclude(**{f"{field.name}__isnull": True})
        .exclude(**{field.name: ""})
        .annotate(stored_token=Cast(field.name, output_field=TextField()))
        .order_by("pk")
    )


def _write_tokens(model, field, rows: list[tuple]) -> None:
    """Store new tokens as they are: plain SQL, past the field, which would encrypt them again
    (the ORM's per-row CASE expressions cost far more than the cryptography)."""
    connection = connections[router.db_for_write(model)]
    quote, pk = connection.ops.quote_name, model._meta.pk
    sql = (
        f"UPDATE {quote(model._meta.db_table)} SET {quote(field.column)} = %s "  # noqa: S608
        f"WHERE {quote(pk.column)} = %s"
    )
    with connection.cursor() as cursor:
        cursor.executemany(
            sql, [(token, pk.get_db_prep_value(key, connection)) for key, token in rows]
        )


def reencrypt_column(model, field, *, check_only: bool = False) -> tuple[int, int]:
    """``(moved, current)``: values re-encrypted (or needing it, with ``check_only``) and
    values already under the newest key. Each batch is locked and rewritten in a transaction,
    so a concurrent writer's value is never overwritten with an older one."""
    moved = current = 0
    last_pk = None
    label = f"{model._meta.label}.{field.name}"
    while True:
        with transaction.atomic():
            rows = _stored(model, field)
            if last_pk is not None:
                rows = rows.filter(pk__gt=last_pk)
            if not check_only:
                rows = rows.select_for_update(of=("self",))
            batch = list(rows.values_list("pk", "stored_token")[:BATCH])
            stale = [(pk, token) for pk, token in batch if not token_is_current(token)]
            current += len(batch) - len(stale)
            moved += len(stale)
            if stale and not check_only:
                _write_tokens(
                    model,
                    field,
                    [(pk, token_rotate(token, where=f"{label} #{pk}")) for pk, token in stale],
                )
        if len(batch) < BATCH:
            return moved, current
        last_pk = batch[-1][0]


class Command(BaseCommand):
    help = "Re-encrypt every encrypted column with the newest FIELD_ENCRYPTION_KEYS key."

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="Only count; exit with status 1 while any value still needs an older key.",
        )
        parser.add_argument(
            "--new-key", action="store_true", help="Print a newly generated key and exit."
        )

    def handle(self, *args, **options):
        check_only = options["check"]
        if options["new_key"]:
            self.stdout.write(Fernet.generate_key().decode())
            return
        field_cipher()  # fails loudly when no key is configured
        pending = 0
        for model, field in encrypted_columns():
            try:
                moved, current = reencrypt_column(model, field, check_only=check_only)
            except FieldDecryptionError as exc:
                raise CommandError(str(exc)) from exc
            pending += moved
            verb = "need re-encryption" if check_only else "re-encrypted"
            self.stdout.write(
                f"{model._meta.label}.{field.name}: {moved} {verb}, {current} already current"
            )
        if check_only and pending:
            raise CommandError(f"{pending} values are still encrypted with an older key.")
