"""Text messages: the HTTP provider backend against a real local HTTP server (request shape,
auth header, a non-2xx answer is a failure the outbox retries), the console backend, patients
opting in on their profile (web and API), and the generic patient message API."""

import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO

import pytest
import time_machine
from django.core import mail

from clinic import sms
from clinic.messages import MessageKind, message_kind_register, patient_message_queue
from clinic.models import PatientMessage
from clinic.outbox import outbox_send
from tests.clinic.outboxes import NOW
from tests.factories import PatientFactory


class FakeProvider:
    """An SMS provider on a free local port: records each request, answers ``status``."""

    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.status = 201
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers["Content-Length"])
                provider.requests.append(
                    {
                        "path": self.path,
                        "authorization": self.headers.get("Authorization"),
                        "content_type": self.headers.get("Content-Type"),
                        "json": json.loads(self.rfile.read(length)),
                    }
                )
                self.send_response(provider.status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b'{"id": "SM1"}')

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/v1/messages"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def provider(settings):
    fake = FakeProvider()
    settings.SMS_BACKEND = "http"
    settings.SMS_HTTP_URL = fake.url
    settings.SMS_HTTP_TOKEN = "test-token-123"
    settings.SMS_FROM = "+16095550100"
    yield fake
    fake.close()


@pytest.fixture
def texted_kind():
    return message_kind_register(
        MessageKind(
            name="test.offer",
            email=lambda context: ("A time is free", f"Claim it: {context['link']}"),
            sms=lambda context: f"A time is free. Claim it: {context['link']}",
        )
    )


def opted_in_patient(**profile):
    patient = PatientFactory()
    patient.patient_profile.phone = "+16095550177"
    patient.patient_profile.sms_opt_in = True
    for name, value in profile.items():
        setattr(patient.patient_profile, name, value)
    patient.patient_profile.save()
    return patient


def test_the_http_backend_posts_json_with_the_token(provider):
    sms.sms_send(to="+16095550177", body="Hello")
    assert provider.requests == [
        {
            "path": "/v1/messages",
            "authorization": "Bearer test-token-123",
            "content_type": "application/json",
            "json": {"from": "+16095550100", "to": "+16095550177", "body": "Hello"},
        }
    ]


@pytest.mark.parametrize("status", [400, 401, 500, 503])
def test_a_non_2xx_answer_is_a_failure(provider, status):
    provider.status = status
    with pytest.raises(sms.SmsError, match=f"the SMS provider answered {status}"):
        sms.sms_send(to="+16095550177", body="Hello")


def test_no_provider_listening_is_a_failure(settings):
    settings.SMS_BACKEND = "http"
    settings.SMS_HTTP_URL = "http://127.0.0.1:9/nothing-here"
    with pytest.raises(sms.SmsError, match="did not answer"):
        sms.sms_send(to="+16095550177", body="Hello")


@pytest.mark.django_db
def test_a_message_the_provider_refuses_is_retried_then_sent(
    provider, texted_kind, django_capture_on_commit_callbacks
):
    patient = opted_in_patient()
    with time_machine.travel(NOW, tick=False) as clock:
        provider.status = 503
        with django_capture_on_commit_callbacks(execute=True):
            email, text = patient_message_queue(
                patient_id=patient.pk, kind="test.offer", context={"link": "https://x.test/c/1"}
            )
        text.refresh_from_db()
        assert (text.channel, text.status, text.attempts) == ("sms", "pending", 1)
        assert text.last_error == "SmsError: the SMS provider answered 503"
        assert NOW + timedelta(minutes=1) <= text.next_attempt_at <= NOW + timedelta(minutes=2)
        email.refresh_from_db()
        assert (email.channel, email.status, email.recipient) == ("email", "sent", patient.email)

        provider.status = 200
        clock.move_to(text.next_attempt_at)
        assert outbox_send(label="clinic.patientmessage", row_id=text.pk).outcome == "sent"
    text.refresh_from_db()
    assert (text.status, text.attempts, text.recipient) == ("sent", 2, "+16095550177")
    assert [r["json"]["body"] for r in provider.requests] == [
        "A time is free. Claim it: https://x.test/c/1"
    ] * 2
    assert [m.subject for m in mail.outbox] == ["A time is free"]


def test_the_console_backend_prints_the_message():
    stream = StringIO()
    sms.ConsoleSmsBackend(stream).send(sms.Sms(to="+16095550177", body="Hello"))
    assert stream.getvalue() == "SMS to +16095550177:\nHello\n" + "-" * 40 + "\n"


def test_the_embedded_default_is_the_console():
    from config.settings import sms as sms_settings

    assert sms_settings.SMS_BACKEND == "console"


@pytest.mark.django_db
def test_a_patient_who_did_not_opt_in_gets_the_e_mail_only(
    texted_kind, django_capture_on_commit_callbacks
):
    patient = PatientFactory()
    patient.patient_profile.phone = "+16095550177"
    patient.patient_profile.save()
    with django_capture_on_commit_callbacks(execute=True):
        rows = patient_message_queue(
            patient_id=patient.pk, kind="test.offer", context={"link": "l"}
        )
    assert [(r.channel, r.status) for r in rows] == [("email", "pending")]
    assert PatientMessage.objects.get().status == "sent"
    assert sms.outbox == []


@pytest.mark.django_db
def test_opting_in_on_the_profile_page_needs_a_phone(client):
    patient = PatientFactory()
    client.force_login(patient)
    form = {
        "first_name": "Maria",
        "last_name": "Gomez",
        "preferred_language": "en",
        "sms_opt_in": "on",
    }
    response = client.post("/accounts/profile/", {**form, "phone": ""})
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "sms_opt_in": ["Add a phone number to get text messages."]
    }
    patient.patient_profile.refresh_from_db()
    assert patient.patient_profile.sms_opt_in is False

    response = client.post("/accounts/profile/", {**form, "phone": "(609) 555-0177"})
    assert response.status_code == 302
    patient.patient_profile.refresh_from_db()
    assert (patient.patient_profile.phone, patient.patient_profile.sms_opt_in) == (
        "+16095550177",
        True,
    )


@pytest.mark.django_db
def test_opting_in_over_the_api_needs_a_phone(patient_client, patient):
    response = patient_client.patch("/api/v1/me/", {"phone": "", "sms_opt_in": True}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"sms_opt_in": ["Add a phone number to get text messages."]}
    assert patient_client.get("/api/v1/me/").json()["sms_opt_in"] is False
    patient.patient_profile.refresh_from_db()
    assert patient.patient_profile.sms_opt_in is False

    response = patient_client.patch(
        "/api/v1/me/", {"phone": "(609) 555-0177", "sms_opt_in": True}, format="json"
    )
    assert response.status_code == 200
    assert (response.json()["phone"], response.json()["sms_opt_in"]) == ("+16095550177", True)
