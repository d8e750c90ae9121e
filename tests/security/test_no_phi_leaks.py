"""No patient data in logs, e-mails or URLs.

A patient whose name, e-mail address, phone, date of birth, free-text notes and red-flag
answers are unique sentinel strings goes through the portal's main flows: sign-up, log-in,
profile, the symptom questionnaire on the web and through the API (emergency results, so staff
alerts are e-mailed), booking with its confirmation and reminder e-mails, a password reset, and
staff opening and resolving the alert and the appointment in the admin. Every log record (every
logger at DEBUG), every e-mail (subject, body, alternatives, attachments, headers) and every URL
requested or redirected to is captured, and none may hold a sentinel. The patient's own address
may appear only where a mail to them must carry it: the To: header, and the ATTENDEE of the
calendar invitation, which is how a calendar matches an update or cancellation to the event.
"""

import base64
import binascii
import html
import json
import logging
import re
from datetime import timedelta
from io import StringIO
from urllib.parse import quote, quote_plus, unquote_plus, urlsplit

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from rest_framework.test import APIClient

from scheduling.models import Appointment
from tests.conftest import login_verified
from tests.factories import LocationFactory, StaffFactory
from tests.scheduling.factories import demo_type, working_physician
from tests.triage.test_web import post_step
from tests.triage.vignettes import answers
from triage.loading import publish_files
from triage.models import AlertOutcome, Assessment, Questionnaire, Ruleset, StaffAlert
from triage.selectors import questionnaire_definition

PASSWORD = "Sentinel-pass-2026!"
FIRST, LAST = "Zephyrine", "Quackenbushova"
LOCAL_PART = "zq.sentinel4471"
EMAIL = f"{LOCAL_PART}@example.org"
PHONE = "(609) 555-0147"
PHONE_DIGITS = "6095550147"
BIRTH = "1963-02-17"
NOTES = "Wilhelmina says the tingling started after the trampoline accident."
API_NOTES = "Numbness since the Okefenokee canoe trip."
STAFF_NOTE = "Reached Mrs Quackenbushova on her mobile; she is on her way to Capital Health."
PROFILE = {
    "first_name": FIRST,
    "last_name": LAST,
    "phone": PHONE,
    "date_of_birth": BIRTH,
    "preferred_location": "houston-tx",
    "preferred_language": "en",
}
# Urgent rather than an emergency on the web, so the walk goes through every step (the free
# text included) instead of stopping at the first emergency; it raises an alert all the same.
EMERGENCY_WEB = {"ces_saddle": True, "ces_onset": "stable", "weak_both_legs": True}
EMERGENCY_API = {"cannot_walk_stand": True, "fever_unwell": True}


def sentinels() -> set[str]:
    """Every sentinel, in the forms it could take in text, HTML and URLs."""
    plain = {
        FIRST,
        LAST,
        LOCAL_PART,
        PHONE,
        PHONE_DIGITS,
        "555-0147",
        BIRTH,
        "02/17/1963",
        "17/02/1963",
        "February 17, 1963",
        "Feb. 17, 1963",
        "Wilhelmina",
        "trampoline",
        "Okefenokee",
        "Capital Health",
    }
    return {variant for text in plain for variant in _variants(text)}


def _variants(text: str) -> set[str]:
    return {text, text.lower(), quote(text), quote_plus(text), html.escape(text)}


def red_flag_sentinels() -> set[str]:
    """What the red-flag answers would show if written out: each answered question (id and
    text) and what the rules that fired say (to the patient and to staff)."""
    questionnaire = Questionnaire.objects.filter(slug="lumbar-radiculopathy").latest("version")
    definition = questionnaire_definition(questionnaire=questionnaire)
    found = set()
    for link_id in {**EMERGENCY_WEB, **EMERGENCY_API}:
        found |= {link_id, definition.by_id[link_id].text}
    for assessment in Assessment.objects.all():
        for flag in assessment.flags:
            found |= {flag["message"], flag["staff_message"]}
    return {text for text in found if text}


