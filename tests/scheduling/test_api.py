"""The booking API as the website and apps use it: availability, create, list, detail, cancel,
reschedule; error codes, permissions, idempotency, query counts."""

from datetime import date, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from scheduling.models import Appointment, ScheduleOverride
from tests.factories import PatientFactory
from tests.scheduling.factories import working_physician
from tests.scheduling.helpers import at, book

pytestmark = pytest.mark.usefixtures("frozen")
DAY = date(2026, 10, 6)
AVAILABILITY = "/api/v1/locations/{}/availability/"


def _availability(client, location="houston-tx", **params):
    params = {"type": "new-consultation", "start": "2026-10-06", "end": "2026-10-06", **params}
    return client.get(AVAILABILITY.format(location), params)


def test_availability_lists_local_times_with_offsets(api_client, physician):
    response = _availability(api_client)
    assert response.status_code == 200
    body = response.json()
    assert (body["location"], body["timezone"], body["type"]) == (
        "houston-tx",
        "America/Chicago",
        "new-consultation",
    )
    assert body["slots"][0] == {
        "start": "2026-10-06T09:00:00-05:00",
        "end": "2026-10-06T09:30:00-05:00",
        "provider": "mateo-alvarado",
    }
    assert len(body["slots"]) == 14


def test_availability_is_sorted_by_start_then_physician(api_client, physician, houston, kinds):
    working_physician(location=houston, kinds=kinds, slug="aaron-first")
    slots = _availability(api_client).json()["slots"]
    assert [(s["start"][11:16], s["provider"]) for s in slots[:3]] == [
        ("09:00", "aaron-first"),
        ("09:00", "mateo-alvarado"),
        ("09:30", "aaron-first"),
    ]
    only = _availability(api_client, provider="mateo-alvarado").json()["slots"]
    assert {s["provider"] for s in only} == {"mateo-alvarado"}


@pytest.mark.parametrize(
    ("location", "day", "first", "last"),
    [
        ("houston-tx", "2026-10-30", "2026-10-30T09:00:00-05:00", "2026-10-30T16:30:00-05:00"),
        ("houston-tx", "2026-11-02", "2026-11-02T09:00:00-06:00", "2026-11-02T16:30:00-06:00"),
        ("houston-tx", "2027-03-12", "2027-03-12T09:00:00-06:00", "2027-03-12T16:30:00-06:00"),
        ("houston-tx", "2027-03-15", "2027-03-15T09:00:00-05:00", "2027-03-15T16:30:00-05:00"),
        (
            "lawrenceville-nj",
            "2026-10-30",
            "2026-10-30T09:00:00-04:00",
            "2026-10-30T16:30:00-04:00",
        ),
        (
            "lawrenceville-nj",
            "2026-11-02",
            "2026-11-02T09:00:00-05:00",
            "2026-11-02T16:30:00-05:00",
        ),
        (
            "lawrenceville-nj",
            "2027-03-12",
            "2027-03-12T09:00:00-05:00",
            "2027-03-12T16:30:00-05:00",
        ),
        (
            "lawrenceville-nj",
            "2027-03-15",
            "2027-03-15T09:00:00-04:00",
            "2027-03-15T16:30:00-04:00",
        ),
    ],
)
def test_dst_matrix_over_http(
    api_client, houston, lawrenceville, kinds, location, day, first, last
):
    for place in (houston, lawrenceville):
        working_physician(location=place, kinds=kinds)
    slots = _availability(api_client, location, start=day, end=day).json()["slots"]
    assert (slots[0]["start"], slots[-1]["start"], len(slots)) == (first, last, 14)


