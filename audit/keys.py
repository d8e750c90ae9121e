"""The keys of the PHI access log's chain (``AUDIT_CHAIN_KEYS``, from the environment).

Rotatable like the field encryption keys: the first key signs new rows and checkpoints, every
listed key verifies. Each row records the id of the key that signed it: a fingerprint of the key
(an HMAC of a fixed label, so it tells nothing about the key) that stays the same wherever the
key is configured.
"""

import functools
import hashlib
import hmac

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

MIN_KEY_LENGTH = 32
KEY_ID_LENGTH = 16
_KEY_ID_LABEL = b"clinic.audit.chain-key-id"


def key_id(key: bytes) -> str:
    return hmac.new(key, _KEY_ID_LABEL, hashlib.sha256).hexdigest()[:KEY_ID_LENGTH]


@functools.cache
def _keys(configured: tuple[str, ...]) -> tuple[tuple[str, bytes], ...]:
    return tuple((key_id(raw.encode()), raw.encode()) for raw in configured)


def chain_keys() -> dict[str, bytes]:
    """Every configured key by its id (the first one signs)."""
    return dict(_keys(tuple(settings.AUDIT_CHAIN_KEYS)))


def signing_key() -> tuple[str, bytes]:
    """``(key id, key)`` of the key that signs new rows and checkpoints."""
    keys = _keys(tuple(settings.AUDIT_CHAIN_KEYS))
    if not keys:
        raise ImproperlyConfigured("AUDIT_CHAIN_KEYS is not set: the PHI access log cannot sign.")
    return keys[0]
