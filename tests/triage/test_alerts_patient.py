"""What the patient is told once an alert is raised: nothing waits on the delivery."""

from unittest import mock

import pytest
from django.core import mail
from django.test import Client, override_settings
from kombu.exceptions import OperationalError
from rest_framework.test import APIClient

from tests.triage.alerting import EMERGENCY, SOON, URGENT, submit
from triage import tasks

ASSESSMENTS = "/api/v1/triage/assessments/"


def result_page(client: Client, assessment) -> str:
    response = client.get(f"/triage/results/{assessment.pk}/")
    assert response.status_code == 200
    return " ".join(response.content.decode().split())


def logged_in(patient) -> Client:
    client = Client()
    client.force_login(patient)
    return client


def test_an_urgent_patient_with_a_phone_is_told_the_clinic_will_call_today(alert_setup):
    patient = alert_setup.patient_of(alert_setup.north, phone="(609) 555-0166")
    text = result_page(logged_in(patient), submit(patient, URGENT))
    assert "A clinician from our team will call you today on (609) 555-0166." in text
    assert "We do not have a phone number for you." not in text


def test_an_urgent_patient_without_a_phone_is_asked_to_call_the_clinic(alert_setup):
    patient = alert_setup.patient_of(alert_setup.north, phone="")
    text = result_page(logged_in(patient), submit(patient, URGENT))
    assert "Call the clinic today on (609) 555-0100 so a clinician can speak with you." in text
    assert "We do not have a phone number for you." in text
    assert 'href="/accounts/profile/"' in text


def test_an_emergency_patient_goes_to_the_emergency_department_and_knows_the_clinic_was_told(
    alert_setup,
):
    patient = alert_setup.patient_of(alert_setup.north)
    text = result_page(logged_in(patient), submit(patient, EMERGENCY))
    advice = text.index("Go to the nearest emergency department now.")
    told = text.index("We have told our clinic team about your result.")
    assert advice < told < text.index("Why this result")
    assert "Do not wait for us to call you: go now." in text


def test_a_result_without_an_alert_does_not_claim_the_clinic_was_told(alert_setup):
    patient = alert_setup.patient_of(alert_setup.north)
    assert "We have told our clinic team" not in result_page(
        logged_in(patient), submit(patient, SOON)
    )


def test_the_api_answer_keeps_its_shape_and_says_the_same(alert_setup):
    patient = alert_setup.patient_of(alert_setup.north, phone="(609) 555-0166")
    client = APIClient()
    client.force_authenticate(patient)
    body = client.post(
        ASSESSMENTS, {"questionnaire": "lumbar-radiculopathy", "answers": URGENT}, format="json"
    ).json()
    assert set(body) == {
        "id",
        "urgency",
        "pattern",
        "flags",
        "complete",
        "questionnaire",
        "ruleset",
        "next_step",
        "created_at",
    }
    assert body["next_step"] == {
        "code": "clinician_today",
        "text": "A clinician from our team will call you today on (609) 555-0166. If you have "
        "not heard from us by the end of the day, call us on (609) 555-0100.",
        "booking_url": None,
    }


@pytest.mark.django_db(transaction=True)
def test_the_web_result_shows_at_once_even_when_the_broker_is_down(alert_setup):
    patient = alert_setup.patient_of(alert_setup.north)
    client = logged_in(patient)
    with mock.patch.object(
        tasks.deliver_alert, "delay", side_effect=OperationalError("Connection refused")
    ):
        assessment = submit(patient, EMERGENCY)
    assert "Go to the nearest emergency department now." in result_page(client, assessment)
    assert assessment.staff_alert.deliveries.get().status == "pending"
    assert mail.outbox == []


def test_the_messages_speak_spanish(alert_setup):
    patient = alert_setup.patient_of(alert_setup.north, phone="")
    client = Client(HTTP_ACCEPT_LANGUAGE="es")
    client.force_login(patient)
    emergency = result_page(client, submit(patient, EMERGENCY))
    assert "Hemos avisado a nuestro equipo de la clínica sobre su resultado." in emergency
    urgent = result_page(client, submit(patient, URGENT))
    assert "No tenemos ningún número de teléfono suyo." in urgent


def test_a_red_flag_submission_goes_through_while_the_cache_is_down(
    alert_setup, api_client, caplog
):
    dead_redis = {
        "default": {
            "BACKEND": "clinic.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 1},
        }
    }
    with override_settings(CACHES=dead_redis):
        response = api_client.post(
            ASSESSMENTS,
            {"questionnaire": "lumbar-radiculopathy", "answers": EMERGENCY},
            format="json",
        )
    assert response.status_code == 201
    assert response.json()["next_step"]["code"] == "emergency_department"
    assert "the throttle cache is unavailable (ConnectionError)" in caplog.text
