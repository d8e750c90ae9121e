"""What the PHI access log says about each kind of access: exactly the rows expected, with the
actor, patient, record, channel, IP address and request id of the request."""

from datetime import time

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from audit.models import PhiAccess
from tests.audit.conftest import BROWSER_IP, book_over_api, rows
from tests.conftest import login_verified
from tests.factories import PatientFactory, StaffFactory
from tests.triage.alerting import EMERGENCY
from tests.triage.test_web import QUESTIONS, post_step
from tests.triage.vignettes import BENIGN
from triage.models import AlertDelivery, Assessment, AssessmentDraft

pytestmark = pytest.mark.django_db

REQUEST_ID = "req-0123456789abcdef"


@pytest.fixture(autouse=True)
def _behind_a_proxy(settings):
    """As deployed, behind the proxy whose X-Request-ID the portal keeps (NUM_PROXIES)."""
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}


def _get(client, url, **extra):
    return client.get(url, REMOTE_ADDR=BROWSER_IP, HTTP_X_REQUEST_ID=REQUEST_ID, **extra)


def _what(row: PhiAccess) -> tuple:
    return (row.action, row.object_type, row.object_id, row.actor_id, row.patient_id, row.channel)


@pytest.fixture
def alices(records_of):
    return records_of(PatientFactory())


@pytest.fixture
def alice(client, alices):
    """Alice's records, with Alice logged in."""
    client.force_login(alices.patient)
    return alices


# --- patients ------------------------------------------------------------------------------


def test_a_patient_viewing_their_result_writes_exactly_one_view_row(client, alice):
    response = _get(client, reverse("triage:result", args=[alice.assessment.pk]))
    assert response.status_code == 200
    [row] = rows()
    assert _what(row) == (
        "view",
        "triage.assessment",
        str(alice.assessment.pk),
        alice.patient.pk,
        alice.patient.pk,
        "web",
    )
    assert (row.ip, row.request_id) == (BROWSER_IP, REQUEST_ID)
    assert response["X-Request-ID"] == REQUEST_ID


def test_the_api_list_is_one_list_row_and_the_detail_and_fhir_one_view_each(client, alice):
    assert _get(client, "/api/v1/triage/assessments/").status_code == 200
    detail = f"/api/v1/triage/assessments/{alice.assessment.pk}/"
    assert _get(client, detail).status_code == 200
    assert _get(client, detail + "?format=fhir").status_code == 200
    assert [_what(row) for row in rows()] == [
        ("list", "triage.assessment", "", alice.patient.pk, alice.patient.pk, "api"),
        ("view", "triage.assessment", str(alice.assessment.pk), *[alice.patient.pk] * 2, "api"),
        ("view", "triage.assessment", str(alice.assessment.pk), *[alice.patient.pk] * 2, "api"),
    ]


def test_the_dashboard_writes_one_row_per_section_not_per_item(client, alice, records_of):
    for _ in range(3):
        Assessment.objects.create(
            patient=alice.patient,
            questionnaire=alice.assessment.questionnaire,
            ruleset=alice.assessment.ruleset,
            structured_answers=BENIGN,
            urgency="routine",
            pattern="none",
        )
    assert _get(client, reverse("clinic:dashboard")).status_code == 200
    assert sorted((row.action, row.object_type, row.patient_id) for row in rows()) == [
        ("list", "scheduling.appointment", alice.patient.pk),
        ("list", "scheduling.waitlistentry", alice.patient.pk),
        ("list", "triage.assessment", alice.patient.pk),
        ("view", "clinic.user", alice.patient.pk),
    ]


def test_reading_the_same_record_twice_in_one_request_is_one_row(client, alice):
    """The booking page reads the emergency check for its gate once per call."""
    assert _get(client, reverse("scheduling:book")).status_code == 200
    [row] = rows()
    assert _what(row)[:3] == ("view", "triage.assessment", str(alice.assessment.pk))


def test_the_questionnaire_draft_is_read_and_changed_in_the_log(client, alice):
    first_step = _get(client, QUESTIONS)
    assert rows() == []  # no draft yet: nothing read
    assert post_step(client, first_step, BENIGN).status_code == 302
    draft = AssessmentDraft.objects.get(patient=alice.patient)
    expected = ("triage.assessmentdraft", str(draft.pk), alice.patient.pk)
    assert [(row.action, row.object_type, row.object_id, row.patient_id) for row in rows()] == [
        ("change", *expected),  # saved twice (answers, then the next step): one row
    ]
    _get(client, QUESTIONS)
    assert (rows()[-1].action, rows()[-1].object_id) == ("view", str(draft.pk))


