"""The appointment e-mail outbox on PostgreSQL with no wrapping test transaction: the task is
queued only after the booking commits, the task sends under its row lock (a second sender skips
the row), the beat sweep and ``send_pending_notifications`` pick up what the broker lost, a
failed send is retried after its backoff, and staff re-send a failed e-mail from the admin (an
e-mail a worker is sending at that moment is not sent twice)."""

from datetime import date, time, timedelta
from io import StringIO
from smtplib import SMTPServerDisconnected
from unittest import mock

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from kombu.exceptions import OperationalError
from rest_framework.test import APIClient

from scheduling import tasks
from scheduling.models import Notification
from scheduling.notifications import notification_deliver
from scheduling.services import appointment_book
from tests.concurrency import Background, until_blocked
from tests.conftest import login_verified
from tests.factories import StaffFactory
from tests.scheduling.conftest import NOW
from tests.scheduling.helpers import api_book, at

pytestmark = [
    pytest.mark.requires_postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("frozen"),
]
DAY = date(2026, 10, 6)
BOOKED_SUBJECT = (
    "Your appointment is booked: Tuesday, October 6, 2026, 9:00 AM Central Time (Houston)"
)
SEND = "django.core.mail.backends.locmem.EmailBackend.send_messages"


def book(patient, physician):
    client = APIClient()
    client.force_authenticate(patient)
    response = api_book(client, provider=physician.slug, start="2026-10-06T09:00:00-05:00")
    assert response.status_code == 201
    return response.json()["id"]


def rows() -> list[tuple[str, str, int]]:
    return list(Notification.objects.order_by("pk").values_list("kind", "status", "attempts"))


def seen_from_another_connection(notification_id: int):
    """What a worker would read when the task arrives: the row as committed."""
    return Background(
        lambda: (
            Notification.objects.filter(pk=notification_id).values_list("kind", "status").first()
        )
    ).result()


def test_the_e_mail_is_queued_after_the_commit_and_the_sweep_sends_it(
    frozen, patient, physician, houston
):
    queued = []
    with mock.patch.object(
        tasks.send_notification,
        "delay",
        side_effect=lambda pk: queued.append((pk, seen_from_another_connection(pk))),
    ):
        book(patient, physician)
    booked = Notification.objects.get(kind="booked")
    assert queued == [(booked.pk, ("booked", "pending"))]
    assert rows() == [("booked", "pending", 0), ("reminder", "pending", 0)]

    frozen.shift(timedelta(minutes=1))
    assert tasks.sweep_notifications.delay().get() == 1
    assert rows() == [("booked", "sent", 1), ("reminder", "pending", 0)]
    assert [m.subject for m in mail.outbox] == [BOOKED_SUBJECT]

    frozen.move_to(at(houston, DAY, time(9)) - timedelta(hours=24))
    assert tasks.sweep_notifications.delay().get() == 1
    assert rows() == [("booked", "sent", 1), ("reminder", "sent", 1)]
    assert mail.outbox[1].subject == (
        "Reminder: your appointment on Tuesday, October 6, 2026, 9:00 AM Central Time (Houston)"
    )
    assert tasks.sweep_notifications.delay().get() == 0


def test_nothing_is_queued_when_the_booking_rolls_back(patient, physician, houston, consultation):
    with mock.patch.object(tasks.send_notification, "delay") as delay, transaction.atomic():
        appointment_book(
            patient=patient,
            provider=physician,
            location=houston,
            kind=consultation,
            start=at(houston, DAY, time(9)),
        )
        transaction.set_rollback(True)  # what a failing surrounding request does
    assert delay.call_count == 0
    assert rows() == []


def test_with_the_broker_down_the_booking_stands_and_the_command_sends_once(patient, physician):
    with mock.patch.object(
        tasks.send_notification, "delay", side_effect=OperationalError("Connection refused")
    ):
        book(patient, physician)
    assert rows() == [("booked", "pending", 0), ("reminder", "pending", 0)]
    assert mail.outbox == []

    out = StringIO()
    call_command("send_pending_notifications", stdout=out)
    assert out.getvalue() == "Sent 1 notification(s); 0 not sent (see the admin).\n"
    assert rows() == [("booked", "sent", 1), ("reminder", "pending", 0)]
    out = StringIO()
    call_command("send_pending_notifications", stdout=out)
    assert out.getvalue() == "Sent 0 notification(s); 0 not sent (see the admin).\n"
    assert [m.subject for m in mail.outbox] == [BOOKED_SUBJECT]


