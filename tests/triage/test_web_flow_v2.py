"""The v2 web questionnaire as a patient meets it: it stops at the first emergency, counts its
steps without changing the total, fills in a known age, and says what is wrong in plain words."""

from datetime import date

import pytest
import time_machine
from django.test import Client

from tests.factories import PatientFactory
from tests.triage.test_web import QUESTIONS, complete, main_text, post_step
from tests.triage.vignettes import answers
from triage.models import Assessment, AssessmentDraft, StaffAlert


def step_on_screen(client):
    response = client.get(QUESTIONS)
    return response, response.context["step"].link_id


def test_a_new_saddle_numbness_stops_the_questions_after_its_onset_with_the_advice(
    client, published
):
    response, step = step_on_screen(client)
    assert step == "step_bladder_bowel"
    response = post_step(client, response, answers(ces_saddle=True))
    assert response["Location"] == QUESTIONS  # the onset decides: no emergency yet
    response, step = step_on_screen(client)
    assert step == "step_bladder_bowel_onset"
    response = post_step(client, response, {"ces_onset": "new"})
    assert "/triage/results/" in response["Location"]
    assessment = Assessment.objects.get()
    assert (assessment.urgency, assessment.complete, assessment.pattern) == (
        "emergency", False, "unspecified"
    )  # fmt: skip
    assert [flag["rule"] for flag in assessment.flags] == ["E1"]  # no U5 for questions not asked
    assert set(assessment.answers) == {"ces_bladder", "ces_bowel", "ces_saddle", "ces_sexual",
                                       "ces_onset"}  # fmt: skip
    alert = StaffAlert.objects.get(assessment=assessment)
    assert alert.severity == "critical"
    assert "Stopped at the first emergency" in alert.summary
    text = main_text(client.get(response["Location"]))
    assert text.index("Get emergency care now") < text.index("We stopped the questions here")
    assert "call 911" in text


def test_a_patient_who_cannot_stand_is_stopped_at_the_leg_step_and_the_draft_is_gone(published):
    patient = PatientFactory()
    client = Client()
    client.force_login(patient)
    response, _step = step_on_screen(client)
    post_step(client, response, answers())
    response, step = step_on_screen(client)
    assert step == "step_leg_strength"
    response = post_step(client, response, answers(cannot_walk_stand=True))
    assert "/triage/results/" in response["Location"]
    assessment = Assessment.objects.get()
    assert (assessment.patient, assessment.urgency, assessment.complete) == (
        patient, "emergency", False
    )  # fmt: skip
    assert not AssessmentDraft.objects.exists()
    assert StaffAlert.objects.get().patient == patient


def test_an_urgent_red_flag_does_not_stop_the_questions(client, published):
    response, _step = step_on_screen(client)
    post_step(client, response, answers())
    response, _step = step_on_screen(client)
    response = post_step(client, response, answers(weak_both_legs=True))  # U2, not E2
    assert response["Location"] == QUESTIONS
    assert Assessment.objects.count() == 0
    result = complete(client, answers(weak_both_legs=True))
    assessment = Assessment.objects.get()
    assert (assessment.urgency, assessment.complete) == ("urgent", True)
    assert "Which nerve the symptoms may come from" in main_text(result)


def _counter(response) -> str:
    return response.content.decode().split('class="small triage-progress">')[1].split(" ·")[0]


def test_the_step_count_never_changes_half_way(client, published):
    response, _step = step_on_screen(client)
    assert _counter(response) == "Step 1 of 6"
    post_step(client, response, answers(ces_bowel=True))
    response, step = step_on_screen(client)
    assert (step, _counter(response)) == ("step_bladder_bowel_onset", "Step 1 of 6")
    post_step(client, response, {"ces_onset": "stable"})
    seen = []
    for _ in range(10):
        response, step = step_on_screen(client)
        seen.append((step, _counter(response)))
        given = answers(ces_bowel=True, ces_onset="stable", foot_drop=True, motor_onset="gt_12w")
        if "/results/" in post_step(client, response, given)["Location"]:
            break
    assert seen == [
        ("step_leg_strength", "Step 2 of 6"),
        ("step_general_health", "Step 3 of 6"),
        ("step_about_pain", "Step 4 of 6"),
        ("step_leg_symptoms", "Step 5 of 6"),
        ("step_weakness_onset", "Step 5 of 6"),
        ("step_history", "Step 6 of 6"),
    ]


