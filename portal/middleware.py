"""A short middleware path for public, anonymous reads of the API.

The public location, physician, article and availability reads are the busiest requests of the
portal, the same for everyone, and need only a few of the portal's middlewares: the ones that
write their headers (request id, security headers, CSP, CORS, ``Content-Language`` and ``Vary``,
``X-Frame-Options``) and the guards that still apply (``CommonMiddleware``, the NUL-character
check). Sessions, CSRF, authentication, OTP, messages, session timeouts, the MFA gate, axes,
whitenoise (the API is never a static file) and the page-language cookie do nothing for them
but cost time on every request.

``PublicReadMiddleware`` sits first in ``MIDDLEWARE``. A request it recognises as a public read
goes through its own chain of ``PUBLIC_READ_MIDDLEWARE`` (a subset of ``MIDDLEWARE``, in the same
order) to the view; everything else goes down the full stack untouched. A public read is:

- ``GET`` or ``HEAD`` (a write, a CORS preflight: the full stack);
- without a session cookie and without an ``Authorization`` header (a signed-in patient or a
  token: the full stack, which marks the answer private when it has to);
- to a URL under ``/api/`` whose view class says ``public_read = True`` (the views opt in; the
  URL is resolved once, here, and the chain reuses the match).

Two of those middlewares have a lighter twin here for that chain, writing the same headers:
``PublicReadCSPMiddleware`` builds the (fixed) policy once per process rather than per response,
and ``PublicReadLocaleMiddleware`` leaves out the language-prefixed-URL work of Django's
``LocaleMiddleware`` (the portal has no ``i18n_patterns``).

The headers of those answers are pinned by ``tests/portal/test_public_read_headers.py``.
"""

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.conf.urls.i18n import is_language_prefix_patterns_used
from django.core.handlers.base import BaseHandler
from django.core.handlers.exception import convert_exception_to_response
from django.core.signals import setting_changed
from django.middleware.locale import LocaleMiddleware
from django.urls import Resolver404, get_resolver
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.module_loading import import_string

API_PREFIX = "/api/"
READ_METHODS = frozenset({"GET", "HEAD"})


class _PublicReadHandler(BaseHandler):
    """Django's request handling (URL match, view middleware, exception handling) behind the
    middlewares of ``paths`` only. Synchronous, like every middleware it is given."""

    def __init__(self, paths: list[str]):
        super().__init__()
        self._view_middleware = []
        self._template_response_middleware = []
        self._exception_middleware = []
        handler = convert_exception_to_response(self._get_response)
        for path in reversed(paths):
            instance = import_string(path)(handler)
            if hasattr(instance, "process_view"):
                self._view_middleware.insert(0, instance.process_view)
            if hasattr(instance, "process_template_response"):
                self._template_response_middleware.append(instance.process_template_response)
            if hasattr(instance, "process_exception"):
                self._exception_middleware.append(instance.process_exception)
            handler = convert_exception_to_response(instance)
        self._middleware_chain = handler

    def resolve_request(self, request):
        return request.resolver_match  # matched by PublicReadMiddleware.is_public_read