@pytest.mark.parametrize(
    ("location", "day", "expected"),
    [
        (
            "lawrenceville-nj",
            "2026-11-01",
            [
                "01:00-04:00",
                "01:30-04:00",
                "01:00-05:00",
                "01:30-05:00",
                "02:00-05:00",
                "02:30-05:00",
                "03:00-05:00",
                "03:30-05:00",
            ],
        ),
        (
            "houston-tx",
            "2026-11-01",
            [
                "01:00-05:00",
                "01:30-05:00",
                "01:00-06:00",
                "01:30-06:00",
                "02:00-06:00",
                "02:30-06:00",
                "03:00-06:00",
                "03:30-06:00",
            ],
        ),
        (
            "lawrenceville-nj",
            "2027-03-14",
            ["01:00-05:00", "01:30-05:00", "03:00-04:00", "03:30-04:00"],
        ),
        ("houston-tx", "2027-03-14", ["01:00-06:00", "01:30-06:00", "03:00-05:00", "03:30-05:00"]),
    ],
)
def test_transition_sunday_override_over_http(
    api_client, houston, lawrenceville, kinds, location, day, expected
):
    place = houston if location == "houston-tx" else lawrenceville
    provider = working_physician(location=place, kinds=kinds)
    ScheduleOverride.objects.create(
        provider=provider,
        location=place,
        date=date.fromisoformat(day),
        kind=ScheduleOverride.Kind.EXTRA_HOURS,
        start=time(1),
        end=time(4),
    )
    slots = _availability(api_client, location, start=day, end=day).json()["slots"]
    assert [s["start"][11:16] + s["start"][19:] for s in slots] == expected


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"type": ""}, "type"),
        ({"type": "unknown"}, "type"),
        ({"start": "2026-13-01"}, "start"),
        ({"start": ""}, "start"),
        ({"end": "tomorrow"}, "end"),
        ({"end": "2026-10-05"}, "end"),
        ({"end": "2026-11-06"}, "end"),
        ({"provider": "nobody"}, "provider"),
    ],
)
def test_bad_availability_parameters_are_a_400_naming_them(api_client, physician, params, field):
    response = _availability(api_client, **params)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert body["detail"].startswith(f"{field}:")
    assert field in body["errors"]


def test_thirty_one_days_is_the_longest_range(api_client, physician):
    assert _availability(api_client, end="2026-11-05").status_code == 200


def test_unknown_location_is_a_json_404(api_client, physician):
    response = _availability(api_client, "atlantis")
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "detail": "Not found."}


def test_availability_uses_at_most_six_queries_for_a_month(
    api_client, physician, houston, kinds, consultation
):
    for _ in range(4):
        working_physician(location=houston, kinds=kinds)
    for offset in range(0, 28, 3):
        day = DAY + timedelta(days=offset)
        if day.weekday() < 5:
            book(
                patient=PatientFactory(),
                provider=physician,
                location=houston,
                kind=consultation,
                day=day,
                clock=time(10),
            )
    with CaptureQueriesContext(connection) as queries:
        response = _availability(api_client, end="2026-11-05", provider="mateo-alvarado")
    assert response.status_code == 200
    assert len(queries.captured_queries) <= 6


@pytest.mark.parametrize("kind", ["new-consultation", "follow-up", "discseel-candidacy"])
def test_availability_of_every_type_at_a_busy_location_stays_within_six_queries(
    api_client, physician, houston, kinds, consultation, kind, django_assert_max_num_queries
):
    for _ in range(9):
        working_physician(location=houston, kinds=kinds)
    for offset in range(0, 28):
        day = DAY + timedelta(days=offset)
        if day.weekday() < 5:
            for clock in (time(9), time(11), time(14)):
                book(
                    patient=PatientFactory(),
                    provider=physician,
                    location=houston,
                    kind=consultation,
                    day=day,
                    clock=clock,
                )
    with django_assert_max_num_queries(6):
        response = _availability(api_client, type=kind, end="2026-11-04")
    assert response.status_code == 200
    assert len(response.json()["slots"]) > 100


def test_the_availability_json_is_what_drf_would_render(api_client, physician, houston, kinds):
    from rest_framework.renderers import JSONRenderer

    working_physician(location=houston, kinds=kinds, slug="ana-ñuñez")
    response = _availability(api_client, type="follow-up", end="2026-10-08")

    body = response.json()
    assert {slot["provider"] for slot in body["slots"]} == {"ana-ñuñez", "mateo-alvarado"}
    assert response["Content-Type"] == "application/json"
    assert response.content == JSONRenderer().render(body)


# --- appointments -----------------------------------------------------------------------------


def _create(client, start="2026-10-06T09:00:00-05:00", key=None, **fields):
    body = {
        "location": "houston-tx",
        "type": "new-consultation",
        "provider": "mateo-alvarado",
        "start": start,
        **fields,
    }
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return client.post("/api/v1/appointments/", body, format="json", **headers)


