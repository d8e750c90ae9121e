"""What signing in means for triage (found by ``clinic.discovery``): the anonymous symptom
checks this browser made recently become the account's."""

from triage.web_session import claim_session_checks


def signed_in(request, user) -> None:
    claim_session_checks(request, user)