class PublicReadMiddleware:
    # URL matches of the public reads' paths (and ``None`` for the other API paths), so a busy
    # path is resolved once per process; emptied when full or when settings change (tests).
    MATCHES_KEPT = 1024
    _matches: dict[str, object] = {}

    def __init__(self, get_response):
        self.get_response = get_response
        self.public = _PublicReadHandler(settings.PUBLIC_READ_MIDDLEWARE)

    @classmethod
    def forget(cls, **kwargs) -> None:
        cls._matches = {}

    def _public_match(self, path: str):
        try:
            return self._matches[path]
        except KeyError:
            pass
        try:
            match = get_resolver().resolve(path)
        except Resolver404:
            match = None
        if match is not None and not getattr(
            getattr(match.func, "view_class", None), "public_read", False
        ):
            match = None
        if len(self._matches) >= self.MATCHES_KEPT:
            self.forget()
        self._matches[path] = match
        return match

    def is_public_read(self, request) -> bool:
        """Whether ``request`` is a public, anonymous read (see the module's docstring); when
        it is, its URL match is left on ``request.resolver_match``."""
        if (
            request.method not in READ_METHODS
            or not request.path_info.startswith(API_PREFIX)
            or "HTTP_AUTHORIZATION" in request.META
            or settings.SESSION_COOKIE_NAME in request.COOKIES
            or hasattr(request, "urlconf")
        ):
            return False
        match = self._public_match(request.path_info)
        if match is None:
            return False
        request.resolver_match = match
        return True

    def __call__(self, request):
        if self.is_public_read(request):
            return self.public._middleware_chain(request)
        return self.get_response(request)


class PublicReadCSPMiddleware(CSPMiddleware):
    """django-csp's middleware for public reads: the same headers, built once. No view of a
    public read sets a policy of its own or uses a nonce (a JSON answer runs no script), so the
    policy is the site's, and building it anew for each response (a deep copy of the settings
    and a sort of every directive) is wasted. Anything unusual takes django-csp's own path."""

    PER_RESPONSE = (
        "_csp_config",
        "_csp_update",
        "_csp_replace",
        "_csp_exempt",
        "_csp_config_ro",
        "_csp_update_ro",
        "_csp_replace_ro",
        "_csp_exempt_ro",
    )
    _policies: dict[str, str] | None = None

    @classmethod
    def forget(cls, **kwargs) -> None:
        cls._policies = None

    @classmethod
    def policies(cls) -> dict[str, str]:
        if cls._policies is None:
            cls._policies = {
                HEADER: build_policy(),
                HEADER_REPORT_ONLY: build_policy(report_only=True),
            }
        return cls._policies

    def process_request(self, request) -> None:
        return None  # no nonce: nothing on a public read can use one

    def process_response(self, request, response):
        if (
            settings.DEBUG
            or getattr(request, "_csp_nonce", None) is not None
            or any(hasattr(response, name) for name in self.PER_RESPONSE)
        ):
            super().process_request(request)
            return super().process_response(request, response)
        for header, setting in (
            (HEADER, "CONTENT_SECURITY_POLICY"),
            (HEADER_REPORT_ONLY, "CONTENT_SECURITY_POLICY_REPORT_ONLY"),
        ):
            policy = self.policies()[header]
            if not policy or header in response:
                continue
            prefixes = (getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES")
            if not request.path_info.startswith(tuple(prefixes or ())):
                response[header] = policy
        return response


setting_changed.connect(PublicReadCSPMiddleware.forget, dispatch_uid="public-read-csp")
setting_changed.connect(PublicReadMiddleware.forget, dispatch_uid="public-read-matches")


class PublicReadLocaleMiddleware(LocaleMiddleware):
    """Django's ``LocaleMiddleware`` for public reads: the language from the cookie or
    ``Accept-Language``, ``Vary: Accept-Language`` and ``Content-Language``, as there. Without
    ``i18n_patterns`` (the portal has none) the language of the URL's prefix, which Django reads
    twice per request, decides nothing; with them this is Django's own middleware."""

    def _prefixed(self, request) -> bool:
        urlconf = getattr(request, "urlconf", settings.ROOT_URLCONF)
        return is_language_prefix_patterns_used(urlconf)[0]

    def process_request(self, request):
        if self._prefixed(request):
            return super().process_request(request)
        translation.activate(translation.get_language_from_request(request))
        request.LANGUAGE_CODE = translation.get_language()
        return None

    def process_response(self, request, response):
        if self._prefixed(request):
            return super().process_response(request, response)
        patch_vary_headers(response, ("Accept-Language",))
        response.headers.setdefault("Content-Language", translation.get_language())
        return response