def test_booking_returns_201_with_the_appointment(patient_client, physician):
    response = _create(patient_client)
    assert response.status_code == 201
    body = response.json()
    appointment = Appointment.objects.get()
    assert {
        k: body[k] for k in ("id", "status", "start", "end", "provider", "location", "type")
    } == {
        "id": appointment.pk,
        "status": "confirmed",
        "start": "2026-10-06T09:00:00-05:00",
        "end": "2026-10-06T09:30:00-05:00",
        "provider": "mateo-alvarado",
        "location": "houston-tx",
        "type": "new-consultation",
    }
    assert body["change_deadline"] == "2026-10-05T09:00:00-05:00"


def test_the_same_instant_in_another_offset_books_the_same_slot(patient_client, physician):
    assert (
        _create(patient_client, start="2026-10-06T14:00:00Z").json()["start"]
        == "2026-10-06T09:00:00-05:00"
    )


def test_a_start_without_offset_is_a_400(patient_client, physician):
    response = _create(patient_client, start="2026-10-06T09:00:00")
    assert response.status_code == 400
    assert response.json()["detail"].startswith("start:")


def test_a_taken_or_unoffered_start_is_409_slot_unavailable(
    patient_client, physician, houston, consultation
):
    book(
        patient=PatientFactory(),
        provider=physician,
        location=houston,
        kind=consultation,
        day=DAY,
        clock=time(9),
    )
    for start in (
        "2026-10-06T09:00:00-05:00",
        "2026-10-06T12:00:00-05:00",
        "2026-10-06T09:10:00-05:00",
    ):
        response = _create(patient_client, start=start)
        assert response.status_code == 409
        assert response.json()["code"] == "slot_unavailable"
    assert Appointment.objects.count() == 1


def test_overlap_with_own_appointment_is_409_patient_conflict(
    patient_client, physician, houston, kinds
):
    working_physician(location=houston, kinds=kinds, slug="other-doc")
    assert _create(patient_client).status_code == 201
    response = _create(patient_client, provider="other-doc")
    assert (response.status_code, response.json()["code"]) == (409, "patient_conflict")


def test_reschedule_onto_own_other_appointment_is_409_patient_conflict(
    patient, patient_client, physician, houston, consultation, kinds
):
    other = working_physician(location=houston, kinds=kinds, slug="other-doc")
    book(
        patient=patient,
        provider=other,
        location=houston,
        kind=consultation,
        day=DAY,
        clock=time(11),
    )
    appointment = book(
        patient=patient,
        provider=physician,
        location=houston,
        kind=consultation,
        day=DAY,
        clock=time(9),
    )
    response = patient_client.post(
        f"/api/v1/appointments/{appointment.pk}/reschedule/",
        {"start": "2026-10-06T11:00:00-05:00"},
        format="json",
    )
    assert (response.status_code, response.json()["code"]) == (409, "patient_conflict")
    appointment.refresh_from_db()
    assert (appointment.start, appointment.sequence) == (at(houston, DAY, time(9)), 0)


def test_idempotency_key_replays_the_same_appointment(patient_client, physician):
    first = _create(patient_client, key="7f9c-booking")
    again = _create(patient_client, key="7f9c-booking")
    assert (first.status_code, again.status_code) == (201, 201)
    assert first.json() == again.json()
    assert Appointment.objects.count() == 1
    reused = _create(patient_client, key="7f9c-booking", start="2026-10-06T10:00:00-05:00")
    assert (reused.status_code, reused.json()["code"]) == (409, "idempotency_key_reused")


def test_an_overlong_idempotency_key_is_a_400(patient_client, physician):
    response = _create(patient_client, key="k" * 256)
    assert response.status_code == 400
    assert response.json()["detail"].startswith("Idempotency-Key:")


def test_booking_needs_authentication(api_client, physician):
    assert _create(api_client).status_code == 401
    assert api_client.get("/api/v1/appointments/").status_code == 401


