"""Secrets, transport, cookies and sessions, two-step verification, the content security
policy and the keys of encryption at rest: production-grade whenever debug is off."""

from csp.constants import NONCE
from django.core.exceptions import ImproperlyConfigured

from config.settings.base import DEBUG, env
from config.settings.clinic import CLINIC_NAME

SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY is required when DJANGO_DEBUG is off.")
    SECRET_KEY = "dev-only-not-secret-" + "x" * 40
# Previous signing keys, still accepted while sessions, reset links and e-mail verification
# links signed with them run out (SECURITY.md: rotating DJANGO_SECRET_KEY).
SECRET_KEY_FALLBACKS = env.list("DJANGO_SECRET_KEY_FALLBACKS", default=[])

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_SAMESITE = "Lax"
# A form posted after its CSRF token lapsed gets the portal's own page (CSP-clean, translated).
CSRF_FAILURE_VIEW = "clinic.errors_views.csrf_failure"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Idle timeouts (staff, patients) and an absolute lifetime; a warning shows before idle logout.
SESSION_IDLE_TIMEOUT_STAFF = env.int("SESSION_IDLE_TIMEOUT_STAFF_MINUTES", default=15) * 60
SESSION_IDLE_TIMEOUT_PATIENT = env.int("SESSION_IDLE_TIMEOUT_PATIENT_MINUTES", default=30) * 60
SESSION_ABSOLUTE_LIFETIME = env.int("SESSION_ABSOLUTE_LIFETIME_HOURS", default=12) * 3600
SESSION_IDLE_WARNING = 120
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_LIFETIME
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Staff must enrol a TOTP authenticator (django-otp) before reaching anything but enrolment.
MFA_REQUIRED_FOR_STAFF = env.bool("MFA_REQUIRED_FOR_STAFF", default=True)
OTP_TOTP_ISSUER = CLINIC_NAME
MFA_RECOVERY_CODE_COUNT = 10
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'", NONCE],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
    }
}

# Fernet keys (comma-separated) for free text stored encrypted: the first encrypts, all decrypt.
# Rotation and key generation: SECURITY.md. Debug without keys uses the public development key
# below; with debug off a system check refuses to start without keys, or with that one.
FIELD_ENCRYPTION_DEVELOPMENT_KEY = "ZGV2LW9ubHktbm90LXNlY3JldC1maWVsZC1rZXktMDA="
FIELD_ENCRYPTION_KEYS = env.list("FIELD_ENCRYPTION_KEYS", default=[])
if not FIELD_ENCRYPTION_KEYS and DEBUG:
    FIELD_ENCRYPTION_KEYS = [FIELD_ENCRYPTION_DEVELOPMENT_KEY]
