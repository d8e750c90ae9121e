"""Settings for the clinic portal: one module, every deploy-specific value from the environment.

Defaults are the *embedded* mode used by ``make run``: SQLite, Celery tasks run eagerly,
e-mail printed to the console, a local-memory cache. Production sets the variables documented
in the README (``DATABASE_URL``, ``CELERY_BROKER_URL``, ``REDIS_URL``, ``EMAIL_URL``, ...).
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from corsheaders.defaults import default_headers as default_cors_headers
from csp.constants import NONCE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("DJANGO_DEBUG", default=False)

SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY is required when DJANGO_DEBUG is off.")
    SECRET_KEY = "dev-only-not-secret-" + "x" * 40

ALLOWED_HOSTS = env.list(
    "DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
# The portal's own public address, used in e-mails and canonical links.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "clinic.apps.ClinicAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "knox",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "clinic",
    "audit",
    "education",
    "triage",
    "scheduling",
]

MIDDLEWARE = [
    "clinic.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "clinic.middleware.PrivateResponseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "clinic.languages.LanguageFromQueryMiddleware",
    "django.middleware.common.CommonMiddleware",
    "clinic.middleware.NullCharacterMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "clinic.middleware.SessionTimeoutMiddleware",
    "clinic.middleware.MFAEnforcementMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out log-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "clinic.urls"
WSGI_APPLICATION = "clinic.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "clinic.context_processors.branding",
                "clinic.context_processors.session_timeout",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Dev only: IMMEDIATE transactions serialise writers, so check-then-insert flows are safe.
    DATABASES["default"].setdefault("OPTIONS", {})["transaction_mode"] = "IMMEDIATE"
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache (Redis in production) --------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="clinic"),
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Celery -----------------------------------------------------------------------------------
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=120)
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=100)
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Queueing happens after commit with the outbox row already saved, and a beat sweep re-queues
# what is pending: with the broker down, give up fast instead of holding the patient's request.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.1,
    "interval_max": 0.1,
}
# A task unacknowledged this long is redelivered by Redis; retries must back off well below it.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE: dict = {}

# --- E-mail -----------------------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="portal@clinic.example")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Clinic branding (configuration, not code) ------------------------------------------------
CLINIC_NAME = env.str("CLINIC_NAME", default="Larkspur Spine & Pain")
CLINIC_LOGO_TEXT = env.str("CLINIC_LOGO_TEXT", default="Larkspur")
CLINIC_PHONE = env.str("CLINIC_PHONE", default="(609) 555-0100")
CLINIC_EMERGENCY_NUMBER = env.str("CLINIC_EMERGENCY_NUMBER", default="911")
# Phone numbers typed without a country code are read as numbers of this region (clinic.phones).
PHONE_DEFAULT_REGION = env.str("PHONE_DEFAULT_REGION", default="US")
# Where alerts and patients are routed when nothing more specific applies.
CLINIC_DEFAULT_LOCATION = env.str("CLINIC_DEFAULT_LOCATION", default="lawrenceville-nj")

# --- Authentication ---------------------------------------------------------------------------
AUTH_USER_MODEL = "clinic.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "clinic.validators.MaximumLengthValidator", "OPTIONS": {"max_length": 128}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # Not a rule: every password change, whichever path sets it, revokes the API tokens.
    {"NAME": "clinic.validators.PasswordChangeEndsOtherAccess"},
]
LOGIN_URL = "clinic:login"
LOGIN_REDIRECT_URL = "clinic:dashboard"
LOGOUT_REDIRECT_URL = "home"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 2
# Reset e-mails an hour, per address asked for and per client address asking.
PASSWORD_RESET_MAX_PER_ADDRESS = 3
PASSWORD_RESET_MAX_PER_CLIENT = 10
# "Someone tried to sign up with your address" e-mails an hour, per address and per client.
SIGNUP_NOTICE_MAX_PER_ADDRESS = 3
SIGNUP_NOTICE_MAX_PER_CLIENT = 10
EMAIL_VERIFICATION_MAX_AGE = 60 * 60 * 24 * 3

# django-axes: after 5 failures an account is locked (whatever the IP) for 15 minutes; so is an
# IP address that fails 5 times across accounts (password spraying).
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_USERNAME_CALLABLE = "clinic.auth.axes_username"
AXES_RESET_ON_SUCCESS = True
# The lock lasts 15 minutes from the fifth failure; trying again meanwhile does not extend it.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "clinic.auth.lockout_response"
AXES_VERBOSE = False
AXES_SENSITIVE_PARAMETERS = ["username", "password", "email"]

# --- REST API ---------------------------------------------------------------------------------
_THROTTLE_DEFAULTS = {
    "anon": "120/min",
    "user": "600/min",
    "auth": "10/min",
    "triage": "30/min",
    "booking": "30/min",
}


def _parse_throttle_rates(raw: str) -> dict[str, str] | None:
    """``anon=60/min,user=600/min`` over the defaults; ``off`` turns throttling off (None)."""
    if raw.strip().lower() == "off":
        return None
    rates = dict(_THROTTLE_DEFAULTS)
    for part in filter(None, (p.strip() for p in raw.split(","))):
        scope, sep, rate = part.partition("=")
        if not sep or not rate.strip():
            raise ImproperlyConfigured(f"API_THROTTLE_RATES: expected scope=rate, got {part!r}")
        rates[scope.strip()] = rate.strip()
    return rates


API_THROTTLE_RATES = _parse_throttle_rates(env.str("API_THROTTLE_RATES", default=""))

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "knox.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["clinic.api.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "clinic.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "clinic.api.errors.exception_handler",
    "DEFAULT_PAGINATION_CLASS": "clinic.api.pagination.Pagination",
    "PAGE_SIZE": 20,
    "DEFAULT_THROTTLE_CLASSES": (
        [
            "clinic.api.throttling.AnonRateThrottle",
            "clinic.api.throttling.UserRateThrottle",
            "clinic.api.throttling.ScopedRateThrottle",
        ]
        if API_THROTTLE_RATES is not None
        else []
    ),
    "DEFAULT_THROTTLE_RATES": API_THROTTLE_RATES or {},
    "NUM_PROXIES": env.int("NUM_PROXIES", default=None),
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
REST_KNOX = {
    "TOKEN_TTL": timedelta(hours=env.int("API_TOKEN_TTL_HOURS", default=10)),
    "AUTH_HEADER_PREFIX": "Token",
    "AUTO_REFRESH": False,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Clinic portal API",
    "DESCRIPTION": (
        "Public and patient API of the spine and pain clinic portal. Every error is JSON with a "
        "stable `code` and a human `detail`; validation errors add `errors` keyed by field."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "clinic.api.schema.document_bad_request",
    ],
}
CORS_ALLOWED_ORIGINS = env.list("CORS_ALLOWED_ORIGINS", default=[])
CORS_URLS_REGEX = r"^/api/.*$"

# --- Internationalisation ---------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static files -----------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- Security (production-grade when debug is off) --------------------------------------------
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
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024

# --- Logging: structured enough to grep, never with patient data ------------------------------
LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.request": {"level": "ERROR"},
        "axes": {"level": "WARNING"},
    },
}

# --- triage ---
# Urgency levels appear in several API fields (urgency, flags[].level): one named enum.
SPECTACULAR_SETTINGS.setdefault("ENUM_NAME_OVERRIDES", {})["UrgencyEnum"] = (
    "triage.models.Urgency.choices"
)

# --- scheduling ---
# How long a chosen time is held for the patient while they confirm it.
SCHEDULING_HOLD_MINUTES = env.int("SCHEDULING_HOLD_MINUTES", default=5)
# Appointment e-mails: delivery attempts before a notification is marked failed.
SCHEDULING_NOTIFICATION_MAX_ATTEMPTS = env.int("SCHEDULING_NOTIFICATION_MAX_ATTEMPTS", default=8)
CELERY_BEAT_SCHEDULE.update(
    {
        "scheduling-release-expired-holds": {
            "task": "scheduling.tasks.release_expired_holds",
            "schedule": 60.0,
        },
        "scheduling-sweep-notifications": {
            "task": "scheduling.tasks.sweep_notifications",
            "schedule": 60.0,
        },
    }
)

# --- triage: staff alerts ---
# Channels that deliver red-flag alerts (names of triage.channels.Channel subclasses).
ALERT_CHANNELS = env.list("ALERT_CHANNELS", default=["email"])
# Clinic-wide address used when no alert responder serves an alert's location.
ALERT_FALLBACK_EMAIL = env.str("ALERT_FALLBACK_EMAIL", default="")
# Who hears about alerts nobody acknowledged in time (else the fallback address).
ALERT_ESCALATION_EMAILS = env.list("ALERT_ESCALATION_EMAILS", default=[])
ALERT_ESCALATE_CRITICAL_MINUTES = env.int("ALERT_ESCALATE_CRITICAL_MINUTES", default=5)
ALERT_ESCALATE_HIGH_MINUTES = env.int("ALERT_ESCALATE_HIGH_MINUTES", default=60)
# Attempts per delivery (exponential backoff, at most 10 minutes apart) before it is `failed`.
ALERT_DELIVERY_MAX_ATTEMPTS = env.int("ALERT_DELIVERY_MAX_ATTEMPTS", default=8)
CELERY_BEAT_SCHEDULE["triage-alert-sweep"] = {
    "task": "triage.tasks.sweep_alerts",
    "schedule": 60.0,
    # A sweep that waited longer than its interval is superseded by the next one.
    "options": {"expires": 55},
}

# --- public API (locations and physicians) ---
# The clinic's website reads the ETag for conditional requests and backs off on Retry-After;
# its scripts may send If-None-Match themselves (a header that needs a CORS preflight).
CORS_EXPOSE_HEADERS = ["ETag", "Retry-After"]
CORS_ALLOW_HEADERS = (*default_cors_headers, "if-none-match")
# How long a worker serves public answers from its own memory before asking the shared cache
# whether anything changed (0: ask every time). Writes show in other workers within this time.
PUBLIC_API_WORKER_CACHE_SECONDS = env.float("PUBLIC_API_WORKER_CACHE_SECONDS", default=1.0)
# Two different `category` choice sets appear in public responses: name them.
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"].update(
    {
        "ServiceCategoryEnum": "clinic.models.Service.Category",
        "ArticleCategoryEnum": "education.models.Article.Category",
    }
)

# --- audit ---
# Every night the PHI access log's chain is walked; a break is logged as critical, an intact
# head is signed and appended to the checkpoint sink.
CELERY_BEAT_SCHEDULE["audit-verify-chain"] = {
    "task": "audit.tasks.verify_audit_chain",
    "schedule": crontab(hour=3, minute=17),
}
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
# --- hardening: secrets rotation and encryption at rest ---
# Previous signing keys, still accepted while sessions, reset links and e-mail verification
# links signed with them run out (SECURITY.md: rotating DJANGO_SECRET_KEY).
SECRET_KEY_FALLBACKS = env.list("DJANGO_SECRET_KEY_FALLBACKS", default=[])
# Fernet keys (comma-separated) for free text stored encrypted: the first encrypts, all decrypt.
# Rotation and key generation: SECURITY.md. Debug without keys uses the public development key
# below; with debug off a system check refuses to start without keys, or with that one.
FIELD_ENCRYPTION_DEVELOPMENT_KEY = "ZGV2LW9ubHktbm90LXNlY3JldC1maWVsZC1rZXktMDA="
FIELD_ENCRYPTION_KEYS = env.list("FIELD_ENCRYPTION_KEYS", default=[])
if not FIELD_ENCRYPTION_KEYS and DEBUG:
    FIELD_ENCRYPTION_KEYS = [FIELD_ENCRYPTION_DEVELOPMENT_KEY]