def test_the_profile_page_and_me_api_view_and_change_the_account(client, alice):
    patient = alice.patient
    assert _get(client, reverse("clinic:profile")).status_code == 200
    assert _get(client, "/api/v1/me/").status_code == 200
    response = client.patch("/api/v1/me/", {"phone": "(609) 555-0123"}, "application/json")
    assert response.status_code == 200
    assert [_what(row) for row in rows()] == [
        ("view", "clinic.user", str(patient.pk), patient.pk, patient.pk, "web"),
        ("view", "clinic.user", str(patient.pk), patient.pk, patient.pk, "api"),
        ("change", "clinic.user", str(patient.pk), patient.pk, patient.pk, "api"),
    ]


def test_booking_changes_are_recorded_in_their_transaction(client, alice, physician):
    booked = book_over_api(client, physician).json()["id"]
    taken = book_over_api(client, physician)
    assert taken.status_code == 409
    cancelled = client.post(
        f"/api/v1/appointments/{booked}/cancel/", content_type="application/json"
    )
    assert cancelled.status_code == 200
    assert [(row.action, row.object_id) for row in rows()] == [
        ("change", str(booked)),  # booked; the refused second booking left no row
        ("view", str(booked)),
        ("change", str(booked)),  # cancelled
    ]


def test_the_calendar_file_is_a_view_of_the_appointment(client, alice):
    response = _get(client, reverse("scheduling:calendar", args=[alice.appointment.pk]))
    assert response.status_code == 200
    [row] = rows()
    assert _what(row)[:3] == ("view", "scheduling.appointment", str(alice.appointment.pk))


def test_an_anonymous_submission_is_recorded_with_no_actor(client, published, houston):
    response = client.post(
        "/api/v1/triage/assessments/",
        {"questionnaire": "lumbar-radiculopathy", "answers": EMERGENCY},
        content_type="application/json",
        REMOTE_ADDR=BROWSER_IP,
    )
    assert response.status_code == 201
    assessment = Assessment.objects.get()
    assert [_what(row) for row in rows()] == [
        ("change", "triage.assessment", str(assessment.pk), None, None, "api"),
        ("change", "triage.staffalert", str(assessment.staff_alert.pk), None, None, "api"),
    ]
    assert rows()[0].ip == BROWSER_IP


def test_signing_up_is_a_change_of_the_new_account_by_nobody(client, houston):
    response = client.post(
        "/api/v1/auth/register/",
        {
            "email": "new.patient@example.org",
            "password": "a-long-enough-passphrase",
            "first_name": "New",
            "last_name": "Patient",
        },
        content_type="application/json",
    )
    assert response.status_code == 201
    [row] = rows()
    new = row.patient
    assert (row.action, row.actor_id, new.email) == ("change", None, "new.patient@example.org")


def test_calls_without_a_request_record_nothing(alice):
    """Services called by tasks, commands and demo data (``access=None``) are not accesses."""
    assert rows() == []


# --- staff in the admin ----------------------------------------------------------------------


@pytest.fixture
def responder(client, alices):
    staff = StaffFactory()
    staff.served_locations.set([alices.alert.location])
    staff.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_staffalert", "change_staffalert"])
    )
    login_verified(client, staff)
    return staff


def test_staff_opening_an_alert_write_a_view_row(client, alices, responder):
    response = _get(client, reverse("admin:triage_staffalert_change", args=[alices.alert.pk]))
    assert response.status_code == 200
    [row] = rows()
    assert _what(row) == (
        "view",
        "triage.staffalert",
        str(alices.alert.pk),
        responder.pk,
        alices.patient.pk,
        "admin",
    )
    assert (row.ip, row.request_id) == (BROWSER_IP, REQUEST_ID)


def test_the_alert_queue_is_one_list_row_with_the_patients_shown(
    client, alices, records_of, responder
):
    others = [records_of(PatientFactory(), time(hour)) for hour in (13, 14)]
    response = _get(client, reverse("admin:triage_staffalert_changelist"))
    assert response.status_code == 200
    [row] = rows()
    assert (row.action, row.object_type, row.patient_id) == ("list", "triage.staffalert", None)
    shown = {int(pk) for pk in row.patient_ids.strip(",").split(",")}
    assert shown == {alices.patient.pk} | {other.patient.pk for other in others}
    assert row.detail == "3 shown of 3"


def test_acknowledging_resolving_and_resending_are_change_rows(client, alices, responder):
    alert = alices.alert
    client.post(reverse("admin:triage_staffalert_acknowledge", args=[alert.pk]))
    client.post(
        reverse("admin:triage_staffalert_resolve", args=[alert.pk]),
        {"outcome": "reached_patient", "note": "Spoke with the patient."},
    )
    alert.deliveries.update(status=AlertDelivery.Status.FAILED)
    client.post(reverse("admin:triage_staffalert_resend", args=[alert.pk]))
    assert [(row.action, row.object_id, row.actor_id, row.channel) for row in rows()] == [
        ("change", str(alert.pk), responder.pk, "admin"),
    ] * 3


