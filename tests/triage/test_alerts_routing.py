"""Who is told about an alert, and what the notice says (nothing about the patient's health)."""

import re

import pytest
from django.core import mail

from tests.factories import StaffFactory
from tests.triage.alerting import EMERGENCY, URGENT, submit
from tests.triage.vignettes import answers
from triage.alerts import alert_delivery_send
from triage.channels import EmailChannel
from triage.models import AlertDelivery, StaffAlert


def send_all() -> None:
    for delivery in AlertDelivery.objects.filter(status="pending"):
        alert_delivery_send(delivery_id=delivery.pk, force=True)


def test_the_responders_of_the_alerts_location_are_told(alert_setup):
    north_only = alert_setup.responder(alert_setup.north, email="a-north@clinic.example")
    both = alert_setup.responder(
        alert_setup.north, alert_setup.south, email="b-both@clinic.example"
    )
    alert_setup.responder(alert_setup.south, email="south@clinic.example")
    alert_setup.responder(alert_setup.north, email="gone@clinic.example", is_active=False)
    alert_setup.responder(alert_setup.north, email="patient-like@clinic.example", is_staff=False)
    StaffFactory(email="not-in-group@clinic.example").served_locations.set([alert_setup.north])

    submit(alert_setup.patient_of(alert_setup.north), EMERGENCY)
    send_all()

    assert [m.to for m in mail.outbox] == [[north_only.email, both.email]]
    assert AlertDelivery.objects.get().recipients == [north_only.email, both.email]


def test_a_patient_of_the_other_location_reaches_that_locations_responders(alert_setup):
    alert_setup.responder(alert_setup.north)
    south = alert_setup.responder(alert_setup.south)
    submit(alert_setup.patient_of(alert_setup.south), URGENT)
    send_all()
    assert [m.to for m in mail.outbox] == [[south.email]]


def test_without_a_responder_for_the_location_the_fallback_address_is_told(alert_setup, settings):
    settings.ALERT_FALLBACK_EMAIL = "alerts@clinic.example"
    alert_setup.responder(alert_setup.north)
    submit(alert_setup.patient_of(alert_setup.south), URGENT)
    send_all()
    assert [m.to for m in mail.outbox] == [["alerts@clinic.example"]]


def test_without_responder_or_fallback_every_responder_is_told_rather_than_nobody(alert_setup):
    north = alert_setup.responder(alert_setup.north)
    submit(alert_setup.patient_of(alert_setup.south), URGENT)
    send_all()
    assert [m.to for m in mail.outbox] == [[north.email]]


def test_escalations_go_to_the_escalation_list_else_to_the_fallback(alert_setup, settings):
    alert_setup.responder(alert_setup.north)
    submit(None, EMERGENCY)
    alert = StaffAlert.objects.get()
    channel = EmailChannel()
    settings.ALERT_FALLBACK_EMAIL = "alerts@clinic.example"
    assert channel.recipients(alert=alert, purpose="escalation") == ["alerts@clinic.example"]
    settings.ALERT_ESCALATION_EMAILS = ["lead@clinic.example", " md@clinic.example", ""]
    assert channel.recipients(alert=alert, purpose="escalation") == [
        "lead@clinic.example",
        "md@clinic.example",
    ]


@pytest.mark.parametrize("purpose", ["initial", "escalation"])
def test_the_notice_carries_no_health_details_only_the_severity_and_the_link(
    alert_setup, settings, purpose
):
    settings.SITE_URL = "https://portal.clinic.example"
    settings.ALERT_ESCALATION_EMAILS = ["lead@clinic.example"]
    alert_setup.responder(alert_setup.north)
    patient = alert_setup.patient_of(alert_setup.north, phone="(609) 555-0177")
    patient.first_name, patient.last_name = "Zebediah", "Quillfeather"
    patient.email = "zq.sentinel@example.org"
    patient.save()
    assessment = submit(
        patient,
        answers(
            ces_saddle=True,
            ces_onset="new",
            cannot_walk_stand=True,
            fever_unwell=True,
            immunosuppressed_or_ivdu=True,
            age=71,
        ),
    )
    alert = StaffAlert.objects.get()
    AlertDelivery.objects.create(alert=alert, channel="email", purpose="escalation")
    AlertDelivery.objects.exclude(purpose=purpose).delete()
    send_all()

    (message,) = mail.outbox
    link = f"https://portal.clinic.example/admin/triage/staffalert/{alert.pk}/change/"
    assert link in message.body
    assert f"alert {alert.pk}" in message.subject
    # What is left without the link and the alert's number must be fixed wording.
    text = f"{message.subject}\n{message.body}".replace(link, "").replace(str(alert.pk), "")
    forbidden = [
        "Zebediah",
        "Quillfeather",
        "zq.sentinel",
        "555-0177",
        "71",
        str(assessment.pk),
        "emergency",
        "urgent",
        "saddle",
        "walk",
        "fever",
        "bladder",
        "weak",
        *[flag["message"] for flag in assessment.flags],
        *[flag["staff_message"] for flag in assessment.flags],
        *[flag["rule"] for flag in assessment.flags],
    ]
    found = [word for word in forbidden if word.lower() in text.lower()]
    assert found == []
    assert "critical alert" in text.lower()
    words = set(re.findall(r"[a-z]+", text.lower()))
    fixed_wording = (
        "a in the is it and when you on take open now log required acknowledge critical alert "
        "waiting portal escalated not acknowledged has been within minutes larkspur spine pain "
        # whether staff have a number to call (fixed wording either way)
        "contact details phone number is on file no yet"
    )
    assert words <= set(fixed_wording.split())


def test_the_notice_says_whether_there_is_a_number_to_call(alert_setup, settings):
    from triage.channels import alert_notice

    with_phone = submit(alert_setup.patient_of(alert_setup.north), EMERGENCY).staff_alert
    anonymous = submit(None, EMERGENCY).staff_alert
    assert "Contact details: a phone number is on file." in alert_notice(with_phone, "initial")[1]
    assert "No phone number on file yet." in alert_notice(anonymous, "initial")[1]
    anonymous.contact_phone = "+16095550182"
    subject, body = alert_notice(anonymous, "contact")
    assert (
        subject
        == f"[{settings.CLINIC_NAME}] Contact details added to critical alert {anonymous.pk}"
    )
    assert "has left a phone number" in body
    assert "555" not in body
