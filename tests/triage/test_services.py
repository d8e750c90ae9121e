"""Submitting an assessment, the patient's draft and the selectors other apps use."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from tests.factories import PatientFactory
from tests.triage.factories import AssessmentFactory
from tests.triage.vignettes import answers
from triage.errors import AssessmentNotFound, InvalidAnswers, UnknownQuestionnaire
from triage.models import Assessment, AssessmentDraft
from triage.selectors import (
    assessment_get_for,
    assessment_latest_for,
    assessment_list_for,
)
from triage.services import assessment_draft_save, assessment_submit


def published_rule(published, rule_id: str) -> dict:
    return next(r for r in published[1].definition["rules"] if r["id"] == rule_id)


def test_submit_records_the_result_and_the_versions_that_judged_it(published):
    patient = PatientFactory()
    assessment = assessment_submit(
        questionnaire_slug="lumbar-radiculopathy",
        answers=answers(cannot_walk_stand=True, weak_both_legs=None),
        patient=patient,
        language="es",
    )
    stored = Assessment.objects.get(pk=assessment.pk)
    assert (stored.urgency, stored.pattern, stored.patient, stored.language) == (
        "emergency",
        "none",
        patient,
        "es",
    )
    assert [(f["rule"], f["level"]) for f in stored.flags] == [
        ("E3", "emergency"),
        ("U5", "urgent"),
    ]
    assert stored.flags[0]["staff_message"] == published_rule(published, "E3")["staff_message"]
    assert stored.questionnaire == published[0]
    assert stored.ruleset == published[1]
    assert "weak_both_legs" not in stored.answers
    assert stored.answers["cannot_walk_stand"] is True


def test_submit_without_a_patient_is_anonymous(published):
    assessment = assessment_submit(questionnaire_slug="lumbar-radiculopathy", answers=answers())
    assert assessment.patient is None
    assert assessment.urgency == "routine"


def test_submit_refuses_an_unknown_questionnaire_and_invalid_answers(published):
    with pytest.raises(UnknownQuestionnaire):
        assessment_submit(questionnaire_slug="neck-pain", answers=answers())
    with pytest.raises(InvalidAnswers) as caught:
        assessment_submit(questionnaire_slug="lumbar-radiculopathy", answers=answers(age=200))
    assert caught.value.errors == {"age": ["Enter a whole number from 0 to 120."]}
    assert not Assessment.objects.exists()


def test_submit_removes_the_patients_draft(published):
    patient = PatientFactory()
    assessment_draft_save(
        patient=patient, questionnaire=published[0], answers={"age": 40}, step="step_about_pain"
    )
    AssessmentFactory(patient=patient)
    assert not AssessmentDraft.objects.filter(patient=patient).exists()


def test_a_draft_keeps_not_sure_and_drops_answers_made_irrelevant(published):
    patient = PatientFactory()
    draft = assessment_draft_save(
        patient=patient,
        questionnaire=published[0],
        answers={"ces_bladder": None, "leg_side": "none", "below_knee": True},
        step="step_leg_symptoms",
    )
    assert draft.answers == {"ces_bladder": None, "leg_side": "none"}
    with pytest.raises(InvalidAnswers):
        assessment_draft_save(patient=patient, questionnaire=published[0], answers={"age": "x"})


def test_selectors_only_show_the_patients_own_assessments(published):
    mine, theirs = PatientFactory(), PatientFactory()
    first = AssessmentFactory(patient=mine)
    AssessmentFactory(patient=theirs)
    second = AssessmentFactory(patient=mine, answers=answers(cancer_history=True))
    assert list(assessment_list_for(patient=mine)) == [second, first]
    assert assessment_get_for(patient=mine, assessment_id=first.pk) == first
    other = assessment_list_for(patient=theirs).get()
    with pytest.raises(AssessmentNotFound):
        assessment_get_for(patient=mine, assessment_id=other.pk)
    with pytest.raises(AssessmentNotFound):
        assessment_get_for(patient=mine, assessment_id="not-a-uuid")


def test_latest_assessment_optionally_within_a_period(published):
    patient = PatientFactory()
    assert assessment_latest_for(patient=patient) is None
    with time_machine.travel(timezone.now() - timedelta(days=10)):
        old = AssessmentFactory(patient=patient)
    assert assessment_latest_for(patient=patient) == old
    assert assessment_latest_for(patient=patient, within=timedelta(days=7)) is None
    recent = AssessmentFactory(patient=patient)
    assert assessment_latest_for(patient=patient, within=timedelta(days=7)) == recent
