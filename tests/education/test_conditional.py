"""The reusable conditional-GET helper (clinic/api/conditional.py)."""

from datetime import UTC, datetime

import pytest
from django.utils.http import http_date
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory

from clinic.api.conditional import conditional_response, etag_for

CHANGED = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)


class Builder:
    def __init__(self, data=None):
        self.calls = 0
        self.data = data if data is not None else {"a": 1}

    def __call__(self):
        self.calls += 1
        return Response(self.data)


def request(**headers):
    return Request(APIRequestFactory().get("/api/v1/x/", **headers))


def test_fresh_request_builds_the_body_and_sets_validators():
    build = Builder()
    response = conditional_response(request(), build=build, last_modified=CHANGED, version=[1])
    assert build.calls == 1
    assert response.status_code == 200
    assert response["ETag"] == etag_for([1])
    assert response["Last-Modified"] == "Fri, 01 May 2026 12:00:00 GMT"
    assert response["Cache-Control"] == "public, max-age=60"
    assert response["Vary"] == "Accept-Language"


def test_matching_version_answers_304_without_building_anything():
    build = Builder()
    response = conditional_response(
        request(HTTP_IF_NONE_MATCH=etag_for([1])), build=build, version=[1]
    )
    assert response.status_code == 304
    assert build.calls == 0
    assert response["ETag"] == etag_for([1])


def test_if_modified_since_answers_304_when_nothing_changed_since():
    build = Builder()
    response = conditional_response(
        request(HTTP_IF_MODIFIED_SINCE=http_date(CHANGED.timestamp())),
        build=build,
        last_modified=CHANGED,
        version=[1],
    )
    assert (response.status_code, build.calls) == (304, 0)


def test_if_none_match_wins_over_if_modified_since():
    build = Builder()
    response = conditional_response(
        request(
            HTTP_IF_NONE_MATCH='"stale"', HTTP_IF_MODIFIED_SINCE=http_date(CHANGED.timestamp())
        ),
        build=build,
        last_modified=CHANGED,
        version=[2],
    )
    assert (response.status_code, build.calls) == (200, 1)


def test_without_a_version_the_body_is_built_once_and_hashed():
    build = Builder({"b": [1, 2]})
    first = conditional_response(request(), build=build)
    assert build.calls == 1
    again = conditional_response(request(HTTP_IF_NONE_MATCH=first["ETag"]), build=build)
    assert again.status_code == 304
    assert build.calls == 2  # built once per request, never twice
    other = conditional_response(request(), build=Builder({"b": [1, 3]}))
    assert other["ETag"] != first["ETag"]


def test_failed_if_match_is_412_without_cache_headers():
    response = conditional_response(
        request(HTTP_IF_MATCH='"something-else"'), build=Builder(), version=[1]
    )
    assert response.status_code == 412
    assert not response.has_header("Cache-Control")


@pytest.mark.parametrize("value", [["a", 1], ("a", 1)])
def test_etag_is_stable_for_equal_versions(value):
    assert etag_for(value) == etag_for(("a", 1))
    assert etag_for(value).startswith('"')
    assert etag_for(value).endswith('"')
