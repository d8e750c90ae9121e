"""The REST API: authentication, throttling, errors, pagination, the OpenAPI schema, CORS for
the clinic's website and the public location API's response cache."""

from datetime import timedelta

from corsheaders.defaults import default_headers as default_cors_headers
from django.core.exceptions import ImproperlyConfigured

from config.settings.base import env

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
    "ENUM_NAME_OVERRIDES": {
        # Urgency levels appear in several API fields (urgency, flags[].level): one named enum.
        "UrgencyEnum": "triage.models.Urgency.choices",
        # Two different `category` choice sets appear in public responses: name them.
        "ServiceCategoryEnum": "clinic.models.Service.Category",
        "ArticleCategoryEnum": "education.models.Article.Category",
    },
}
CORS_ALLOWED_ORIGINS = env.list("CORS_ALLOWED_ORIGINS", default=[])
CORS_URLS_REGEX = r"^/api/.*$"
# The clinic's website reads the ETag for conditional requests and backs off on Retry-After;
# its scripts may send If-None-Match themselves (a header that needs a CORS preflight).
CORS_EXPOSE_HEADERS = ["ETag", "Retry-After"]
CORS_ALLOW_HEADERS = (*default_cors_headers, "if-none-match")

# How long a worker serves public location/physician answers from its own memory before asking
# the shared cache whether anything changed (0: ask every time). Writes show in other workers
# within this time (portal.public_cache).
PUBLIC_API_WORKER_CACHE_SECONDS = env.float("PUBLIC_API_WORKER_CACHE_SECONDS", default=1.0)
