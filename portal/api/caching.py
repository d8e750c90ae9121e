"""The caching framework of the public API: views whose answers are rendered once and kept with
their ETag in the public response cache (``portal.public_cache``) until something they show
changes, answered before DRF's request machinery on a hit, in the request's language.

Anonymous on purpose: no authentication classes, so a browser's session cookie never changes
an answer or asks for a CSRF token; anonymous throttling applies to every request, cache hits
included. Every answer carries an ETag, ``Cache-Control: public, max-age=60`` and ``Age``; a
matching ``If-None-Match`` gets a 304.
"""

from abc import ABCMeta, abstractmethod
from collections.abc import Callable, Iterable
from contextlib import nullcontext

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseNotModified
from django.utils import translation
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from clinic.api.conditional import etag_of_bytes, if_none_match
from clinic.api.schema import (
    IF_NONE_MATCH,
    NOT_MODIFIED,
    RETRY_AFTER,
    cache_headers,
    error_responses,
)
from portal import public_cache
from portal import selectors as public

PUBLIC_CACHE_CONTROL = f"public, max-age={public_cache.MAX_AGE}"
CACHED = cache_headers(200, 304)


def cached_response(
    request: Request,
    *,
    key: str,
    build: Callable[[], object],
    vary: Iterable[str] = (),
    language: str | None = None,
) -> HttpResponseBase:
    """Answer with the JSON of ``build()`` from the public response cache (see
    ``portal.public_cache``), or 304 when ``If-None-Match`` names its ETag. With ``language``,
    ``build`` runs with it active and the answer says it in ``Content-Language``.

    ``key`` must name everything the body depends on (resource, slug, language). The ETag is
    the hash of the bytes sent, so every worker and every rebuild of the same content agrees.
    """

    def render() -> bytes:
        with translation.override(language) if language is not None else nullcontext():
            return JSONRenderer().render(build())

    entry = public_cache.public_cache_entry(key=key, build=render, etag_of=etag_of_bytes)
    return entry_response(request, entry, vary=vary, language=language)


def entry_response(
    request,
    entry: public_cache.Entry,
    *,
    vary: Iterable[str] = (),
    language: str | None = None,
) -> HttpResponseBase:
    """The answer for a cached entry: its body, or 304 for a matching ``If-None-Match``.
    ``language``, when the body's texts are in one, is its ``Content-Language`` (else the
    locale middleware's, the request's language).

    ``Age`` tells caches how long ago the body was built: with ``max-age`` it keeps the client's
    copy no more than ``MAX_AGE`` seconds behind the data, cache layers included. Headers are
    set directly rather than patched: this is the hot path and the response is new.
    """
    if if_none_match(request, entry.etag):
        response: HttpResponseBase = HttpResponseNotModified()
    else:
        response = HttpResponse(entry.body, content_type="application/json")
    response["ETag"] = entry.etag
    response["Cache-Control"] = PUBLIC_CACHE_CONTROL
    response["Age"] = str(entry.age)
    if vary:
        response["Vary"] = ", ".join(vary)
    if language is not None:
        response["Content-Language"] = language
    return response


class JsonNegotiation(DefaultContentNegotiation):
    """DRF's content negotiation, answered at once for what nearly every client of a JSON-only
    view sends (no ``Accept``, ``*/*`` or ``application/json``, and no ``format``)."""

    COMMON_ACCEPT = frozenset({"", "*/*", "application/json"})

    @classmethod
    def wants_plain_json(cls, request: HttpRequest) -> bool:
        return (
            request.META.get("HTTP_ACCEPT", "").strip() in cls.COMMON_ACCEPT
            and api_settings.URL_FORMAT_OVERRIDE not in request.GET
        )

    def select_renderer(self, request, renderers, format_suffix=None):
        if (
            format_suffix is None
            and len(renderers) == 1
            and renderers[0].media_type == "application/json"
            and self.wants_plain_json(request._request)
        ):
            return renderers[0], renderers[0].media_type
        return super().select_renderer(request, renderers, format_suffix)


def cached_operation(
    operation_id: str, output, *errors: int, parameters=(), description: str | None = None
):
    """The OpenAPI description of a cached public read: its 200 and 304, its error bodies
    (429 always), ``If-None-Match`` and the cache headers of its answers."""
    return extend_schema(
        operation_id=operation_id,
        description=description,
        parameters=[*parameters, IF_NONE_MATCH, *CACHED, RETRY_AFTER],
        responses={200: output, 304: NOT_MODIFIED, **error_responses(*errors, 429)},
        auth=[],
    )