def test_the_step_heading_and_questions_have_stable_accessible_names(client, published):
    html = client.get(QUESTIONS).content.decode()
    assert "<title>Bladder, bowel and saddle area (step 1 of 6)" in html
    assert "<legend>Have you had new trouble starting to pass urine" in html
    assert '<input type="radio" name="ces_bladder" value="yes"' in html
    assert '<label for="id_ces_bladder_0">Yes</label>' in html
    assert (
        '<button type="submit" name="action" value="next" class="button">Continue</button>' in html
    )


@time_machine.travel("2026-10-01 15:00:00+00:00", tick=False)
def test_a_logged_in_patients_age_is_filled_in_from_the_date_of_birth_and_can_be_changed(
    published,
):
    patient = PatientFactory()
    patient.patient_profile.date_of_birth = date(1970, 10, 2)  # 56 tomorrow
    patient.patient_profile.save()
    client = Client()
    client.force_login(patient)
    for _ in range(3):
        response, _step = step_on_screen(client)
        post_step(client, response, answers())
    response, step = step_on_screen(client)
    assert step == "step_about_pain"
    form = response.context["form"]
    assert form.initial["age"] == 55
    html = response.content.decode()
    assert 'name="age" value="55"' in html
    assert "We filled this in from the date of birth in your profile." in html
    post_step(client, response, answers(age=57))
    assert AssessmentDraft.objects.get().answers["age"] == 57
    response, _step = step_on_screen(client)
    post_step(client, response, {}, action="back")
    response, step = step_on_screen(client)
    assert (step, response.context["form"].initial["age"]) == ("step_about_pain", 57)


def test_no_age_is_guessed_without_a_date_of_birth(client, published):
    for _ in range(3):
        response, _step = step_on_screen(client)
        post_step(client, response, answers())
    response, step = step_on_screen(client)
    assert step == "step_about_pain"
    assert response.context["form"].initial["age"] is None


def _about_pain_step(client):
    for _ in range(3):
        response, _step = step_on_screen(client)
        post_step(client, response, answers())
    return step_on_screen(client)[0]


@pytest.mark.parametrize(
    ("age", "message"),
    [
        ("130", "Enter a whole number from 0 to 120."),
        ("-3", "Enter a whole number from 0 to 120."),
        ("forty", "Enter a whole number from 0 to 120."),
        ("", "Enter an answer."),
    ],
)
def test_a_wrong_age_is_explained_in_plain_words(client, published, age, message):
    response = _about_pain_step(client)
    data = {"step": "step_about_pain", "action": "next", "age": age, "duration": "2_6w",
            "pain_back": "3", "pain_leg": "0", "leg_side": "none"}  # fmt: skip
    response = client.post(QUESTIONS, data)
    assert response.status_code == 200
    assert response.context["form"].errors["age"] == [message]
    assert "Ensure this value" not in response.content.decode()


def test_an_unknown_choice_is_explained_in_plain_words(client, published):
    _about_pain_step(client)
    data = {"step": "step_about_pain", "action": "next", "age": "40", "duration": "forever",
            "pain_back": "3", "pain_leg": "0", "leg_side": "none"}  # fmt: skip
    errors = client.post(QUESTIONS, data).context["form"].errors
    assert errors["duration"] == ["Choose one of the answers shown."]


def test_an_over_long_note_is_explained_in_plain_words(client, published):
    response, step = step_on_screen(client)
    while step != "step_history":
        post_step(client, response, answers())
        response, step = step_on_screen(client)
    response = client.post(
        QUESTIONS, {"step": "step_history", "action": "next", "notes": "x" * 2001}
    )
    assert response.context["form"].errors["notes"] == [
        "Please keep this to 2000 characters or fewer (you have written 2001)."
    ]


def test_the_wording_is_spanish_on_spanish_pages(published):
    client = Client(HTTP_ACCEPT_LANGUAGE="es")
    response = _about_pain_step(client)
    data = {"step": "step_about_pain", "action": "next", "age": "130", "duration": "2_6w",
            "pain_back": "3", "pain_leg": "0", "leg_side": "none"}  # fmt: skip
    errors = client.post(QUESTIONS, data).context["form"].errors
    assert errors["age"] == ["Escriba un número entero del 0 al 120."]
    assert "Paso 4 de 6" in response.content.decode()


def test_the_result_page_names_no_versions_but_the_assessment_keeps_them(client, published):
    result = complete(client, answers())
    text = main_text(result)
    assert "version" not in text.lower()
    assessment = Assessment.objects.get()
    assert (assessment.questionnaire.version, assessment.ruleset.version) == (2, 2)
