"""Writes of the education domain. Every change to an article ends in ``article_record_change``:
the Markdown is rendered and sanitised into the stored HTML, the search index is refreshed
(PostgreSQL's search vector, or SQLite's FTS5 rows), ``updated_at`` moves, and a revision with
who, when and a snapshot is kept."""

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

from django.contrib.postgres.search import SearchVector
from django.db import connection, transaction
from django.db.models import Max, TextField, Value
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

from clinic.errors import ClinicError, Conflict
from clinic.models import Location, User
from education import rules, search
from education.models import (
    SEARCH_CONFIGS,
    Article,
    ArticleRevision,
    ArticleTranslation,
    FaqEntry,
    Person,
    Tag,
)
from education.rendering import render_markdown


class InvalidStatusChange(Conflict):
    code = "invalid_status_change"
    default_detail = _("The article cannot move to that status from its current one.")


class ReviewerRequired(ClinicError):
    code = "reviewer_required"
    field = "reviewer"
    default_detail = _("An article needs a medical reviewer before it is published.")


# Editable scalar fields; relations, FAQ and translations are passed separately.
CONTENT_FIELDS = (
    "slug",
    "title",
    "summary",
    "key_takeaways",
    "body_markdown",
    "category",
    "last_reviewed",
    "discusses_red_flags",
    "is_emergency_guide",
    "sort_order",
)
WORKFLOW_FIELDS = ("status", "published_at")
TRANSLATION_FIELDS = ("language", "title", "summary", "key_takeaways", "body_markdown")

FaqInput = Mapping[str, Any]  # {"question", "answer", "language" (default "en")}
TranslationInput = Mapping[str, Any]  # TRANSLATION_FIELDS


@transaction.atomic
def article_create(
    *,
    user: User | None,
    title: str,
    slug: str,
    summary: str,
    body_markdown: str,
    category: str,
    author: Person,
    reviewer: Person | None = None,
    key_takeaways: str = "",
    last_reviewed: date | None = None,
    discusses_red_flags: bool = False,
    is_emergency_guide: bool = False,
    sort_order: int = 100,
    published_at: datetime | None = None,
    tags: Iterable[Tag] = (),
    locations: Iterable[Location] = (),
    related: Iterable[Article] = (),
    faq: Iterable[FaqInput] = (),
    translations: Iterable[TranslationInput] = (),
) -> Article:
    """A new draft article. Raises ``ValidationError`` for invalid fields (slug taken, a second
    emergency guide...)."""
    article = Article(
        title=title,
        slug=slug,
        summary=summary,
        body_markdown=body_markdown,
        category=category,
        author=author,
        reviewer=reviewer,
        key_takeaways=key_takeaways,
        last_reviewed=last_reviewed,
        discusses_red_flags=discusses_red_flags,
        is_emergency_guide=is_emergency_guide,
        sort_order=sort_order,
        published_at=published_at,
        status=Article.Status.DRAFT,
    )
    article.full_clean(exclude=["body_html", "search_vector"])
    article.save()
    article.tags.set(tags)
    article.locations.set(locations)
    article.related.set([other for other in related if other.pk != article.pk])
    _replace_faq(article, faq)
    _replace_translations(article, translations)
    return article_record_change(article=article, user=user, action=ArticleRevision.Action.CREATED)


@transaction.atomic
def article_update(*, article: Article, user: User | None, **changes: Any) -> Article:
    """Change the given content fields, relations (``tags``, ``locations``, ``related``,
    ``author``, ``reviewer``), ``faq`` or ``translations`` (each replaces the whole list)."""
    relations = {"tags", "locations", "related"}
    allowed = {*CONTENT_FIELDS, "published_at", "author", "reviewer", "faq", "translations"}
    unknown = set(changes) - allowed - relations
    if unknown:
        raise TypeError(f"Unknown article fields: {sorted(unknown)}")
    article = _locked(article)
    for name in (*CONTENT_FIELDS, "published_at", "author", "reviewer"):
        if name in changes:
            setattr(article, name, changes[name])
    article.full_clean(exclude=["body_html", "search_vector"])
    article.save()
    for name in relations & set(changes):
        values = changes[name]
        if name == "related":
            values = [other for other in values if other.pk != article.pk]
        getattr(article, name).set(values)
    if "faq" in changes:
        _replace_faq(article, changes["faq"])
    if "translations" in changes:
        _replace_translations(article, changes["translations"])
    return article_record_change(article=article, user=user, action=ArticleRevision.Action.UPDATED)


