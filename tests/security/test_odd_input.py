"""Odd input is refused with a JSON 400 (or a form error on a page), never a 500: dates at the
ends of the calendar, JSON nested thousands of levels deep, NUL characters anywhere a value can
reach PostgreSQL. (Bodies every write operation refuses: ``test_api_bodies``.)"""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from scheduling.models import Appointment

ENDS_OF_THE_CALENDAR = ["9999-12-31", "0001-01-01"]
INSTANTS = [
    "9999-12-31T23:59:00-05:00",
    "9999-12-31T23:59:00+00:00",
    "0001-01-01T00:00:00+05:00",
    "0001-01-01T00:00:00+00:00",
]
OUT_OF_RANGE = "Choose a date within ten years of today."
NUL = "Null characters are not allowed."


def deeply_nested(levels: int = 10_000) -> str:
    return "[" * levels + "]" * levels


@pytest.fixture
def api(world) -> APIClient:
    client = APIClient(raise_request_exception=False)
    client.credentials(HTTP_AUTHORIZATION=f"Token {world.token()}")
    return client


@pytest.fixture
def browser(world) -> Client:
    """The patient, past the emergency advice their symptom check asks them to confirm."""
    client = Client(raise_request_exception=False)
    client.force_login(world.patient)
    client.post("/appointments/before-booking/", {"confirmation": "emergency_seen"})
    return client


def invalid(response, field: str, message: str) -> None:
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "invalid"
    assert message in str(body["errors"][field])


@pytest.mark.parametrize("day", ENDS_OF_THE_CALENDAR)
@pytest.mark.parametrize("field", ["start", "end"])
def test_availability_at_the_ends_of_the_calendar_is_a_400(api, day, field):
    query = {"type": "new-consultation", "start": "2026-10-05", "end": "2026-10-06", field: day}
    response = api.get("/api/v1/locations/houston-tx/availability/", query)
    invalid(response, field, OUT_OF_RANGE)


@pytest.mark.parametrize("start", INSTANTS)
def test_booking_and_rescheduling_at_the_ends_of_the_calendar_are_400s(api, world, start):
    booked = api.post(
        "/api/v1/appointments/",
        {
            "location": "houston-tx",
            "type": "new-consultation",
            "provider": world.physician.slug,
            "start": start,
        },
        format="json",
    )
    invalid(booked, "start", OUT_OF_RANGE)
    moved = api.post(
        f"/api/v1/appointments/{world.appointment.pk}/reschedule/", {"start": start}, format="json"
    )
    invalid(moved, "start", OUT_OF_RANGE)
    assert Appointment.objects.get().start == world.appointment.start


@pytest.mark.parametrize("day", ENDS_OF_THE_CALENDAR)
def test_the_booking_page_at_the_ends_of_the_calendar_is_a_form_error(browser, world, day):
    query = {"location": "houston-tx", "type": "new-consultation", "day": day}
    for path in ("/appointments/", f"/appointments/{world.appointment.pk}/reschedule/"):
        response = browser.get(path, query)
        assert response.status_code == 200, path
        assert response.context["form"].errors == {"day": [OUT_OF_RANGE]}, path


@pytest.mark.parametrize("start", INSTANTS)
def test_holding_or_moving_to_a_time_at_the_ends_of_the_calendar_is_refused(browser, world, start):
    held = browser.post(
        "/appointments/hold/",
        {
            "location": "houston-tx",
            "type": "new-consultation",
            "provider": world.physician.slug,
            "start": start,
        },
    )
    assert held.status_code == 302
    moved = browser.post(
        f"/appointments/{world.appointment.pk}/reschedule/",
        {"provider": world.physician.slug, "start": start},
    )
    assert moved.status_code == 200
    assert Appointment.objects.count() == 1
    assert Appointment.objects.get().start == world.appointment.start


def test_json_nested_ten_thousand_levels_is_a_400(api):
    response = api.post(
        "/api/v1/triage/assessments/", data=deeply_nested(), content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


@pytest.mark.parametrize("levels", [10_000, 500, 40])
def test_deep_nesting_inside_the_free_text_answer_is_a_400(api, levels):
    body = (
        '{"questionnaire": "lumbar-radiculopathy", "answers": {"notes": '
        + deeply_nested(levels)
        + "}}"
    )
    response = api.post("/api/v1/triage/assessments/", data=body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


@pytest.mark.parametrize(
    ("path", "query", "field"),
    [
        ("/api/v1/articles/", {"tag": "sci\x00atica"}, "tag"),
        ("/api/v1/articles/", {"location": "houston\x00"}, "location"),
        ("/api/v1/articles/", {"q": "disc\x00"}, "q"),
        (
            "/api/v1/locations/houston-tx/availability/",
            {"type": "new\x00consultation", "start": "2026-10-05", "end": "2026-10-06"},
            "type",
        ),
        ("/api/v1/locations/", {"x\x00": "1"}, "x"),
    ],
)
def test_a_nul_character_in_a_query_parameter_is_a_400_naming_it(api, path, query, field):
    invalid(api.get(path, query), field, NUL)


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        (
            {
                "location": "houston\x00tx",
                "type": "new-consultation",
                "provider": "mateo-alvarado",
                "start": "2026-10-08T10:00:00-05:00",
            },
            {"location": [NUL]},
        ),
        ({"provider\x00": "mateo-alvarado"}, {"provider": [NUL]}),
    ],
)
def test_a_nul_character_in_a_json_body_is_a_400_naming_the_field(api, body, errors):
    response = api.post("/api/v1/appointments/", body, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == errors
    assert Appointment.objects.count() == 1


def test_a_nul_character_inside_an_answer_names_its_path(api):
    response = api.post(
        "/api/v1/triage/assessments/",
        {"questionnaire": "lumbar-radiculopathy", "answers": {"notes": "pain\x00"}},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"answers": {"notes": [NUL]}}


@pytest.mark.parametrize(
    "path",
    [
        "/education/?tag=sci%00atica",
        "/education/?q=disc%00",
        "/appointments/?location=houston%00&type=new-consultation",
        "/admin/clinic/user/?q=a%00b",
        "/admin/knox/authtoken/a%00b/change/",
        "/locations/houston%00tx/",
    ],
)
def test_a_nul_character_in_a_page_address_is_a_400_page(world, browser, path):
    from tests.conftest import login_verified

    login_verified(browser, world.staff)
    response = browser.get(path)
    assert response.status_code == 400
    assert NUL in response.content.decode()
    assert response["Content-Type"].startswith("text/html")


def test_a_nul_character_in_a_form_field_is_a_400_page(browser, world):
    response = browser.post(
        "/appointments/hold/",
        {
            "location": "houston-tx\x00",
            "type": "new-consultation",
            "provider": world.physician.slug,
            "start": "2026-10-08T15:00:00+00:00",
        },
    )
    assert response.status_code == 400
    assert Appointment.objects.count() == 1
