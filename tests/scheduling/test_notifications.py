"""E-mails through the outbox: invitations (ICS), reminders, retries, a dead broker."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from icalendar import Calendar
from kombu.exceptions import OperationalError as BrokerDown

from scheduling import tasks
from scheduling.models import Notification
from scheduling.notifications import notification_deliver, retry_delay
from scheduling.services import appointment_cancel, appointment_reschedule
from tests.factories import PatientFactory
from tests.scheduling.helpers import at, book

pytestmark = pytest.mark.usefixtures("frozen")
DAY = date(2026, 10, 6)


def _book(patient, physician, houston, kind, day=DAY, clock=time(9), **extra):
    return book(
        patient=patient,
        provider=physician,
        location=houston,
        kind=kind,
        day=day,
        clock=clock,
        **extra,
    )


def _calendar(message) -> Calendar:
    (part,) = [
        p
        for p in message.attachments
        if getattr(p, "get_content_type", lambda: "")() == "text/calendar"
    ]
    return Calendar.from_ical(part.get_payload(decode=True))


def _event(message):
    calendar = _calendar(message)
    return calendar, next(iter(calendar.walk("VEVENT")))


def test_booking_sends_a_confirmation_with_an_invitation(
    django_capture_on_commit_callbacks, patient, physician, houston, consultation
):
    with django_capture_on_commit_callbacks(execute=True):
        appointment = _book(patient, physician, houston, consultation)
    (message,) = mail.outbox
    assert message.to == [patient.email]
    assert "Tuesday, October 6, 2026, 9:00 AM Central Time (Houston)" in message.subject
    assert "When: Tuesday, October 6, 2026, 9:00 AM Central Time (Houston)\n" in message.body
    assert "America/Chicago" not in message.body
    assert physician.name in message.body
    assert houston.one_line_address in message.body
    calendar, event = _event(message)
    assert str(calendar["METHOD"]) == "REQUEST"
    assert str(event["UID"]).startswith(f"appointment-{appointment.uid}@")
    assert int(event["SEQUENCE"]) == 0
    assert event.decoded("DTSTART") == datetime(2026, 10, 6, 14, 0, tzinfo=UTC)
    assert event.decoded("DTEND") == datetime(2026, 10, 6, 14, 30, tzinfo=UTC)
    assert Notification.objects.get(kind="booked").status == "sent"


def test_emails_carry_no_health_information(
    settings, django_capture_on_commit_callbacks, patient, physician, houston, discseel
):
    with django_capture_on_commit_callbacks(execute=True):
        _book(patient, physician, houston, discseel)
    (message,) = mail.outbox
    text = message.subject + message.body + _calendar(message).to_ical().decode()
    text = text.replace(settings.CLINIC_NAME, "").lower()
    for word in ("discseel", "candidacy", "disc", "sciatica", "triage", "symptom", "pain"):
        assert word not in text


@pytest.mark.parametrize(
    ("day", "utc_hour"),
    [
        (date(2026, 10, 30), 14),
        (date(2026, 11, 2), 15),
        (date(2027, 3, 12), 15),
        (date(2027, 3, 15), 14),
    ],
)
def test_invitation_times_are_right_on_both_sides_of_dst(
    django_capture_on_commit_callbacks, patient, physician, houston, consultation, day, utc_hour
):
    with django_capture_on_commit_callbacks(execute=True):
        _book(patient, physician, houston, consultation, day=day)
    _, event = _event(mail.outbox[0])
    assert event.decoded("DTSTART") == datetime(day.year, day.month, day.day, utc_hour, tzinfo=UTC)
    assert event.decoded("DTSTART").astimezone(houston.zone).hour == 9


def test_reschedule_keeps_the_uid_and_bumps_the_sequence_cancel_sends_method_cancel(
    django_capture_on_commit_callbacks, patient, physician, houston, consultation
):
    with django_capture_on_commit_callbacks(execute=True):
        appointment = _book(patient, physician, houston, consultation)
        appointment_reschedule(
            appointment=appointment, start=at(houston, DAY, time(10)), actor=patient
        )
        appointment_cancel(appointment=appointment, actor=patient)
    booked, moved, cancelled = (_event(m) for m in mail.outbox)
    assert len({str(e["UID"]) for _c, e in (booked, moved, cancelled)}) == 1
    assert [int(e["SEQUENCE"]) for _c, e in (booked, moved, cancelled)] == [0, 1, 2]
    assert moved[1].decoded("DTSTART") == at(houston, DAY, time(10))
    assert [str(c["METHOD"]) for c, _e in (booked, moved, cancelled)] == [
        "REQUEST",
        "REQUEST",
        "CANCEL",
    ]
    assert str(cancelled[1]["STATUS"]) == "CANCELLED"
    assert "moved" in mail.outbox[1].subject
    assert "cancelled" in mail.outbox[2].subject


def test_a_reminder_is_due_24_hours_before(patient, physician, houston, consultation):
    appointment = _book(patient, physician, houston, consultation)
    reminder = Notification.objects.get(kind="reminder")
    assert reminder.next_attempt_at == appointment.start - timedelta(hours=24)
    assert reminder.status == "pending"


def test_the_reminder_lead_time_comes_from_the_type(patient, physician, houston, consultation):
    consultation.reminder_hours = 48
    consultation.save()
    appointment = _book(patient, physician, houston, consultation)
    assert Notification.objects.get(
        kind="reminder"
    ).next_attempt_at == appointment.start - timedelta(hours=48)


def test_no_reminder_when_booked_inside_the_reminder_time_or_when_turned_off(
    frozen, patient, physician, houston, consultation, follow_up
):
    frozen.move_to(at(houston, DAY, time(6)))
    _book(patient, physician, houston, consultation)
    follow_up.reminder_hours = 0
    follow_up.save()
    _book(PatientFactory(), physician, houston, follow_up, day=DAY + timedelta(days=3))
    assert not Notification.objects.filter(kind="reminder").exists()


def test_sweeper_sends_a_due_reminder_once(frozen, patient, physician, houston, consultation):
    appointment = _book(patient, physician, houston, consultation)
    mail.outbox.clear()
    Notification.objects.filter(kind="booked").update(status="sent")
    assert tasks.sweep_notifications() == 0
    frozen.move_to(appointment.start - timedelta(hours=24))
    assert tasks.sweep_notifications() == 1
    assert tasks.sweep_notifications() == 0
    (message,) = mail.outbox
    assert message.subject.startswith("Reminder")
    assert not message.attachments


def test_moved_or_cancelled_appointments_get_no_stale_reminder(
    frozen, patient, physician, houston, consultation
):
    moved = _book(patient, physician, houston, consultation)
    cancelled = _book(
        PatientFactory(), physician, houston, consultation, day=DAY + timedelta(days=1)
    )
    appointment_reschedule(
        appointment=moved, start=at(houston, DAY + timedelta(days=2), time(9)), actor=patient
    )
    appointment_cancel(appointment=cancelled, actor=cancelled.patient)
    reminders = Notification.objects.filter(kind="reminder").order_by("pk")
    assert [(r.appointment_id, r.status) for r in reminders] == [
        (moved.pk, "skipped"),
        (cancelled.pk, "skipped"),
        (moved.pk, "pending"),
    ]
    assert reminders[2].starts_at == at(houston, DAY + timedelta(days=2), time(9))


def test_a_reminder_for_a_time_the_appointment_no_longer_has_is_skipped_at_send_time(
    frozen, patient, physician, houston, consultation
):
    appointment = _book(patient, physician, houston, consultation)
    reminder = Notification.objects.get(kind="reminder")
    Notification.objects.filter(pk=reminder.pk).update(
        starts_at=appointment.start - timedelta(hours=1)
    )
    frozen.move_to(appointment.start - timedelta(hours=23))
    mail.outbox.clear()
    assert notification_deliver(notification_id=reminder.pk) is False
    reminder.refresh_from_db()
    assert reminder.status == "skipped"
    assert not mail.outbox


def test_broker_down_at_booking_still_books_and_leaves_the_row_pending(
    monkeypatch, django_capture_on_commit_callbacks, patient, patient_client, physician
):
    def refuse(*args, **kwargs):
        raise BrokerDown("Error 111 connecting to redis")

    monkeypatch.setattr(tasks.send_notification, "delay", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        response = patient_client.post(
            "/api/v1/appointments/",
            {
                "location": "houston-tx",
                "type": "new-consultation",
                "provider": "mateo-alvarado",
                "start": "2026-10-06T09:00:00-05:00",
            },
            format="json",
        )
    assert response.status_code == 201
    assert Notification.objects.get(kind="booked").status == "pending"
    assert not mail.outbox
    call_command("send_pending_notifications", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Notification.objects.get(kind="booked").status == "sent"
    assert len(mail.outbox) == 1


def test_delivery_is_idempotent(patient, physician, houston, consultation):
    _book(patient, physician, houston, consultation)
    booked = Notification.objects.get(kind="booked")
    assert notification_deliver(notification_id=booked.pk) is True
    assert notification_deliver(notification_id=booked.pk) is False
    assert len(mail.outbox) == 1


def test_a_mail_failure_backs_off_then_fails_after_the_budget(
    monkeypatch, frozen, settings, patient, physician, houston, consultation
):
    settings.SCHEDULING_NOTIFICATION_MAX_ATTEMPTS = 3
    _book(patient, physician, houston, consultation)
    booked = Notification.objects.get(kind="booked")

    def broken(self, *args, **kwargs):
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", broken)
    for attempt in (1, 2):
        assert notification_deliver(notification_id=booked.pk) is False
        booked.refresh_from_db()
        assert (booked.status, booked.attempts) == ("pending", attempt)
        assert booked.last_error == "ConnectionRefusedError: smtp down"
        assert booked.next_attempt_at > datetime.now(UTC)
        assert notification_deliver(notification_id=booked.pk) is False  # not due yet
        frozen.move_to(booked.next_attempt_at)
    assert notification_deliver(notification_id=booked.pk) is False
    booked.refresh_from_db()
    assert (booked.status, booked.attempts) == ("failed", 3)


def test_backoff_grows_with_jitter_and_stays_far_below_the_visibility_timeout():
    for attempts in range(1, 20):
        ceiling = min(timedelta(minutes=2 * 2 ** (attempts - 1)), timedelta(minutes=30))
        delays = {retry_delay(attempts) for _ in range(20)}
        assert all(ceiling / 2 <= delay <= ceiling for delay in delays)
        assert len(delays) > 1


def test_spanish_speaking_patients_get_spanish_mail(
    django_capture_on_commit_callbacks, physician, houston, consultation
):
    patient = PatientFactory(profile__preferred_language="es")
    with django_capture_on_commit_callbacks(execute=True):
        _book(patient, physician, houston, consultation)
    (message,) = mail.outbox
    assert "martes" in message.subject.lower()
    assert "Su cita" in message.subject or "su cita" in message.body.lower()
