"""Booking after a symptom check: the emergency gate, earliest times for urgent results, and
the appointment's link to the patient's latest check (flagged for staff after an emergency)."""

from datetime import date, time, timedelta

import pytest
from django.urls import reverse

from scheduling.models import Appointment, TriageAttention
from tests.scheduling.helpers import at, book
from tests.triage.conftest import published  # noqa: F401 - fixture
from tests.triage.factories import AssessmentFactory
from tests.triage.vignettes import answers

pytestmark = pytest.mark.usefixtures("frozen", "published")
DAY = date(2026, 10, 6)
EMERGENCY = answers(cannot_walk_stand=True)
URGENT = answers(cancer_history=True)
SOON = answers(foot_drop=True, motor_onset="2_12w")


@pytest.fixture
def web(client, patient, houston):
    patient.patient_profile.preferred_location = houston
    patient.patient_profile.save()
    client.force_login(patient)
    return client


def hold(web, physician, start="2026-10-06T14:00:00+00:00"):
    return web.post(
        reverse("scheduling:hold"),
        {"location": "houston-tx", "type": "new-consultation", "provider": physician.slug,
         "start": start},
    )  # fmt: skip


def test_a_recent_emergency_result_shows_the_advice_before_any_booking_form(
    web, patient, physician
):
    assessment = AssessmentFactory(patient=patient, answers=EMERGENCY)
    assert assessment.urgency == "emergency"
    response = web.get(reverse("scheduling:book"))
    assert response.status_code == 200
    assert next(t.name for t in response.templates) == "scheduling/emergency_gate.html"
    html = response.content.decode()
    main = html[html.index('<main id="main"') :]
    assert main.index("Your symptom check suggested emergency care") < main.index("<form")
    assert 'href="tel:911"' in html
    assert "Show free times" not in html
    assert "/emergency" not in html  # nothing about health in the form's URL


def test_holding_a_time_is_refused_until_the_patient_confirms(web, patient, physician):
    AssessmentFactory(patient=patient, answers=EMERGENCY)
    response = hold(web, physician)
    assert response["Location"] == reverse("scheduling:book")
    assert not Appointment.objects.exists()


def test_after_confirming_the_booking_is_flagged_for_staff_with_the_answer(web, patient, physician):
    assessment = AssessmentFactory(patient=patient, answers=EMERGENCY)
    refused = web.post(reverse("scheduling:before-booking"), {"confirmation": "nonsense"})
    assert refused.status_code == 400
    response = web.post(reverse("scheduling:before-booking"), {"confirmation": "emergency_seen"})
    assert response["Location"] == reverse("scheduling:book")
    page = web.get(reverse("scheduling:book")).content.decode()
    assert "Show free times" in page
    assert "If your symptoms come back or get worse" in page
    hold(web, physician)
    appointment = Appointment.objects.get()
    assert appointment.assessment == assessment
    assert appointment.triage_attention == TriageAttention.EMERGENCY_SEEN


def test_an_emergency_result_older_than_72_hours_no_longer_gates(web, patient, physician, frozen):
    AssessmentFactory(patient=patient, answers=EMERGENCY)
    frozen.shift(timedelta(hours=73))
    web.force_login(patient)  # the earlier session has long timed out
    response = web.get(reverse("scheduling:book"))
    assert next(t.name for t in response.templates) == "scheduling/book.html"


def test_a_newer_calmer_result_lifts_the_gate(web, patient, physician, frozen):
    AssessmentFactory(patient=patient, answers=EMERGENCY)
    frozen.shift(timedelta(minutes=10))
    AssessmentFactory(patient=patient, answers=answers())
    response = web.get(reverse("scheduling:book"))
    assert next(t.name for t in response.templates) == "scheduling/book.html"


def test_an_urgent_result_shows_the_earliest_times_across_physicians_first(
    web, patient, physician, houston, kinds
):
    from tests.scheduling.factories import working_physician

    other = working_physician(location=houston, kinds=kinds, slug="samuel-okafor")
    AssessmentFactory(patient=patient, answers=URGENT)
    response = web.get(reverse("scheduling:book"))
    earliest = response.context["earliest"]
    assert earliest["location"] == houston
    labels = [choice.label for choice in earliest["times"]]
    assert len(labels) == 6
    assert len(set(labels)) == 6
    first = earliest["times"][0]
    # 2026-10-01 12:00 UTC is 07:00 in Houston; 2 hours' notice -> 09:00 is the first time.
    assert first.start == "2026-10-01T14:00:00+00:00"
    assert first.provider_slug in {physician.slug, other.slug}
    html = response.content.decode()
    assert html.index("Your symptom check suggests being seen soon") < html.index("Show free times")


