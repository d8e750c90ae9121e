"""The anonymous-alert writes on PostgreSQL outside a wrapping test transaction, as deployed:
the flood guard's locked update of the open alert, the claim's locked assessments, the contact
number's on-commit notice and the follow-up's constraint."""

import threading
from unittest import mock

import pytest
from django.db import IntegrityError, connection, transaction
from django.test import Client

from tests.concurrency import race
from tests.factories import PatientFactory, StaffFactory
from tests.triage.alerting import SOON, submit
from tests.triage.test_anonymous_alerts import BLADDER_NEW, log_in, web_emergency
from triage import tasks
from triage.alerts import alert_acknowledge, alert_contact_add
from triage.errors import FollowUpAlreadyDone
from triage.follow_ups import follow_up_complete
from triage.models import AlertDelivery, FollowUp, FollowUpOutcome, FollowUpStatus, StaffAlert
from triage.services import assessment_submit

pytestmark = [pytest.mark.requires_postgres, pytest.mark.django_db(transaction=True)]


def _anonymous_emergency(address: str) -> None:
    try:
        assessment_submit(
            questionnaire_slug="lumbar-radiculopathy",
            answers=BLADDER_NEW,
            access=mock.Mock(ip=address, recorded=set(), actor_id=None, channel="api",
                             request_id=""),
        )  # fmt: skip
    finally:
        connection.close()


def test_repeats_from_one_address_are_counted_in_the_open_alert_once_each(alert_setup):
    with mock.patch.object(tasks.deliver_alert, "delay") as enqueued:
        _anonymous_emergency("198.51.100.4")
        threads = [
            threading.Thread(target=_anonymous_emergency, args=("198.51.100.4",)) for _ in range(4)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(20)
    alert = StaffAlert.objects.get()
    assert alert.submissions == 5
    assert alert.repeat_assessments.count() == 4
    assert enqueued.call_count == 1  # paged once, after the first commit


def test_a_claim_and_a_contact_number_commit_with_their_history(alert_setup):
    client = Client()
    with mock.patch.object(tasks.deliver_alert, "delay") as enqueued:
        assessment = web_emergency(client)
        alert = StaffAlert.objects.get()
        alert_acknowledge(alert=alert, user=StaffFactory())
        alert_contact_add(assessment=assessment, phone="+16095550182")
        assert enqueued.call_count == 2  # the initial notice and the "number arrived" one
    assert list(AlertDelivery.objects.values_list("purpose", flat=True).order_by("pk")) == [
        "initial",
        "contact",
    ]
    patient = PatientFactory()
    log_in(client, patient)
    alert.refresh_from_db()
    assert alert.patient == patient
    assert [e.kind for e in alert.events.order_by("pk")] == [
        "created", "acknowledged", "contact_added", "claimed"
    ]  # fmt: skip


def test_a_follow_up_cannot_be_done_without_an_outcome(alert_setup):
    submit(PatientFactory(), SOON)
    follow_up = FollowUp.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        FollowUp.objects.filter(pk=follow_up.pk).update(status=FollowUpStatus.DONE)


def test_two_staff_closing_one_follow_up_at_once_one_closes_it_the_other_is_told(alert_setup):
    submit(PatientFactory(), SOON)
    follow_up = FollowUp.objects.get()
    first, second = StaffFactory(), StaffFactory()

    outcomes = race(
        [
            lambda: follow_up_complete(
                follow_up=follow_up, user=first, outcome=FollowUpOutcome.BOOKED
            ),
            lambda: follow_up_complete(
                follow_up=follow_up, user=second, outcome=FollowUpOutcome.NO_ANSWER
            ),
        ]
    )

    errors = [o for o in outcomes if isinstance(o, Exception)]
    assert len(errors) == 1
    assert isinstance(errors[0], FollowUpAlreadyDone)
    winner = 0 if errors[0] is outcomes[1] else 1
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUpStatus.DONE
    assert follow_up.done_by == (first, second)[winner]
    assert follow_up.outcome == (FollowUpOutcome.BOOKED, FollowUpOutcome.NO_ANSWER)[winner]
