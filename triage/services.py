"""Writes of triage: submitting an assessment (raising its staff alert) and keeping a patient's
draft. The alert queue's own writes live in ``triage.alerts``."""

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone, translation

from audit.context import AccessContext
from audit.models import Action
from audit.services import phi_access_record
from clinic.models import User
from triage import rules, steps
from triage.alerts import alert_claim_for, alert_create_for
from triage.conditions import is_answered
from triage.errors import InvalidAnswers, QuestionnaireNotFound, UnknownQuestionnaire
from triage.follow_ups import follow_up_create_for
from triage.models import Assessment, AssessmentDraft, Questionnaire, Urgency
from triage.rules import Problem
from triage.selectors import (
    questionnaire_definition,
    questionnaire_published,
    ruleset_definition,
    ruleset_published_for,
)

# How long an anonymous check stays claimable by the account that logs in in its browser.
CLAIM_WINDOW = timedelta(hours=24)

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
    unasked: Collection[str] = (),
    session_key: str = "",
    access: AccessContext | None = None,
) -> Assessment:
    """Validate the answers, judge them with the questionnaire's published ruleset and record
    the assessment, its staff alert when it is urgent or an emergency (with the alert's outbox
    rows) or its staff follow-up when it is "soon", and drop the patient's draft, all in one
    transaction, with the PHI access rows.

    Answers missing required items are still recorded, as an incomplete assessment, when they
    already mean an emergency: the patient must not be kept answering questions first.
    ``unasked`` names the questions the patient has not been shown yet (the web stopping at
    the first emergency): a rule counts only if it fires whatever those answers would be.
    ``session_key`` identifies an anonymous visitor's browser for the alert flood guard.

    Raises ``UnknownQuestionnaire`` for a slug with no published version and
    ``InvalidAnswers`` (problems keyed by linkId) when the answers cannot be evaluated.
    """
    questionnaire = _resolve(questionnaire_slug, questionnaire)
    ruleset = ruleset_published_for(questionnaire=questionnaire)
    definition = questionnaire_definition(questionnaire=questionnaire)
    problems = rules.validate_answers(definition, answers)
    if any(found[0].code != "required" for found in problems.values()):
        raise InvalidAnswers(problems)
    recorded = {link_id: value for link_id, value in answers.items() if is_answered(value)}
    pending = frozenset(unasked) - set(answers)
    result = rules.evaluate(ruleset_definition(ruleset=ruleset), recorded, pending=pending)
    complete = not problems and not pending
    if not complete and result.urgency != Urgency.EMERGENCY:
        raise InvalidAnswers(problems or {min(pending): [Problem("required")]})
    structured, free_text = definition.split_free_text(recorded)
    assessment = Assessment.objects.create(
        patient=patient,
        questionnaire=questionnaire,
        ruleset=ruleset,
        structured_answers=structured,
        free_text_answers=free_text,
        urgency=result.urgency,
        # Stopped before the leg questions, "no leg symptoms" would be a guess.
        pattern=result.pattern
        if complete or result.pattern != rules.PATTERN_NONE
        else rules.PATTERN_UNSPECIFIED,
        flags=[flag.as_dict() for flag in result.flags],
        language=language or translation.get_language() or "",
        complete=complete,
    )
    alert = alert_create_for(
        assessment=assessment,
        session_key=session_key,
        address=access.ip if access is not None else "",
    )
    follow_up = follow_up_create_for(assessment=assessment)
    draft = (
        AssessmentDraft.objects.filter(patient=patient, questionnaire=questionnaire).first()
        if patient is not None
        else None
    )
    if draft is not None:
        AssessmentDraft.objects.filter(pk=draft.pk).delete()
    for record in (assessment, alert, follow_up, draft):
        if record is not None:
            phi_access_record(
                access=access, action=Action.CHANGE, obj=record, patient_id=assessment.patient_id
            )
    return assessment


def assessment_submit_if_emergency(
    *,
    questionnaire: Questionnaire,
    answers: Mapping[str, Any],
    patient: User | None = None,
    session_key: str = "",
    access: AccessContext | None = None,
) -> Assessment | None:
    """Stop the questionnaire at the first emergency: submit the answers given so far (the
    questions not answered yet count as not asked) when they already mean an emergency
    whatever the rest would be; ``None`` when the patient should go on answering."""
    definition = questionnaire_definition(questionnaire=questionnaire)
    unasked = {item.link_id for item in definition.questions()} - set(answers)
    ruleset = ruleset_definition(ruleset=ruleset_published_for(questionnaire=questionnaire))
    recorded = {link_id: value for link_id, value in answers.items() if is_answered(value)}
    if rules.evaluate(ruleset, recorded, pending=unasked).urgency != Urgency.EMERGENCY:
        return None
    return assessment_submit(
        questionnaire=questionnaire,
        answers=answers,
        patient=patient,
        unasked=unasked,
        session_key=session_key,
        access=access,
    )


