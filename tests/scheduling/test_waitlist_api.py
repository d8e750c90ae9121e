"""``/api/v1/waitlist/``: the patient's own entries; another patient's is a 404."""

from datetime import date

import pytest

from scheduling.models import WaitlistEntry
from scheduling.waitlist.services import waitlist_join
from tests.factories import PatientFactory

pytestmark = pytest.mark.usefixtures("frozen")
URL = "/api/v1/waitlist/"


@pytest.fixture
def body(physician, houston, consultation):
    return {
        "location": "houston-tx",
        "type": "new-consultation",
        "provider": physician.slug,
        "first": "2026-10-05",
        "last": "2026-10-09",
    }


def test_join_list_and_leave(patient_client, patient, body, physician):
    created = patient_client.post(URL, body, format="json")
    assert created.status_code == 201
    entry = WaitlistEntry.objects.get(patient=patient)
    assert created.json() == {
        "id": entry.pk,
        "status": "waiting",
        "location": "houston-tx",
        "type": "new-consultation",
        "provider": physician.slug,
        "first": "2026-10-05",
        "last": "2026-10-09",
        "created_at": "2026-10-01T12:00:00Z",
    }
    assert patient_client.get(URL).json() == [created.json()]

    again = patient_client.post(URL, body, format="json")
    assert again.status_code == 409
    assert again.json()["code"] == "waitlist_entry_exists"

    assert patient_client.delete(f"{URL}{entry.pk}/").status_code == 204
    entry.refresh_from_db()
    assert entry.status == WaitlistEntry.Status.LEFT
    assert patient_client.get(URL).json() == []


def test_any_physician_and_bad_dates(patient_client, body):
    del body["provider"]
    created = patient_client.post(URL, body, format="json")
    assert created.status_code == 201
    assert created.json()["provider"] is None
    reversed_dates = patient_client.post(
        URL,
        {**body, "type": "follow-up", "first": "2026-10-09", "last": "2026-10-05"},
        format="json",
    )
    assert reversed_dates.status_code == 400
    assert reversed_dates.json()["errors"] == {
        "last": ["The last day must be on or after the first."]
    }


def test_another_patients_entry_is_a_404_and_stays(patient_client, houston, consultation):
    other = waitlist_join(
        patient=PatientFactory(),
        location=houston,
        kind=consultation,
        first=date(2026, 10, 5),
        last=date(2026, 10, 9),
    )
    response = patient_client.delete(f"{URL}{other.pk}/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    other.refresh_from_db()
    assert other.status == WaitlistEntry.Status.WAITING
    assert patient_client.get(URL).json() == []


def test_anonymous_is_401(api_client):
    assert api_client.get(URL).status_code == 401
