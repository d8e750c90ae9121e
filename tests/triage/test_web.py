"""The web questionnaire, the draft, the result page and the dashboard, used as a patient would."""

import re

import pytest
from django.test import Client

from tests.factories import PatientFactory
from tests.triage.factories import AssessmentFactory
from tests.triage.vignettes import answers
from triage.models import Assessment, AssessmentDraft

START = "/triage/"
QUESTIONS = "/triage/lumbar-radiculopathy/questions/"


def form_value(value):
    if value is None:
        return "not-sure"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return value
    return str(value)


def post_step(client, response, given_answers, action="next"):
    """Answer the questions of the step on screen from ``given_answers`` and post it."""
    form = response.context["form"]
    data = {"step": response.context["step"].link_id, "action": action}
    for name in form.fields:
        if name in given_answers:
            data[name] = form_value(given_answers[name])
        elif form.fields[name].required:
            data[name] = "not-sure"
    return client.post(QUESTIONS, data)


def complete(client, given_answers):
    """Go through every step; return the result page."""
    response = client.get(QUESTIONS)
    for _ in range(10):
        response = post_step(client, response, given_answers)
        assert response.status_code == 302, response.context["form"].errors
        if "/results/" in response["Location"]:
            return client.get(response["Location"])
        response = client.get(QUESTIONS)
    raise AssertionError("the questionnaire did not end")


def main_text(response) -> str:
    html = response.content.decode()
    main = html[html.index('<main id="main"') : html.index("</main>")]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))


def test_the_first_step_asks_the_red_flag_questions_accessibly(client, published):
    response = client.get(QUESTIONS)
    assert response.status_code == 200
    assert response.context["step"].link_id == "step_bladder_bowel"
    html = response.content.decode()
    assert "<legend>Have you had new trouble starting to pass urine" in html
    assert '<label for="id_ces_bladder_2">Not sure</label>' in html
    assert "Step 1 of 6" in html  # the onset step only appears after a yes, as part of step 1


def test_an_anonymous_emergency_shows_emergency_advice_before_anything_else(client, published):
    response = complete(client, answers(ces_saddle=True, ces_onset="new", leg_side="right",
                                        pain_leg=5, below_knee=True))  # fmt: skip
    assert response.status_code == 200
    assessment = Assessment.objects.get()
    assert (assessment.urgency, assessment.patient) == ("emergency", None)
    html = response.content.decode()
    content = html[html.index('<div class="wrap">', html.index('<main id="main"')) :]
    first_section = content[: content.index("</section>")]
    assert "callout-danger" in first_section
    assert "Get emergency care now" in first_section
    assert "call 911" in first_section
    assert 'href="tel:911"' in first_section
    text = main_text(response)
    assert text.index("Get emergency care now") < text.index("Why this result")
    assert "New or worsening bladder or bowel trouble" in text
    assert "We stopped the questions here" in text  # nothing asked after the onset
    assert not assessment.complete
    assert "Which nerve the symptoms may come from" not in text
    assert "This is not a diagnosis" in text
    assert "Book a consultation" not in text
    assert "book a follow-up consultation" in text


def test_a_routine_result_offers_booking_and_names_the_pattern(client, published):
    response = complete(
        client,
        answers(leg_side="right", below_knee=True, pain_leg=6, numb_areas=["sole"],
                tiptoe_walk="hard"),
    )  # fmt: skip
    text = main_text(response)
    assert "Book a routine consultation" in text
    assert "Get emergency care now" not in text
    assert "S1 nerve root possible, to be confirmed on examination" in text
    assert "None of your answers point to a warning sign" in text
    assert 'href="/appointments/"' in response.content.decode()
    assert "This is not a diagnosis" in text


def test_the_onset_question_appears_only_after_a_yes(client, published):
    response = client.get(QUESTIONS)
    response = post_step(client, response, answers(ces_bowel=True))
    response = client.get(QUESTIONS)
    assert response.context["step"].link_id == "step_bladder_bowel_onset"
    response = post_step(client, response, {}, action="back")
    response = client.get(QUESTIONS)
    assert response.context["step"].link_id == "step_bladder_bowel"
    response = post_step(client, response, answers())
    assert client.get(QUESTIONS).context["step"].link_id == "step_leg_strength"


