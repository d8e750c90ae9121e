"""Start-up checks of the PHI access log's keys and checkpoint sink (``migrate``, ``check``)."""

from django.conf import settings
from django.core import checks

from audit.keys import MIN_KEY_LENGTH


@checks.register()
def audit_chain_settings(app_configs, **kwargs) -> list[checks.CheckMessage]:
    keys = list(settings.AUDIT_CHAIN_KEYS)
    if not keys:
        return [
            checks.Error(
                "AUDIT_CHAIN_KEYS is not set: the PHI access log cannot be signed or verified.",
                hint='Generate a key with `python -c "import secrets; '
                'print(secrets.token_urlsafe(32))"` and set AUDIT_CHAIN_KEYS (SECURITY.md).',
                id="audit.E001",
            )
        ]
    messages: list[checks.CheckMessage] = [
        checks.Error(
            f"AUDIT_CHAIN_KEYS: key {position} is shorter than {MIN_KEY_LENGTH} characters.",
            id="audit.E002",
        )
        for position, key in enumerate(keys, start=1)
        if len(key) < MIN_KEY_LENGTH
    ]
    if not settings.DEBUG and settings.AUDIT_CHAIN_DEVELOPMENT_KEY in keys:
        messages.append(
            checks.Error(
                "AUDIT_CHAIN_KEYS holds the public development key while debug is off.",
                hint="Generate a key of your own and rotate to it (SECURITY.md).",
                id="audit.E003",
            )
        )
    if not settings.DEBUG and not settings.AUDIT_CHECKPOINT_PATH:
        messages.append(
            checks.Warning(
                "AUDIT_CHECKPOINT_PATH is not set: the nightly check of the PHI access log "
                "writes no checkpoint, so a rebuilt chain signed with a stolen key would go "
                "unnoticed.",
                hint="Point it at an append-only file outside the database host (SECURITY.md).",
                id="audit.W001",
            )
        )
    return messages
