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

Whole answers are kept too. A view whose class sets ``public_response_seconds`` has its 200
answers stored whole (status, body and every header that is the same for all requests of the
key: not ``X-Request-ID``, not the CORS headers, which depend on ``Origin``) in the public
response cache (``portal.public_cache``), keyed by the path, the sorted query and the languages
the request negotiates (the cookie's or ``Accept-Language``'s, which ``Content-Language`` and
the articles follow, and ``Accept-Language``'s alone, which the location and physician texts
follow), and valid in the generation of the cache they were built in: every committed write
to something a public answer shows starts a new one. A stored answer counts for at most
``public_response_seconds`` after it was built (less when the view sets the same attribute on
its response, e.g. until the next scheduled article goes live; an ``Age`` header counts as
built that long ago); a view whose class sets ``public_response_worker_memory = False`` is
answered from the worker's memory only while no new cache generation has been announced
(availability: a booked slot never shows as free once the booking committed; see
``portal.public_cache``).

A hit is answered here, before the chain, with the per-request work the chain would have done:
the view's throttles (a hit counts like any request; a throttled one goes down the chain, which
refuses it), a new request id, the CORS headers for its ``Origin``, ``Age`` and a 304 for a
matching ``If-None-Match``. A request with another precondition (``If-Modified-Since``,
``If-Match``...), an ``Accept`` other than JSON or a ``format`` parameter is never answered
from, nor stored in, this cache.
"""

import hashlib
import time

from corsheaders.middleware import CorsMiddleware
from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.conf.urls.i18n import is_language_prefix_patterns_used
from django.core.handlers.base import BaseHandler
from django.core.handlers.exception import convert_exception_to_response
from django.core.signals import setting_changed
from django.http import HttpResponse, HttpResponseNotModified
from django.middleware.locale import LocaleMiddleware
from django.urls import Resolver404, get_resolver
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.http import urlencode
from django.utils.module_loading import import_string
from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from clinic.api.conditional import if_none_match
from clinic.middleware import REQUEST_ID_HEADER, RequestIdMiddleware
from portal import public_cache
from portal.selectors import public_language

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
        self.cors = CorsMiddleware(get_response)  # its headers for answers sent from the cache

    @classmethod
    def forget(cls, **kwargs) -> None:
        cls._matches = {}
        cls._keys = {}

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
        if not self.is_public_read(request):
            return self.get_response(request)
        view_class = getattr(request.resolver_match.func, "view_class", None)
        seconds = getattr(view_class, "public_response_seconds", 0)
        if not seconds or not self.storable_request(request):
            return self.public._middleware_chain(request)
        key = self.response_key(request)
        worker = getattr(view_class, "public_response_worker_memory", True)
        stored, generation = public_cache.public_response_lookup(key=key, worker=worker)
        if stored is not None and not self.throttled(request, view_class):
            return self.answer(request, stored)
        response = self.public._middleware_chain(request)
        if stored is None and request.method == "GET":  # a HEAD's body may be left out
            self.store(key, generation, response, seconds)
        return response

    # --- whole answers (see the module's docstring) ------------------------------------------

    # Per request, never stored: set again on every answer.
    PER_REQUEST_HEADERS = frozenset({REQUEST_ID_HEADER.lower()})
    PRECONDITIONS = ("HTTP_IF_MODIFIED_SINCE", "HTTP_IF_MATCH", "HTTP_IF_UNMODIFIED_SINCE")
    PLAIN_ACCEPT = frozenset({"", "*/*", "application/json"})

    @classmethod
    def storable_request(cls, request) -> bool:
        meta = request.META
        return (
            meta.get("HTTP_ACCEPT", "").strip() in cls.PLAIN_ACCEPT
            and not cls.asks_format(meta.get("QUERY_STRING", ""), request)
            and not any(name in meta for name in cls.PRECONDITIONS)
        )

    @staticmethod
    def asks_format(query: str, request) -> bool:
        """Whether the query names a renderer (``?format=``); parsed only when the name appears
        in it at all, which a public read's query seldom does."""
        name = api_settings.URL_FORMAT_OVERRIDE
        return bool(name) and name in query and name in request.GET

    # Keys of the raw inputs they were made from, so a busy request is keyed once per process;
    # emptied when full or when settings change (tests).
    KEYS_KEPT = 4096
    _keys: dict[tuple[str, str, str, str], str] = {}

    @classmethod
    def response_key(cls, request) -> str:
        meta = request.META
        raw = (
            request.path_info,
            meta.get("QUERY_STRING", ""),
            meta.get("HTTP_ACCEPT_LANGUAGE", ""),
            meta.get("HTTP_COOKIE", ""),
        )
        key = cls._keys.get(raw)
        if key is None:
            query = urlencode(sorted(request.GET.lists()), doseq=True)
            negotiated = translation.get_language_from_request(request)
            accepted = public_language(requested=None, accept_language=raw[2])
            text = f"{request.path_info}?{query}:{negotiated}:{accepted}"
            key = hashlib.sha256(text.encode()).hexdigest()
            if len(cls._keys) >= cls.KEYS_KEPT:
                cls._keys = {}
            cls._keys[raw] = key
        return key

    @staticmethod
    def throttled(request, view_class) -> bool:
        """Run the view's throttles as DRF would for this anonymous request: a hit counts. True
        when one refuses it (nothing is counted then, and the chain answers 429)."""
        if not view_class.throttle_classes and view_class.get_throttles is APIView.get_throttles:
            return False
        match = request.resolver_match
        view = view_class(**getattr(match.func, "view_initkwargs", {}))
        view.setup(request, *match.args, **match.kwargs)
        throttles = view.get_throttles()
        if not throttles:
            return False
        anonymous = Request(request, authenticators=())
        return not all(throttle.allow_request(anonymous, view) for throttle in throttles)

    def store(self, key: str, generation: str, response, seconds: int) -> None:
        if (
            response.status_code != 200
            or response.streaming
            or response.cookies
            or "private" in response.get("Cache-Control", "")
            or "no-store" in response.get("Cache-Control", "")
        ):
            return
        now = time.time()
        built_at = now - int(response.get("Age", "0") or 0)
        seconds = min(seconds, getattr(response, "public_response_seconds", seconds))
        headers = tuple(
            (name, value)
            for name, value in response.items()
            if name.lower() not in self.PER_REQUEST_HEADERS
            and not name.lower().startswith("access-control-")
        )
        public_cache.public_response_store(
            key=key,
            stored=public_cache.StoredResponse(
                generation=generation,
                status=response.status_code,
                headers=headers,
                body=response.content,
                built_at=built_at,
                expires_at=built_at + seconds,
            ),
        )

    def answer(self, request, stored: public_cache.StoredResponse):
        """The stored answer for this request: 304 for a matching ``If-None-Match``.

        The stored headers were validated when the miss set them, so they are copied into the
        response's header mapping as it keeps them (this is the hot path)."""
        headers = stored.header_store
        etag = headers.get("etag")
        if (
            etag is not None
            and "HTTP_IF_NONE_MATCH" in request.META
            and if_none_match(request, etag[1])
        ):
            response = HttpResponseNotModified()
            response.headers._store.update(
                (name, header)
                for name, header in headers.items()
                if name not in ("content-type", "content-length")
            )
            response.headers._store["content-length"] = ("Content-Length", "0")
        else:
            response = HttpResponse(stored.body, status=stored.status)
            response.headers._store.update(headers)
        if "age" in headers:
            response.headers._store["age"] = ("Age", str(stored.age))
        request_id = RequestIdMiddleware.request_id_for(request)
        response.headers._store["x-request-id"] = (REQUEST_ID_HEADER, request_id)
        if "HTTP_ORIGIN" in request.META:  # else CORS adds only "Vary: origin", stored already
            self.cors.add_response_headers(request, response)
        return response


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