class Recording:
    """A test client that keeps every URL it asks for and every redirect it is given."""

    def __init__(self, urls: list[str], **defaults):
        super().__init__(**defaults)
        self.urls = urls

    def request(self, **request):
        query = request.get("QUERY_STRING", "")
        self.urls.append(request["PATH_INFO"] + (f"?{query}" if query else ""))
        response = super().request(**request)
        if response.has_header("Location"):
            self.urls.append(response["Location"])
        return response


class RecordingClient(Recording, Client):
    pass


class RecordingApiClient(Recording, APIClient):
    pass


def url_texts(url: str) -> list[str]:
    """The URL, decoded, and whatever its path segments and query values decode to from
    (url-safe) base64: a signed token must not carry patient data either."""
    parts = urlsplit(url)
    texts = [url, unquote_plus(url)]
    for piece in re.split(r"[/:?&=.]", parts.path + "?" + parts.query):
        padded = piece + "=" * (-len(piece) % 4)
        try:
            texts.append(base64.urlsafe_b64decode(padded).decode("utf-8", "replace"))
        except (binascii.Error, ValueError):
            continue
    return texts


def message_texts(message) -> list[tuple[str, str]]:
    """``(part, text)`` of one e-mail, without the To: header, which must name the recipient."""
    raw = message.message()
    texts = [(f"header {name}", str(value)) for name, value in raw.items() if name != "To"]
    texts += [("header Bcc", ", ".join(message.bcc))]
    texts += [("subject", message.subject), ("body", message.body)]
    texts += [("alternative", content) for content, _type in getattr(message, "alternatives", [])]
    for attachment in message.attachments:
        if hasattr(attachment, "get_payload"):
            content = attachment.get_payload(decode=True).decode()
        else:
            content = attachment[1] if isinstance(attachment[1], str) else attachment[1].decode()
        texts.append(("attachment", content))
    return texts


@pytest.fixture
def clinic(transactional_db, settings):
    """Two locations, a physician with free times, the questionnaire, a staff member who
    answers alerts; nothing about the patient yet (they sign up)."""
    settings.ALERT_FALLBACK_EMAIL = "alerts@clinic.example"
    settings.ALERT_CHANNELS = ["email"]
    publish_files(Questionnaire, Ruleset)
    consultation = demo_type("new-consultation")
    LocationFactory(slug="lawrenceville-nj", name="Lawrenceville, NJ", sort_order=1)
    houston = LocationFactory(
        slug="houston-tx", name="Houston, TX", timezone="America/Chicago", sort_order=2
    )
    physician = working_physician(location=houston, kinds=[consultation], slug="mateo-alvarado")
    staff = StaffFactory(is_superuser=True, email="nurse@clinic.example")
    return {"houston": houston, "physician": physician, "staff": staff}


@pytest.fixture
def every_log_record(caplog):
    """Every logger at DEBUG, as if the portal ran with LOG_LEVEL=DEBUG."""
    names = ["", "django.request", *logging.Logger.manager.loggerDict]
    for name in names:
        caplog.set_level(logging.DEBUG, logger=name)
    return caplog


