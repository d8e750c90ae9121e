"""Every write operation of the API (found in the OpenAPI schema, so a new endpoint is covered
the day it appears) refuses a body it cannot take with a JSON error: malformed JSON is a 400
``parse_error``, another media type a 415 ``unsupported_media_type``, a body over
``DATA_UPLOAD_MAX_MEMORY_SIZE`` a 413 ``payload_too_large``, JSON nested deeper than any
operation takes a 400 ``parse_error`` and a NUL character in a key or a string a 400 ``invalid``
(PostgreSQL text cannot hold one). Never a 500, never ignored."""

import re

import pytest
from django.conf import settings
from rest_framework.test import APIClient

from clinic.services import api_token_issue
from tests.factories import PatientFactory

WRITE_METHODS = ("post", "put", "patch", "delete")
# Any value will do for a path parameter: the body is refused before the object is looked up.
PATH_VALUE = "1"


def write_operations() -> list[tuple[str, str, str]]:
    """``(method, path, operationId)`` of every write operation in the schema."""
    schema = APIClient().get("/api/schema/", {"format": "json"}).json()
    return [
        (method, re.sub(r"\{[^}]+\}", PATH_VALUE, path), operation["operationId"])
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if method in WRITE_METHODS
    ]


@pytest.fixture
def caller(db, no_throttling):
    """Makes clients of a patient, each with a new API token (a logout that went through would
    revoke it)."""
    patient = PatientFactory()

    def client() -> APIClient:
        token, _expiry = api_token_issue(user=patient)
        authenticated = APIClient()
        authenticated.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        return authenticated

    return client


def send(client, method: str, path: str, body: bytes | str, content_type: str):
    return getattr(client, method)(path, data=body, content_type=content_type)


def error_of(response) -> tuple[int, str | None]:
    """``(status, code)``; the code only when the body is a JSON error with a detail."""
    if not response.get("Content-Type", "").startswith("application/json"):
        return response.status_code, None
    body = response.json()
    return response.status_code, body.get("code") if body.get("detail") else None


def refusals(caller, body: bytes | str, content_type: str) -> dict[str, tuple[int, str | None]]:
    """What each write operation answers to the body."""
    return {
        name: error_of(send(caller(), method, path, body, content_type))
        for method, path, name in write_operations()
    }


def test_the_schema_has_the_write_operations_of_every_app(db):
    names = {name for _method, _path, name in write_operations()}
    assert {
        "auth_register",
        "auth_token",
        "auth_logout",
        "me_update",
        "triage_assessment_create",
        "appointments_create",
        "appointments_cancel",
        "appointments_reschedule",
    } <= names


BODIES = [
    pytest.param(b'{"answers": {"age": ', "application/json", 400, "parse_error", id="malformed"),
    pytest.param(b"[1, 2,]", "application/json", 400, "parse_error", id="trailing-comma"),
    pytest.param(b"\xff\xfe{}", "application/json", 400, "parse_error", id="not-utf8"),
    pytest.param(
        b"{}", "application/json; charset=bz2_codec", 400, "parse_error", id="codec-charset"
    ),
    pytest.param(
        b"[" * 10_000 + b"]" * 10_000, "application/json", 400, "parse_error", id="nested-10000"
    ),
    pytest.param(
        b'{"answers": {"notes": ' + b"[" * 40 + b"]" * 40 + b"}}",
        "application/json",
        400,
        "parse_error",
        id="nested-in-answers",
    ),
    pytest.param(b'{"start\\u0000": 1}', "application/json", 400, "invalid", id="nul-in-a-key"),
    pytest.param(
        b'{"start": "2026-10-05\\u0000"}', "application/json", 400, "invalid", id="nul-in-a-value"
    ),
    pytest.param(b"age=44", "text/plain", 415, "unsupported_media_type", id="text-plain"),
    pytest.param(
        b"age=44",
        "application/x-www-form-urlencoded",
        415,
        "unsupported_media_type",
        id="form",
    ),
    pytest.param(
        b"--b\r\nContent-Disposition: form-data; name=age\r\n\r\n44\r\n--b--\r\n",
        "multipart/form-data; boundary=b",
        415,
        "unsupported_media_type",
        id="multipart",
    ),
    pytest.param(b"<age>44</age>", "application/xml", 415, "unsupported_media_type", id="xml"),
]


@pytest.mark.parametrize(("body", "content_type", "status", "code"), BODIES)
def test_every_write_operation_refuses_a_body_it_cannot_take(
    caller, body, content_type, status, code
):
    answers = refusals(caller, body, content_type)
    assert {name: got for name, got in answers.items() if got != (status, code)} == {}


def test_every_write_operation_refuses_an_oversized_body(caller):
    body = '{"padding": "' + "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1) + '"}'
    answers = refusals(caller, body, "application/json")
    assert {n: got for n, got in answers.items() if got != (413, "payload_too_large")} == {}


def test_anonymous_callers_are_refused_before_their_body_is_read(db):
    response = APIClient().post(
        "/api/v1/appointments/1/cancel/", b"{", content_type="application/json"
    )
    assert error_of(response) == (401, "not_authenticated")


def test_an_empty_body_is_fine_where_the_operation_takes_none(caller):
    response = caller().post("/api/v1/auth/logout/")
    assert response.status_code == 204