def test_a_soon_result_offers_the_earliest_times_within_14_days_first(
    web, patient, physician, houston
):
    AssessmentFactory(patient=patient, answers=SOON)
    response = web.get(reverse("scheduling:book"))
    earliest = response.context["earliest"]
    assert (earliest["urgency"], earliest["location"]) == ("soon", houston)
    assert earliest["times"][0].start == "2026-10-01T14:00:00+00:00"
    html = response.content.decode()
    assert html.index("Your symptom check suggests being seen within 2 weeks") < html.index(
        "Show free times"
    )
    assert "earliest new-patient times in the next 14 days at Houston" in html
    assert "The clinic will also call you today" not in html


def test_a_soon_result_with_no_free_time_in_14_days_says_so_and_how_to_call(
    web, patient, houston, settings
):
    AssessmentFactory(patient=patient, answers=SOON)  # no physician works here: no times
    response = web.get(reverse("scheduling:book"))
    assert response.context["earliest"]["times"] == []
    html = response.content.decode()
    assert "No online times are free in the next two weeks." in html
    assert f"Please call the clinic at {settings.CLINIC_PHONE}" in html


def test_routine_results_see_the_plain_booking_page(web, patient, physician):
    AssessmentFactory(patient=patient, answers=answers())
    response = web.get(reverse("scheduling:book"))
    assert response.context["earliest"] is None
    assert "being seen soon" not in response.content.decode()


def test_every_booking_links_the_latest_symptom_check(
    patient, physician, houston, consultation, frozen
):
    AssessmentFactory(patient=patient, answers=answers())
    frozen.shift(timedelta(minutes=10))
    latest = AssessmentFactory(patient=patient, answers=URGENT)
    appointment = book(
        patient=patient, provider=physician, location=houston, kind=consultation, day=DAY,
        clock=time(9),
    )  # fmt: skip
    assert appointment.assessment == latest
    assert appointment.triage_attention == ""


def test_an_api_booking_after_an_emergency_result_is_flagged_unconfirmed(
    patient_client, patient, physician, houston
):
    AssessmentFactory(patient=patient, answers=EMERGENCY)
    response = patient_client.post(
        "/api/v1/appointments/",
        {"location": "houston-tx", "type": "new-consultation", "provider": physician.slug,
         "start": at(houston, DAY, time(9)).isoformat()},
        format="json",
    )  # fmt: skip
    assert response.status_code == 201
    appointment = Appointment.objects.get()
    assert appointment.triage_attention == TriageAttention.EMERGENCY_UNCONFIRMED


def test_staff_can_filter_the_flagged_appointments(
    admin_client, patient, physician, houston, consultation
):
    from scheduling.services import appointment_hold

    AssessmentFactory(patient=patient, answers=EMERGENCY)
    flagged = appointment_hold(
        patient=patient, provider=physician, location=houston, kind=consultation,
        start=at(houston, DAY, time(9)), emergency_confirmation="emergency_not_emergency",
    )  # fmt: skip
    listing = admin_client.get(
        "/admin/scheduling/appointment/", {"triage_attention": "emergency_not_emergency"}
    )
    assert list(listing.context["cl"].result_list) == [flagged]
    page = admin_client.get(f"/admin/scheduling/appointment/{flagged.pk}/change/")
    html = page.content.decode()
    assert "patient says it is not an emergency" in html
    assert "Emergency ·" in html


@pytest.fixture
def gate_reads(monkeypatch):
    """How many times the booking safety gate read the patient's latest symptom check."""
    from scheduling import gate

    reads = []
    original = gate.assessment_latest_for

    def counting(**kwargs):
        reads.append(kwargs)
        return original(**kwargs)

    monkeypatch.setattr(gate, "assessment_latest_for", counting)
    return reads


def test_the_gate_is_evaluated_once_per_booking_request(web, patient, physician, gate_reads):
    assessment = AssessmentFactory(patient=patient, answers=EMERGENCY)
    web.post(reverse("scheduling:before-booking"), {"confirmation": "emergency_seen"})
    assert len(gate_reads) == 1
    gate_reads.clear()

    web.get(reverse("scheduling:book"))
    assert len(gate_reads) == 1
    gate_reads.clear()

    response = hold(web, physician)

    appointment = Appointment.objects.get()
    assert response["Location"] == reverse("scheduling:detail", args=[appointment.pk])
    # One reading served the gate and the appointment's link and flag.
    assert len(gate_reads) == 1
    assert appointment.assessment == assessment
    assert appointment.triage_attention == TriageAttention.EMERGENCY_SEEN


def test_an_api_booking_reads_the_symptom_check_once(
    patient_client, patient, physician, houston, gate_reads
):
    AssessmentFactory(patient=patient, answers=URGENT)
    response = patient_client.post(
        "/api/v1/appointments/",
        {"location": "houston-tx", "type": "new-consultation", "provider": physician.slug,
         "start": at(houston, DAY, time(9)).isoformat()},
        format="json",
    )  # fmt: skip

    assert response.status_code == 201
    assert len(gate_reads) == 1
