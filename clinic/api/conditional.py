"""Conditional GET for API views: ``ETag`` and ``Last-Modified``, and a 304 when the client's
copy is current.

A view that can tell cheaply whether its resource changed passes ``version`` (a few values,
e.g. an ``updated_at`` and the language): on a match nothing is serialised at all. Without
``version`` the body is built once and its JSON hashed; a match then only skips sending it.
"""

import hashlib
import json
from collections.abc import Callable, Iterable
from datetime import datetime

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponseBase
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date, quote_etag
from rest_framework.request import Request
from rest_framework.response import Response

DEFAULT_MAX_AGE = 60


def etag_for(parts: Iterable[object]) -> str:
    """A strong ETag from values whose ``repr`` is stable (str, int, datetime, tuples...)."""
    digest = hashlib.sha256(repr(tuple(parts)).encode()).hexdigest()[:32]
    return quote_etag(digest)


def _etag_of_body(data: object) -> str:
    text = json.dumps(data, cls=DjangoJSONEncoder, sort_keys=True, separators=(",", ":"))
    return quote_etag(hashlib.sha256(text.encode()).hexdigest()[:32])


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
    django_request = request._request if isinstance(request, Request) else request
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
    response["ETag"] = etag
    if timestamp is not None:
        response["Last-Modified"] = http_date(timestamp)
    patch_cache_control(response, public=True, max_age=max_age)
    patch_vary_headers(response, list(vary))
    return response