@pytest.mark.django_db(transaction=True)
def test_no_patient_data_in_logs_emails_or_urls(clinic, every_log_record, frozen_now):
    urls: list[str] = []
    web = RecordingClient(urls)
    _sign_up_log_in_and_edit_the_profile(web)
    _questionnaire_on_the_web(web)
    frozen_now.shift(timedelta(minutes=1))  # the API check comes later: it is the latest
    api = RecordingApiClient(urls)
    _questionnaire_and_profile_through_the_api(api)
    appointment = _book_a_consultation(web)
    _reset_the_password(RecordingClient(urls))
    _staff_work_the_alerts_and_the_appointment(RecordingClient(urls), clinic["staff"])
    _the_reminder_goes_out(frozen_now, appointment)

    subjects = [m.subject for m in mail.outbox]
    assert len([s for s in subjects if "alert" in s.lower()]) == 2, subjects
    assert any(s.startswith("Reminder") for s in subjects), subjects
    assert any("booked" in s for s in subjects), subjects
    assert any("password" in s.lower() for s in subjects), subjects

    secrets = sentinels() | red_flag_sentinels()
    leaks = []
    for record in every_log_record.records:
        text = logging.Formatter().format(record) + repr(record.args)
        leaks += [("log", record.name, s) for s in secrets | _variants(EMAIL) if s in text]
    attendee = re.compile(rf"^ATTENDEE[^:\r\n]*:mailto:{re.escape(EMAIL)}\r?$", re.MULTILINE)
    for message in mail.outbox:
        to_patient = message.to == [EMAIL]
        for part, text in message_texts(message):
            if part == "attachment" and to_patient:
                text = attendee.sub("", text)
            found = secrets | _variants(EMAIL)
            leaks += [("mail", f"{message.subject} / {part}", s) for s in found if s in text]
        if not to_patient and EMAIL in [*message.to, *message.cc, *message.bcc]:
            leaks.append(("mail", f"{message.subject} / recipients", EMAIL))
    for url in urls:
        for text in url_texts(url):
            leaks += [("url", url, s) for s in secrets | _variants(EMAIL) if s in text]
    assert leaks == [], "\n".join(map(str, sorted(set(leaks))))
    assert len(urls) > 40


# --- the flows ----------------------------------------------------------------------------


def _ok(response) -> None:
    assert response.status_code == 200, (response.status_code, response.request["PATH_INFO"])


def _sign_up_log_in_and_edit_the_profile(web) -> None:
    response = web.post(
        "/accounts/signup/",
        {**PROFILE, "email": EMAIL, "password1": PASSWORD, "password2": PASSWORD},
        follow=True,
    )
    _ok(response)
    verification = next(m for m in mail.outbox if m.to == [EMAIL])
    link = re.search(r"https?://\S+", verification.body).group(0)
    _ok(web.get(urlsplit(link).path, follow=True))
    web.post("/accounts/logout/")
    web.post("/accounts/login/", {"username": EMAIL, "password": "not-the-password"})
    _ok(web.post("/accounts/login/", {"username": EMAIL, "password": PASSWORD}, follow=True))
    _ok(web.get("/accounts/profile/"))
    _ok(web.post("/accounts/profile/", PROFILE, follow=True))
    _ok(web.get("/dashboard/"))


def _questionnaire_on_the_web(web) -> None:
    given = {**answers(**EMERGENCY_WEB), "notes": NOTES}
    response = web.get("/triage/lumbar-radiculopathy/questions/")
    for _ in range(10):
        response = post_step(web, response, given)
        assert response.status_code == 302
        if "/results/" in response["Location"]:
            _ok(web.get(response["Location"]))
            break
        response = web.get("/triage/lumbar-radiculopathy/questions/")
    assert Assessment.objects.filter(urgency="urgent").count() == 1


def _questionnaire_and_profile_through_the_api(api) -> None:
    token = api.post("/api/v1/auth/token/", {"email": EMAIL, "password": PASSWORD}, format="json")
    assert token.status_code == 200
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.json()['token']}")
    _ok(api.get("/api/v1/me/"))
    _ok(api.patch("/api/v1/me/", {"phone": PHONE}, format="json"))
    created = api.post(
        "/api/v1/triage/assessments/",
        {
            "questionnaire": "lumbar-radiculopathy",
            "answers": {**answers(**EMERGENCY_API), "notes": API_NOTES},
        },
        format="json",
    )
    assert created.status_code == 201
    assert created.json()["urgency"] == "emergency"
    _ok(api.get(f"/api/v1/triage/assessments/{created.json()['id']}/"))
    _ok(api.get(f"/api/v1/triage/assessments/{created.json()['id']}/", {"format": "fhir"}))
    _ok(api.get("/api/v1/triage/assessments/"))
    _ok(api.get("/api/v1/appointments/"))