@transaction.atomic
def article_send_to_review(*, article: Article, user: User | None) -> Article:
    """Hand the article to its medical reviewer; a published one leaves the site meanwhile."""
    return _move(_locked(article), user, target=Article.Status.IN_REVIEW)


@transaction.atomic
def article_publish(
    *, article: Article, user: User | None, publish_at: datetime | None = None
) -> Article:
    """Publish now, or at ``publish_at`` (a future time schedules it). An article keeps the
    publish time it already has unless one is given. Needs a medical reviewer; the review date
    is set to today when it has none."""
    article = _locked(article)
    if article.reviewer is None or not article.reviewer.can_review:
        raise ReviewerRequired()
    if publish_at is not None:
        article.published_at = publish_at
    elif article.published_at is None:
        article.published_at = timezone.now()
    if article.last_reviewed is None:
        article.last_reviewed = timezone.localdate()
    return _move(article, user, target=Article.Status.PUBLISHED)


@transaction.atomic
def article_archive(*, article: Article, user: User | None) -> Article:
    """Take the article off the site for good (it can be published again later)."""
    return _move(_locked(article), user, target=Article.Status.ARCHIVED)


@transaction.atomic
def article_restore_revision(*, revision: ArticleRevision, user: User | None) -> Article:
    """Put the content of an earlier revision back (status and publish time stay as they are);
    the restore is itself a new revision. Tags, locations or related articles deleted since are
    left out."""
    article = _locked(revision.article)
    snap = revision.snapshot
    for name in CONTENT_FIELDS:
        setattr(article, name, snap[name])
    article.last_reviewed = parse_date(snap["last_reviewed"]) if snap["last_reviewed"] else None
    article.author = Person.objects.get(pk=snap["author"]["id"])
    reviewer = snap["reviewer"]
    article.reviewer = Person.objects.filter(pk=reviewer["id"]).first() if reviewer else None
    article.full_clean(exclude=["body_html", "search_vector"])
    article.save()
    article.tags.set(Tag.objects.filter(slug__in=snap["tags"]))
    article.locations.set(Location.objects.filter(slug__in=snap["locations"]))
    article.related.set(Article.objects.filter(slug__in=snap["related"]).exclude(pk=article.pk))
    _replace_faq(article, snap["faq"])
    _replace_translations(article, snap["translations"])
    return article_record_change(
        article=article,
        user=user,
        action=ArticleRevision.Action.RESTORED,
        restored_from=revision,
    )


def article_record_change(
    *,
    article: Article,
    user: User | None,
    action: str,
    restored_from: ArticleRevision | None = None,
) -> Article:
    """After any change to an article or its FAQ, translations or relations (by a service or
    the admin's forms): refresh the derived fields and keep a revision. Call inside the
    change's transaction."""
    article.body_html = render_markdown(article.body_markdown)
    article.updated_at = timezone.now()
    article.save(update_fields=["body_html", "updated_at"])
    for item in article.translations.all():
        item.body_html = render_markdown(item.body_markdown)
        item.save(update_fields=["body_html"])
    _refresh_search_index(article)
    last = article.revisions.aggregate(last=Max("number"))["last"] or 0
    ArticleRevision.objects.create(
        article=article,
        number=last + 1,
        created_by=user if user is not None and user.is_authenticated else None,
        action=action,
        restored_from=restored_from,
        snapshot=article_snapshot(article=article),
    )
    return article


