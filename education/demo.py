"""Demo data of the education app: people, topic tags and the published articles of
``demo_content``, written through the services (so each has its revisions). Idempotent: an
article whose content already matches is left alone, so a second run adds no revision."""

from datetime import UTC, date, datetime, time
from importlib import import_module

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from clinic.demo import STAFF_GROUP
from clinic.models import Location
from education import services
from education.demo_content import ARTICLES, PEOPLE, TOPIC_TAGS
from education.demo_content_es import TRANSLATIONS as SPANISH
from education.models import Article, Person, Tag

TRIAGE_TAGS = import_module("education.migrations.0002_search_index_and_triage_tags").TRIAGE_TAGS

EDITOR_PERMISSIONS = [
    "view_article",
    "add_article",
    "change_article",
    "view_person",
    "view_tag",
    "view_faqentry",
    "add_faqentry",
    "change_faqentry",
    "delete_faqentry",
    "view_articletranslation",
    "add_articletranslation",
    "change_articletranslation",
    "delete_articletranslation",
    "view_articlerevision",
]


def _publish_time(day: str) -> datetime:
    return datetime.combine(date.fromisoformat(day), time(14, 0), tzinfo=UTC)


def _content(spec: dict, people: dict, tags: dict, locations: dict) -> dict:
    es = spec.get("es") or SPANISH.get(spec["slug"])
    return {
        "title": spec["title"],
        "summary": spec["summary"],
        "key_takeaways": "\n".join(spec["takeaways"]),
        "body_markdown": spec["body"].strip(),
        "category": spec["category"],
        "author": people[spec["author"]],
        "reviewer": people[spec["reviewer"]],
        "last_reviewed": date.fromisoformat(spec["last_reviewed"]),
        "discusses_red_flags": spec.get("red_flags", False),
        "is_emergency_guide": spec.get("emergency_guide", False),
        "sort_order": spec["sort_order"],
        "tags": [tags[slug] for slug in spec["tags"]],
        "locations": [locations[slug] for slug in spec.get("locations", [])],
        "faq": [{"language": "en", "question": q, "answer": a} for q, a in spec["faq"]]
        + [{"language": "es", "question": q, "answer": a} for q, a in (es or {}).get("faq", [])],
        "translations": [
            {
                "language": "es",
                "title": es["title"],
                "summary": es["summary"],
                "key_takeaways": "\n".join(es["takeaways"]),
                "body_markdown": es["body"].strip(),
            }
        ]
        if es
        else [],
    }


def _update_if_changed(article: Article, **changes) -> bool:
    """Apply the changes; undo them (no revision kept) when they changed nothing."""
    before = services.article_snapshot(article=article)
    with transaction.atomic():
        services.article_update(article=article, user=None, **changes)
        if services.article_snapshot(article=article) == before:
            transaction.set_rollback(True)
            return False
    return True


def seed(*, stdout) -> None:
    people = {}
    for spec in PEOPLE:
        fields = {k: v for k, v in spec.items() if k != "slug"}
        people[spec["slug"]], _ = Person.objects.update_or_create(
            slug=spec["slug"], defaults=fields
        )
    for slug, name, name_es in TOPIC_TAGS:
        Tag.objects.update_or_create(slug=slug, defaults={"name": name, "name_es": name_es})
    # Migration 0002 creates the reserved triage tags; a database emptied since (a flush) has
    # lost them, and the demo articles carry them.
    for slug, name, name_es, kind, value in TRIAGE_TAGS:
        Tag.objects.get_or_create(
            kind=kind, value=value, defaults={"slug": slug, "name": name, "name_es": name_es}
        )
    tags = {tag.slug: tag for tag in Tag.objects.all()}
    locations = {location.slug: location for location in Location.objects.all()}

    changed = 0
    articles = {}
    for spec in ARTICLES:
        content = _content(spec, people, tags, locations)
        article = Article.objects.filter(slug=spec["slug"]).first()
        if article is None:
            article = services.article_create(user=None, slug=spec["slug"], **content)
            changed += 1
        elif _update_if_changed(article, **content):
            changed += 1
        publish_at = _publish_time(spec["published"])
        article.refresh_from_db()
        if article.status != Article.Status.PUBLISHED or article.published_at != publish_at:
            services.article_publish(article=article, user=None, publish_at=publish_at)
        articles[spec["slug"]] = article
    for spec in ARTICLES:
        related = [articles[slug] for slug in spec["related"]]
        changed += _update_if_changed(articles[spec["slug"]], related=related)

    group, _ = Group.objects.get_or_create(name=STAFF_GROUP)
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="education", codename__in=EDITOR_PERMISSIONS
        )
    )
    stdout.write(f"Education: {len(ARTICLES)} published articles ({changed} created or changed).")
