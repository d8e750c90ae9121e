"""Staff working an alert: acknowledge, resolve with an outcome and a note; every change is kept
in the alert's history."""

import pytest

from tests.triage.alerting import EMERGENCY, submit
from triage.alerts import alert_acknowledge, alert_resolve
from triage.errors import AlertAlreadyHandled, InvalidAlertResolution
from triage.models import StaffAlert


@pytest.fixture
def alert(alert_setup):
    submit(None, EMERGENCY)
    return StaffAlert.objects.get()


@pytest.fixture
def staff(alert_setup):
    return alert_setup.responder(alert_setup.north)


def history(alert) -> list[tuple]:
    return list(alert.events.values_list("kind", "actor", "from_status", "to_status", "note"))


def test_acknowledging_takes_the_alert_on_once(alert, staff, alert_setup):
    acknowledged = alert_acknowledge(alert=alert, user=staff)
    assert (acknowledged.status, acknowledged.acknowledged_by) == ("acknowledged", staff)
    assert acknowledged.acknowledged_at is not None
    colleague = alert_setup.responder(alert_setup.north)
    with pytest.raises(AlertAlreadyHandled):
        alert_acknowledge(alert=alert, user=colleague)
    assert StaffAlert.objects.get().acknowledged_by == staff
    assert history(alert) == [
        ("created", None, "", "new", ""),
        ("acknowledged", staff.pk, "new", "acknowledged", ""),
    ]


def test_resolving_records_the_outcome_and_the_note(alert, staff):
    alert_acknowledge(alert=alert, user=staff)
    resolved = alert_resolve(
        alert=alert,
        user=staff,
        outcome="sent_to_emergency",
        note="  Advised ED; daughter driving.  ",
    )
    stored = StaffAlert.objects.get()
    assert (stored.status, stored.outcome, stored.note, stored.resolved_by) == (
        "resolved",
        "sent_to_emergency",
        "Advised ED; daughter driving.",
        staff,
    )
    assert stored.resolved_at == resolved.resolved_at
    assert history(alert)[-1] == (
        "resolved",
        staff.pk,
        "acknowledged",
        "resolved",
        "Advised ED; daughter driving.",
    )
    with pytest.raises(AlertAlreadyHandled):
        alert_resolve(alert=alert, user=staff, outcome="other", note="again")


def test_resolving_a_new_alert_counts_as_acknowledging_it(alert, staff):
    alert_resolve(alert=alert, user=staff, outcome="no_answer", note="Two calls, voicemail left.")
    stored = StaffAlert.objects.get()
    assert (stored.acknowledged_by, stored.acknowledged_at) == (staff, stored.resolved_at)
    assert history(alert)[-1][:4] == ("resolved", staff.pk, "new", "resolved")


@pytest.mark.parametrize(
    ("outcome", "note", "field"),
    [("", "called", "outcome"), ("cured", "called", "outcome"), ("other", "   ", "note")],
)
def test_resolving_needs_a_known_outcome_and_a_note(alert, staff, outcome, note, field):
    with pytest.raises(InvalidAlertResolution) as caught:
        alert_resolve(alert=alert, user=staff, outcome=outcome, note=note)
    assert caught.value.field == field
    assert StaffAlert.objects.get().status == "new"
    assert len(history(alert)) == 1


def test_an_alert_names_itself_without_health_details(alert):
    assert str(alert) == f"Alert {alert.pk}"
