from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from education import services
from education.models import Article, ArticleRevision, Person
from education.selectors import article_get_public
from tests.education.factories import ArticleFactory, PersonFactory, ReviewerFactory, TagFactory
from tests.factories import LocationFactory, StaffFactory

pytestmark = pytest.mark.django_db


def test_create_makes_a_draft_with_rendered_sanitised_html_and_a_first_revision():
    editor = StaffFactory()
    article = ArticleFactory(
        status=Article.Status.DRAFT,
        user=editor,
        body_markdown="## Hi\n\n<script>alert(1)</script><img src=x onerror=alert(1)>Text",
        faq=[{"question": "Q1?", "answer": "A1."}],
    )
    assert article.status == Article.Status.DRAFT
    assert article.published_at is None
    assert "<script" not in article.body_html
    assert "onerror" not in article.body_html
    assert article.body_html.startswith("<h2>Hi</h2>")
    revision = article.revisions.get()
    assert (revision.number, revision.action, revision.created_by) == (1, "created", editor)
    assert revision.snapshot["faq"] == [{"language": "en", "question": "Q1?", "answer": "A1."}]


def test_update_rerenders_translations_and_records_who_changed_what():
    editor = StaffFactory()
    article = ArticleFactory(status=Article.Status.DRAFT)
    before = article.updated_at
    services.article_update(
        article=article,
        user=editor,
        title="New title",
        translations=[
            {
                "language": "es",
                "title": "Título",
                "summary": "Resumen.",
                "key_takeaways": "Uno\nDos",
                "body_markdown": "## Sección\n\n<a href='javascript:x()'>enlace</a>",
            }
        ],
    )
    article.refresh_from_db()
    assert article.title == "New title"
    assert article.updated_at > before
    translation = article.translations.get()
    assert translation.body_html.startswith("<h2>Sección</h2>")
    assert "javascript:" not in translation.body_html
    revision = article.revisions.first()
    assert (revision.number, revision.action, revision.created_by) == (2, "updated", editor)
    assert revision.snapshot["title"] == "New title"
    assert revision.snapshot["translations"][0]["title"] == "Título"


def test_update_rejects_unknown_fields():
    article = ArticleFactory(status=Article.Status.DRAFT)
    with pytest.raises(TypeError):
        services.article_update(article=article, user=None, status="published")


def test_article_cannot_be_related_to_itself():
    article = ArticleFactory()
    other = ArticleFactory()
    services.article_update(article=article, user=None, related=[article, other])
    assert list(article.related.all()) == [other]


def test_publish_needs_a_medical_reviewer():
    article = ArticleFactory(status=Article.Status.DRAFT, reviewer=None)
    with pytest.raises(services.ReviewerRequired) as caught:
        services.article_publish(article=article, user=None)
    assert caught.value.code == "reviewer_required"
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT


def test_a_person_without_the_review_role_cannot_be_the_reviewer():
    with pytest.raises(ValidationError) as caught:
        ArticleFactory(status=Article.Status.DRAFT, reviewer=PersonFactory())
    assert "reviewer" in caught.value.message_dict


def test_a_reviewer_who_lost_the_review_role_cannot_publish():
    article = ArticleFactory(status=Article.Status.DRAFT)
    article.reviewer.role = Person.Role.AUTHOR
    article.reviewer.save()
    with pytest.raises(services.ReviewerRequired):
        services.article_publish(article=article, user=None)


@time_machine.travel("2026-03-10 15:00Z", tick=False)
def test_publish_now_sets_publish_time_and_review_date():
    article = ArticleFactory(status=Article.Status.IN_REVIEW)
    services.article_publish(article=article, user=None)
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert article.published_at == timezone.now()
    assert article.last_reviewed == date(2026, 3, 10)
    assert article.is_public
    assert not article.is_scheduled
    assert article.revisions.first().action == ArticleRevision.Action.PUBLISHED


def test_scheduled_article_becomes_public_at_its_publish_time_without_a_job():
    go_live = timezone.now() + timedelta(days=2)
    article = ArticleFactory(status=Article.Status.IN_REVIEW)
    services.article_publish(article=article, user=None, publish_at=go_live)
    article.refresh_from_db()
    assert article.is_scheduled
    assert not article.is_public
    with pytest.raises(Http404):
        article_get_public(slug=article.slug)
    with time_machine.travel(go_live + timedelta(seconds=1)):
        assert article_get_public(slug=article.slug).pk == article.pk


def test_republishing_keeps_the_original_publish_time():
    article = ArticleFactory()
    first = article.published_at
    services.article_archive(article=article, user=None)
    services.article_publish(article=article, user=None)
    article.refresh_from_db()
    assert article.published_at == first
    assert article.status == Article.Status.PUBLISHED


def test_sending_a_published_article_to_review_takes_it_off_the_site():
    article = ArticleFactory()
    services.article_send_to_review(article=article, user=None)
    article.refresh_from_db()
    assert article.status == Article.Status.IN_REVIEW
    assert not article.is_public


@pytest.mark.parametrize(
    ("status", "step"),
    [
        (Article.Status.IN_REVIEW, services.article_send_to_review),
        (Article.Status.ARCHIVED, services.article_archive),
    ],
)
def test_a_step_to_the_current_status_is_a_conflict(status, step):
    article = ArticleFactory(status=status)
    with pytest.raises(services.InvalidStatusChange) as caught:
        step(article=article, user=None)
    assert caught.value.status_code == 409


def test_only_one_article_can_be_the_emergency_guide():
    ArticleFactory(is_emergency_guide=True)
    with pytest.raises(ValidationError) as caught:
        ArticleFactory(is_emergency_guide=True)
    assert "Another article is already the emergency guide." in str(caught.value)


def test_restore_brings_back_content_relations_faq_and_translations_as_a_new_revision():
    editor = StaffFactory()
    tag_a, tag_b = TagFactory(), TagFactory()
    place = LocationFactory()
    article = ArticleFactory(
        title="Original",
        body_markdown="Original body",
        tags=[tag_a],
        locations=[place],
        faq=[{"question": "Old?", "answer": "Old."}],
        translations=[
            {
                "language": "es",
                "title": "Original ES",
                "summary": "Resumen",
                "key_takeaways": "",
                "body_markdown": "Cuerpo",
            }
        ],
    )
    original = article.revisions.get(action="created")
    status_before = article.status
    services.article_update(
        article=article,
        user=editor,
        title="Changed",
        body_markdown="Changed body",
        reviewer=ReviewerFactory(),
        tags=[tag_b],
        locations=[],
        faq=[],
        translations=[],
    )
    restored = services.article_restore_revision(revision=original, user=editor)
    restored.refresh_from_db()
    assert restored.title == "Original"
    assert restored.body_html == "<p>Original body</p>"
    assert list(restored.tags.all()) == [tag_a]
    assert list(restored.locations.all()) == [place]
    assert [f.question for f in restored.faq_entries.all()] == ["Old?"]
    assert restored.translations.get().title == "Original ES"
    assert restored.reviewer_id == original.snapshot["reviewer"]["id"]
    assert restored.status == status_before
    latest = restored.revisions.first()
    assert latest.action == ArticleRevision.Action.RESTORED
    assert latest.restored_from == original
    assert latest.created_by == editor
    assert latest.number == restored.revisions.count()
    assert latest.snapshot["title"] == "Original"
