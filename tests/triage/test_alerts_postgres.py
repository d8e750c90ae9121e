"""Red-flag staff alerts on PostgreSQL with no wrapping test transaction: the outbox row is
committed with the assessment and its task queued only after that commit; the beat sweep
escalates and re-queues under row locks (two sweeps at once escalate once); the management
command sends what the broker lost; a failed send is retried after its backoff; staff
acknowledge, resolve and re-send in the admin, and two staff taking one alert at once do not
both take it."""

from datetime import UTC, datetime, timedelta
from io import StringIO
from smtplib import SMTPServerDisconnected
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from kombu.exceptions import OperationalError
from rest_framework.test import APIClient

from tests.concurrency import Background, race, until_blocked
from tests.conftest import login_verified
from tests.triage.alerting import EMERGENCY, submit
from triage import tasks
from triage.alerts import alert_acknowledge, alert_escalate_due
from triage.models import AlertDelivery, Assessment, StaffAlert, StaffAlertEvent

pytestmark = [pytest.mark.requires_postgres, pytest.mark.django_db(transaction=True)]
T0 = datetime(2026, 1, 15, 14, 0, tzinfo=UTC)
QUEUE = "/admin/triage/staffalert/"
SEND = "django.core.mail.backends.locmem.EmailBackend.send_messages"


@pytest.fixture
def clock():
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


@pytest.fixture
def responder(alert_setup):
    return alert_setup.responder(alert_setup.north)


def submit_over_api():
    response = APIClient().post(
        "/api/v1/triage/assessments/",
        {"questionnaire": "lumbar-radiculopathy", "answers": EMERGENCY},
        format="json",
    )
    assert response.status_code == 201
    return response


def waiting() -> str:
    return f"[Larkspur Spine & Pain] Critical alert {StaffAlert.objects.get().pk} is waiting"


def deliveries() -> list[tuple[str, str, int]]:
    return list(AlertDelivery.objects.order_by("pk").values_list("purpose", "status", "attempts"))


def events(alert: StaffAlert) -> list[tuple[str, str, str]]:
    return list(
        StaffAlertEvent.objects.filter(alert=alert)
        .order_by("pk")
        .values_list("kind", "from_status", "to_status")
    )


def test_the_delivery_is_queued_after_the_assessment_commits_and_the_sweep_sends_it(
    clock, responder
):
    queued = []

    def enqueue(pk):
        seen = Background(
            lambda: AlertDelivery.objects.filter(pk=pk).values_list("status", flat=True).first()
        )
        queued.append((pk, seen.result()))

    with mock.patch.object(tasks.deliver_alert, "delay", side_effect=enqueue):
        submit_over_api()
    delivery = AlertDelivery.objects.get()
    assert queued == [(delivery.pk, "pending")]
    assert deliveries() == [("initial", "pending", 0)]

    clock.shift(timedelta(seconds=5))
    assert tasks.sweep_alerts.delay().get() == 0  # its own task most likely still queued
    clock.shift(timedelta(seconds=10))
    assert tasks.sweep_alerts.delay().get() == 1
    assert deliveries() == [("initial", "sent", 1)]
    assert [(m.subject, m.to) for m in mail.outbox] == [(waiting(), [responder.email])]


def test_nothing_is_raised_or_queued_when_the_assessment_rolls_back(responder):
    with mock.patch.object(tasks.deliver_alert, "delay") as delay, transaction.atomic():
        submit(None, EMERGENCY)
        transaction.set_rollback(True)  # what a failing surrounding request does
    assert delay.call_count == 0
    assert (Assessment.objects.count(), StaffAlert.objects.count(), deliveries()) == (0, 0, [])


def test_with_the_broker_down_the_command_sends_the_alert_once(responder):
    with mock.patch.object(
        tasks.deliver_alert, "delay", side_effect=OperationalError("Connection refused")
    ):
        submit_over_api()
    assert deliveries() == [("initial", "pending", 0)]
    out = StringIO()
    call_command("send_pending_alerts", stdout=out)
    assert out.getvalue() == (
        "Escalated 0 alert(s). Deliveries: 1 sent, 0 failed and will be retried, "
        "0 failed for good, 0 skipped (busy elsewhere or already done).\n"
    )
    call_command("send_pending_alerts", stdout=StringIO())
    assert deliveries() == [("initial", "sent", 1)]
    assert [(m.subject, m.to) for m in mail.outbox] == [(waiting(), [responder.email])]


