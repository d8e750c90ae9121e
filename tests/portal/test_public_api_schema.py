"""The whole public API against its own OpenAPI schema, fuzzed with schemathesis: no 5xx, no
response (status, headers, body) outside what the schema says. Bounded and derandomised, so a
run is repeatable and quick; known slugs are mixed in so real pages are checked, not only 404s.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from rest_framework.throttling import SimpleRateThrottle
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.education.factories import ArticleFactory

PUBLIC_OPERATIONS = [
    "locations_list",
    "locations_read",
    "providers_list",
    "providers_read",
    "articles_list",
    "articles_read",
    "location_availability",
    "triage_questionnaire_read",
]
WEEK = {"type": "new-consultation", "start": "2026-10-05", "end": "2026-10-11"}
# Inputs that exist, mixed into the generated ones so real answers are checked too.
KNOWN = {
    "locations_read": [{"slug": "lawrenceville-nj"}, {"slug": "houston-tx"}],
    "providers_read": [{"slug": "elena-marsh"}, {"slug": "nadia-brennan"}],
    "articles_read": [{"slug": "public-article"}],
    "location_availability": [{"slug": "houston-tx"}],
    "triage_questionnaire_read": [{"slug": "lumbar-radiculopathy"}],
}
KNOWN_QUERY = {"location_availability": WEEK}
EXAMPLES_PER_MODE = 15
# What "keeps to its schema" means here: no server error, and every response (status, media
# type, headers, body) is one the schema describes. Checks about how strictly requests are
# validated are left out: a filter naming an unknown location is a schema-valid string and
# still, rightly, a 400; DRF's pagination falls back to the default for an unreadable size.
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@pytest.fixture
def public_schema(clinic_world, settings, monkeypatch):
    settings.ALLOWED_HOSTS = ["localhost"]
    # Throttling has its own tests; here it would only turn later examples into 429s.
    monkeypatch.setattr(
        SimpleRateThrottle,
        "THROTTLE_RATES",
        dict.fromkeys(("anon", "user", "auth", "triage", "booking"), "100000/min"),
    )
    ArticleFactory(slug="public-article", title="A public article")
    # Requests go through the real WSGI handler, which closes "old" connections at each
    # request's start and end; inside the test's transaction that would close it (Django's
    # test client unhooks the same receiver).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())
        yield schema.include(operation_id=PUBLIC_OPERATIONS)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _strategy(operation, mode: GenerationMode):
    name = operation.definition.raw["operationId"]
    query = KNOWN_QUERY.get(name)
    return st.one_of(
        operation.as_strategy(generation_mode=mode),
        *(
            operation.as_strategy(generation_mode=mode, path_parameters=path, query=query)
            for path in KNOWN.get(name, [])
        ),
    )


def _fuzz(operation, mode: GenerationMode, seen: set[int]) -> None:
    @given(case=_strategy(operation, mode))
    @settings(
        max_examples=EXAMPLES_PER_MODE,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    def check(case):
        seen.add(case.call_and_validate(checks=CHECKS).status_code)

    try:
        check()
    except Unsatisfiable:
        # Some operations take nothing that can be invalid (only an optional header).
        if mode is GenerationMode.POSITIVE:
            raise


def test_the_public_api_keeps_to_its_schema(public_schema):
    operations = [result.ok() for result in public_schema.get_all_operations()]
    assert sorted(op.definition.raw["operationId"] for op in operations) == sorted(
        PUBLIC_OPERATIONS
    )
    statuses: dict[str, set[int]] = {}
    for operation in operations:
        seen = statuses.setdefault(operation.definition.raw["operationId"], set())
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            _fuzz(operation, mode, seen)
    assert all(code < 500 for codes in statuses.values() for code in codes), statuses
    for name in KNOWN:
        assert 200 in statuses[name], (name, statuses[name])