class PublicApi(APIView, metaclass=ABCMeta):
    """A cached public read: ``cache_key`` names everything the answer depends on, ``build``
    makes its data, and ``get`` serves it through the public response cache.

    Cache hits are answered before DRF's per-request machinery (wrapping the request,
    negotiating, authenticating, checking permissions), which costs more than the hit itself:
    ``dispatch`` runs the view's throttles as DRF would, on the same anonymous client, and
    sends the cached answer. Anything else takes the full DRF path: a miss, a throttled
    request (DRF then refuses it with the waits already measured, so nothing counts twice),
    another method, an ``Accept`` other than JSON, or parameters that need validating.
    """

    public_read = True  # anonymous GETs take the short middleware path (portal.middleware)
    public_response_seconds = public_cache.MAX_AGE  # kept whole there too (counted from Age)
    authentication_classes: list = []
    permission_classes = [AllowAny]
    parser_classes: list = []  # read-only: no request body to parse
    content_negotiation_class = JsonNegotiation
    vary: tuple[str, ...] = ()
    # The language of the answer's texts, once the cache key is known (its Content-Language);
    # None: the request's, which the locale middleware writes.
    language: str | None = None
    _throttle_waits: list | None = None

    @abstractmethod
    def cache_key(self, request, **kwargs) -> str: ...

    def quick_cache_key(self, request: HttpRequest, **kwargs) -> str | None:
        """The cache key when it can be had without validating anything, else None."""
        return self.cache_key(request, **kwargs)

    @abstractmethod
    def build(self, **kwargs) -> object: ...

    def get(self, request, **kwargs):
        key = self.cache_key(request, **kwargs)
        return cached_response(
            request,
            key=key,
            build=lambda: self.build(**kwargs),
            vary=self.vary,
            language=self.language,
        )

    def dispatch(self, request, *args, **kwargs):
        if request.method in ("GET", "HEAD") and JsonNegotiation.wants_plain_json(request):
            key = self.quick_cache_key(request, **kwargs)
            entry = public_cache.public_cache_lookup(key=key) if key is not None else None
            if entry is not None:
                throttles = self.get_throttles()
                if throttles:
                    anonymous = Request(request, authenticators=())
                    self._throttle_waits = [
                        throttle.wait()
                        for throttle in throttles
                        if not throttle.allow_request(anonymous, self)
                    ]
                if not self._throttle_waits:
                    response = entry_response(
                        request, entry, vary=self.vary, language=self.language
                    )
                    response["Allow"] = ", ".join(self.allowed_methods)
                    return response
        return super().dispatch(request, *args, **kwargs)

    def check_throttles(self, request):
        if not self._throttle_waits:
            return super().check_throttles(request)
        self.throttled(
            request, max((w for w in self._throttle_waits if w is not None), default=None)
        )


class LanguageInput(serializers.Serializer):
    lang = serializers.ChoiceField(
        choices=settings.LANGUAGES,
        required=False,
        help_text="Language of the answer's texts (service names, physicians' specialties and "
        "bios, article titles and summaries; English where there is no translation); default "
        "from `Accept-Language`.",
    )


class LocalizedPublicApi(PublicApi):
    """A cached public read whose texts are in the request's language: ``lang``, else the best
    match of ``Accept-Language`` (never the cookie, so shared caches only vary on the header).
    Each language has its own cache entry; ``build`` runs with that language active."""

    vary = ("Accept-Language",)
    Input = LanguageInput

    @abstractmethod
    def base_key(self, **kwargs) -> str: ...

    def cache_key(self, request, **kwargs) -> str:
        requested = None
        if "lang" in request.query_params:
            params = self.Input(data=request.query_params)
            params.is_valid(raise_exception=True)
            requested = params.validated_data.get("lang")
        return self._key(request, requested, **kwargs)

    def quick_cache_key(self, request, **kwargs) -> str | None:
        return None if "lang" in request.GET else self._key(request, None, **kwargs)

    def _key(self, request, requested: str | None, **kwargs) -> str:
        self.language = public.public_language(
            requested=requested, accept_language=request.META.get("HTTP_ACCEPT_LANGUAGE", "")
        )
        return f"{self.base_key(**kwargs)}:{self.language}"
