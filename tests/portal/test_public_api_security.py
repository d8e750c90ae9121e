"""The public API is safe to open to the world: CORS only for the clinic's origins, anonymous
throttling even for cached answers, sessions and CSRF play no part, and no patient,
appointment or assessment data ever appears in it."""

import json
from datetime import date, time

import pytest
from rest_framework.test import APIClient
from rest_framework.throttling import AnonRateThrottle

from clinic.models import PatientProfile
from tests.education.factories import ArticleFactory
from tests.factories import PatientFactory
from tests.scheduling.helpers import book
from tests.triage.factories import AssessmentFactory
from tests.triage.vignettes import BENIGN

WEBSITE = "https://www.larkspur-spine.example"


@pytest.fixture
def website_origin(settings):
    settings.CORS_ALLOWED_ORIGINS = [WEBSITE]


def test_the_clinic_website_may_read_the_api_and_its_etag_from_a_browser(
    api_client, clinic_world, website_origin
):
    response = api_client.get("/api/v1/locations/", HTTP_ORIGIN=WEBSITE)

    assert response["Access-Control-Allow-Origin"] == WEBSITE
    exposed = {h.strip().lower() for h in response["Access-Control-Expose-Headers"].split(",")}
    assert {"etag", "retry-after"} <= exposed
    assert "Access-Control-Allow-Credentials" not in response
    not_modified = api_client.get(
        "/api/v1/locations/", HTTP_ORIGIN=WEBSITE, HTTP_IF_NONE_MATCH=response["ETag"]
    )
    assert not_modified.status_code == 304
    assert not_modified["Access-Control-Allow-Origin"] == WEBSITE


def test_a_browser_may_send_if_none_match_after_a_preflight(
    api_client, clinic_world, website_origin
):
    response = api_client.options(
        "/api/v1/locations/lawrenceville-nj/",
        HTTP_ORIGIN=WEBSITE,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="if-none-match",
    )

    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == WEBSITE
    assert "if-none-match" in response["Access-Control-Allow-Headers"]


def test_other_origins_get_no_cors_headers(api_client, clinic_world, website_origin):
    response = api_client.get("/api/v1/locations/", HTTP_ORIGIN="https://elsewhere.example")

    assert response.status_code == 200
    assert "Access-Control-Allow-Origin" not in response


@pytest.mark.parametrize("url", ["/api/v1/locations/", "/api/v1/providers/nadia-brennan/"])
def test_anonymous_clients_are_throttled_even_when_answers_come_from_the_cache(
    api_client, clinic_world, monkeypatch, url
):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "2/min"})

    built = api_client.get(url)
    cached = api_client.get(url, HTTP_IF_NONE_MATCH=built["ETag"])
    refused = api_client.get(url)

    assert (built.status_code, cached.status_code, refused.status_code) == (200, 304, 429)
    assert refused.json()["code"] == "throttled"
    assert int(refused["Retry-After"]) > 0
    assert "ETag" not in refused
    assert "public" not in refused.get("Cache-Control", "")


def test_a_browser_session_changes_nothing_and_needs_no_csrf_token(clinic_world):
    anonymous = APIClient().get("/api/v1/locations/lawrenceville-nj/")
    browser = APIClient(enforce_csrf_checks=True)
    browser.force_login(PatientFactory())

    logged_in = browser.get("/api/v1/locations/lawrenceville-nj/")
    posted = browser.post("/api/v1/locations/", {}, format="json")

    assert logged_in.content == anonymous.content
    assert logged_in["ETag"] == anonymous["ETag"]
    assert posted.status_code == 405  # not a 403 for a missing CSRF token: no session auth
    assert posted.json()["code"] == "method_not_allowed"


# Names of patient, appointment and assessment fields that must never be keys of a public body.
PRIVATE_KEYS = {
    "patient",
    "email",
    "first_name",
    "last_name",
    "date_of_birth",
    "preferred_location",
    "appointment",
    "appointments",
    "booked_by",
    "booked_via",
    "status",
    "assessment",
    "assessments",
    "answers",
    "urgency",
    "pattern",
    "flags",
}


def _keys(value):
    if isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _keys(item)
    elif isinstance(value, list):
        for item in value:
            yield from _keys(item)


def test_no_patient_appointment_or_assessment_data_in_any_public_answer(
    api_client, clinic_world, client
):
    world = clinic_world
    patient = PatientFactory(
        first_name="Zebulon", last_name="Quillfeather", email="sentinel.patient@example.org"
    )
    PatientProfile.objects.filter(user=patient).update(
        phone="(555) 013-7799", date_of_birth=date(1931, 2, 3)
    )
    appointment = book(
        patient=patient,
        provider=world.marsh,
        location=world.lawrenceville,
        kind=world.consultation,
        day=date(2026, 10, 7),
        clock=time(9, 30),
    )
    assessment = AssessmentFactory(patient=patient, answers={**BENIGN, "age": 94})
    ArticleFactory(slug="public-article")
    sentinels = [
        "Zebulon",
        "Quillfeather",
        "sentinel.patient",
        "555) 013-7799",
        "1931-02-03",
        str(appointment.uid),
        str(assessment.pk),
    ]
    urls = [
        "/api/v1/locations/",
        "/api/v1/locations/lawrenceville-nj/",
        "/api/v1/locations/lawrenceville-nj/?lang=es",
        "/api/v1/locations/houston-tx/",
        "/api/v1/providers/",
        "/api/v1/providers/elena-marsh/",
        "/api/v1/providers/nadia-brennan/",
        "/api/v1/articles/",
        "/api/v1/articles/public-article/",
        "/api/v1/locations/lawrenceville-nj/availability/"
        "?type=new-consultation&start=2026-10-05&end=2026-10-11",
        "/api/v1/triage/questionnaires/lumbar-radiculopathy/",
    ]

    for url in urls:
        response = api_client.get(url)
        assert response.status_code == 200, url
        text = response.content.decode()
        assert not [s for s in sentinels if s in text], url
        assert not PRIVATE_KEYS & set(_keys(json.loads(text))), url
    for page in ("/locations/", "/locations/lawrenceville-nj/"):
        html = client.get(page).content.decode()
        assert not [s for s in sentinels if s in html], page
