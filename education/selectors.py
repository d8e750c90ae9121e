"""Reads of the education domain. "Public" is computed here from status and publish time, so a
scheduled article appears on its own at its publish time, without a job."""

import logging
import operator
from dataclasses import dataclass
from datetime import datetime
from functools import reduce

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    FloatField,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.http import Http404
from django.utils import timezone, translation

from clinic.models import Location, User
from clinic.selectors import location_list
from education import rules, search
from education.models import (
    SEARCH_CONFIGS,
    Article,
    ArticleRevision,
    Tag,
)
from triage.models import Pattern, Urgency

logger = logging.getLogger(__name__)

DEFAULT_LANGUAGE = "en"


def _public_articles() -> QuerySet[Article]:
    return Article.objects.filter(status=Article.Status.PUBLISHED, published_at__lte=timezone.now())


def _with_card_data(articles: QuerySet[Article]) -> QuerySet[Article]:
    """What a list item needs (title in each language, tags, locations) in constant queries."""
    return articles.prefetch_related("translations", "tags", "locations")


def article_list(
    *,
    category: str = "",
    tag: Tag | None = None,
    location: Location | None = None,
    q: str = "",
) -> QuerySet[Article]:
    """Published articles, filtered; with ``q``, best matches first."""
    articles = _public_articles()
    if category:
        articles = articles.filter(category=category)
    if tag is not None:
        articles = articles.filter(
            Exists(Article.tags.through.objects.filter(article=OuterRef("pk"), tag=tag))
        )
    if location is not None:
        articles = articles.filter(_relevant_to(location))
    if q.strip():
        articles = article_search(articles=articles, q=q.strip())
    return _with_card_data(articles)


