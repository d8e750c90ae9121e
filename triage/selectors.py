"""Reads of triage: published definitions (parsed once per process) and patients' assessments."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone

from clinic.models import User
from triage.definitions import QuestionnaireDef, RulesetDef, parse_questionnaire, parse_ruleset
from triage.errors import AssessmentNotFound, QuestionnaireNotFound
from triage.models import Assessment, AssessmentDraft, Questionnaire, Ruleset, VersionStatus

# Published versions never change, so their parsed form is cached for the life of the process.
_parsed: dict[tuple[str, int], QuestionnaireDef | RulesetDef] = {}


def _newest_published(versions):
    newest = versions.filter(status=VersionStatus.PUBLISHED).order_by("-version").first()
    if newest is None:
        raise QuestionnaireNotFound()
    return newest


def questionnaire_published(*, slug: str) -> Questionnaire:
    """The newest published version of the questionnaire; ``QuestionnaireNotFound`` if none."""
    return _newest_published(Questionnaire.objects.filter(slug=slug))


def ruleset_published_for(*, questionnaire: Questionnaire) -> Ruleset:
    """The newest published ruleset written for this questionnaire version."""
    return _newest_published(Ruleset.objects.filter(questionnaire=questionnaire))


def questionnaire_definition(*, questionnaire: Questionnaire) -> QuestionnaireDef:
    key = ("questionnaire", questionnaire.pk)
    if questionnaire.status == VersionStatus.DRAFT:
        return parse_questionnaire(questionnaire.definition)
    if key not in _parsed:
        _parsed[key] = parse_questionnaire(questionnaire.definition)
    return _parsed[key]


def ruleset_definition(*, ruleset: Ruleset) -> RulesetDef:
    key = ("ruleset", ruleset.pk)
    if ruleset.status != VersionStatus.DRAFT and key in _parsed:
        return _parsed[key]
    parsed = parse_ruleset(
        ruleset.definition, questionnaire_definition(questionnaire=ruleset.questionnaire)
    )
    if ruleset.status != VersionStatus.DRAFT:
        _parsed[key] = parsed
    return parsed


def assessment_list_for(*, patient: User) -> QuerySet[Assessment]:
    """The patient's own assessments, newest first."""
    return Assessment.objects.filter(patient=patient).select_related("questionnaire", "ruleset")


def assessment_get_for(*, patient: User, assessment_id) -> Assessment:
    """The patient's assessment; ``AssessmentNotFound`` for anyone else's or a malformed id."""
    try:
        return assessment_list_for(patient=patient).get(pk=assessment_id)
    except (Assessment.DoesNotExist, ValidationError, ValueError, TypeError) as exc:
        raise AssessmentNotFound() from exc


def assessment_for_visitor(*, user, assessment_id, session_ids: list[str]) -> Assessment | None:
    """The assessment a web visitor may see: a logged-in patient's own, or an anonymous one whose
    id the visitor's session holds (it made it). ``None`` for anything else."""
    assessment = (
        Assessment.objects.select_related("questionnaire", "ruleset")
        .filter(pk=assessment_id)
        .first()
    )
    if assessment is None:
        return None
    if assessment.patient_id is not None:
        return assessment if user.is_authenticated and assessment.patient_id == user.pk else None
    return assessment if str(assessment.pk) in session_ids else None


def assessment_latest_for(*, patient: User, within: timedelta | None = None) -> Assessment | None:
    """The patient's most recent assessment, optionally only if made within ``within``."""
    assessments = assessment_list_for(patient=patient)
    if within is not None:
        assessments = assessments.filter(created_at__gte=timezone.now() - within)
    return assessments.first()


def assessment_draft_for(*, patient: User, questionnaire: Questionnaire) -> AssessmentDraft | None:
    return AssessmentDraft.objects.filter(patient=patient, questionnaire=questionnaire).first()