@transaction.atomic
def assessment_claim_for(
    *, patient: User, assessment_ids: Collection[str], access: AccessContext | None = None
) -> list[Assessment]:
    """Attach to ``patient`` the anonymous checks of the last 24 hours that their browser
    session made (``assessment_ids``, which only that session holds), so the dashboard, the
    booking safety gate and the staff alert see them as the patient's. Staff accounts claim
    nothing. Returns the claimed assessments."""
    if patient.is_staff or not assessment_ids:
        return []
    claimable = Assessment.objects.select_for_update().filter(
        pk__in=list(assessment_ids),
        patient__isnull=True,
        created_at__gte=timezone.now() - CLAIM_WINDOW,
    )
    claimed = list(claimable.order_by("created_at"))
    for assessment in claimed:
        assessment.patient = patient
        assessment.save(update_fields=["patient", "updated_at"])
        alert = alert_claim_for(assessment=assessment, patient=patient)
        follow_up = follow_up_create_for(assessment=assessment)
        for record in (assessment, alert, follow_up):
            if record is not None:
                phi_access_record(
                    access=access, action=Action.CHANGE, obj=record, patient_id=patient.pk
                )
    return claimed


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
    return _draft_write(
        patient=patient, questionnaire=questionnaire, kept=kept, step=step, access=access
    )


def _draft_write(
    *,
    patient: User,
    questionnaire: Questionnaire,
    kept: Mapping[str, Any],
    step: str,
    access: AccessContext | None,
) -> AssessmentDraft:
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


@dataclass(frozen=True)
class StepOutcome:
    """What answering one step led to. ``assessment`` is set when the questionnaire ended
    (finished, or stopped at the first emergency); otherwise ``step`` is the step to show next
    and ``answers`` what the draft keeps. ``refused`` says the last step was answered but the
    whole could not be judged: ``step`` then points at the first answer to check."""

    answers: dict[str, Any]
    step: str = ""
    assessment: Assessment | None = None
    refused: bool = False


@transaction.atomic
def assessment_step_answer(
    *,
    questionnaire: Questionnaire,
    answers: Mapping[str, Any],
    step: str,
    patient: User | None = None,
    session_key: str = "",
    access: AccessContext | None = None,
) -> StepOutcome:
    """The patient answered ``step`` (``answers`` holds everything so far): check the answers
    once, then stop at an emergency, submit after the last step, or move the draft on to the
    next step. A patient's draft is written once per step (one PHI access row); a visitor's
    draft is the caller's to keep (``StepOutcome.answers``/``step``), in their session.

    Raises ``InvalidAnswers`` for a value no questionnaire would accept (nothing is saved).
    """
    kept = draft_answers_clean(questionnaire=questionnaire, answers=answers)
    definition = questionnaire_definition(questionnaire=questionnaire)
    submission = {
        "questionnaire": questionnaire,
        "answers": kept,
        "patient": patient,
        "session_key": session_key,
        "access": access,
    }
    following = steps.step_after(definition, kept, step)
    refused = False
    if following:
        early = assessment_submit_if_emergency(**submission)
        if early is not None:
            return StepOutcome(answers=kept, assessment=early)
    else:
        try:
            return StepOutcome(answers=kept, assessment=assessment_submit(**submission))
        except InvalidAnswers as exc:
            following = steps.step_holding(definition, next(iter(exc.errors)))
            refused = True
    if patient is not None:
        _draft_write(
            patient=patient, questionnaire=questionnaire, kept=kept, step=following, access=access
        )
    return StepOutcome(answers=kept, step=following, refused=refused)


@transaction.atomic
def assessment_draft_discard(
    *, patient: User, questionnaire: Questionnaire, access: AccessContext | None = None
) -> None:
    draft = AssessmentDraft.objects.filter(patient=patient, questionnaire=questionnaire).first()
    if draft is None:
        return
    AssessmentDraft.objects.filter(pk=draft.pk).delete()
    phi_access_record(access=access, action=Action.CHANGE, obj=draft, patient_id=patient.pk)
