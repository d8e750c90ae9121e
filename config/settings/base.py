"""The ground every other part reads: where the project is, the environment, debug mode, which
apps and middleware make up the portal, templates and static files."""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

DEBUG = env.bool("DJANGO_DEBUG", default=False)

ALLOWED_HOSTS = env.list(
    "DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
# The portal's own public address, used in e-mails and canonical links.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

# The portal's own apps are the last six; they are layers (README: Architecture), and
# tests/test_layers.py keeps every import between them pointing down.
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
    "portal",
]

MIDDLEWARE = [
    # First: public, anonymous API reads take a short chain of their own (PUBLIC_READ_MIDDLEWARE).
    "portal.middleware.PublicReadMiddleware",
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
    # Who is looking, for staff-facing times shown in their own zone (clinic.admin_display).
    "clinic.admin_display.StaffViewerMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "clinic.middleware.SessionTimeoutMiddleware",
    "clinic.middleware.MFAEnforcementMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out log-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# The middlewares of MIDDLEWARE, in its order, that public anonymous reads of the API (views
# with ``public_read = True``: locations, physicians, articles, availability) go through: those
# that write their headers or still guard them. Sessions, CSRF, authentication, OTP, messages,
# session timeouts, the MFA gate, axes, whitenoise and the page-language cookie have nothing to
# do for them (portal.middleware).
PUBLIC_READ_MIDDLEWARE = [
    # Lighter twins of django-csp's and Django's locale middleware, same headers.
    {
        "csp.middleware.CSPMiddleware": "portal.middleware.PublicReadCSPMiddleware",
        "django.middleware.locale.LocaleMiddleware": "portal.middleware.PublicReadLocaleMiddleware",
    }.get(name, name)
    for name in MIDDLEWARE
    if name
    in {
        "clinic.middleware.RequestIdMiddleware",
        "django.middleware.security.SecurityMiddleware",
        "csp.middleware.CSPMiddleware",
        "corsheaders.middleware.CorsMiddleware",
        "django.middleware.locale.LocaleMiddleware",
        "django.middleware.common.CommonMiddleware",
        "clinic.middleware.NullCharacterMiddleware",
        "django.middleware.clickjacking.XFrameOptionsMiddleware",
    }
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024

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
