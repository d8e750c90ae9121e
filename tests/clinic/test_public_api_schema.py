"""The whole public API against its own OpenAPI schema, fuzzed with schemathesis: no 5xx, no
response (status, headers, body) outside what the schema says. Bounded and derandomised, so a
run is repeatable and quick; known slugs are mixed in so real pages are checked, not only 404s.
"""

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.throttling import SimpleRateThrottle
from schemathesis import GenerationMode

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
KNOWN_SLUGS = {
    "locations_read": ["lawrenceville-nj", "houston-tx"],
    "providers_read": ["elena-marsh", "nadia-brennan"],
    "articles_read": ["public-article"],
    "location_availability": ["houston-tx"],
    "triage_questionnaire_read": ["lumbar-radiculopathy"],
}
EXAMPLES_PER_MODE = 12


@pytest.fixture
def public_schema(clinic_world, settings, monkeypatch):
    settings.ALLOWED_HOSTS = ["localhost"]
    # Throttling has its own tests; here it would only turn later examples into 429s.
    monkeypatch.setattr(
        SimpleRateThrottle,
        "THROTTLE_RATES",
        {scope: "100000/min" for scope in ("anon", "user", "auth", "triage", "booking")},
    )
    ArticleFactory(slug="public-article", title="A public article")
    schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())
    return schema.include(operation_id=PUBLIC_OPERATIONS)


def _strategy(operation, mode: GenerationMode):
    known = KNOWN_SLUGS.get(operation.definition.raw.get("operationId"), [])
    return st.one_of(
        operation.as_strategy(generation_mode=mode),
        *(operation.as_strategy(generation_mode=mode, path_parameters={"slug": s}) for s in known),
    )


def test_the_public_api_keeps_to_its_schema(public_schema):
    operations = [result.ok() for result in public_schema.get_all_operations()]
    assert sorted(op.definition.raw["operationId"] for op in operations) == sorted(
        PUBLIC_OPERATIONS
    )
    statuses: dict[str, set[int]] = {}
    for operation in operations:
        name = operation.definition.raw["operationId"]
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @given(case=_strategy(operation, mode))
            @settings(
                max_examples=EXAMPLES_PER_MODE,
                derandomize=True,
                database=None,
                deadline=None,
                suppress_health_check=list(HealthCheck),
            )
            def check(case):
                response = case.call_and_validate()
                statuses.setdefault(name, set()).add(response.status_code)

            check()
    assert all(code < 500 for codes in statuses.values() for code in codes), statuses
    for name in KNOWN_SLUGS:
        assert 200 in statuses[name], (name, statuses[name])
