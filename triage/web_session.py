"""What the web questionnaire keeps in a visitor's browser session, and the hook that hands an
anonymous visitor's recent checks over to the account they log in to or create.

The session holds the ids of the checks it made (only that browser may see an anonymous result)
and a random token naming the browser for the alert flood guard (never the session id, which
changes at log-in)."""

import secrets

from audit.context import AccessContext
from triage.services import assessment_claim_for

SESSION_RESULTS = "triage_results"
SESSION_RESULTS_KEPT = 20
SESSION_SOURCE = "triage_source"


def session_results(request) -> list[str]:
    return list(request.session.get(SESSION_RESULTS, []))


def session_result_add(request, assessment_id) -> None:
    kept = session_results(request)
    request.session[SESSION_RESULTS] = [*kept, str(assessment_id)][-SESSION_RESULTS_KEPT:]


def session_source(request) -> str:
    """The browser's flood-guard token (made on first use)."""
    token = request.session.get(SESSION_SOURCE)
    if not token:
        token = secrets.token_urlsafe(24)
        request.session[SESSION_SOURCE] = token
    return token


def claim_session_checks(request, user) -> int:
    """Call right after ``user`` logged in or signed up in ``request``'s browser: the anonymous
    checks this session made in the last 24 hours become theirs. Returns how many."""
    claimed = assessment_claim_for(
        patient=user,
        assessment_ids=session_results(request),
        access=AccessContext.web(request),
    )
    if claimed:
        taken = {str(assessment.pk) for assessment in claimed}
        request.session[SESSION_RESULTS] = [
            pk for pk in session_results(request) if pk not in taken
        ]
    return len(claimed)