def test_a_row_locked_by_another_sender_is_skipped_and_sent_once(patient, physician):
    with mock.patch.object(tasks.send_notification, "delay"):
        book(patient, physician)
    booked = Notification.objects.get(kind="booked")
    with transaction.atomic():
        Notification.objects.select_for_update().get(pk=booked.pk)  # the first sender's lock
        assert Background(lambda: tasks.send_notification.delay(booked.pk).get()).result() is False
    assert rows() == [("booked", "pending", 0), ("reminder", "pending", 0)]
    assert tasks.send_notification.delay(booked.pk).get() is True
    assert tasks.send_notification.delay(booked.pk).get() is False
    assert rows() == [("booked", "sent", 1), ("reminder", "pending", 0)]
    assert len(mail.outbox) == 1


def test_a_failed_send_is_retried_after_its_backoff(frozen, patient, physician):
    with mock.patch(SEND, side_effect=SMTPServerDisconnected("Connection unexpectedly closed")):
        book(patient, physician)
    booked = Notification.objects.get(kind="booked")
    assert (booked.status, booked.attempts, booked.last_error) == (
        "pending",
        1,
        "SMTPServerDisconnected: Connection unexpectedly closed",
    )
    assert NOW + timedelta(minutes=1) <= booked.next_attempt_at <= NOW + timedelta(minutes=2)
    assert tasks.sweep_notifications.delay().get() == 0  # not due yet

    frozen.move_to(booked.next_attempt_at)
    assert tasks.sweep_notifications.delay().get() == 1
    booked.refresh_from_db()
    assert (booked.status, booked.attempts, booked.last_error) == ("sent", 2, "")
    assert [m.subject for m in mail.outbox] == [BOOKED_SUBJECT]


def _desk(client, physician):
    """A receptionist of the physician's locations, signed in to the admin."""
    staff = StaffFactory()
    staff.user_permissions.set(Permission.objects.filter(content_type__app_label="scheduling"))
    staff.served_locations.set(physician.locations.all())
    login_verified(client, staff)
    return client


def _send_again(client, notification):
    return client.post(
        "/admin/scheduling/notification/",
        {"action": "resend", "_selected_action": [notification.pk]},
        follow=True,
    )


def test_staff_send_a_failed_e_mail_again_from_the_admin(client, settings, patient, physician):
    settings.SCHEDULING_NOTIFICATION_MAX_ATTEMPTS = 1
    with mock.patch(SEND, side_effect=SMTPServerDisconnected("Connection unexpectedly closed")):
        book(patient, physician)
    booked = Notification.objects.get(kind="booked")
    assert (booked.status, booked.attempts) == ("failed", 1)

    response = _send_again(_desk(client, physician), booked)
    assert response.status_code == 200
    assert "Queued again." in response.content.decode()
    booked.refresh_from_db()
    assert (booked.status, booked.attempts) == ("sent", 1)
    assert [m.subject for m in mail.outbox] == [BOOKED_SUBJECT]


def test_sending_again_an_e_mail_a_worker_is_sending_does_not_send_it_twice(
    client, patient, physician
):
    with mock.patch.object(tasks.send_notification, "delay"):
        book(patient, physician)
    booked = Notification.objects.get(kind="booked")
    desk = _desk(client, physician)
    with transaction.atomic():
        assert notification_deliver(notification_id=booked.pk) is True  # sent, not committed
        again = Background(lambda: _send_again(desk, booked))
        until_blocked()
    assert again.result().status_code == 200
    booked.refresh_from_db()
    assert (booked.status, booked.attempts) == ("sent", 1)
    assert [m.subject for m in mail.outbox] == [BOOKED_SUBJECT]
