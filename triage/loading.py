"""Publish the definition files of ``triage/definitions/`` as database rows.

Called by data migrations (with the historical models), so ``migrate`` alone leaves the
published questionnaire and ruleset in place, no demo data needed. To publish a new version:
add ``<slug>.v<N>.json``, record its SHA-256 in ``PUBLISHED_FILES``, regenerate the
translations (``manage.py triage_messages``) and add a migration that calls ``publish_files``.

A published file never changes: its checksum is recorded here and checked on every load, and
a row that already exists must hold exactly the file's content.
"""

import hashlib
from pathlib import Path

from django.utils import timezone

from triage.definitions import (
    DEFINITIONS_DIR,
    DefinitionError,
    definition_files,
    is_ruleset_file,
    parse_questionnaire,
    parse_ruleset,
)

PUBLISHED_FILES = {
    "lumbar-radiculopathy.v1.json": (
        "455cf500957105a3115ec951e54703f01bb7ef9b5f43bb1ef5b604eaec4e9fff"
    ),
    "lumbar-radiculopathy-rules.v1.json": (
        "0b85ebe1989c02e0653abec45af203cb594c16239ca1479c0337281f9231274c"
    ),
    "lumbar-radiculopathy.v2.json": (
        "a6ac3d8546f7e553ea938f5b11ccb68d7dafcce43e6ca3e090423f0f7555e7d9"
    ),
    "lumbar-radiculopathy-rules.v2.json": (
        "37e802942283858bd80e2f826048043f4f36133413524873e44b2889cb3cb697"
    ),
}


def file_checksum(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def check_published_files() -> None:
    """Raise ``DefinitionError`` when a published file was edited in place or is unrecorded."""
    present = {path.name for path in DEFINITIONS_DIR.glob("*.json")}
    if present != set(PUBLISHED_FILES):
        raise DefinitionError(
            f"definition files {sorted(present ^ set(PUBLISHED_FILES))} are not recorded in "
            "triage.loading.PUBLISHED_FILES (or recorded but missing)"
        )
    for name, checksum in PUBLISHED_FILES.items():
        if file_checksum(DEFINITIONS_DIR / name) != checksum:
            raise DefinitionError(
                f"{name} changed after publication: publish a new version file instead"
            )


def _publish(model, lookup: dict, data: dict, fields: dict, name: str):
    row = model.objects.filter(**lookup).first()
    if row is None:
        return model.objects.create(
            **lookup,
            **fields,
            definition=data,
            status="published",
            published_at=timezone.now(),
        )
    if row.definition != data:
        raise DefinitionError(f"{name} differs from the published version in the database")
    return row


def publish_files(questionnaire_model, ruleset_model) -> None:
    """Create the rows of every definition file that is not in the database yet (idempotent)."""
    check_published_files()
    files = definition_files()
    parsed = {}
    for path, data in files:
        if is_ruleset_file(data):
            continue
        definition = parse_questionnaire(data)
        row = _publish(
            questionnaire_model,
            {"slug": definition.slug, "version": definition.version},
            data,
            {"url": definition.url, "title": definition.title},
            path.name,
        )
        parsed[(definition.url, definition.version)] = (row, definition)
    for path, data in files:
        if not is_ruleset_file(data):
            continue
        target = data.get("questionnaire", {})
        if (target.get("url"), target.get("version")) not in parsed:
            raise DefinitionError(f"{path.name}: its questionnaire version has no file")
        row, definition = parsed[(target["url"], target["version"])]
        ruleset = parse_ruleset(data, definition)
        _publish(
            ruleset_model,
            {"slug": ruleset.id, "version": ruleset.version},
            data,
            {"questionnaire": row},
            path.name,
        )