def test_patients_see_only_their_own_appointments(
    patient, patient_client, physician, houston, consultation
):
    own = book(
        patient=patient,
        provider=physician,
        location=houston,
        kind=consultation,
        day=DAY,
        clock=time(9),
    )
    other = book(
        patient=PatientFactory(),
        provider=physician,
        location=houston,
        kind=consultation,
        day=DAY,
        clock=time(10),
    )
    listing = patient_client.get("/api/v1/appointments/").json()
    assert [a["id"] for a in listing["results"]] == [own.pk]
    assert patient_client.get(f"/api/v1/appointments/{own.pk}/").status_code == 200
    for url in (
        f"/api/v1/appointments/{other.pk}/",
        f"/api/v1/appointments/{other.pk}/cancel/",
        f"/api/v1/appointments/{other.pk}/reschedule/",
    ):
        response = (
            patient_client.get(url)
            if url.endswith(f"{other.pk}/")
            else patient_client.post(url, {"start": "2026-10-06T11:00:00-05:00"}, format="json")
        )
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"
    other.refresh_from_db()
    assert (other.status, other.start) == ("confirmed", at(houston, DAY, time(10)))


def test_cancel_and_reschedule_over_http(
    frozen, patient, patient_client, physician, houston, consultation
):
    appointment = book(
        patient=patient,
        provider=physician,
        location=houston,
        kind=consultation,
        day=DAY,
        clock=time(9),
    )
    moved = patient_client.post(
        f"/api/v1/appointments/{appointment.pk}/reschedule/",
        {"start": "2026-10-06T13:00:00-05:00"},
        format="json",
    )
    assert moved.status_code == 200
    assert moved.json()["start"] == "2026-10-06T13:00:00-05:00"
    taken = book(
        patient=PatientFactory(),
        provider=physician,
        location=houston,
        kind=consultation,
        day=DAY,
        clock=time(14),
    )
    clash = patient_client.post(
        f"/api/v1/appointments/{appointment.pk}/reschedule/",
        {"start": "2026-10-06T14:00:00-05:00"},
        format="json",
    )
    assert (clash.status_code, clash.json()["code"]) == (409, "slot_unavailable")
    appointment.refresh_from_db()
    assert appointment.start == at(houston, DAY, time(13))
    frozen.move_to(at(houston, DAY, time(8)))
    late = patient_client.post(f"/api/v1/appointments/{appointment.pk}/cancel/")
    assert (late.status_code, late.json()["code"]) == (409, "outside_cancellation_window")
    late_move = patient_client.post(
        f"/api/v1/appointments/{appointment.pk}/reschedule/",
        {"start": "2026-10-06T15:00:00-05:00"},
        format="json",
    )
    assert (late_move.status_code, late_move.json()["code"]) == (409, "outside_cancellation_window")
    assert taken.pk != appointment.pk


def test_cancel_in_time_returns_the_cancelled_appointment(
    patient, patient_client, physician, houston, consultation
):
    appointment = book(
        patient=patient,
        provider=physician,
        location=houston,
        kind=consultation,
        day=DAY,
        clock=time(9),
    )
    response = patient_client.post(f"/api/v1/appointments/{appointment.pk}/cancel/")
    assert (response.status_code, response.json()["status"]) == (200, "cancelled")


def test_booking_is_throttled_with_its_own_scope(monkeypatch, patient_client, physician):
    from rest_framework.throttling import ScopedRateThrottle

    monkeypatch.setattr(
        ScopedRateThrottle,
        "THROTTLE_RATES",
        {**ScopedRateThrottle.THROTTLE_RATES, "booking": "2/min"},
    )
    statuses = [
        _create(patient_client, start=f"2026-10-06T{h}:00:00-05:00").status_code
        for h in (9, 10, 11)
    ]
    assert statuses == [201, 201, 429]
    assert patient_client.get("/api/v1/appointments/").status_code == 200


def test_openapi_schema_documents_the_booking_api(api_client):
    schema = api_client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    paths = schema["paths"]
    assert "/api/v1/locations/{slug}/availability/" in paths
    params = {
        p["name"] for p in paths["/api/v1/locations/{slug}/availability/"]["get"]["parameters"]
    }
    assert {"type", "start", "end", "provider", "slug"} <= params
    create = paths["/api/v1/appointments/"]["post"]
    assert {"201", "400", "409"} <= set(create["responses"])
    assert "Idempotency-Key" in {p["name"] for p in create["parameters"]}
    for path in (
        "/api/v1/appointments/{appointment_id}/cancel/",
        "/api/v1/appointments/{appointment_id}/reschedule/",
    ):
        assert "409" in paths[path]["post"]["responses"]
