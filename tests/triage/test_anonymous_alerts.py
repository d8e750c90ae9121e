"""Alerts staff can act on when the check was anonymous: a phone number left on the result
page, the flood guard for repeated anonymous emergencies, and the claim of a browser's recent
checks by the account that logs in or signs up in it."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test import Client
from django.utils import timezone

from audit.models import PhiAccess
from clinic.phones import INVALID_MESSAGE
from tests.clinic.test_signup_flow import link_in
from tests.conftest import login_verified
from tests.factories import PASSWORD, PatientFactory, StaffFactory
from tests.triage.alerting import SOON, URGENT
from tests.triage.test_web import QUESTIONS, main_text, post_step
from tests.triage.vignettes import answers
from triage.models import AlertDelivery, Assessment, FollowUp, StaffAlert
from triage.services import assessment_submit

ASSESSMENTS = "/api/v1/triage/assessments/"
BLADDER_NEW = {"ces_bladder": True, "ces_bowel": False, "ces_saddle": False,
               "ces_sexual": False, "ces_onset": "new"}  # fmt: skip


def web_emergency(client) -> Assessment:
    """An anonymous emergency through the web questionnaire (stops after the onset)."""
    response = client.get(QUESTIONS)
    post_step(client, response, answers(ces_bladder=True))
    response = post_step(client, client.get(QUESTIONS), {"ces_onset": "new"})
    assert "/triage/results/" in response["Location"]
    return Assessment.objects.order_by("-created_at").first()


def web_check(client, given) -> Assessment:
    response = client.get(QUESTIONS)
    for _ in range(10):
        response = post_step(client, response, given)
        if "/results/" in response["Location"]:
            return Assessment.objects.order_by("-created_at").first()
        response = client.get(QUESTIONS)
    raise AssertionError("the questionnaire did not end")


# --- a phone number from an anonymous visitor ------------------------------------------------


def test_an_anonymous_emergency_offers_to_leave_a_phone_number(client, alert_setup):
    assessment = web_emergency(client)
    result = client.get(f"/triage/results/{assessment.pk}/")
    html = result.content.decode()
    assert "Leave a phone number so we can call you" in html
    assert '<label for="id_phone">Your phone number' in html
    assert 'autocomplete="tel"' in html
    text = main_text(result)
    assert text.index("Get emergency care now") < text.index("Leave a phone number")


def test_a_valid_number_is_stored_encrypted_in_e164_on_the_alert_and_audited(client, alert_setup):
    assessment = web_emergency(client)
    url = f"/triage/results/{assessment.pk}/contact/"
    response = client.post(url, {"phone": "(609) 555-0182"})
    assert response.status_code == 302
    alert = StaffAlert.objects.get()
    assert alert.contact_phone == "+16095550182"
    with connection.cursor() as cursor:
        cursor.execute("SELECT contact_phone FROM triage_staffalert WHERE id = %s", [alert.pk])
        (stored,) = cursor.fetchone()
    assert "555" not in stored
    assert stored.startswith("gAAAA")  # a Fernet token
    assert alert.events.filter(kind="contact_added").count() == 1
    audit = PhiAccess.objects.filter(object_type="triage.staffalert", action="change").last()
    assert (audit.object_id, audit.channel) == (str(alert.pk), "web")
    page = client.get(f"/triage/results/{assessment.pk}/").content.decode()
    assert "The clinic team has your number: (609) 555-0182." in page
    assert "555-0182" not in url


@pytest.mark.parametrize("phone", ["call me maybe", "555", "+1 000 000 0000", ""])
def test_an_impossible_number_is_refused_with_a_plain_message(client, alert_setup, phone):
    assessment = web_emergency(client)
    response = client.post(f"/triage/results/{assessment.pk}/contact/", {"phone": phone})
    assert response.status_code == 400
    assert response.context["contact"]["form"].errors["phone"] in (
        [str(INVALID_MESSAGE)],
        ["Enter the phone number we can call you on."],
    )
    assert StaffAlert.objects.get().contact_phone == ""


def test_nobody_else_can_leave_a_number_on_a_result(client, alert_setup):
    assessment = web_emergency(client)
    stranger = Client()
    response = stranger.post(f"/triage/results/{assessment.pk}/contact/", {"phone": "6095550182"})
    assert response.status_code == 404
    assert StaffAlert.objects.get().contact_phone == ""


def test_routine_results_and_patients_get_no_phone_form(client, alert_setup):
    routine = web_check(client, answers())
    assert (
        "Leave a phone number" not in client.get(f"/triage/results/{routine.pk}/").content.decode()
    )
    response = client.post(f"/triage/results/{routine.pk}/contact/", {"phone": "6095550182"})
    assert response.status_code == 404
    patient = PatientFactory()
    own = Client()
    own.force_login(patient)
    theirs = web_emergency(own)
    assert "Leave a phone number" not in own.get(f"/triage/results/{theirs.pk}/").content.decode()


def test_the_alert_says_whether_contact_details_exist(alert_setup, admin_client):
    client = Client()  # the visitor (admin_client is pytest-django's client, logged in)
    web_emergency(client)
    queue = admin_client.get("/admin/triage/staffalert/").content.decode()
    assert "Anonymous visitor<br>" in queue
    assert "no contact details" in queue
    alert = StaffAlert.objects.get()
    client.post(f"/triage/results/{alert.assessment_id}/contact/", {"phone": "6095550182"})
    queue = admin_client.get("/admin/triage/staffalert/").content.decode()
    assert "(609) 555-0182" in queue
    page = admin_client.get(f"/admin/triage/staffalert/{alert.pk}/change/").content.decode()
    assert "Phone left on the result page" in page
    reachable = admin_client.get("/admin/triage/staffalert/", {"contact": "yes"}).content
    assert f"Alert {alert.pk}" in reachable.decode()
    unreachable = admin_client.get("/admin/triage/staffalert/", {"contact": "no"}).content
    assert f"Alert {alert.pk}" not in unreachable.decode()


def test_staff_who_already_took_the_alert_are_told_once_that_a_number_arrived(
    client, alert_setup, django_capture_on_commit_callbacks
):
    from triage.alerts import alert_acknowledge, alert_contact_add

    assessment = web_emergency(client)
    alert = StaffAlert.objects.get()
    alert_acknowledge(alert=alert, user=StaffFactory())
    with django_capture_on_commit_callbacks(execute=False):
        alert_contact_add(assessment=assessment, phone="+16095550182")
        alert_contact_add(assessment=assessment, phone="+16095550183")
    assert list(
        AlertDelivery.objects.filter(alert=alert).values_list("purpose", flat=True).order_by("pk")
    ) == ["initial", "contact"]


# --- the flood guard ----------------------------------------------------------------------------


def test_repeated_anonymous_emergencies_from_one_browser_update_one_alert(client, alert_setup):
    first = web_emergency(client)
    second = web_emergency(client)
    third = web_emergency(client)
    alert = StaffAlert.objects.get()
    assert alert.assessment == first
    assert alert.submissions == 3
    assert set(alert.repeat_assessments.all()) == {second, third}
    assert AlertDelivery.objects.filter(alert=alert).count() == 1  # paged once
    assert alert.events.filter(kind="repeated").count() == 2
    assert "We have told our clinic team" in main_text(client.get(f"/triage/results/{third.pk}/"))


def test_the_same_address_counts_too_even_from_another_browser(alert_setup):
    one, other = Client(REMOTE_ADDR="203.0.113.9"), Client(REMOTE_ADDR="203.0.113.9")
    web_emergency(one)
    web_emergency(other)
    assert StaffAlert.objects.get().submissions == 2


def test_api_emergencies_from_one_address_update_one_alert(api_client, alert_setup):
    for _ in range(3):
        body = {"questionnaire": "lumbar-radiculopathy", "answers": BLADDER_NEW}
        assert api_client.post(ASSESSMENTS, body, format="json").status_code == 201
    assert StaffAlert.objects.get().submissions == 3
    assert Assessment.objects.count() == 3


def test_after_ten_quiet_minutes_or_once_resolved_a_new_alert_pages_again(client, alert_setup):
    from triage.alerts import alert_resolve

    with time_machine.travel(timezone.now(), tick=False) as clock:
        web_emergency(client)
        clock.shift(timedelta(minutes=9))
        web_emergency(client)  # counted: 9 minutes after the last
        clock.shift(timedelta(minutes=9, seconds=59))
        web_emergency(client)  # counted: the window runs from the last submission
        assert StaffAlert.objects.count() == 1
        clock.shift(timedelta(minutes=10, seconds=1))
        web_emergency(client)
        assert StaffAlert.objects.count() == 2
        alert_resolve(
            alert=StaffAlert.objects.latest("pk"), user=StaffFactory(), outcome="other", note="ok"
        )
        web_emergency(client)
        assert StaffAlert.objects.count() == 3


def test_other_browsers_and_addresses_and_urgent_checks_still_page(alert_setup):
    web_emergency(Client(REMOTE_ADDR="203.0.113.9"))
    web_emergency(Client(REMOTE_ADDR="203.0.113.10"))
    assessment_submit(questionnaire_slug="lumbar-radiculopathy", answers=URGENT)
    assessment_submit(questionnaire_slug="lumbar-radiculopathy", answers=URGENT)
    assert StaffAlert.objects.count() == 4


def test_a_logged_in_patients_every_emergency_alerts(alert_setup):
    patient = PatientFactory()
    client = Client()
    client.force_login(patient)
    web_emergency(client)
    web_emergency(client)
    assert StaffAlert.objects.filter(patient=patient).count() == 2
    assert set(StaffAlert.objects.values_list("submissions", flat=True)) == {1}


def test_the_count_is_visible_in_the_admin(alert_setup, admin_client):
    client = Client()
    web_emergency(client)
    web_emergency(client)
    alert = StaffAlert.objects.get()
    queue = admin_client.get("/admin/triage/staffalert/").content.decode()
    assert '<span class="triage-repeats">2 (last ' in queue
    page = admin_client.get(f"/admin/triage/staffalert/{alert.pk}/change/").content.decode()
    assert "repeated checks" in page.lower()
    assert "Submitted again" in page


def test_the_fingerprints_are_not_the_session_or_the_address(client, alert_setup):
    web_emergency(client)
    alert = StaffAlert.objects.get()
    assert len(alert.source_session) == len(alert.source_address) == 40
    assert "127.0.0.1" not in alert.source_address
    assert client.session.session_key not in alert.source_session


# --- the claim ------------------------------------------------------------------------------------


def log_in(client, user):
    response = client.post("/accounts/login/", {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302


def test_logging_in_in_the_same_browser_claims_the_anonymous_check(client, alert_setup):
    assessment = web_emergency(client)
    patient = PatientFactory()
    log_in(client, patient)
    assessment.refresh_from_db()
    assert assessment.patient == patient
    alert = StaffAlert.objects.get()
    assert alert.patient == patient
    assert alert.events.filter(kind="claimed").count() == 1
    dashboard = main_text(client.get("/dashboard/"))
    assert "Emergency" in dashboard
    assert f"/triage/results/{assessment.pk}/" in client.get("/dashboard/").content.decode()
    gate = client.get("/appointments/")
    assert "scheduling/emergency_gate.html" in [t.name for t in gate.templates]
    audit = PhiAccess.objects.filter(object_type="triage.assessment", object_id=str(assessment.pk))
    assert audit.filter(action="change", patient=patient).exists()


def test_signing_up_in_the_same_browser_claims_it_when_the_address_is_confirmed(
    client, alert_setup, django_capture_on_commit_callbacks
):
    assessment = web_check(client, answers(cancer_history=True))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/accounts/signup/",
            {"email": "new.patient@example.org", "first_name": "Nia", "last_name": "Quist",
             "password1": "a-long-pass-2026", "password2": "a-long-pass-2026",
             "phone": "", "date_of_birth": "", "preferred_location": "",
             "preferred_language": "en"},
        )  # fmt: skip
    assert response.status_code == 302, response.context["form"].errors
    assessment.refresh_from_db()
    assert assessment.patient is None  # nobody is signed in until the address is confirmed
    client.post(link_in(mail.outbox[-1]))  # the confirmation link, opened in this browser
    assessment.refresh_from_db()
    assert assessment.patient.email == "new.patient@example.org"
    assert StaffAlert.objects.get().patient == assessment.patient


def test_the_alert_then_shows_the_patient(alert_setup, admin_client):
    client = Client()
    web_emergency(client)
    patient = alert_setup.patient_of(alert_setup.north, phone="(609) 555-0199")
    log_in(client, patient)
    alert = StaffAlert.objects.get()
    page = admin_client.get(f"/admin/triage/staffalert/{alert.pk}/change/").content.decode()
    assert patient.display_name in page
    assert "(609) 555-0199" in page


def test_a_check_older_than_24_hours_or_from_another_browser_is_not_claimed(alert_setup):
    patient = PatientFactory()
    with time_machine.travel(timezone.now() - timedelta(hours=24, minutes=1), tick=False):
        old_browser = Client()
        old = web_emergency(old_browser)
    other = web_emergency(Client(REMOTE_ADDR="203.0.113.7"))
    log_in(old_browser, patient)
    old.refresh_from_db()
    other.refresh_from_db()
    assert (old.patient, other.patient) == (None, None)


def test_staff_logging_in_claim_nothing(client, alert_setup):
    assessment = web_emergency(client)
    staff = StaffFactory()
    login_verified(client, staff)  # force_login: no claim either way
    from triage.services import assessment_claim_for

    assert assessment_claim_for(patient=staff, assessment_ids=[str(assessment.pk)]) == []
    assessment.refresh_from_db()
    assert assessment.patient is None


def test_a_claimed_soon_check_joins_the_follow_up_worklist(client, alert_setup):
    assessment = web_check(client, SOON)
    assert assessment.urgency == "soon"
    assert not FollowUp.objects.exists()
    patient = alert_setup.patient_of(alert_setup.south)
    log_in(client, patient)
    follow_up = FollowUp.objects.get()
    assert (follow_up.assessment, follow_up.patient, follow_up.location) == (
        assessment, patient, alert_setup.south
    )  # fmt: skip


def test_claiming_twice_changes_nothing(client, alert_setup):
    from triage.services import assessment_claim_for

    assessment = web_emergency(client)
    patient = PatientFactory()
    assert len(assessment_claim_for(patient=patient, assessment_ids=[str(assessment.pk)])) == 1
    assert assessment_claim_for(patient=PatientFactory(), assessment_ids=[str(assessment.pk)]) == []
    assessment.refresh_from_db()
    assert assessment.patient == patient