def test_an_alert_outside_the_staff_members_locations_is_denied(client, alices, records_of):
    staff = StaffFactory()  # serves no location
    staff.user_permissions.add(*Permission.objects.filter(codename="view_staffalert"))
    login_verified(client, staff)
    response = _get(client, reverse("admin:triage_staffalert_change", args=[alices.alert.pk]))
    assert response.status_code == 302
    [row] = rows()
    assert _what(row) == (
        "denied",
        "triage.staffalert",
        str(alices.alert.pk),
        staff.pk,
        alices.patient.pk,
        "admin",
    )


def test_staff_reads_of_assessments_accounts_and_appointments_are_recorded(
    admin_client, alices, admin_user
):
    patient = alices.patient
    pages = [
        reverse("admin:triage_assessment_change", args=[alices.assessment.pk]),
        reverse("admin:clinic_user_change", args=[patient.pk]),
        reverse("admin:scheduling_appointment_change", args=[alices.appointment.pk]),
        reverse("admin:scheduling_appointment_changelist"),
    ]
    for page in pages:
        assert _get(admin_client, page).status_code == 200
    assert [(*_what(row)[:3], row.patient_id) for row in rows()] == [
        ("view", "triage.assessment", str(alices.assessment.pk), patient.pk),
        ("view", "clinic.user", str(patient.pk), patient.pk),
        ("view", "scheduling.appointment", str(alices.appointment.pk), patient.pk),
        ("list", "scheduling.appointment", "", patient.pk),
    ]
    assert {row.actor_id for row in rows()} == {admin_user.pk}


def test_the_history_and_delete_pages_of_an_account_are_views(admin_client, alices):
    patient = alices.patient
    for page in ("history", "delete"):
        url = reverse(f"admin:clinic_user_{page}", args=[patient.pk])
        assert admin_client.get(url).status_code == 200
    assert [(row.action, row.object_id) for row in rows()] == [("view", str(patient.pk))] * 2


def test_the_day_view_lists_the_patients_of_the_day(admin_client, alices, bob, physician, houston):
    url = reverse("admin:scheduling_appointment_day")
    query = {"location": houston.slug, "provider": physician.slug, "date": "2026-10-06"}
    assert admin_client.get(url, query).status_code == 200
    [row] = rows()
    assert (row.action, row.patient_id, row.patient_ids) == (
        "list",
        None,
        ",{},{},".format(*sorted([alices.patient.pk, bob.patient.pk])),
    )
    assert row.detail == f"day view: {physician.slug} at houston-tx on 2026-10-06"


def test_staff_cancelling_in_the_admin_is_a_view_then_a_change(admin_client, alices):
    url = reverse("admin:scheduling_appointment_cancel", args=[alices.appointment.pk])
    assert admin_client.get(url).status_code == 200
    admin_client.post(url, {"note": "Patient called.", "override_cutoff": ""})
    assert [(row.action, row.object_id) for row in rows()] == [
        ("view", str(alices.appointment.pk)),
        ("view", str(alices.appointment.pk)),
        ("change", str(alices.appointment.pk)),
    ]


def test_saving_an_account_in_the_admin_is_a_change_row_when_something_changed(
    admin_client, alices
):
    patient = alices.patient
    profile = patient.patient_profile
    url = reverse("admin:clinic_user_change", args=[patient.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {
        **{k: v for k, v in form.initial.items() if v is not None and k != "password"},
        "served_locations": [],
        "groups": [],
        "user_permissions": [],
        "patient_profile-TOTAL_FORMS": "1",
        "patient_profile-INITIAL_FORMS": "1",
        "patient_profile-MIN_NUM_FORMS": "0",
        "patient_profile-MAX_NUM_FORMS": "1",
        "patient_profile-0-id": profile.pk,
        "patient_profile-0-user": patient.pk,
        "patient_profile-0-date_of_birth": profile.date_of_birth.isoformat(),
        "patient_profile-0-phone": profile.phone,
        "patient_profile-0-preferred_language": profile.preferred_language,
    }
    for changes in ({}, {"first_name": "Renamed"}):
        response = admin_client.post(url, {**data, **changes})
        assert response.status_code == 302, response.context["adminform"].form.errors
    assert [(row.action, row.object_id) for row in rows()] == [
        ("view", str(patient.pk)),
        ("change", str(patient.pk)),  # the save that changed something
    ]