def test_a_missing_answer_shows_an_error_summary_linking_to_the_field(client, published):
    response = client.get(QUESTIONS)
    response = client.post(QUESTIONS, {"step": "step_bladder_bowel", "action": "next"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="error-summary" role="alert"' in html
    assert 'href="#id_ces_bladder_0"' in html
    assert 'id="id_ces_bladder_0"' in html
    assert "<title>Error:" in html


def test_an_out_of_range_age_is_refused_on_its_step(client, published):
    client.get(QUESTIONS)
    for step in ("step_bladder_bowel", "step_leg_strength", "step_general_health"):
        response = client.get(QUESTIONS)
        assert response.context["step"].link_id == step
        post_step(client, response, answers())
    response = client.get(QUESTIONS)
    assert response.context["step"].link_id == "step_about_pain"
    response = post_step(client, response, answers(age=130))
    assert response.status_code == 200
    assert "age" in response.context["form"].errors


def test_a_logged_in_patients_answers_survive_a_lost_session(published):
    patient = PatientFactory()
    first = Client()
    first.force_login(patient)
    response = first.get(QUESTIONS)
    post_step(first, response, answers(ces_bladder=None))
    response = first.get(QUESTIONS)
    post_step(first, response, answers())
    draft = AssessmentDraft.objects.get(patient=patient)
    assert draft.step == "step_general_health"
    assert draft.answers["ces_bladder"] is None
    assert draft.answers["weakness_progression"] == "none"

    later = Client()  # the session expired or the tab was closed: log in again
    later.force_login(patient)
    start = later.get(START)
    assert "Continue where you left off" in start.content.decode()
    response = later.get(QUESTIONS)
    assert response.context["step"].link_id == "step_general_health"
    response = post_step(later, response, {}, action="back")
    response = later.get(QUESTIONS)
    assert response.context["step"].link_id == "step_leg_strength"
    assert response.context["form"].initial["weakness_progression"] == "none"


def test_starting_again_discards_the_draft(published):
    patient = PatientFactory()
    client = Client()
    client.force_login(patient)
    post_step(client, client.get(QUESTIONS), answers())
    assert AssessmentDraft.objects.filter(patient=patient).exists()
    assert client.post(START).status_code == 302
    assert not AssessmentDraft.objects.filter(patient=patient).exists()


def test_a_finished_check_belongs_to_the_patient_and_clears_the_draft(published):
    patient = PatientFactory()
    client = Client()
    client.force_login(patient)
    response = complete(client, answers(cancer_history=True))
    assert "Speak with a clinician today" in main_text(response)
    assert Assessment.objects.get().patient == patient
    assert not AssessmentDraft.objects.exists()
    dashboard = client.get("/dashboard/")
    text = main_text(dashboard)
    assert "My symptom checks" in text
    assert "Urgent" in text
    assert f"/triage/results/{Assessment.objects.get().pk}/" in dashboard.content.decode()


def test_an_anonymous_result_is_seen_only_in_the_session_that_made_it(client, published):
    complete(client, answers())
    assessment = Assessment.objects.get()
    url = f"/triage/results/{assessment.pk}/"
    assert client.get(url).status_code == 200
    assert Client().get(url).status_code == 404
    stranger = Client()
    stranger.force_login(PatientFactory())
    assert stranger.get(url).status_code == 404


def test_another_patients_result_page_is_a_404(published):
    theirs = AssessmentFactory(patient=PatientFactory())
    client = Client()
    client.force_login(PatientFactory())
    assert client.get(f"/triage/results/{theirs.pk}/").status_code == 404


def test_no_answer_ever_appears_in_a_url(client, published):
    response = client.get(QUESTIONS)
    response = post_step(client, response, answers(ces_saddle=True))
    assert response["Location"] == QUESTIONS


def test_the_questionnaire_speaks_spanish(published):
    client = Client(HTTP_ACCEPT_LANGUAGE="es")
    html = client.get(QUESTIONS).content.decode()
    assert "No estoy seguro" in html or "No estoy segura" in html
    assert "Have you had new trouble" not in html


def test_home_and_navigation_link_to_the_symptom_check(client, published):
    html = client.get("/").content.decode()
    assert html.count('href="/triage/"') == 2
    assert "Check your symptoms" in html


@pytest.mark.parametrize("path", [START, QUESTIONS])
def test_pages_render_for_anonymous_visitors(client, published, path):
    assert client.get(path).status_code == 200


def test_each_answered_step_saves_the_draft_once_with_one_access_row(published, monkeypatch):
    """One step posted by a logged-in patient: the answers are checked once, the draft row is
    written once (already pointing at the next step) and one PHI access row records it."""
    from audit.models import Action, PhiAccess
    from triage import rules

    checks = []
    real_validate = rules.validate_answers

    def counting_validate(definition, given):
        checks.append(1)
        return real_validate(definition, given)

    patient = PatientFactory()
    client = Client()
    client.force_login(patient)
    response = client.get(QUESTIONS)
    before = PhiAccess.objects.count()
    monkeypatch.setattr(rules, "validate_answers", counting_validate)
    posted = post_step(client, response, answers(ces_bladder=None))

    assert posted.status_code == 302
    assert len(checks) == 1
    written = PhiAccess.objects.order_by("id")[before:]
    assert [(row.action, row.object_type) for row in written] == [
        (Action.CHANGE, "triage.assessmentdraft")
    ]
    assert AssessmentDraft.objects.get(patient=patient).step == "step_leg_strength"
