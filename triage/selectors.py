"""Reads of triage: published definitions (parsed once per process), patients' assessments and
the staff alert queue."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone

from audit.context import AccessContext
from audit.models import Action
from audit.services import phi_access_denied, phi_access_record
from clinic.models import Location, User
from clinic.selectors import location_default, patient_profile_for
from triage.definitions import QuestionnaireDef, RulesetDef, parse_questionnaire, parse_ruleset
from triage.errors import AssessmentNotFound, QuestionnaireNotFound
from triage.models import (
    AlertDelivery,
    AlertSeverity,
    AlertStatus,
    Assessment,
    AssessmentDraft,
    FollowUp,
    Questionnaire,
    Ruleset,
    StaffAlert,
    Urgency,
    VersionStatus,
)

ALERT_RESPONDERS_GROUP = "Alert responders"
DEFAULT_QUESTIONNAIRE = "lumbar-radiculopathy"

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


@dataclass(frozen=True)
class WarningSigns:
    """The "when to seek care now" lists: English texts (msgids), translated when shown."""

    emergency: tuple[str, ...]
    urgent: tuple[str, ...]


def warning_signs_current(*, slug: str = DEFAULT_QUESTIONNAIRE) -> WarningSigns:
    """The warning signs of the newest published ruleset's emergency and urgent rules: the one
    source of every "when to seek care now" list, so no page can call something an emergency
    that the rules call urgent. Empty lists when nothing is published."""
    try:
        questionnaire = questionnaire_published(slug=slug)
        ruleset = ruleset_definition(ruleset=ruleset_published_for(questionnaire=questionnaire))
    except QuestionnaireNotFound:
        return WarningSigns(emergency=(), urgent=())
    return WarningSigns(
        emergency=ruleset.warning_signs(Urgency.EMERGENCY),
        urgent=ruleset.warning_signs(Urgency.URGENT),
    )


def routing_location(*, patient: User | None) -> Location | None:
    """Where staff work a patient's alert or follow-up: the patient's preferred location when
    it is active, else the default one."""
    profile = patient_profile_for(user=patient) if patient is not None else None
    preferred = profile.preferred_location if profile is not None else None
    return preferred if preferred is not None and preferred.is_active else location_default()


def alert_for_assessment(*, assessment: Assessment) -> StaffAlert | None:
    """The alert that stands for an assessment: its own, or the open one it was counted in by
    the flood guard."""
    if assessment.merged_into_alert_id is not None:
        return StaffAlert.objects.filter(pk=assessment.merged_into_alert_id).first()
    return StaffAlert.objects.filter(assessment=assessment).first()


def _assessments_of(patient: User) -> QuerySet[Assessment]:
    return Assessment.objects.filter(patient=patient).select_related(
        "questionnaire", "ruleset", "patient__patient_profile"
    )


def assessment_list_for(
    *, patient: User, access: AccessContext | None = None
) -> QuerySet[Assessment]:
    """The patient's own assessments, newest first (one ``list`` access recorded)."""
    phi_access_record(access=access, action=Action.LIST, model=Assessment, patient_id=patient.pk)
    return _assessments_of(patient)


def assessment_get_for(
    *, patient: User, assessment_id, access: AccessContext | None = None
) -> Assessment:
    """The patient's assessment; ``AssessmentNotFound`` for anyone else's or a malformed id
    (recorded as ``denied``)."""
    try:
        assessment = _assessments_of(patient).get(pk=assessment_id)
    except (Assessment.DoesNotExist, ValidationError, ValueError, TypeError) as exc:
        phi_access_denied(access=access, model=Assessment, object_id=assessment_id)
        raise AssessmentNotFound() from exc
    phi_access_record(
        access=access, action=Action.VIEW, obj=assessment, patient_id=assessment.patient_id
    )
    return assessment


def assessment_for_visitor(
    *, user, assessment_id, session_ids: list[str], access: AccessContext | None = None
) -> Assessment | None:
    """The assessment a web visitor may see: a logged-in patient's own, or an anonymous one whose
    id the visitor's session holds (it made it). ``None`` for anything else (recorded as
    ``denied``)."""
    assessment = (
        Assessment.objects.select_related("questionnaire", "ruleset")
        .filter(pk=assessment_id)
        .first()
    )
    if assessment is None:
        allowed = False
    elif assessment.patient_id is not None:
        allowed = user.is_authenticated and assessment.patient_id == user.pk
    else:
        allowed = str(assessment.pk) in session_ids
    phi_access_record(
        access=access,
        action=Action.VIEW if allowed else Action.DENIED,
        model=Assessment,
        object_id=assessment_id,
        patient_id=assessment.patient_id if assessment else None,
    )
    return assessment if allowed else None


def assessment_latest_for(*, patient: User, within: timedelta | None = None) -> Assessment | None:
    """The patient's most recent assessment, optionally only if made within ``within``."""
    assessments = _assessments_of(patient)
    if within is not None:
        assessments = assessments.filter(created_at__gte=timezone.now() - within)
    return assessments.first()


def assessment_draft_for(
    *, patient: User, questionnaire: Questionnaire, access: AccessContext | None = None
) -> AssessmentDraft | None:
    draft = AssessmentDraft.objects.filter(patient=patient, questionnaire=questionnaire).first()
    if draft is not None:
        phi_access_record(access=access, action=Action.VIEW, obj=draft, patient_id=patient.pk)
    return draft


def alert_responders_for(*, location: Location | None) -> QuerySet[User]:
    """Active staff in the "Alert responders" group who serve ``location`` (any location when
    it is ``None``)."""
    responders = User.objects.filter(
        is_active=True, is_staff=True, groups__name=ALERT_RESPONDERS_GROUP
    )
    if location is not None:
        responders = responders.filter(served_locations=location)
    return responders.distinct().order_by("email")


def alert_escalation_minutes(*, severity: str) -> int:
    """How long an alert of this severity may wait unacknowledged before it is escalated."""
    if severity == AlertSeverity.CRITICAL:
        return settings.ALERT_ESCALATE_CRITICAL_MINUTES
    return settings.ALERT_ESCALATE_HIGH_MINUTES


def _scoped_to_staff(records: QuerySet, user: User) -> QuerySet:
    if user.is_superuser:
        return records
    return records.filter(
        Q(location__in=user.served_locations.values("pk")) | Q(location__isnull=True)
    )


def alert_list_for_staff(*, user: User) -> QuerySet[StaffAlert]:
    """The alerts a staff member works: those of the locations they serve and those routed to
    no location; every alert for a superuser. Permission checks are the caller's."""
    return _scoped_to_staff(StaffAlert.objects.all(), user)


def follow_up_list_for_staff(*, user: User) -> QuerySet[FollowUp]:
    """The "soon" follow-ups a staff member works, scoped by location like the alert queue."""
    return _scoped_to_staff(FollowUp.objects.all(), user)


def alert_open_critical_count(*, user: User) -> int:
    return (
        alert_list_for_staff(user=user)
        .filter(severity=AlertSeverity.CRITICAL)
        .exclude(status=AlertStatus.RESOLVED)
        .count()
    )


def alert_delivery_ids_pending(*, due_before: datetime | None = None) -> list[int]:
    """Pending deliveries, those due for an attempt at ``due_before`` if given; oldest first."""
    pending = AlertDelivery.objects.filter(status=AlertDelivery.Status.PENDING)
    if due_before is not None:
        pending = pending.filter(next_attempt_at__lte=due_before)
    return list(pending.order_by("next_attempt_at", "pk").values_list("pk", flat=True))
