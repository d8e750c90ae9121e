"""Pure editorial rules (no ORM): status transitions, review age, triage reading order."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

REVIEW_MAX_AGE = timedelta(days=365)

DRAFT, IN_REVIEW, PUBLISHED, ARCHIVED = "draft", "in_review", "published", "archived"

# Which statuses each editorial step may start from. Publishing an already published article
# reschedules it; sending a published one back to review takes it off the site meanwhile.
ALLOWED_FROM = {
    IN_REVIEW: frozenset({DRAFT, PUBLISHED, ARCHIVED}),
    PUBLISHED: frozenset({DRAFT, IN_REVIEW, PUBLISHED, ARCHIVED}),
    ARCHIVED: frozenset({DRAFT, IN_REVIEW, PUBLISHED}),
}


def can_move(*, current: str, target: str) -> bool:
    return current in ALLOWED_FROM.get(target, frozenset())


def review_overdue(*, status: str, last_reviewed: date | None, today: date) -> bool:
    """A published article needs a fresh medical review 12 months after the last one."""
    if status != PUBLISHED:
        return False
    return last_reviewed is None or today - last_reviewed > REVIEW_MAX_AGE


@dataclass(frozen=True)
class TriageCandidate:
    """What the triage reading order needs to know about one published article."""

    key: int
    matches_pattern: bool
    matches_urgency: bool
    is_emergency_guide: bool
    sort_order: int
    published_ts: float


def triage_reading_order(
    candidates: Iterable[TriageCandidate], *, emergency: bool, limit: int
) -> list[int]:
    """Keys of the articles to show after a triage result, best first.

    For an emergency result the emergency guide always comes first; then articles matching
    both the pattern and the urgency, then the pattern only, then the urgency only; ties go to
    the editors' sort order, then the most recently published.
    """
    eligible = [
        c
        for c in candidates
        if c.matches_pattern or c.matches_urgency or (emergency and c.is_emergency_guide)
    ]
    eligible.sort(
        key=lambda c: (
            not (emergency and c.is_emergency_guide),
            -(2 * c.matches_pattern + c.matches_urgency),
            c.sort_order,
            -c.published_ts,
        )
    )
    return [c.key for c in eligible[: max(limit, 0)]]
