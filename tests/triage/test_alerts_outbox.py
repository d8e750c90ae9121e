"""A red-flag assessment raises a staff alert and its outbox rows in the same transaction; the
rows are delivered after commit by the task, the sweeper or ``send_pending_alerts``, whatever
the broker and the mail server are doing."""

from datetime import UTC, datetime, timedelta
from smtplib import SMTPServerDisconnected
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import DatabaseError
from django.utils import timezone
from kombu.exceptions import OperationalError

from tests.triage.alerting import EMERGENCY, SOON, URGENT, submit
from tests.triage.vignettes import answers
from triage import tasks
from triage.alerts import (
    RETRY_MAX_SECONDS,
    alert_delivery_requeue,
    alert_delivery_send,
    retry_delay,
)
from triage.channels import Channel
from triage.models import (
    AlertDelivery,
    Assessment,
    AssessmentDraft,
    StaffAlert,
    StaffAlertEvent,
)
from triage.selectors import questionnaire_published
from triage.services import assessment_draft_save

FAILING_BACKEND = "django.core.mail.backends.locmem.EmailBackend.send_messages"
T0 = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)


def only_delivery() -> AlertDelivery:
    return AlertDelivery.objects.get()


def test_an_emergency_raises_a_critical_alert_and_a_pending_delivery(alert_setup):
    patient = alert_setup.patient_of(alert_setup.south, phone="(713) 555-0142")
    assessment = submit(patient, EMERGENCY)

    alert = StaffAlert.objects.get()
    assert (alert.assessment, alert.patient, alert.location) == (
        assessment,
        patient,
        alert_setup.south,
    )
    assert (alert.severity, alert.status, alert.escalated) == ("critical", "new", False)
    assert alert.summary == (
        "E3 (emergency): Unable to walk or stand because of leg weakness.\n"
        "Contact phone: (713) 555-0142"
    )
    event = StaffAlertEvent.objects.get()
    assert (event.kind, event.actor, event.from_status, event.to_status) == (
        "created",
        None,
        "",
        "new",
    )
    delivery = only_delivery()
    assert (delivery.channel, delivery.purpose, delivery.status, delivery.attempts) == (
        "email",
        "initial",
        "pending",
        0,
    )
    assert mail.outbox == []  # nothing is sent before the transaction commits


@pytest.mark.parametrize(
    ("given", "severity"), [(EMERGENCY, "critical"), (URGENT, "high"), (SOON, None)]
)
def test_only_urgent_and_emergency_checks_raise_an_alert(alert_setup, given, severity):
    submit(None, given)
    assert list(StaffAlert.objects.values_list("severity", flat=True)) == (
        [severity] if severity else []
    )
    assert AlertDelivery.objects.count() == (1 if severity else 0)


def test_an_anonymous_check_routes_to_the_default_location_and_says_there_is_no_contact(
    alert_setup,
):
    submit(None, URGENT)
    alert = StaffAlert.objects.get()
    assert alert.location == alert_setup.north
    assert alert.summary.endswith(
        "Anonymous check: no account. A phone number the visitor leaves is under Contact."
    )


def test_an_inactive_preferred_location_routes_to_the_default(alert_setup):
    alert_setup.south.is_active = False
    alert_setup.south.save()
    submit(alert_setup.patient_of(alert_setup.south, phone=""), EMERGENCY)
    alert = StaffAlert.objects.get()
    assert alert.location == alert_setup.north
    assert alert.summary.endswith("No contact phone on file.")


def test_the_alert_and_its_outbox_roll_back_with_the_assessment(alert_setup):
    patient = alert_setup.patient_of(alert_setup.north)
    assessment_draft_save(
        patient=patient,
        questionnaire=questionnaire_published(slug="lumbar-radiculopathy"),
        answers={"age": 40},
    )
    with (
        mock.patch.object(
            AlertDelivery.objects, "bulk_create", side_effect=DatabaseError("disk full")
        ),
        pytest.raises(DatabaseError),
    ):
        submit(patient, EMERGENCY)
    assert not Assessment.objects.exists()
    assert not StaffAlert.objects.exists()
    assert not StaffAlertEvent.objects.exists()
    assert not AlertDelivery.objects.exists()
    assert AssessmentDraft.objects.filter(patient=patient).exists()


