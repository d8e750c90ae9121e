"""The kernel's one outbox loop (``clinic.outbox``) as both outboxes use it: a row sent twice is
sent once, a failure counts an attempt and waits the backoff, the one sweep queues the due rows
of every outbox by task name, and one command sends everything due without a broker."""

from datetime import timedelta
from io import StringIO
from smtplib import SMTPServerDisconnected
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from clinic import outbox
from clinic.tasks import sweep_outboxes
from config.celery import app as celery_app
from scheduling.notifications import OUTBOX_LABEL as NOTIFICATIONS
from tests.clinic.outboxes import NOW
from triage.alerts import OUTBOX_LABEL as ALERTS

PATIENT = "clinic.patientmessage"
SEND = "django.core.mail.backends.locmem.EmailBackend.send_messages"


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def statuses(pending) -> list[tuple[str, int]]:
    rows = [pending.delivery, pending.booked, pending.reminder]
    for row in rows:
        row.refresh_from_db()
    return [(row.status, row.attempts) for row in rows]


def test_both_outboxes_are_registered_with_their_task_names(pending):
    assert {box.label: box.task for box in outbox.outboxes()} == {
        "clinic.patientmessage": "clinic.tasks.send_patient_message",
        ALERTS: "triage.tasks.deliver_alert",
        NOTIFICATIONS: "scheduling.tasks.send_notification",
    }


@pytest.mark.parametrize("label", [ALERTS, NOTIFICATIONS])
def test_a_row_sent_twice_is_sent_once(pending, label):
    row = pending.delivery if label == ALERTS else pending.booked
    first = outbox.outbox_send(label=label, row_id=row.pk)
    second = outbox.outbox_send(label=label, row_id=row.pk)
    assert (first.outcome, second.outcome) == ("sent", "skipped")
    row.refresh_from_db()
    assert (row.status, row.attempts, row.sent_at, row.last_error) == ("sent", 1, NOW, "")
    (message,) = mail.outbox
    expected = pending.responder_email if label == ALERTS else pending.patient_email
    assert message.to == [expected]


@pytest.mark.parametrize(
    ("label", "base", "cap"),
    [
        (ALERTS, timedelta(seconds=10), timedelta(minutes=10)),
        (NOTIFICATIONS, timedelta(minutes=2), timedelta(minutes=30)),
    ],
)
def test_a_failure_counts_an_attempt_and_waits_the_backoff(pending, frozen, label, base, cap):
    row = pending.delivery if label == ALERTS else pending.booked
    with mock.patch(SEND, side_effect=SMTPServerDisconnected("Connection unexpectedly closed")):
        result = outbox.outbox_send(label=label, row_id=row.pk)
        row.refresh_from_db()
        assert (result.outcome, row.status, row.attempts) == ("retry", "pending", 1)
        assert row.next_attempt_at == NOW + timedelta(seconds=result.retry_in)
        assert base / 2 <= row.next_attempt_at - NOW <= base  # half of it jitter
        assert row.last_error == "SMTPServerDisconnected: Connection unexpectedly closed"
        assert outbox.outbox_send(label=label, row_id=row.pk).outcome == "skipped"  # not due
        frozen.move_to(row.next_attempt_at)
        assert outbox.outbox_send(label=label, row_id=row.pk).outcome == "retry"
        row.refresh_from_db()
        assert row.attempts == 2
        assert base <= row.next_attempt_at - (NOW + timedelta(seconds=result.retry_in)) <= 2 * base
    assert cap == outbox.outbox_get(label).retry_cap
    assert mail.outbox == []


def test_the_backoff_doubles_per_failure_up_to_the_cap_then_the_row_fails(
    pending, frozen, settings
):
    settings.SCHEDULING_NOTIFICATION_MAX_ATTEMPTS = 6
    row = pending.booked
    waits = []
    with (
        mock.patch(SEND, side_effect=ConnectionRefusedError("smtp down")),
        mock.patch("clinic.outbox.random.random", return_value=1.0),
    ):
        for _attempt in range(5):
            failed_at = row.next_attempt_at
            frozen.move_to(failed_at)
            assert outbox.outbox_send(label=NOTIFICATIONS, row_id=row.pk).outcome == "retry"
            row.refresh_from_db()
            waits.append(row.next_attempt_at - failed_at)
        frozen.move_to(row.next_attempt_at)
        assert outbox.outbox_send(label=NOTIFICATIONS, row_id=row.pk).outcome == "failed"
    assert [w.total_seconds() / 60 for w in waits] == [2, 4, 8, 16, 30]
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("failed", 6)


def test_the_one_sweep_queues_the_due_rows_of_both_outboxes_by_name(pending, frozen):
    assert statuses(pending) == [("pending", 0), ("pending", 0), ("pending", 0)]
    frozen.shift(timedelta(seconds=10))  # past the alerts' grace for a task still queued
    with mock.patch("clinic.outbox.task_enqueue") as enqueue:
        assert sweep_outboxes.apply().get() == {PATIENT: 0, ALERTS: 1, NOTIFICATIONS: 1}
    assert sorted(call.args for call in enqueue.call_args_list) == [
        ("scheduling.tasks.send_notification", pending.booked.pk),
        ("triage.tasks.deliver_alert", pending.delivery.pk),
    ]
    assert sweep_outboxes.apply().get() == {
        PATIENT: 0,
        ALERTS: 1,
        NOTIFICATIONS: 1,
    }  # eager: sent now
    assert statuses(pending) == [("sent", 1), ("sent", 1), ("pending", 0)]
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [pending.responder_email, pending.patient_email]
    )
    assert sweep_outboxes.apply().get() == {PATIENT: 0, ALERTS: 0, NOTIFICATIONS: 0}


def test_one_command_sends_everything_due_without_a_broker(pending):
    out = StringIO()
    call_command("send_pending_outbox", stdout=out)
    assert out.getvalue() == (
        f"{PATIENT}: 0 sent, 0 failed and will be retried, 0 failed for good, 0 skipped.\n"
        f"{ALERTS}: 1 sent, 0 failed and will be retried, 0 failed for good, 0 skipped.\n"
        f"{NOTIFICATIONS}: 1 sent, 0 failed and will be retried, 0 failed for good, 0 skipped.\n"
    )
    assert statuses(pending) == [("sent", 1), ("sent", 1), ("pending", 0)]
    out = StringIO()
    call_command("send_pending_outbox", stdout=out)
    assert out.getvalue().count(": 0 sent,") == 3
    assert len(mail.outbox) == 2


def test_without_a_broker_a_task_named_is_run_in_process(pending, settings):
    outbox.task_enqueue("scheduling.tasks.send_notification", pending.booked.pk)
    assert statuses(pending)[1] == ("sent", 1)


def test_with_a_broker_a_task_is_sent_by_name_without_importing_it(pending):
    saved = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    try:
        with mock.patch.object(celery_app, "send_task") as send_task:
            outbox.task_enqueue("triage.tasks.deliver_alert", pending.delivery.pk)
    finally:
        celery_app.conf.task_always_eager = saved
    send_task.assert_called_once_with("triage.tasks.deliver_alert", args=(pending.delivery.pk,))
    assert statuses(pending)[0] == ("pending", 0)
