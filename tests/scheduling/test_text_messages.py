"""Appointment notices by text message to patients who opted in: one SMS outbox row next to
each e-mail row, with its own retries; short, no health information, in the patient's
language, with the clinic's phone number; a reminder for a time the appointment no longer has
is skipped."""

from datetime import date, time, timedelta

import pytest
from django.core import mail

from clinic import sms
from clinic.models import PatientMessage
from clinic.outbox import outbox_send, outbox_sweep
from scheduling.models import Notification
from scheduling.services import appointment_cancel, appointment_reschedule
from tests.scheduling.helpers import at, book

DAY = date(2026, 10, 6)


@pytest.fixture
def opted_in(patient):
    profile = patient.patient_profile
    profile.phone = "+16095550177"
    profile.sms_opt_in = True
    profile.save()
    return patient


def _book(patient, physician, houston, kind):
    return book(
        patient=patient, provider=physician, location=houston, kind=kind, day=DAY, clock=time(9)
    )


def texts() -> list[tuple[str, str, str]]:
    return list(PatientMessage.objects.order_by("pk").values_list("kind", "channel", "status"))


def test_an_opted_in_patient_gets_the_booking_by_e_mail_and_text(
    frozen, opted_in, physician, houston, consultation, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _book(opted_in, physician, houston, consultation)
    assert sorted(Notification.objects.values_list("kind", "status")) == [
        ("booked", "sent"),
        ("reminder", "pending"),
    ]
    assert texts() == [
        ("appointment.booked", "sms", "sent"),
        ("appointment.reminder", "sms", "pending"),
    ]
    assert sms.outbox == [
        sms.Sms(
            to="+16095550177",
            body="Larkspur Spine & Pain: your appointment is booked for Tuesday, October 6, "
            "2026, 9:00 AM Central Time (Houston). To change it, call (609) 555-0100.",
        )
    ]
    assert len(mail.outbox) == 1


def test_the_text_is_in_the_patients_language(
    frozen, opted_in, physician, houston, consultation, django_capture_on_commit_callbacks
):
    opted_in.patient_profile.preferred_language = "es"
    opted_in.patient_profile.save()
    with django_capture_on_commit_callbacks(execute=True):
        _book(opted_in, physician, houston, consultation)
    (message,) = sms.outbox
    assert message.body.startswith("Larkspur Spine & Pain: su cita quedó reservada para ")
    assert message.body.endswith("Para cambiarla, llame al (609) 555-0100.")


def test_a_patient_who_did_not_opt_in_gets_no_text(
    frozen, patient, physician, houston, consultation, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _book(patient, physician, houston, consultation)
    assert texts() == []
    assert sms.outbox == []
    assert len(mail.outbox) == 1


def test_the_text_reminder_is_sent_when_due_and_a_stale_one_is_skipped(
    frozen, opted_in, physician, houston, consultation
):
    kept = _book(opted_in, physician, houston, consultation)
    appointment_reschedule(
        appointment=kept, start=at(houston, DAY + timedelta(days=1), time(9)), actor=opted_in
    )
    reminders = PatientMessage.objects.filter(kind="appointment.reminder").order_by("pk")
    assert [r.status for r in reminders] == ["skipped", "pending"]
    assert reminders[1].context["starts_at"] == "2026-10-07T14:00:00+00:00"
    frozen.move_to(at(houston, DAY + timedelta(days=1), time(9)) - timedelta(hours=24))
    sms.outbox.clear()
    # the booked and moved notices (their tasks never ran here) and the reminder now due
    assert outbox_sweep(labels=["clinic.patientmessage"]) == {"clinic.patientmessage": 3}
    assert [m.body for m in sms.outbox if "reminder" in m.body] == [
        "Larkspur Spine & Pain: reminder of your appointment on Wednesday, October 7, 2026, "
        "9:00 AM Central Time (Houston). To change it, call (609) 555-0100."
    ]


def test_a_reminder_for_a_cancelled_appointment_is_skipped_at_send_time(
    frozen, opted_in, physician, houston, consultation
):
    appointment = _book(opted_in, physician, houston, consultation)
    reminder = PatientMessage.objects.get(kind="appointment.reminder")
    PatientMessage.objects.filter(pk=reminder.pk).update(status="pending")
    appointment_cancel(appointment=appointment, actor=opted_in)
    PatientMessage.objects.filter(pk=reminder.pk).update(status="pending")
    frozen.move_to(appointment.start - timedelta(hours=24))
    sms.outbox.clear()
    result = outbox_send(label="clinic.patientmessage", row_id=reminder.pk)
    reminder.refresh_from_db()
    assert (result.outcome, reminder.status, reminder.attempts) == ("skipped", "skipped", 0)
    assert sms.outbox == []