def test_after_commit_the_task_delivers_the_alert(alert_setup, django_capture_on_commit_callbacks):
    responder = alert_setup.responder(alert_setup.north)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        submit(alert_setup.patient_of(alert_setup.north), EMERGENCY)
    assert len(callbacks) == 1
    delivery = only_delivery()
    assert (delivery.status, delivery.attempts, delivery.recipients) == (
        "sent",
        1,
        [responder.email],
    )
    assert delivery.sent_at is not None
    assert [m.to for m in mail.outbox] == [[responder.email]]


@pytest.mark.django_db(transaction=True)
def test_with_the_broker_down_the_patient_gets_the_result_and_the_alert_waits(
    alert_setup, api_client, caplog
):
    responder = alert_setup.responder(alert_setup.north)
    with mock.patch.object(
        tasks.deliver_alert, "delay", side_effect=OperationalError("Connection refused")
    ) as delay:
        response = api_client.post(
            "/api/v1/triage/assessments/",
            {"questionnaire": "lumbar-radiculopathy", "answers": EMERGENCY},
            format="json",
        )
    assert delay.call_count == 1
    assert response.status_code == 201
    assert response.json()["next_step"]["code"] == "emergency_department"
    assert Assessment.objects.get().urgency == "emergency"
    delivery = only_delivery()
    assert (delivery.status, delivery.attempts) == ("pending", 0)
    assert "Connection refused" in caplog.text
    assert mail.outbox == []

    call_command("send_pending_alerts", stdout=(out := _Out()))
    delivery.refresh_from_db()
    assert delivery.status == "sent"
    assert [m.to for m in mail.outbox] == [[responder.email]]
    assert "1 sent" in out.text

    call_command("send_pending_alerts", stdout=(out := _Out()))
    assert len(mail.outbox) == 1
    assert "0 sent" in out.text


class _Out:
    def __init__(self) -> None:
        self.text = ""

    def write(self, text: str) -> None:
        self.text += text


def test_the_task_run_twice_sends_one_email(alert_setup):
    alert_setup.responder(alert_setup.north)
    submit(None, EMERGENCY)
    delivery = only_delivery()
    assert tasks.deliver_alert.apply(args=[delivery.pk]).get() == "sent"
    assert tasks.deliver_alert.apply(args=[delivery.pk]).get() == "skipped"
    assert len(mail.outbox) == 1
    delivery.refresh_from_db()
    assert delivery.attempts == 1


@pytest.mark.parametrize(
    "error", [SMTPServerDisconnected("Connection unexpectedly closed"), ConnectionRefusedError(111)]
)
def test_a_failing_mail_server_is_retried_with_backoff_then_the_delivery_fails(
    alert_setup, settings, error
):
    settings.ALERT_DELIVERY_MAX_ATTEMPTS = 4
    alert_setup.responder(alert_setup.north)
    with time_machine.travel(T0, tick=False) as clock:
        submit(None, EMERGENCY)
        delivery = only_delivery()
        with mock.patch(FAILING_BACKEND, side_effect=error):
            for attempt in (1, 2, 3):
                result = alert_delivery_send(delivery_id=delivery.pk)
                delivery.refresh_from_db()
                ceiling = 10 * 2 ** (attempt - 1)
                assert result.outcome == "retry"
                assert ceiling / 2 <= result.retry_in <= ceiling
                assert (delivery.status, delivery.attempts) == ("pending", attempt)
                assert delivery.next_attempt_at == timezone.now() + timedelta(
                    seconds=result.retry_in
                )
                assert delivery.last_error.startswith(type(error).__name__)
                # Not due yet: a duplicate task does nothing.
                assert alert_delivery_send(delivery_id=delivery.pk).outcome == "skipped"
                clock.move_to(delivery.next_attempt_at)
            assert alert_delivery_send(delivery_id=delivery.pk).outcome == "failed"
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("failed", 4)
    assert alert_delivery_send(delivery_id=delivery.pk, force=True).outcome == "skipped"
    assert mail.outbox == []


def test_the_task_retries_a_failed_attempt_with_a_countdown(alert_setup):
    alert_setup.responder(alert_setup.north)
    submit(None, EMERGENCY)
    delivery = only_delivery()
    with (
        mock.patch(FAILING_BACKEND, side_effect=SMTPServerDisconnected("gone")),
        mock.patch.object(tasks.deliver_alert, "retry", wraps=tasks.deliver_alert.retry) as retry,
    ):
        tasks.deliver_alert.delay(delivery.pk)
    countdown = retry.call_args.kwargs["countdown"]
    assert 5 <= countdown <= 10
    delivery.refresh_from_db()
    # Run eagerly, the retry comes at once, finds the row not yet due and leaves it.
    assert (delivery.status, delivery.attempts) == ("pending", 1)


