"""The environment every benchmark runs the product under, in one place: production settings
(debug off) with throwaway secrets, no HTTPS redirect (plain HTTP on loopback), no throttling,
quiet logs. When the product starts to require a new setting, it is added here once."""

import os

# Where the shell running the bench set nothing.
DEFAULTS = {
    "DJANGO_SETTINGS_MODULE": "config.settings",
    "DJANGO_SECRET_KEY": "bench-only-not-secret-" + "b" * 40,
    "FIELD_ENCRYPTION_KEYS": "YmVuY2gtb25seS1maWVsZC1lbmNyeXB0aW9uLWtleTA=",
    "AUDIT_CHAIN_KEYS": "bench-only-not-secret-audit-chain-key-000000",
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    "EMAIL_URL": "dummymail://",
    # Emergency answers raise staff alerts: somewhere to send them.
    "ALERT_FALLBACK_EMAIL": "alerts@bench.invalid",
    "LOG_LEVEL": "WARNING",
    "PYTHONWARNINGS": "ignore:No directory at:UserWarning",  # no collectstatic for a bench
}
# Whatever the shell says: figures measured in debug mode or under throttling mean nothing.
ALWAYS = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECURE_SSL_REDIRECT": "0",
    "API_THROTTLE_RATES": "off",
}


def configure(**overrides: str) -> dict[str, str]:
    """Set the bench environment in this process, ``overrides`` last, and return a copy of the
    whole environment for the servers and workers the bench starts."""
    for name, value in DEFAULTS.items():
        os.environ.setdefault(name, value)
    os.environ.update(ALWAYS)
    os.environ.update(overrides)
    return dict(os.environ)
