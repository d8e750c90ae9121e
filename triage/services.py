"""Writes of triage: submitting an assessment (raising its staff alert) and keeping a patient's
draft. The alert queue's own writes live in ``triage.alerts``."""

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import translation

from audit.context import AccessContext
from audit.models import Action
from audit.services import phi_access_record
from clinic.models import User
from triage import rules
from triage.alerts import alert_create_for
from triage.conditions import is_answered
from triage.errors import InvalidAnswers, QuestionnaireNotFound, UnknownQuestionnaire
from triage.models import Assessment, AssessmentDraft, Questionnaire
from triage.selectors import (
    questionnaire_definition,
    questionnaire_published,
    ruleset_definition,
    ruleset_published_for,
)

# What a draft may hold although a finished questionnaire may not: gaps and answers that a
# later change will prune.
_DRAFT_TOLERATED = {"required", "disabled"}


def _resolve(questionnaire_slug: str | None, questionnaire: Questionnaire | None) -> Questionnaire:
    if questionnaire is not None:
        return questionnaire
    try:
        return questionnaire_published(slug=questionnaire_slug or "")
    except QuestionnaireNotFound as exc:
        raise UnknownQuestionnaire() from exc


@transaction.atomic
def assessment_submit(
    *,
    answers: Mapping[str, Any],
    questionnaire_slug: str | None = None,
    questionnaire: Questionnaire | None = None,
    patient: User | None = None,
    language: str = "",
    access: AccessContext | None = None,
) -> Assessment:
    """Validate the answers, judge them with the questionnaire's published ruleset and record
    the assessment, its staff alert when it is urgent or an emergency (with the alert's outbox
    rows), and drop the patient's draft, all in one transaction, with the PHI access rows.

    Raises ``UnknownQuestionnaire`` for a slug with no published version and
    ``InvalidAnswers`` (problems keyed by linkId) when the answers cannot be evaluated.
    """
    questionnaire = _resolve(questionnaire_slug, questionnaire)
    ruleset = ruleset_published_for(questionnaire=questionnaire)
    definition = questionnaire_definition(questionnaire=questionnaire)
    problems = rules.validate_answers(definition, answers)
    if problems:
        raise InvalidAnswers(problems)
    recorded = {link_id: value for link_id, value in answers.items() if is_answered(value)}
    result = rules.evaluate(ruleset_definition(ruleset=ruleset), recorded)
    structured, free_text = definition.split_free_text(recorded)
    assessment = Assessment.objects.create(
        patient=patient,
        questionnaire=questionnaire,
        ruleset=ruleset,
        structured_answers=structured,
        free_text_answers=free_text,
        urgency=result.urgency,
        pattern=result.pattern,
        flags=[flag.as_dict() for flag in result.flags],
        language=language or translation.get_language() or "",
    )
    alert = alert_create_for(assessment=assessment)
    draft = (
        AssessmentDraft.objects.filter(patient=patient, questionnaire=questionnaire).first()
        if patient is not None
        else None
    )
    if draft is not None:
        AssessmentDraft.objects.filter(pk=draft.pk).delete()
    for record in (assessment, alert, draft):
        if record is not None:
            phi_access_record(
                access=access, action=Action.CHANGE, obj=record, patient_id=assessment.patient_id
            )
    return assessment


def draft_answers_clean(*, questionnaire: Questionnaire, answers: Mapping[str, Any]) -> dict:
    """Answers fit to keep in a draft: known questions with well-typed values, ``None`` for
    "not sure", without answers that earlier answers have made irrelevant.

    Raises ``InvalidAnswers`` for anything a finished questionnaire would also refuse, except
    gaps and answers to items that are disabled for now.
    """
    definition = questionnaire_definition(questionnaire=questionnaire)
    problems = {
        link_id: found
        for link_id, found in rules.validate_answers(definition, answers).items()
        if found[0].code not in _DRAFT_TOLERATED
    }
    if problems:
        raise InvalidAnswers(problems)
    enabled = rules.enabled_ids(definition, answers)
    return {link_id: value for link_id, value in answers.items() if link_id in enabled}


@transaction.atomic
def assessment_draft_save(
    *,
    patient: User,
    questionnaire: Questionnaire,
    answers: Mapping[str, Any],
    step: str = "",
    access: AccessContext | None = None,
) -> AssessmentDraft:
    """Replace the patient's draft answers for this questionnaire (see ``draft_answers_clean``);
    the free text is kept encrypted."""
    kept = draft_answers_clean(questionnaire=questionnaire, answers=answers)
    structured, free_text = questionnaire_definition(questionnaire=questionnaire).split_free_text(
        kept
    )
    draft, _created = AssessmentDraft.objects.update_or_create(
        patient=patient,
        questionnaire=questionnaire,
        defaults={
            "structured_answers": structured,
            "free_text_answers": free_text,
            "step": step,
        },
    )
    phi_access_record(access=access, action=Action.CHANGE, obj=draft, patient_id=patient.pk)
    return draft


@transaction.atomic
def assessment_draft_discard(
    *, patient: User, questionnaire: Questionnaire, access: AccessContext | None = None
) -> None:
    draft = AssessmentDraft.objects.filter(patient=patient, questionnaire=questionnaire).first()
    if draft is None:
        return
    AssessmentDraft.objects.filter(pk=draft.pk).delete()
    phi_access_record(access=access, action=Action.CHANGE, obj=draft, patient_id=patient.pk)