def article_search(*, articles: QuerySet[Article], q: str) -> QuerySet[Article]:
    """Full-text search weighted title > summary and topic tags > body, with English and
    Spanish stemming: PostgreSQL's text search, or SQLite's FTS5 tables (``education.search``);
    a plain case-insensitive match, title hits first, on any other database."""
    if connection.vendor == "postgresql":
        query = _postgres_query(search.query_plan(q))
        if query is None:
            return articles.none()
        return (
            articles.filter(search_vector=query)
            .annotate(rank=SearchRank(F("search_vector"), query))
            .order_by("-rank", "-published_at", "pk")
        )
    if connection.vendor == "sqlite":
        scores = search.ranked_ids(q)
        return (
            articles.filter(pk__in=list(scores))
            .annotate(
                rank=Case(
                    *(When(pk=pk, then=Value(score)) for pk, score in scores.items()),
                    default=Value(0.0),
                    output_field=FloatField(),
                )
            )
            .order_by("-rank", "-published_at", "pk")
        )
    text = (
        Q(title__icontains=q)
        | Q(summary__icontains=q)
        | Q(body_markdown__icontains=q)
        | Q(translations__title__icontains=q)
        | Q(translations__summary__icontains=q)
        | Q(translations__body_markdown__icontains=q)
    )
    matching = Article.objects.filter(text).values("pk")
    return (
        articles.filter(pk__in=matching)
        .annotate(
            rank=Case(
                When(title__icontains=q, then=Value(3)),
                When(summary__icontains=q, then=Value(2)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("-rank", "-published_at", "pk")
    )


def _postgres_query(plan: search.QueryPlan) -> SearchQuery | None:
    """The plan as a ``tsquery``: each term in English or in Spanish (either stemming may
    match), every group required, an excluded term absent in both languages."""

    def term(words: search.Term, *, invert: bool = False) -> list[SearchQuery]:
        text = " ".join(words)
        return [
            SearchQuery(text, search_type="phrase", config=config, invert=invert)
            for config in SEARCH_CONFIGS.values()
        ]

    if not plan.groups:
        return None
    required = [reduce(operator.or_, [q for t in group for q in term(t)]) for group in plan.groups]
    absent = [q for words in plan.excluded for q in term(words, invert=True)]
    return reduce(operator.and_, required + absent)


def article_list_version(*, articles: QuerySet[Article]) -> tuple[int, datetime | None]:
    """How many articles a list has and when it last changed (for ETag and Last-Modified).
    A scheduled article going live changes the count and the newest publish time."""
    stats = articles.order_by().aggregate(
        count=Count("pk"), updated=Max("updated_at"), published=Max("published_at")
    )
    stamps = [s for s in (stats["updated"], stats["published"]) if s is not None]
    return stats["count"], max(stamps) if stamps else None


def article_next_publication_in() -> float | None:
    """Seconds until the next scheduled article goes live (None when none is scheduled): how
    long a public answer listing articles may be kept unchanged."""
    now = timezone.now()
    upcoming = (
        Article.objects.filter(status=Article.Status.PUBLISHED, published_at__gt=now)
        .order_by()
        .aggregate(first=Min("published_at"))["first"]
    )
    return None if upcoming is None else (upcoming - now).total_seconds()


def _relevant_to(location: Location) -> Q:
    """Articles for that location, and those for every location (no location chosen)."""
    through = Article.locations.through.objects
    return Q(Exists(through.filter(article=OuterRef("pk"), location=location))) | ~Q(
        Exists(through.filter(article=OuterRef("pk")))
    )


def article_list_for_location(*, location: Location) -> QuerySet[Article]:
    """Published articles relevant to a location (for its public page), in constant queries."""
    return _with_card_data(_public_articles().filter(_relevant_to(location)))


def article_list_for_triage(*, pattern: str, urgency: str, limit: int = 3) -> list[Article]:
    """Up to ``limit`` published articles for a triage result. An emergency result always gets
    the emergency warning-signs guide first (when it is published). Unknown codes match nothing
    but never fail: the triage result page must always render."""
    if pattern not in Pattern.values:
        logger.warning("education: unknown triage pattern code %r", pattern)
    if urgency not in Urgency.values:
        logger.warning("education: unknown triage urgency code %r", urgency)
    emergency = urgency == Urgency.EMERGENCY
    through = Article.tags.through.objects

    def tagged(kind: str, value: str) -> Exists:
        return Exists(through.filter(article=OuterRef("pk"), tag__kind=kind, tag__value=value))

    candidates = list(
        _with_card_data(
            _public_articles()
            .annotate(
                matches_pattern=tagged(Tag.Kind.TRIAGE_PATTERN, pattern),
                matches_urgency=tagged(Tag.Kind.TRIAGE_URGENCY, urgency),
            )
            .filter(
                Q(matches_pattern=True)
                | Q(matches_urgency=True)
                | (Q(is_emergency_guide=True) if emergency else Q(pk__in=[]))
            )
        )
    )
    by_key = {a.pk: a for a in candidates}
    order = rules.triage_reading_order(
        [
            rules.TriageCandidate(
                key=a.pk,
                matches_pattern=a.matches_pattern,
                matches_urgency=a.matches_urgency,
                is_emergency_guide=a.is_emergency_guide,
                sort_order=a.sort_order,
                published_ts=a.published_at.timestamp(),
            )
            for a in candidates
        ],
        emergency=emergency,
        limit=limit,
    )
    return [by_key[key] for key in order]


def _with_page_data(articles: QuerySet[Article]) -> QuerySet[Article]:
    return (
        _with_card_data(articles)
        .select_related("author", "reviewer")
        .prefetch_related(
            "faq_entries",
            Prefetch(
                "related",
                queryset=_public_articles().prefetch_related("translations").order_by("sort_order"),
                to_attr="public_related",
            ),
        )
    )


def article_get_public(*, slug: str) -> Article:
    """The published article with that slug; ``Http404`` otherwise."""
    article = _with_page_data(_public_articles()).filter(slug=slug).first()
    if article is None:
        raise Http404("No such article.")
    return article


def can_preview(*, user: User) -> bool:
    return bool(user.is_active and user.is_staff and user.has_perm("education.view_article"))


def article_get_for_reader(*, slug: str, user: User) -> Article:
    """The public article; staff who may view articles also get drafts, articles in review,
    scheduled and archived ones (shown as a preview). Anyone else: ``Http404``."""
    if not can_preview(user=user):
        return article_get_public(slug=slug)
    article = _with_page_data(Article.objects.all()).filter(slug=slug).first()
    if article is None:
        raise Http404("No such article.")
    return article


def tag_list_in_use() -> QuerySet[Tag]:
    """Topic tags of at least one published article (for the list page's filter)."""
    return (
        Tag.objects.filter(kind=Tag.Kind.TOPIC)
        .filter(
            Exists(
                Article.tags.through.objects.filter(
                    tag=OuterRef("pk"), article__in=_public_articles()
                )
            )
        )
        .order_by("name")
    )


def article_locations(*, article: Article) -> list[Location]:
    """Where the article's reader can book: its locations, or every active location."""
    chosen = [loc for loc in article.locations.all() if loc.is_active]
    return chosen or list(location_list())


@dataclass(frozen=True)
class FaqItem:
    question: str
    answer: str
    language: str


@dataclass(frozen=True)
class LocalizedArticle:
    """An article's text in the reader's language, or in English when there is no translation
    (``is_fallback`` then tells the page to say so)."""

    article: Article
    language: str
    requested_language: str
    title: str
    summary: str
    takeaways: list[str]
    body_html: str

    @property
    def is_fallback(self) -> bool:
        return self.language != self.requested_language

    @property
    def available_languages(self) -> list[str]:
        return [DEFAULT_LANGUAGE, *(t.language for t in self.article.translations.all())]


def reader_language(language: str | None = None) -> str:
    """The supported language closest to ``language`` (default: the active one)."""
    code = (language or translation.get_language() or DEFAULT_LANGUAGE).split("-")[0].lower()
    supported = {code for code, _name in settings.LANGUAGES}
    return code if code in supported else DEFAULT_LANGUAGE


def article_localized(*, article: Article, language: str | None = None) -> LocalizedArticle:
    """Uses the prefetched translations of the selectors above (no query)."""
    requested = reader_language(language)
    translated = next((t for t in article.translations.all() if t.language == requested), None)
    source = translated or article
    return LocalizedArticle(
        article=article,
        language=requested if translated else DEFAULT_LANGUAGE,
        requested_language=requested,
        title=source.title,
        summary=source.summary,
        takeaways=source.takeaway_list,
        body_html=source.body_html,
    )


def article_faq(*, article: Article, language: str) -> list[FaqItem]:
    """The FAQ in ``language``; a translation without its own FAQ keeps the English one (each
    item says its language). Uses the prefetched ``faq_entries`` of the page selectors."""
    by_language: dict[str, list[FaqItem]] = {}
    for entry in sorted(article.faq_entries.all(), key=lambda f: (f.order, f.pk)):
        by_language.setdefault(entry.language, []).append(
            FaqItem(entry.question, entry.answer, entry.language)
        )
    return by_language.get(language) or by_language.get(DEFAULT_LANGUAGE, [])


def article_revisions(*, article: Article) -> QuerySet[ArticleRevision]:
    return article.revisions.select_related("created_by", "restored_from")


def article_review_overdue(*, today=None) -> QuerySet[Article]:
    """Published articles whose last medical review is more than 12 months old (or missing)."""
    today = today or timezone.localdate()
    return Article.objects.filter(status=Article.Status.PUBLISHED).filter(
        Q(last_reviewed__isnull=True) | Q(last_reviewed__lt=today - rules.REVIEW_MAX_AGE)
    )
