"""Factories of the education app. Articles are made through the services, as editors make
them, so they have rendered HTML, a search vector (PostgreSQL) and revisions."""

from datetime import timedelta

import factory
from django.utils import timezone

from education import services
from education.models import Article, Person, Tag


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"person-{n}")
    name = factory.Sequence(lambda n: f"Alex Writer {n}")
    credentials = "PT, DPT"
    role = Person.Role.AUTHOR


class ReviewerFactory(PersonFactory):
    slug = factory.Sequence(lambda n: f"reviewer-{n}")
    name = factory.Sequence(lambda n: f"Dr. Robin Reviewer {n}")
    credentials = "MD"
    role = Person.Role.MEDICAL_REVIEWER


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"topic-{n}")
    name = factory.Sequence(lambda n: f"Topic {n}")


def triage_tag(kind: str, value: str) -> Tag:
    """The reserved triage tags come from migration 0002."""
    return Tag.objects.get(kind=kind, value=value)


class ArticleFactory(factory.django.DjangoModelFactory):
    """``status`` picks the editorial state; ``published`` articles went live an hour ago
    unless ``published_at`` says otherwise."""

    class Meta:
        model = Article

    title = factory.Sequence(lambda n: f"Article number {n}")
    slug = factory.Sequence(lambda n: f"article-{n}")
    summary = "A short summary of the article."
    key_takeaways = "First point\nSecond point"
    body_markdown = "## Section\n\nSome **body** text."
    category = Article.Category.CONDITIONS
    author = factory.SubFactory(PersonFactory)
    reviewer = factory.SubFactory(ReviewerFactory)
    status = Article.Status.PUBLISHED
    published_at = None

    @classmethod
    def _create(cls, model_class, *args, status=Article.Status.PUBLISHED, user=None, **kwargs):
        published_at = kwargs.pop("published_at", None)
        article = services.article_create(user=user, **kwargs)
        if status == Article.Status.DRAFT:
            if published_at is not None:
                article = services.article_update(
                    article=article, user=user, published_at=published_at
                )
            return article
        if status in (Article.Status.PUBLISHED, Article.Status.ARCHIVED):
            published_at = published_at or timezone.now() - timedelta(hours=1)
            article = services.article_publish(article=article, user=user, publish_at=published_at)
        if status == Article.Status.IN_REVIEW:
            article = services.article_send_to_review(article=article, user=user)
        if status == Article.Status.ARCHIVED:
            article = services.article_archive(article=article, user=user)
        return article


def spanish(**overrides) -> dict:
    """A Spanish translation as the services take it."""
    return {
        "language": "es",
        "title": "Título",
        "summary": "Resumen.",
        "key_takeaways": "Uno\nDos",
        "body_markdown": "## Sección\n\nTexto.",
        **overrides,
    }
