"""Education's part of a symptom check's result page (found by ``clinic.discovery``): the
articles to read next, the emergency guide first for an emergency."""

from education.selectors import article_list_for_triage

TEMPLATE = "education/_triage_reading.html"


def context(*, assessment) -> dict:
    return {
        "articles": article_list_for_triage(pattern=assessment.pattern, urgency=assessment.urgency)
    }
