"""The alert queue in the admin, as staff use it: the list, the alert page, the actions, and who
may see and work which alerts."""

import re
from datetime import UTC, datetime, timedelta
from smtplib import SMTPAuthenticationError
from unittest import mock

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.management import call_command
from django.test import Client

from clinic.models import User
from tests.conftest import login_verified
from tests.factories import StaffFactory
from tests.triage.alerting import EMERGENCY, URGENT, submit
from triage.alerts import alert_acknowledge, alert_delivery_send, alert_resolve
from triage.models import AlertDelivery, StaffAlert
from triage.selectors import ALERT_RESPONDERS_GROUP
from triage.templatetags.triage_admin import open_critical_alert_count

QUEUE = "/admin/triage/staffalert/"
T0 = datetime(2026, 1, 15, 14, 0, tzinfo=UTC)


def page(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def listed(response) -> list[int]:
    """Alert numbers in the order the list shows them."""
    return [
        int(n)
        for n in re.findall(r'<th class="field-alert_number"><a [^>]*>Alert (\d+)', page(response))
    ]


def staff_client(user: User) -> Client:
    client = Client()
    login_verified(client, user)
    return client


@pytest.fixture
def responder(alert_setup):
    return alert_setup.responder(alert_setup.north, first_name="Rita", last_name="Nurse")


@pytest.fixture
def work(responder) -> Client:
    return staff_client(responder)


def alert_for(patient=None, answers=EMERGENCY) -> StaffAlert:
    return submit(patient, answers).staff_alert


def test_the_queue_opens_on_unresolved_alerts_critical_and_newest_first(
    alert_setup, work, responder
):
    with time_machine.travel(T0, tick=False) as clock:
        old_critical = alert_for()
        clock.shift(timedelta(minutes=1))
        high = alert_for(answers=URGENT)
        clock.shift(timedelta(minutes=1))
        resolved = alert_for()
        alert_resolve(alert=resolved, user=responder, outcome="false_alarm", note="Test entry.")
        clock.shift(timedelta(minutes=1))
        new_critical = alert_for()
        clock.shift(timedelta(minutes=90))
        login_verified(work, responder)  # staff sessions end after 15 idle minutes
        response = work.get(QUEUE)
        assert listed(work.get(QUEUE, {"status": "resolved"})) == [resolved.pk]
        assert len(listed(work.get(QUEUE, {"status": "all"}))) == 4
        detail = page(work.get(f"{QUEUE}{new_critical.pk}/change/"))
    assert listed(response) == [new_critical.pk, old_critical.pk, high.pk]
    text = page(response).replace("\xa0", " ")
    assert "1 hour, 30 minutes" in text
    assert "1 hour, 33 minutes" in text
    # Received, in the location's zone, the zone named (clinic.admin_display.staff_time).
    assert f"Jan 15, 2026, 9:03 AM Eastern Time ({new_critical.location.city})" in detail


def test_filters_and_search_by_patient_name_or_phone(alert_setup, work):
    north_patient = alert_setup.patient_of(alert_setup.north, phone="(609) 555-0123")
    north_patient.first_name, north_patient.last_name = "Nora", "Lindqvist"
    north_patient.save()
    north = alert_for(north_patient)
    south = alert_for(alert_setup.patient_of(alert_setup.south), answers=URGENT)
    StaffAlert.objects.filter(pk=south.pk).update(escalated=True, escalated_at=south.created_at)
    superuser = staff_client(StaffFactory(is_superuser=True))

    assert listed(superuser.get(QUEUE, {"severity__exact": "high"})) == [south.pk]
    assert listed(superuser.get(QUEUE, {"location__id__exact": alert_setup.north.pk})) == [north.pk]
    assert listed(superuser.get(QUEUE, {"escalated__exact": "1"})) == [south.pk]
    assert listed(work.get(QUEUE, {"q": "nora lindqvist"})) == [north.pk]
    assert listed(work.get(QUEUE, {"q": "555-0123"})) == [north.pk]
    assert listed(work.get(QUEUE, {"q": "nobody"})) == []


def test_the_alert_page_shows_contact_answers_rules_history_and_deliveries(alert_setup, work):
    patient = alert_setup.patient_of(alert_setup.north, phone="(609) 555-0188")
    alert = alert_for(patient)
    alert_delivery_send(delivery_id=alert.deliveries.get().pk)
    text = page(work.get(f"{QUEUE}{alert.pk}/change/"))
    assert "(609) 555-0188" in text
    assert patient.display_name in text
    # Answers in words: question text and answer label, never bare codes.
    assert (
        '<tr class="triage-red-flag triage-concerning"><th scope="row">Are you unable to walk or '
        "stand because your legs are too weak?</th><td>Yes</td></tr>"
    ) in text
    assert '<tr><th scope="row">How long have you had this pain?</th><td>2 to 6 weeks</td>' in text
    assert "E3 (emergency)" in text
    assert "Unable to walk or stand because of leg weakness." in text
    assert (
        "Back and leg pain symptom check, version 2, judged by rules version 2; answered in "
        "English" in text
    )
    assert "portal.clinic.example/fhir" not in text  # no canonical URL for people to read
    assert "Created" in text  # history
    assert "Sent" in text  # deliveries
    assert alert.deliveries.get().recipients[0] in text
    assert 'name="_save"' not in text  # the form never saves
    assert "Acknowledge" in text
    assert "Resolve…" in text


def test_every_table_heading_of_the_alert_page_and_the_queue_names_its_column(alert_setup, work):
    """No empty heading for the history and notifications tables (axe-core's
    empty-table-header), and the queue's search box has a visible label (label-title-only)."""
    alert = alert_for(alert_setup.patient_of(alert_setup.north))
    text = page(work.get(f"{QUEUE}{alert.pk}/change/"))
    headings = re.findall(r"<th\b[^>]*>(.*?)</th>", text, re.S)
    assert "" not in [re.sub(r"<[^>]+>|\s", "", heading) for heading in headings]
    # Nobody edits them: no add or remove buttons from the admin's inline script either.
    assert "js-inline-admin-formset" not in text
    for inline, fields in (("events", 6), ("deliveries", 8)):
        table = re.search(rf'aria-labelledby="{inline}-heading">.*?</table>', text, re.S)[0]
        assert table.count("<th ") == fields
        assert all(
            row.count("<td") == fields for row in re.findall(r"<tr.*?</tr>", table, re.S)[1:]
        )
    queue = page(work.get(QUEUE))
    label = re.search(r'<label for="searchbar">(.*?)</label>', queue, re.S)[1]
    assert re.sub(r"<[^>]+>", "", label).strip() == "Search"


def test_acknowledge_from_the_queue_and_from_the_alert_page(alert_setup, work, responder):
    first, second = alert_for(), alert_for()
    response = work.post(
        QUEUE, {"action": "acknowledge", "_selected_action": [first.pk]}, follow=True
    )
    assert "1 alert acknowledged." in page(response)
    response = work.post(f"{QUEUE}{second.pk}/acknowledge/", follow=True)
    assert "1 alert acknowledged." in page(response)
    assert set(StaffAlert.objects.values_list("status", "acknowledged_by")) == {
        ("acknowledged", responder.pk)
    }
    response = work.post(
        QUEUE, {"action": "acknowledge", "_selected_action": [first.pk]}, follow=True
    )
    assert "1 alert was skipped: it had already been handled." in page(response)
    assert work.get(f"{QUEUE}{first.pk}/acknowledge/").status_code == 405


def test_resolve_asks_for_an_outcome_and_a_note_then_resolves(alert_setup, work, responder):
    alerts = [alert_for(), alert_for(answers=URGENT)]
    selected = [a.pk for a in alerts]
    form = page(work.post(QUEUE, {"action": "resolve", "_selected_action": selected}))
    assert "Outcome" in form
    assert 'name="note"' in form
    assert StaffAlert.objects.filter(status="resolved").count() == 0

    missing_note = {"action": "resolve", "_selected_action": selected, "apply": "1"}
    again = page(work.post(QUEUE, {**missing_note, "outcome": "reached_patient"}))
    assert "This field is required." in again
    assert StaffAlert.objects.filter(status="resolved").count() == 0

    done = work.post(
        QUEUE,
        {**missing_note, "outcome": "reached_patient", "note": "Spoke with both; seen today."},
        follow=True,
    )
    assert "2 alerts resolved." in page(done)
    assert set(StaffAlert.objects.values_list("status", "outcome", "note", "resolved_by")) == {
        ("resolved", "reached_patient", "Spoke with both; seen today.", responder.pk)
    }


def test_resolve_from_the_alert_page(alert_setup, work):
    alert = alert_for()
    url = f"{QUEUE}{alert.pk}/resolve/"
    assert "Sent to emergency care" in page(work.get(url))
    response = work.post(url, {"outcome": "sent_to_emergency", "note": "Told to go to the ED."})
    assert response.status_code == 302
    assert response["Location"] == f"{QUEUE}{alert.pk}/change/"
    alert.refresh_from_db()
    assert (alert.status, alert.outcome) == ("resolved", "sent_to_emergency")
    assert work.get(url).status_code == 302  # already resolved: back to the alert


def test_failed_notifications_can_be_sent_again(
    alert_setup, work, responder, settings, django_capture_on_commit_callbacks
):
    settings.ALERT_DELIVERY_MAX_ATTEMPTS = 1
    alert = alert_for()
    with mock.patch(
        "django.core.mail.backends.locmem.EmailBackend.send_messages",
        side_effect=SMTPAuthenticationError(535, b"bad credentials"),
    ):
        alert_delivery_send(delivery_id=alert.deliveries.get().pk)
    assert alert.deliveries.get().status == "failed"
    assert "triage-delivery-failed" in page(work.get(QUEUE))
    assert "Re-send failed notifications" in page(work.get(f"{QUEUE}{alert.pk}/change/"))
    with django_capture_on_commit_callbacks(execute=True):
        response = work.post(f"{QUEUE}{alert.pk}/resend/", follow=True)
    assert "1 failed notification queued again." in page(response)
    assert alert.deliveries.get().status == "sent"
    assert [m.to for m in mail.outbox] == [[responder.email]]


def test_staff_without_the_permission_cannot_see_alerts(alert_setup):
    alert = alert_for()
    outsider = StaffFactory()
    outsider.served_locations.set([alert_setup.north])
    client = staff_client(outsider)
    assert client.get(QUEUE).status_code == 403
    assert client.get(f"{QUEUE}{alert.pk}/change/").status_code == 403
    assert client.post(f"{QUEUE}{alert.pk}/acknowledge/").status_code == 403
    assert "open critical alert" not in page(client.get("/admin/"))


def test_staff_who_may_only_view_cannot_work_alerts(alert_setup):
    alert = alert_for()
    viewer = StaffFactory()
    viewer.served_locations.set([alert_setup.north])
    viewer.user_permissions.add(Permission.objects.get(codename="view_staffalert"))
    client = staff_client(viewer)
    text = page(client.get(QUEUE))
    assert f"Alert {alert.pk}" in text
    assert 'name="action"' not in text
    detail = page(client.get(f"{QUEUE}{alert.pk}/change/"))
    assert "Resolve…" not in detail
    assert client.post(f"{QUEUE}{alert.pk}/acknowledge/").status_code == 403
    assert client.post(f"{QUEUE}{alert.pk}/resolve/", {"outcome": "other"}).status_code == 403
    client.post(QUEUE, {"action": "acknowledge", "_selected_action": [alert.pk]})
    assert StaffAlert.objects.get().status == "new"


def test_staff_see_and_work_only_the_alerts_of_the_locations_they_serve(alert_setup):
    north = alert_for(alert_setup.patient_of(alert_setup.north))
    south = alert_for(alert_setup.patient_of(alert_setup.south))
    client = staff_client(alert_setup.responder(alert_setup.south))
    assert listed(client.get(QUEUE)) == [south.pk]
    assert client.get(f"{QUEUE}{north.pk}/change/").status_code == 302  # "does not exist"
    assert client.post(f"{QUEUE}{north.pk}/acknowledge/").status_code == 404
    client.post(QUEUE, {"action": "acknowledge", "_selected_action": [north.pk, south.pk]})
    assert dict(StaffAlert.objects.values_list("pk", "status")) == {
        north.pk: "new",
        south.pk: "acknowledged",
    }
    superuser = staff_client(StaffFactory(is_superuser=True))
    assert sorted(listed(superuser.get(QUEUE))) == sorted([north.pk, south.pk])


def test_the_admin_index_shows_the_open_critical_count_with_one_query(
    alert_setup, responder, work, django_assert_num_queries
):
    alert_for()
    second = alert_for()
    alert_for(answers=URGENT)
    alert_for(alert_setup.patient_of(alert_setup.south))  # another location's
    alert_acknowledge(alert=second, user=responder)
    assert "2 open critical alerts" in page(work.get("/admin/"))
    superuser = StaffFactory(is_superuser=True)
    request = type("Request", (), {"user": superuser})()
    with django_assert_num_queries(1):
        assert open_critical_alert_count({"request": request}) == 3


def test_the_demo_staff_account_is_an_alert_responder_at_both_locations(db, settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    staff = User.objects.get(email="staff@example.com")
    assert list(staff.groups.filter(name=ALERT_RESPONDERS_GROUP).values_list("name", flat=True))
    assert staff.has_perm("triage.view_staffalert")
    assert staff.has_perm("triage.change_staffalert")
    assert staff.has_perm("triage.change_followup")  # the "soon" worklist too
    assert sorted(staff.served_locations.values_list("slug", flat=True)) == [
        "houston-tx",
        "lawrenceville-nj",
    ]
    assert AlertDelivery.objects.count() == 0


def test_the_queue_costs_the_same_queries_for_few_or_many_alerts(alert_setup, work):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(2):
        alert_for(alert_setup.patient_of(alert_setup.north))
    page(work.get(QUEUE))  # the session's first request does its own bookkeeping
    with CaptureQueriesContext(connection) as few:
        page(work.get(QUEUE))
    for _ in range(6):
        alert_for(alert_setup.patient_of(alert_setup.north))
    with CaptureQueriesContext(connection) as many:
        assert len(listed(work.get(QUEUE))) == 8
    assert len(many) == len(few)
