"""Alerts nobody acknowledged in time are escalated, once, to the escalation list."""

from datetime import UTC, datetime, timedelta
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from tests.triage.alerting import EMERGENCY, URGENT, submit
from triage import tasks
from triage.alerts import alert_acknowledge, alert_escalate_due
from triage.models import AlertDelivery, StaffAlert

T0 = datetime(2026, 3, 8, 6, 58, tzinfo=UTC)  # the US spring-forward day; stored times are UTC


@pytest.fixture
def escalation(alert_setup, settings):
    settings.ALERT_ESCALATION_EMAILS = ["lead@clinic.example"]
    alert_setup.responder(alert_setup.north, email="nurse@clinic.example")
    return alert_setup


@pytest.mark.parametrize(
    ("given", "minutes"), [(EMERGENCY, 5), (URGENT, 60)], ids=["critical", "high"]
)
def test_an_unacknowledged_alert_escalates_at_its_time_limit_once(
    escalation, given, minutes, django_capture_on_commit_callbacks
):
    with time_machine.travel(T0, tick=False) as clock:
        submit(None, given)
        clock.shift(timedelta(minutes=minutes) - timedelta(seconds=1))
        assert alert_escalate_due() == []
        clock.shift(timedelta(seconds=1))
        with django_capture_on_commit_callbacks(execute=True):
            (escalated,) = alert_escalate_due()
        assert alert_escalate_due() == []

    alert = StaffAlert.objects.get()
    assert escalated == alert
    assert (alert.escalated, alert.escalated_at, alert.status) == (
        True,
        T0 + timedelta(minutes=minutes),
        "new",
    )
    event = alert.events.get(kind="escalated")
    assert (event.from_status, event.to_status, event.note) == (
        "new",
        "new",
        f"Not acknowledged within {minutes} minutes.",
    )
    escalation_row = alert.deliveries.get(purpose="escalation")
    assert (escalation_row.status, escalation_row.recipients) == ("sent", ["lead@clinic.example"])
    assert alert.deliveries.count() == 2
    assert [m.to for m in mail.outbox] == [["lead@clinic.example"]]
    assert mail.outbox[0].subject.startswith("[Larkspur Spine & Pain] Escalated:")
    assert f"{minutes} minutes" in mail.outbox[0].body


def test_an_acknowledged_alert_is_not_escalated(escalation):
    staff = escalation.responder(escalation.north)
    with time_machine.travel(T0, tick=False) as clock:
        submit(None, EMERGENCY)
        clock.shift(timedelta(minutes=4))
        alert_acknowledge(alert=StaffAlert.objects.get(), user=staff)
        clock.shift(timedelta(hours=2))
        assert alert_escalate_due() == []
    assert not AlertDelivery.objects.filter(purpose="escalation").exists()


def test_the_time_limits_are_settings(escalation, settings):
    settings.ALERT_ESCALATE_CRITICAL_MINUTES = 2
    settings.ALERT_ESCALATE_HIGH_MINUTES = 15
    with time_machine.travel(T0, tick=False) as clock:
        submit(None, EMERGENCY)
        submit(None, URGENT)
        clock.shift(timedelta(minutes=2))
        assert [a.severity for a in alert_escalate_due()] == ["critical"]
        clock.shift(timedelta(minutes=13))
        assert [a.severity for a in alert_escalate_due()] == ["high"]


def test_the_minute_sweep_escalates_and_sends(escalation, django_capture_on_commit_callbacks):
    with time_machine.travel(T0, tick=False) as clock:
        submit(None, EMERGENCY)
        clock.shift(timedelta(minutes=6))
        with django_capture_on_commit_callbacks(execute=True):
            # The initial row (never queued here) is due too: the sweep sends both.
            assert tasks.sweep_alerts.apply().get() == 1
    assert sorted(AlertDelivery.objects.values_list("purpose", "status")) == [
        ("escalation", "sent"),
        ("initial", "sent"),
    ]
    assert sorted(m.to[0] for m in mail.outbox) == ["lead@clinic.example", "nurse@clinic.example"]


def test_send_pending_alerts_escalates_and_sends_without_the_broker(
    escalation, django_capture_on_commit_callbacks
):
    with time_machine.travel(T0, tick=False) as clock:
        submit(None, EMERGENCY)
        clock.shift(timedelta(minutes=5))
        with (
            mock.patch.object(tasks.deliver_alert, "delay", side_effect=AssertionError),
            django_capture_on_commit_callbacks(execute=True) as queued,
        ):
            call_command("send_pending_alerts", stdout=mock.Mock())
            call_command("send_pending_alerts", stdout=mock.Mock())
    assert queued == []
    assert StaffAlert.objects.get().escalated
    assert sorted(AlertDelivery.objects.values_list("purpose", "status")) == [
        ("escalation", "sent"),
        ("initial", "sent"),
    ]
    assert len(mail.outbox) == 2