def article_snapshot(*, article: Article) -> dict[str, Any]:
    """Everything an editor can change, as JSON: what a revision keeps and a restore reads."""

    def person(p: Person | None) -> dict[str, Any] | None:
        return {"id": p.pk, "name": str(p)} if p else None

    return {
        **{name: getattr(article, name) for name in CONTENT_FIELDS if name != "last_reviewed"},
        "last_reviewed": article.last_reviewed.isoformat() if article.last_reviewed else None,
        "status": article.status,
        "published_at": article.published_at.isoformat() if article.published_at else None,
        "author": person(article.author),
        "reviewer": person(article.reviewer),
        "tags": sorted(article.tags.values_list("slug", flat=True)),
        "locations": sorted(article.locations.values_list("slug", flat=True)),
        "related": sorted(article.related.values_list("slug", flat=True)),
        "faq": [
            {"language": f.language, "question": f.question, "answer": f.answer}
            for f in article.faq_entries.order_by("language", "order", "pk")
        ],
        "translations": [
            {name: getattr(t, name) for name in TRANSLATION_FIELDS}
            for t in article.translations.order_by("language")
        ],
    }


def _locked(article: Article) -> Article:
    return (
        Article.objects.select_for_update(of=("self",))
        .select_related("author", "reviewer")
        .get(pk=article.pk)
    )


def _move(article: Article, user: User | None, *, target: str) -> Article:
    """``article`` comes from ``_locked``: its status is the current one."""
    if not rules.can_move(current=article.status, target=target):
        raise InvalidStatusChange()
    article.status = target
    article.save()
    return article_record_change(article=article, user=user, action=_ACTIONS[target])


_ACTIONS = {
    Article.Status.IN_REVIEW: ArticleRevision.Action.SENT_TO_REVIEW,
    Article.Status.PUBLISHED: ArticleRevision.Action.PUBLISHED,
    Article.Status.ARCHIVED: ArticleRevision.Action.ARCHIVED,
}


def _replace_faq(article: Article, entries: Iterable[FaqInput]) -> None:
    article.faq_entries.all().delete()
    per_language: dict[str, int] = {}
    rows = []
    for entry in entries:
        language = entry.get("language", "en")
        per_language[language] = per_language.get(language, 0) + 1
        row = FaqEntry(
            article=article,
            language=language,
            order=per_language[language],
            question=entry["question"],
            answer=entry["answer"],
        )
        row.full_clean(exclude=["article"])
        rows.append(row)
    FaqEntry.objects.bulk_create(rows)


def _replace_translations(article: Article, translations: Iterable[TranslationInput]) -> None:
    article.translations.all().delete()
    for data in translations:
        item = ArticleTranslation(article=article, **{k: data[k] for k in TRANSLATION_FIELDS})
        item.full_clean(exclude=["article", "body_html"])
        item.save()


def _refresh_search_index(article: Article) -> None:
    """Title, summary, body and topic tag names, in English and in each translation's
    language: PostgreSQL's weighted search vector (A, B, C; tags B), or the SQLite FTS5 rows
    (``education.search``)."""
    topics = list(article.tags.filter(kind=Tag.Kind.TOPIC))
    translations = list(article.translations.all())
    if connection.vendor == "sqlite":
        texts = search.texts_of(article, topics=topics, translations=translations)
        search.index_rows(article_id=article.pk, texts=texts)
        return
    if connection.vendor != "postgresql":
        return
    texts = [(article.title, article.summary, article.body_html, "en")] + [
        (t.title, t.summary, t.body_html, t.language) for t in translations
    ]
    vector = None
    parts = [
        (text, weight, SEARCH_CONFIGS.get(language, "simple"))
        for title, summary, body_html, language in texts
        for text, weight in ((title, "A"), (summary, "B"), (strip_tags(body_html), "C"))
    ]
    parts += [
        (" ".join(tag.name for tag in topics), "B", SEARCH_CONFIGS["en"]),
        (" ".join(tag.name_es or tag.name for tag in topics), "B", SEARCH_CONFIGS["es"]),
    ]
    for text, weight, config in parts:
        part = SearchVector(Value(text, output_field=TextField()), weight=weight, config=config)
        vector = part if vector is None else vector + part
    Article.objects.filter(pk=article.pk).update(search_vector=vector)
