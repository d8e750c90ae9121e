"""Conditional GET for API views: ``ETag`` and ``Last-Modified``, and a 304 when the client's
copy is current.

``conditional_response``: a view that can tell cheaply whether its resource changed passes
``version`` (a few values, e.g. an ``updated_at`` and the language): on a match nothing is
serialised at all. Without ``version`` the body is built once and its JSON hashed; a match then
only skips sending it.

(The public location API keeps rendered answers in its own cache: ``portal.api.caching``.)
"""

import hashlib
import json
from collections.abc import Callable, Iterable
from datetime import datetime

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponseBase
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date, parse_etags, quote_etag
from rest_framework.request import Request
from rest_framework.response import Response

DEFAULT_MAX_AGE = 60


def etag_for(parts: Iterable[object]) -> str:
    """A strong ETag from values whose ``repr`` is stable (str, int, datetime, tuples...)."""
    digest = hashlib.sha256(repr(tuple(parts)).encode()).hexdigest()[:32]
    return quote_etag(digest)


def etag_of_bytes(body: bytes) -> str:
    return quote_etag(hashlib.sha256(body).hexdigest()[:32])


def _etag_of_body(data: object) -> str:
    text = json.dumps(data, cls=DjangoJSONEncoder, sort_keys=True, separators=(",", ":"))
    return etag_of_bytes(text.encode())


def _django_request(request: Request | object):
    return request._request if isinstance(request, Request) else request


def if_none_match(request, etag: str) -> bool:
    """Whether the request's ``If-None-Match`` names ``etag`` (weak comparison, as RFC 9110
    asks for this header; ``*`` matches any current representation)."""
    header = _django_request(request).META.get("HTTP_IF_NONE_MATCH", "")
    if not header:
        return False
    tags = parse_etags(header)
    if tags == ["*"]:
        return True
    return etag.removeprefix("W/") in {tag.removeprefix("W/") for tag in tags}


def set_cache_headers(
    response: HttpResponseBase, *, etag: str, max_age: int, vary: Iterable[str] = ()
) -> HttpResponseBase:
    response["ETag"] = etag
    patch_cache_control(response, public=True, max_age=max_age)
    if vary:
        patch_vary_headers(response, list(vary))
    return response


def conditional_response(
    request: Request,
    *,
    build: Callable[[], Response],
    last_modified: datetime | None = None,
    version: Iterable[object] | None = None,
    max_age: int = DEFAULT_MAX_AGE,
    vary: Iterable[str] = ("Accept-Language",),
) -> HttpResponseBase:
    """Answer ``request`` with ``build()``, or with 304 Not Modified (412 for a failed
    ``If-Match``/``If-Unmodified-Since``) when the client's validators match.

    ``If-None-Match`` wins over ``If-Modified-Since`` (RFC 9110), so an ETag that also covers
    what ``last_modified`` cannot see (a language, a count) keeps 304s correct.
    """
    timestamp = int(last_modified.timestamp()) if last_modified is not None else None
    django_request = _django_request(request)
    response: HttpResponseBase | None = None
    if version is not None:
        etag = etag_for(version)
        response = get_conditional_response(
            django_request, etag=etag, last_modified=timestamp, response=None
        )
    if response is None:
        body = build()
        if version is None:
            etag = _etag_of_body(body.data)
        response = get_conditional_response(
            django_request, etag=etag, last_modified=timestamp, response=body
        )
    if response.status_code not in (200, 304):
        return response  # a failed If-Match / If-Unmodified-Since precondition (412)
    if timestamp is not None:
        response["Last-Modified"] = http_date(timestamp)
    return set_cache_headers(response, etag=etag, max_age=max_age, vary=vary)
