"""The whole API against its own OpenAPI schema, fuzzed with schemathesis: every operation the
schema lists (a new one is covered the day it appears), anonymously and with a patient's API
token, with schema-valid and schema-breaking input. No 5xx, and no response (status, media
type, headers, body) that the schema does not describe.

Bounded and derandomised, so a run is repeatable and takes well under a minute; real ids,
slugs and bodies are mixed into the generated ones so that the 200s are checked too, not only
the 400s and 404s. Select it alone with ``pytest -m api_fuzz``.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.factories import PASSWORD
from tests.triage.vignettes import BENIGN

pytestmark = pytest.mark.api_fuzz

EXAMPLES = 12
# No server error, and every response is one the schema describes. Checks of how strictly
# requests are validated are left out on purpose: a filter naming an unknown location is a
# schema-valid string and still, rightly, a 400.
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
WEEK = {"type": "new-consultation", "start": "2026-10-05", "end": "2026-10-11"}


def known_inputs(world) -> dict:
    """Real values to mix in: path parameters by operation (else by parameter name, for
    operations added later), query and bodies by operation."""
    slugs = [world.houston.slug, world.physician.slug, world.article.slug]
    return {
        "path": {
            "articles_read": {"slug": [world.article.slug]},
            "location_availability": {"slug": [world.houston.slug]},
            "triage_questionnaire_read": {"slug": ["lumbar-radiculopathy"]},
            "slug": slugs,
            "appointment_id": [world.appointment.pk],
            "assessment_id": [str(world.assessment.pk)],
        },
        "query": {"location_availability": WEEK},
        "body": {
            "triage_assessment_create": {
                "questionnaire": "lumbar-radiculopathy",
                "answers": BENIGN,
            },
            "appointments_create": {
                "location": world.houston.slug,
                "type": world.consultation.slug,
                "provider": world.physician.slug,
                "start": "2026-10-08T10:00:00-05:00",
            },
            "appointments_reschedule": {"start": "2026-10-09T11:00:00-05:00"},
            "auth_token": {"email": world.patient.email, "password": PASSWORD},
            "me_update": {"phone": "(713) 555-0123"},
        },
    }


@pytest.fixture
def api_schema(world, settings):
    settings.ALLOWED_HOSTS = ["localhost"]
    # Requests go through the real WSGI handler, which closes "old" connections when a request
    # starts and ends; inside the test's transaction that would close it (Django's test client
    # unhooks the same receivers).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _strategy(operation, mode: GenerationMode, known: dict):
    name = operation.definition.raw["operationId"]
    path_names = [
        p["name"] for p in operation.definition.raw.get("parameters", []) if p["in"] == "path"
    ]
    fixed = {}
    if name in known["query"]:
        fixed["query"] = known["query"][name]
    if name in known["body"] and mode is GenerationMode.POSITIVE:
        fixed["body"] = known["body"][name]
    variants = [fixed] if fixed else []
    by_name = known["path"].get(name, known["path"])
    for path_name in path_names:
        variants += [
            {**fixed, "path_parameters": {path_name: value}} for value in by_name.get(path_name, [])
        ]
    return st.one_of(
        operation.as_strategy(generation_mode=mode),
        *(operation.as_strategy(generation_mode=mode, **variant) for variant in variants),
    )


def _fuzz(operation, mode: GenerationMode, known: dict, headers, seen: set[int]) -> None:
    @given(case=_strategy(operation, mode, known))
    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    def check(case):
        seen.add(case.call_and_validate(headers=headers(), checks=CHECKS).status_code)

    try:
        check()
    except Unsatisfiable:
        # An operation with nothing that can be made invalid (no parameters, no body).
        if mode is GenerationMode.POSITIVE:
            raise


def odd_inputs(world) -> dict[str, list[dict]]:
    """Seeds of input that once made 500s (issue 13), by operation: dates at the ends of the
    calendar, JSON nested deeper than any operation takes, NUL characters. Each must be a 400
    that the schema describes."""
    ends = ["9999-12-31", "0001-01-01"]
    instants = ["9999-12-31T23:59:00-05:00", "0001-01-01T00:00:00+05:00"]
    booking = known_inputs(world)["body"]["appointments_create"]
    nested: object = "pain"
    for _level in range(300):
        nested = [nested]
    return {
        "location_availability": [
            *({"query": {**WEEK, "start": day, "end": day}} for day in ends),
            {"query": {**WEEK, "type": "new\x00consultation"}},
        ],
        "appointments_create": [
            *({"body": {**booking, "start": start}} for start in instants),
            {"body": {**booking, "location": "houston\x00tx"}},
        ],
        "appointments_reschedule": [{"body": {"start": start}} for start in instants],
        "triage_assessment_create": [
            {"body": {"questionnaire": "lumbar-radiculopathy", "answers": {"notes": nested}}},
            {"body": nested},
            {"body": {"questionnaire": "lumbar-radiculopathy", "answers": {"notes": "a\x00"}}},
        ],
        "articles_list": [{"query": {"tag": "sci\x00atica"}}, {"query": {"q": "disc\x00"}}],
        "auth_token": [{"body": {"email": "a@example.org\x00", "password": "x", "otp": "1\x00"}}],
        "me_update": [{"body": {"date_of_birth": day}} for day in ends],
    }


def test_odd_inputs_are_described_400s(api_schema, world):
    seeds = odd_inputs(world)
    operations = {
        result.ok().definition.raw["operationId"]: result.ok()
        for result in api_schema.get_all_operations()
    }
    path_values = {"appointment_id": world.appointment.pk, "slug": world.houston.slug}
    answers = {}
    for name, cases in seeds.items():
        operation = operations[name]
        path_names = [
            p["name"] for p in operation.definition.raw.get("parameters", []) if p["in"] == "path"
        ]
        for number, seed in enumerate(cases):
            case = operation.Case(
                path_parameters={n: path_values[n] for n in path_names} or None,
                media_type="application/json" if "body" in seed else None,
                **seed,
            )
            headers = {"Authorization": f"Token {world.token()}"}
            response = case.call_and_validate(headers=headers, checks=CHECKS)
            answers[f"{name} {number}"] = response.status_code
    assert answers == dict.fromkeys(answers, 400)
    assert len(answers) == 16


def test_the_whole_api_keeps_to_its_schema(api_schema, world):
    known = known_inputs(world)
    callers = {
        "anonymous": dict,
        # A new token each time: a fuzzed logout revokes the one it was given.
        "patient": lambda: {"Authorization": f"Token {world.token()}"},
    }
    statuses: dict[tuple[str, str], set[int]] = {}
    operations = [result.ok() for result in api_schema.get_all_operations()]
    for operation in operations:
        name = operation.definition.raw["operationId"]
        for caller, headers in callers.items():
            seen = statuses.setdefault((name, caller), set())
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                _fuzz(operation, mode, known, headers, seen)

    assert len(operations) >= 17
    assert {key: codes for key, codes in statuses.items() if max(codes) >= 500} == {}
    succeeded = {name for (name, caller), codes in statuses.items() if min(codes) < 300}
    expected = {
        "triage_questionnaire_read",
        "triage_assessment_create",
        "triage_assessment_list",
        "triage_assessment_read",
        "appointments_list",
        "appointments_read",
        "appointments_create",
        "location_availability",
        "articles_list",
        "articles_read",
        "me_read",
        "me_update",
        "auth_token",
    }
    assert expected - succeeded == set()
