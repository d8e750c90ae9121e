"""The kernel's outbox loop on PostgreSQL with no wrapping test transaction: a row another
sender holds is skipped (not sent twice) and sent once afterwards, a task queued on commit is
queued only after the commit and never for a rolled-back row, and two sweeps at once send each
due row of both outboxes once."""

from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.db import transaction

from clinic import outbox
from scheduling.models import Notification
from scheduling.notifications import OUTBOX_LABEL as NOTIFICATIONS
from tests.clinic.outboxes import NOW
from tests.concurrency import Background, race
from triage.alerts import OUTBOX_LABEL as ALERTS
from triage.models import AlertDelivery

pytestmark = [pytest.mark.requires_postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.mark.parametrize("label", [ALERTS, NOTIFICATIONS])
def test_a_row_held_by_another_sender_is_skipped_then_sent_once(pending, label):
    model = AlertDelivery if label == ALERTS else Notification
    row = pending.delivery if label == ALERTS else pending.booked
    with transaction.atomic():
        model.objects.select_for_update().get(pk=row.pk)  # the first sender's lock
        result = Background(lambda: outbox.outbox_send(label=label, row_id=row.pk)).result()
        assert result.outcome == "skipped"
    assert outbox.outbox_send(label=label, row_id=row.pk).outcome == "sent"
    assert outbox.outbox_send(label=label, row_id=row.pk).outcome == "skipped"
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("sent", 1)
    assert len(mail.outbox) == 1


def test_a_task_is_queued_only_after_the_commit_and_never_for_a_rollback(pending):
    with mock.patch("clinic.outbox.task_enqueue") as enqueue:
        with transaction.atomic():
            outbox.task_enqueue_on_commit("scheduling.tasks.send_notification", pending.booked.pk)
            assert enqueue.call_count == 0
        assert [c.args for c in enqueue.call_args_list] == [
            ("scheduling.tasks.send_notification", pending.booked.pk)
        ]
        with transaction.atomic():
            outbox.task_enqueue_on_commit("triage.tasks.deliver_alert", pending.delivery.pk)
            transaction.set_rollback(True)
        assert enqueue.call_count == 1


def test_two_sweeps_at_once_send_each_due_row_of_both_outboxes_once(pending, frozen):
    frozen.shift(30)
    race([outbox.outbox_sweep, outbox.outbox_sweep])
    assert sorted(AlertDelivery.objects.values_list("status", "attempts")) == [("sent", 1)]
    assert sorted(Notification.objects.values_list("kind", "status", "attempts")) == [
        ("booked", "sent", 1),
        ("reminder", "pending", 0),
    ]
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [pending.responder_email, pending.patient_email]
    )


def test_a_patient_message_is_queued_per_channel_after_the_commit_only(pending):
    from clinic.messages import MessageKind, message_kind_register, patient_message_queue
    from clinic.models import PatientMessage

    message_kind_register(
        MessageKind(name="test.note", email=lambda c: ("Note", "Hello"), sms=lambda c: "Hello")
    )
    profile = pending.booked.appointment.patient.patient_profile
    profile.phone, profile.sms_opt_in = "+16095550177", True
    profile.save()
    patient_id = profile.user_id
    with mock.patch("clinic.outbox.task_enqueue") as enqueue:
        with transaction.atomic():
            patient_message_queue(patient_id=patient_id, kind="test.note", context={})
            transaction.set_rollback(True)
        assert (enqueue.call_count, PatientMessage.objects.count()) == (0, 0)
        with transaction.atomic():
            rows = patient_message_queue(patient_id=patient_id, kind="test.note", context={})
            assert enqueue.call_count == 0
    assert [r.channel for r in rows] == ["email", "sms"]
    assert [c.args for c in enqueue.call_args_list] == [
        ("clinic.tasks.send_patient_message", row.pk) for row in rows
    ]
