"""Encryption at rest of free text: model fields whose column holds a Fernet token, never the text.

Keys come from ``FIELD_ENCRYPTION_KEYS`` (the environment): a list of Fernet keys, the first one
encrypts and every one decrypts (``cryptography``'s ``MultiFernet``). Rotation: put a new key
first, keep the old ones, run ``python manage.py reencrypt_fields`` (every value is then under
the new key), and only then drop the old keys. The keys are independent of ``SECRET_KEY``, so
rotating the signing key never touches stored data, and the reverse.

Fernet is AES-128-CBC with an HMAC-SHA256 over the token: a value that no configured key opens
(a wrong or missing key, a tampered column) raises ``FieldDecryptionError``. It is never shown
as ciphertext nor taken for empty text, so a misconfiguration cannot be saved back over the
real data.

The columns cannot be searched or compared: only "is empty" (``isnull``, ``= ""``) lookups
work, anything else raises ``FieldError``.
"""

import json
from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django import forms
from django.conf import settings
from django.core import checks
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.db import models
from django.db.models.lookups import Exact, IsNull


class FieldDecryptionError(Exception):
    """A stored value that none of ``FIELD_ENCRYPTION_KEYS`` can decrypt."""


@lru_cache(maxsize=8)
def _cipher(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key) for key in keys])


def field_cipher() -> MultiFernet:
    """The cipher of the configured keys (the first encrypts). ``ImproperlyConfigured`` when
    there is none."""
    keys = tuple(settings.FIELD_ENCRYPTION_KEYS)
    if not keys:
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEYS is not set: encrypted fields can be neither read nor written."
        )
    return _cipher(keys)


def encrypt_text(text: str) -> str:
    return field_cipher().encrypt(text.encode()).decode("ascii")


def decrypt_text(token: str, *, where: str = "a value") -> str:
    try:
        return field_cipher().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise FieldDecryptionError(
            f"None of FIELD_ENCRYPTION_KEYS decrypts {where}: a key is missing or wrong, or the "
            "stored value was altered."
        ) from exc


def encrypt_json(value: Any) -> str:
    return encrypt_text(json.dumps(value, ensure_ascii=False, separators=(",", ":")))


def decrypt_json(token: str, *, where: str = "a value") -> Any:
    return json.loads(decrypt_text(token, where=where))


def token_is_current(token: str) -> bool:
    """Whether the token is encrypted with the first (newest) key."""
    try:
        Fernet(settings.FIELD_ENCRYPTION_KEYS[0]).decrypt(token.encode())
    except InvalidToken:
        return False
    return True


def token_rotate(token: str, *, where: str = "a value") -> str:
    """The same plaintext, encrypted with the first key. ``FieldDecryptionError`` when no key
    opens the token."""
    try:
        return field_cipher().rotate(token.encode()).decode("ascii")
    except InvalidToken as exc:
        raise FieldDecryptionError(f"None of FIELD_ENCRYPTION_KEYS decrypts {where}.") from exc


class _EmptyOnlyExact(Exact):
    """``field=""`` (is it blank?) is the one comparison a ciphertext column can answer."""

    def get_prep_lookup(self):
        if self.rhs not in ("", None):
            raise FieldError(
                f"{self.lhs.target.name} is encrypted: it can only be compared with an empty value."
            )
        return super().get_prep_lookup()


class EncryptedTextField(models.TextField):
    """Text stored as a Fernet token. An empty string stays empty (a blank note is no secret)."""

    description = "Text encrypted at rest"

    def get_prep_value(self, value: Any) -> str | None:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt_text(value)

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return decrypt_text(value, where=self._where())

    def get_lookup(self, lookup_name: str):
        if lookup_name == "exact":
            return _EmptyOnlyExact
        if lookup_name == "isnull":
            return IsNull
        return None

    def get_transform(self, lookup_name: str):
        return None

    def _where(self) -> str:
        return f"{self.model._meta.label}.{self.name}"


class EncryptedJSONField(EncryptedTextField):
    """A JSON document (a dict of free-text answers) stored as one Fernet token: neither its
    keys nor its values are readable in the database."""

    description = "JSON encrypted at rest"

    def get_prep_value(self, value: Any) -> str | None:
        return None if value is None else encrypt_json(value)

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return decrypt_json(value, where=self._where())

    def to_python(self, value: Any) -> Any:
        return value

    def value_to_string(self, obj) -> Any:
        # As Django's JSONField: serializers (dumpdata) write the document itself, in clear.
        return self.value_from_object(obj)

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": forms.JSONField, **kwargs})


@checks.register()
def field_encryption_keys(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """The keys must be set, valid Fernet keys, and not the public development key in
    production: checked at start-up (``migrate``, ``runserver``, ``check``)."""
    keys = list(settings.FIELD_ENCRYPTION_KEYS)
    if not keys:
        return [
            checks.Error(
                "FIELD_ENCRYPTION_KEYS is not set: free text (questionnaire notes, staff alert "
                "notes) cannot be encrypted or read.",
                hint="Generate a key with `python manage.py reencrypt_fields --new-key` and set "
                "FIELD_ENCRYPTION_KEYS to it (see SECURITY.md).",
                id="clinic.E010",
            )
        ]
    errors = []
    for position, key in enumerate(keys, start=1):
        try:
            Fernet(key)
        except (ValueError, TypeError):
            errors.append(
                checks.Error(
                    f"FIELD_ENCRYPTION_KEYS: key {position} is not a Fernet key (32 bytes, "
                    "url-safe base64).",
                    id="clinic.E011",
                )
            )
    if not settings.DEBUG and settings.FIELD_ENCRYPTION_DEVELOPMENT_KEY in keys:
        errors.append(
            checks.Error(
                "FIELD_ENCRYPTION_KEYS holds the public development key while debug is off.",
                hint="Generate a key of your own and re-encrypt (see SECURITY.md).",
                id="clinic.E012",
            )
        )
    return errors