def test_a_failed_send_is_retried_by_the_sweep_after_its_backoff(clock, responder):
    with mock.patch(SEND, side_effect=SMTPServerDisconnected("Connection unexpectedly closed")):
        submit_over_api()
    delivery = AlertDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_error) == (
        "pending",
        1,
        "SMTPServerDisconnected: Connection unexpectedly closed",
    )
    assert T0 + timedelta(seconds=5) <= delivery.next_attempt_at <= T0 + timedelta(seconds=10)
    clock.move_to(delivery.next_attempt_at + tasks.SWEEP_GRACE)
    assert tasks.sweep_alerts.delay().get() == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("sent", 2, "")
    assert [m.to for m in mail.outbox] == [[responder.email]]


def test_two_sweeps_at_once_escalate_an_overdue_alert_once(clock, responder, settings):
    settings.ALERT_ESCALATION_EMAILS = ["duty-doctor@clinic.example"]
    alert = submit(None, EMERGENCY).staff_alert
    clock.shift(timedelta(minutes=5))
    race([tasks.sweep_alerts.delay, tasks.sweep_alerts.delay])
    alert.refresh_from_db()
    assert (alert.escalated, alert.escalated_at) == (True, T0 + timedelta(minutes=5))
    assert events(alert) == [("created", "", "new"), ("escalated", "new", "new")]
    assert deliveries() == [("initial", "sent", 1), ("escalation", "sent", 1)]
    assert sorted(m.to[0] for m in mail.outbox) == ["duty-doctor@clinic.example", responder.email]


def test_an_alert_staff_hold_is_skipped_by_the_escalation_sweep(clock, responder, settings):
    settings.ALERT_ESCALATION_EMAILS = ["duty-doctor@clinic.example"]
    alert = submit(None, EMERGENCY).staff_alert
    clock.shift(timedelta(minutes=5))
    with transaction.atomic():
        alert_acknowledge(alert=alert, user=responder)  # still uncommitted, row locked
        assert Background(alert_escalate_due).result() == []
    alert.refresh_from_db()
    assert (alert.status, alert.escalated) == ("acknowledged", False)
    assert alert_escalate_due() == []
    assert events(alert) == [("created", "", "new"), ("acknowledged", "new", "acknowledged")]


def test_staff_acknowledge_resolve_and_resend_in_the_admin(alert_setup, responder, settings):
    settings.ALERT_DELIVERY_MAX_ATTEMPTS = 1
    with mock.patch(SEND, side_effect=SMTPServerDisconnected("Connection unexpectedly closed")):
        submit_over_api()
    alert = StaffAlert.objects.get()
    assert deliveries() == [("initial", "failed", 1)]
    staff = Client()
    login_verified(staff, responder)

    resent = staff.post(f"{QUEUE}{alert.pk}/resend/", follow=True)
    assert "1 failed notification queued again." in resent.content.decode()
    assert deliveries() == [("initial", "sent", 1)]

    acknowledged = staff.post(f"{QUEUE}{alert.pk}/acknowledge/", follow=True)
    assert "1 alert acknowledged." in acknowledged.content.decode()
    resolved = staff.post(
        f"{QUEUE}{alert.pk}/resolve/",
        {"outcome": "sent_to_emergency", "note": "Told to go to the emergency department."},
    )
    assert resolved.status_code == 302
    alert.refresh_from_db()
    assert (alert.status, alert.outcome, alert.note) == (
        "resolved",
        "sent_to_emergency",
        "Told to go to the emergency department.",
    )
    assert (alert.acknowledged_by, alert.resolved_by) == (responder, responder)
    assert events(alert) == [
        ("created", "", "new"),
        ("resend", "new", "new"),
        ("acknowledged", "new", "acknowledged"),
        ("resolved", "acknowledged", "resolved"),
    ]


def test_two_staff_acknowledging_one_alert_at_once_one_takes_it(alert_setup, responder):
    alert = submit(None, EMERGENCY).staff_alert
    colleague = alert_setup.responder(alert_setup.north)
    other = Client()
    login_verified(other, colleague)
    with transaction.atomic():
        alert_acknowledge(alert=alert, user=responder)
        second = Background(
            lambda: other.post(
                QUEUE, {"action": "acknowledge", "_selected_action": [alert.pk]}, follow=True
            )
        )
        until_blocked()
    page = second.result().content.decode()
    assert "1 alert was skipped: it had already been handled." in page
    alert.refresh_from_db()
    assert (alert.status, alert.acknowledged_by) == ("acknowledged", responder)
    assert events(alert) == [("created", "", "new"), ("acknowledged", "new", "acknowledged")]
