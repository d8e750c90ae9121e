"""Plain-text e-mails are not HTML: no template escapes ``&``, ``<`` or ``'`` into entities.

Every ``.txt`` template of the project is rendered with names full of those characters, and the
real flows (address verification, password reset, appointment e-mails) are checked end to end
with a clinic name containing them.
"""

from datetime import UTC, date, datetime, time
from pathlib import Path
from types import SimpleNamespace

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.template import engines
from django.template.loader import render_to_string

from clinic.services import email_verification_send
from tests.factories import LocationFactory, PatientFactory
from tests.scheduling.factories import demo_type, working_physician
from tests.scheduling.helpers import book

NAME = "O'Hara & <Sons> Spine"
ENTITIES = ("&amp;", "&lt;", "&gt;", "&#x27;", "&#39;", "&quot;")


def _text_templates() -> list[str]:
    """Every .txt template under the project's template directories (not the libraries')."""
    root = Path(settings.BASE_DIR)
    found = set()
    for directory in engines["django"].template_dirs:
        directory = Path(directory)
        if root not in directory.parents or ".venv" in directory.parts:
            continue
        found.update(str(path.relative_to(directory)) for path in directory.rglob("*.txt"))
    return sorted(found)


def _context() -> dict:
    person = SimpleNamespace(name=NAME, credentials="MD & PhD", email="a@example.org")
    place = SimpleNamespace(
        name=NAME, one_line_address="1 <Main> & 'High' St", phone="(713) 555-0100", city=NAME
    )
    return {
        "clinic_name": NAME,
        "user": person,
        "patient": person,
        "provider": person,
        "location": place,
        "link": "https://portal.example/a?b=1&c=2",
        "when": f"Tuesday, {NAME}",
        "timezone": NAME,
        "change_until": NAME,
        "movable": True,
        "kind": "booked",
        "cutoff_hours": 24,
        "protocol": "https",
        "domain": "portal.example",
        "uid": "MQ",
        "token": "abc-123",
        "email": "a@example.org",
        "site_name": NAME,
    }


def test_the_project_has_text_templates_to_check():
    assert set(_text_templates()) >= {
        "clinic/email/verify_email.txt",
        "registration/password_reset_email.txt",
        "registration/password_reset_subject.txt",
        "scheduling/email/notification.txt",
    }


@pytest.mark.parametrize("name", _text_templates())
def test_text_template_keeps_special_characters_as_they_are(name):
    text = render_to_string(name, _context())
    assert text.strip()
    for entity in ENTITIES:
        assert entity not in text


@pytest.fixture
def ampersand_clinic(settings):
    settings.CLINIC_NAME = NAME
    return NAME


@pytest.mark.django_db
def test_verification_email_names_the_clinic_as_written(ampersand_clinic):
    user = PatientFactory(first_name="Zoë & <Co>")
    email_verification_send(user=user)
    (message,) = mail.outbox
    assert f"Confirm your e-mail address for {NAME}" == message.subject
    assert f"creating an account with {NAME}." in message.body
    assert not any(entity in message.body for entity in ENTITIES)


@pytest.mark.django_db
def test_password_reset_email_names_the_clinic_as_written(ampersand_clinic, client):
    PatientFactory(email="reset@example.org")
    client.post("/accounts/password-reset/", {"email": "reset@example.org"})
    (message,) = mail.outbox
    assert message.subject == f"Reset your {NAME} password"
    assert not any(entity in message.body for entity in ENTITIES)


@pytest.mark.django_db
def test_appointment_email_names_physician_and_place_as_written(
    ampersand_clinic, django_capture_on_commit_callbacks
):
    with time_machine.travel(datetime(2026, 10, 1, 12, 0, tzinfo=UTC), tick=False):
        location = LocationFactory(
            slug="houston-tx", timezone="America/Chicago", name="Houston & <Bellaire>"
        )
        kind = demo_type("new-consultation")
        physician = working_physician(location=location, kinds=[kind], slug="o-hara")
        physician.name, physician.credentials = "Dr. Róisín O'Hara", "MD & PhD"
        physician.save()
        with django_capture_on_commit_callbacks(execute=True):
            book(
                patient=PatientFactory(),
                provider=physician,
                location=location,
                kind=kind,
                day=date(2026, 10, 6),
                clock=time(9),
            )
    (message,) = mail.outbox
    assert "Dr. Róisín O'Hara, MD & PhD" in message.body
    assert "Houston & <Bellaire>" in message.body
    assert message.body.rstrip().endswith(NAME)
    assert not any(entity in message.body for entity in ENTITIES)