def _book_a_consultation(web) -> Appointment:
    gate = web.get("/appointments/")
    assert "confirmation" in gate.context["form"].fields
    web.post("/appointments/before-booking/", {"confirmation": "emergency_seen"})
    _ok(web.get("/appointments/", {"location": "houston-tx", "type": "new-consultation"}))
    held = web.post(
        "/appointments/hold/",
        {
            "location": "houston-tx",
            "type": "new-consultation",
            "provider": "mateo-alvarado",
            "start": "2026-10-08T15:00:00+00:00",
        },
    )
    assert held.status_code == 302, held.status_code
    appointment = Appointment.objects.get()
    _ok(web.post(f"/appointments/{appointment.pk}/confirm/", follow=True))
    web.get(f"/appointments/{appointment.pk}/calendar.ics")
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.CONFIRMED
    return appointment


def _reset_the_password(visitor) -> None:
    visitor.post("/accounts/password-reset/", {"email": EMAIL})
    reset = next(m for m in reversed(mail.outbox) if "password" in m.subject.lower())
    link = urlsplit(re.search(r"https?://\S+", reset.body).group(0)).path
    form = visitor.get(link, follow=True)
    _ok(form)
    new_password = PASSWORD + "x"
    done = visitor.post(
        form.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
        follow=True,
    )
    _ok(done)


def _staff_work_the_alerts_and_the_appointment(staff_client, staff) -> None:
    login_verified(staff_client, staff)
    _ok(staff_client.get("/admin/"))
    _ok(staff_client.get("/admin/triage/staffalert/"))
    for alert in StaffAlert.objects.all():
        _ok(staff_client.get(f"/admin/triage/staffalert/{alert.pk}/change/"))
        staff_client.post(f"/admin/triage/staffalert/{alert.pk}/acknowledge/")
        staff_client.post(
            f"/admin/triage/staffalert/{alert.pk}/resolve/",
            {"outcome": AlertOutcome.SENT_TO_EMERGENCY, "note": STAFF_NOTE},
        )
        _ok(staff_client.get(f"/admin/triage/staffalert/{alert.pk}/change/"))
    assert set(StaffAlert.objects.values_list("status", flat=True)) == {"resolved"}
    _ok(staff_client.get("/admin/triage/assessment/"))
    _ok(staff_client.get("/admin/scheduling/appointment/"))
    appointment = Appointment.objects.get()
    _ok(staff_client.get(f"/admin/scheduling/appointment/{appointment.pk}/change/"))
    _ok(staff_client.get("/admin/scheduling/appointment/day/"))
    _ok(staff_client.get(f"/admin/clinic/user/{appointment.patient_id}/change/"))


def _the_reminder_goes_out(traveller, appointment) -> None:
    traveller.move_to(appointment.start - timedelta(hours=23))
    call_command("send_pending_notifications", stdout=StringIO())


def test_the_sentinels_are_found_where_they_are():
    """The checks above can fail: each sentinel form is caught in a log line, a mail and a URL."""
    assert FIRST in sentinels()
    assert quote_plus(PHONE) in sentinels()
    token = base64.urlsafe_b64encode(json.dumps({"e": EMAIL}).encode()).decode().rstrip("=")
    assert any(EMAIL in text for text in url_texts(f"/accounts/verify-email/{token}:abc/"))
    message = mail.EmailMessage("Hi", f"Dear {FIRST}", to=[EMAIL], headers={"Reply-To": EMAIL})
    texts = dict(message_texts(message))
    assert FIRST in texts["body"]
    assert EMAIL in texts["header Reply-To"]
    assert "To" not in {part.removeprefix("header ") for part in texts}
