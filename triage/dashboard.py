"""The patient dashboard's "My symptom checks" section (found by ``clinic.discovery``)."""

from audit.context import AccessContext
from clinic.selectors import location_for_patient
from triage import selectors
from triage.errors import QuestionnaireNotFound
from triage.presentation import display_zone
from triage.selectors import DEFAULT_QUESTIONNAIRE

RECENT = 5


def section(request) -> dict | None:
    if not request.user.is_authenticated:
        return None
    access = AccessContext.web(request)
    try:
        questionnaire = selectors.questionnaire_published(slug=DEFAULT_QUESTIONNAIRE)
    except QuestionnaireNotFound:
        questionnaire = None
    draft = (
        selectors.assessment_draft_for(
            patient=request.user, questionnaire=questionnaire, access=access
        )
        if questionnaire
        else None
    )
    return {
        "template": "triage/_dashboard.html",
        "assessments": list(
            selectors.assessment_list_for(patient=request.user, access=access)[:RECENT]
        ),
        "has_draft": bool(draft and draft.answers),
        "slug": DEFAULT_QUESTIONNAIRE,
        "zone": display_zone(request.user),
        "place": location_for_patient(user=request.user),
    }
