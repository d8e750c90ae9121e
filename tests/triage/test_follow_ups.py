"""The follow-up worklist of "soon" results, as staff work it in the admin."""

from datetime import UTC, date, datetime, time

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.test import Client

from tests.conftest import login_verified
from tests.scheduling.factories import demo_type, working_physician
from tests.scheduling.helpers import book
from tests.triage.alerting import EMERGENCY, SOON, URGENT, submit
from tests.triage.test_web import complete, main_text
from tests.triage.vignettes import answers
from triage.errors import FollowUpAlreadyDone, InvalidFollowUpOutcome
from triage.follow_ups import follow_up_complete
from triage.models import FollowUp

WORKLIST = "/admin/triage/followup/"


@pytest.fixture
def follow_up_staff(alert_setup):
    """A responder at the north location with the worklist permissions the migration gives."""

    def make(*locations):
        user = alert_setup.responder(*locations)
        user.user_permissions.add(
            *Permission.objects.filter(codename__in=["view_followup", "change_followup"])
        )
        client = Client()
        login_verified(client, user)
        return user, client

    return make


def test_a_patients_soon_result_becomes_a_follow_up_at_their_location(alert_setup):
    patient = alert_setup.patient_of(alert_setup.south)
    assessment = submit(patient, SOON)
    follow_up = FollowUp.objects.get()
    assert (follow_up.assessment, follow_up.patient, follow_up.location, follow_up.status) == (
        assessment, patient, alert_setup.south, "open"
    )  # fmt: skip


@pytest.mark.parametrize("given", [EMERGENCY, URGENT, answers()])
def test_other_results_and_anonymous_ones_make_no_follow_up(alert_setup, given):
    submit(alert_setup.patient_of(alert_setup.north), given)
    submit(None, SOON)
    assert not FollowUp.objects.exists()


def test_the_result_page_says_the_team_will_get_in_touch(alert_setup):
    patient = alert_setup.patient_of(alert_setup.north)
    client = Client()
    client.force_login(patient)
    text = main_text(complete(client, SOON))
    assert "See a clinician within 2 weeks" in text
    assert "Our team will also get in touch to make sure you are seen in time." in text


def test_the_worklist_shows_each_staff_member_their_locations_open_follow_ups(
    alert_setup, follow_up_staff
):
    north = submit(alert_setup.patient_of(alert_setup.north), SOON)
    south = submit(alert_setup.patient_of(alert_setup.south, phone="(713) 555-0142"), SOON)
    _user, client = follow_up_staff(alert_setup.north)
    page = client.get(WORKLIST).content.decode()
    assert f"Follow-up {north.follow_up.pk}" in page
    assert f"Follow-up {south.follow_up.pk}" not in page
    _user, houston = follow_up_staff(alert_setup.south)
    page = houston.get(WORKLIST).content.decode()
    assert f"Follow-up {south.follow_up.pk}" in page
    assert "(713) 555-0142" in page
    assert "S1: Motor deficit" in page
    assert houston.get(f"{WORKLIST}{north.follow_up.pk}/change/").status_code == 302  # denied


def test_marking_follow_ups_done_records_the_outcome_and_empties_the_list(
    alert_setup, follow_up_staff
):
    assessment = submit(alert_setup.patient_of(alert_setup.north), SOON)
    user, client = follow_up_staff(alert_setup.north)
    pk = assessment.follow_up.pk
    asked = client.post(WORKLIST, {"action": "mark_done", "_selected_action": [pk]})
    assert "Record what came of the follow-up" in asked.content.decode()
    done = client.post(
        WORKLIST,
        {"action": "mark_done", "_selected_action": [pk], "apply": "1",
         "outcome": "booked", "note": "Booked with Dr. Alvarado for Tuesday."},
    )  # fmt: skip
    assert done.status_code == 302
    follow_up = FollowUp.objects.get()
    assert (follow_up.status, follow_up.outcome, follow_up.done_by) == ("done", "booked", user)
    assert follow_up.note == "Booked with Dr. Alvarado for Tuesday."
    assert f"Follow-up {pk}" not in client.get(WORKLIST).content.decode()
    assert f"Follow-up {pk}" in client.get(WORKLIST, {"status": "all"}).content.decode()


def test_staff_without_the_work_permission_cannot_mark_done(alert_setup):
    submit(alert_setup.patient_of(alert_setup.north), SOON)
    viewer = alert_setup.responder(alert_setup.north)
    viewer.user_permissions.add(Permission.objects.get(codename="view_followup"))
    client = Client()
    login_verified(client, viewer)
    pk = FollowUp.objects.get().pk
    client.post(
        WORKLIST,
        {"action": "mark_done", "_selected_action": [pk], "apply": "1", "outcome": "booked"},
    )
    assert FollowUp.objects.get().status == "open"


def test_the_service_refuses_a_bad_outcome_and_a_second_completion(alert_setup):
    submit(alert_setup.patient_of(alert_setup.north), SOON)
    follow_up = FollowUp.objects.get()
    staff = alert_setup.responder(alert_setup.north)
    with pytest.raises(InvalidFollowUpOutcome):
        follow_up_complete(follow_up=follow_up, user=staff, outcome="forgotten")
    follow_up_complete(follow_up=follow_up, user=staff, outcome="no_answer")
    with pytest.raises(FollowUpAlreadyDone):
        follow_up_complete(follow_up=follow_up, user=staff, outcome="booked")


@time_machine.travel(datetime(2026, 10, 1, 12, 0, tzinfo=UTC), tick=False)
def test_the_worklist_says_whether_the_patient_has_booked_since(alert_setup, follow_up_staff):
    kind = demo_type("new-consultation")
    physician = working_physician(location=alert_setup.north, kinds=[kind])
    patient = alert_setup.patient_of(alert_setup.north)
    submit(patient, SOON)
    _user, client = follow_up_staff(alert_setup.north)
    assert 'alt="False"' in client.get(WORKLIST).content.decode()
    book(patient=patient, provider=physician, location=alert_setup.north, kind=kind,
         day=date(2026, 10, 6), clock=time(10))  # fmt: skip
    assert 'alt="True"' in client.get(WORKLIST).content.decode()