def test_backoff_grows_exponentially_with_jitter_and_stays_far_below_the_visibility_timeout():
    for attempts in range(1, 15):
        ceiling = min(RETRY_MAX_SECONDS, 10 * 2 ** (attempts - 1))
        delays = {retry_delay(attempts) for _ in range(20)}
        assert all(ceiling / 2 <= d <= ceiling for d in delays)
        assert len(delays) > 1
    assert RETRY_MAX_SECONDS * 6 <= 3600


def test_nobody_to_send_to_is_a_visible_failure_that_is_retried(alert_setup):
    submit(None, EMERGENCY)
    delivery = only_delivery()
    assert alert_delivery_send(delivery_id=delivery.pk).outcome == "retry"
    delivery.refresh_from_db()
    assert delivery.last_error.startswith("LookupError: nobody to send to")
    responder = alert_setup.responder(alert_setup.north)
    assert alert_delivery_send(delivery_id=delivery.pk, force=True).outcome == "sent"
    assert [m.to for m in mail.outbox] == [[responder.email]]


def test_the_sweeper_queues_due_pending_rows_but_not_fresh_ones(alert_setup):
    alert_setup.responder(alert_setup.north)
    with time_machine.travel(T0, tick=False) as clock:
        submit(None, EMERGENCY)
        with mock.patch.object(tasks.deliver_alert, "delay") as delay:
            assert tasks.sweep_alerts.apply().get() == 0
        delay.assert_not_called()
        clock.shift(timedelta(seconds=11))
        assert tasks.sweep_alerts.apply().get() == 1
    assert only_delivery().status == "sent"
    assert len(mail.outbox) == 1


def test_failed_deliveries_are_queued_again_with_a_fresh_budget(
    alert_setup, settings, django_capture_on_commit_callbacks
):
    settings.ALERT_DELIVERY_MAX_ATTEMPTS = 1
    alert_setup.responder(alert_setup.north)
    staff = alert_setup.responder(alert_setup.north)
    submit(None, EMERGENCY)
    delivery = only_delivery()
    with mock.patch(FAILING_BACKEND, side_effect=ConnectionResetError("reset")):
        assert alert_delivery_send(delivery_id=delivery.pk).outcome == "failed"
    alert = StaffAlert.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        assert alert_delivery_requeue(alert=alert, user=staff) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("sent", 1)
    assert len(mail.outbox) == 1
    event = alert.events.get(kind="resend")
    assert (event.actor, event.note) == (staff, "email (initial)")
    assert alert_delivery_requeue(alert=alert, user=staff) == 0


@pytest.fixture
def pager_channel():
    """A second channel, as an SMS or pager integration would add it: one class."""
    sent = []

    class PagerChannel(Channel):
        name = "test-pager"

        def recipients(self, *, alert, purpose):
            return ["pager-group-7"]

        def send(self, *, alert, purpose, recipients):
            sent.append((alert.pk, purpose, recipients))

    yield sent
    Channel.registry.pop("test-pager")


def test_another_channel_is_one_class_and_a_setting(
    alert_setup, settings, pager_channel, django_capture_on_commit_callbacks
):
    settings.ALERT_CHANNELS = ["email", "test-pager"]
    alert_setup.responder(alert_setup.north)
    with (
        mock.patch(FAILING_BACKEND, side_effect=SMTPServerDisconnected("down")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        submit(None, URGENT)
    alert = StaffAlert.objects.get()
    states = dict(alert.deliveries.values_list("channel", "status"))
    assert states == {"email": "pending", "test-pager": "sent"}
    assert pager_channel == [(alert.pk, "initial", ["pager-group-7"])]


def test_an_unknown_channel_does_not_block_the_patient_and_fails_visibly(alert_setup, settings):
    settings.ALERT_CHANNELS = ["carrier-pigeon"]
    assessment = submit(None, answers(ces_saddle=True, ces_onset="new"))
    assert assessment.urgency == "emergency"
    delivery = only_delivery()
    assert alert_delivery_send(delivery_id=delivery.pk).outcome == "retry"
    delivery.refresh_from_db()
    assert delivery.last_error == "ImproperlyConfigured: Unknown alert channel 'carrier-pigeon'"
