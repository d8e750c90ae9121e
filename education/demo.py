"""Demo data of the education app: people, topic tags and the published articles of
``demo_articles/`` (data files: ``index.toml``, and each article as Markdown with TOML front
matter, its Spanish translation beside it), written through the services (so each has its
revisions). Idempotent: an article whose content already matches is left alone, so a second run
adds no revision."""

import re
import tomllib
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from importlib import import_module
from pathlib import Path

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from clinic.demo import STAFF_GROUP
from clinic.models import Location
from education import services
from education.models import Article, Person, Tag

TRIAGE_TAGS = import_module("education.migrations.0002_search_index_and_triage_tags").TRIAGE_TAGS
DEMO_ARTICLES = Path(__file__).resolve().parent / "demo_articles"
FRONT_MATTER = re.compile(r"\A\+\+\+\n(?P<front>.*?)\n\+\+\+\n(?P<body>.*)\Z", re.DOTALL)

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


@dataclass(frozen=True)
class DemoContent:
    people: list[dict]
    topic_tags: list[dict]
    articles: list[dict]  # front matter, ``slug``, ``body`` and the Spanish one as ``es``


def _front_matter_and_body(path: Path) -> dict:
    """A Markdown file's TOML front matter (between ``+++`` lines) with the text after it as
    ``body``."""
    found = FRONT_MATTER.match(path.read_text(encoding="utf-8"))
    if found is None:
        raise ValueError(f"{path.name}: no front matter between +++ lines")
    return {**tomllib.loads(found["front"]), "body": found["body"]}


def demo_content(folder: Path = DEMO_ARTICLES) -> DemoContent:
    """The demo texts, articles in the order ``index.toml`` lists them (every article file
    must be listed there)."""
    index = tomllib.loads((folder / "index.toml").read_text(encoding="utf-8"))
    unlisted = {path.name.split(".")[0] for path in folder.glob("*.md")} - set(index["articles"])
    if unlisted:
        raise ValueError(f"articles missing from index.toml: {sorted(unlisted)}")
    articles = []
    for slug in index["articles"]:
        spec = {"slug": slug, **_front_matter_and_body(folder / f"{slug}.md")}
        spanish = folder / f"{slug}.es.md"
        if spanish.exists():
            spec["es"] = _front_matter_and_body(spanish)
        articles.append(spec)
    return DemoContent(people=index["people"], topic_tags=index["topic_tags"], articles=articles)


def _faq(language: str, entries: list[dict]) -> list[dict]:
    return [
        {"language": language, "question": entry["question"], "answer": entry["answer"]}
        for entry in entries
    ]


def _publish_time(day: str) -> datetime:
    return datetime.combine(date.fromisoformat(day), time(14, 0), tzinfo=UTC)


def _content(spec: dict, people: dict, tags: dict, locations: dict) -> dict:
    es = spec.get("es")
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
        "faq": _faq("en", spec["faq"]) + _faq("es", (es or {}).get("faq", [])),
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
    texts = demo_content()
    people = {}
    for spec in texts.people:
        fields = {k: v for k, v in spec.items() if k != "slug"}
        people[spec["slug"]], _ = Person.objects.update_or_create(
            slug=spec["slug"], defaults=fields
        )
    for spec in texts.topic_tags:
        Tag.objects.update_or_create(
            slug=spec["slug"], defaults={"name": spec["name"], "name_es": spec["name_es"]}
        )
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
    for spec in texts.articles:
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
    for spec in texts.articles:
        related = [articles[slug] for slug in spec["related"]]
        changed += _update_if_changed(articles[spec["slug"]], related=related)

    group, _ = Group.objects.get_or_create(name=STAFF_GROUP)
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="education", codename__in=EDITOR_PERMISSIONS
        )
    )
    stdout.write(
        f"Education: {len(texts.articles)} published articles ({changed} created or changed)."
    )
