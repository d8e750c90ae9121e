"""The PHI access log (the ``audit`` app): the keys of its hash chain and where the nightly
checkpoints go."""

from config.settings.base import BASE_DIR, DEBUG, env

# Keys of the chain's HMAC (comma-separated, at least 32 characters each): the first signs, all
# verify. Debug without keys uses the public development key below; with debug off a system
# check refuses to start without keys, or with that one. Rotation: SECURITY.md.
AUDIT_CHAIN_DEVELOPMENT_KEY = "dev-only-not-secret-audit-chain-key-0000000000"
AUDIT_CHAIN_KEYS = env.list("AUDIT_CHAIN_KEYS", default=[])
if not AUDIT_CHAIN_KEYS and DEBUG:
    AUDIT_CHAIN_KEYS = [AUDIT_CHAIN_DEVELOPMENT_KEY]
# Append-only sink of the nightly checkpoints, outside the database: a file path (or file://).
AUDIT_CHECKPOINT_PATH = env.str(
    "AUDIT_CHECKPOINT_PATH", default=str(BASE_DIR / "audit-checkpoints.jsonl") if DEBUG else ""
)
# How the log's admin shows a time to staff (in their location's zone, named): the kernel's
# helper, named here because the audit app sits below the kernel and cannot import it.
AUDIT_ADMIN_TIME_FORMATTER = "clinic.admin_display.staff_time"
