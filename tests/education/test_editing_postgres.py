"""Editing articles on PostgreSQL with no wrapping test transaction. Every service step locks
the article row, so editors working on one article at once take turns: each change reads the
status the previous one committed, and revisions are numbered without a gap or a clash."""

import pytest
from django.db import transaction

from education import services
from education.models import Article
from tests.concurrency import Background, race, until_blocked
from tests.conftest import login_verified
from tests.education.factories import ArticleFactory
from tests.factories import UserFactory

pytestmark = [pytest.mark.requires_postgres, pytest.mark.django_db(transaction=True)]
CHANGELIST = "/admin/education/article/"


@pytest.fixture
def editor():
    return UserFactory(is_staff=True, is_superuser=True)


def revisions(article: Article) -> list[tuple[int, str]]:
    return list(article.revisions.order_by("number").values_list("number", "action"))


def test_publish_then_archive_from_the_admin_commit_with_their_revisions(client, editor):
    article = ArticleFactory(status=Article.Status.IN_REVIEW)
    login_verified(client, editor)
    published = client.post(
        CHANGELIST, {"action": "publish", "_selected_action": [article.pk]}, follow=True
    )
    assert "1 published." in published.content.decode()
    archived = client.post(
        CHANGELIST, {"action": "archive", "_selected_action": [article.pk]}, follow=True
    )
    assert "1 archived." in archived.content.decode()
    article.refresh_from_db()
    assert article.status == "archived"
    assert revisions(article) == [
        (1, "created"),
        (2, "sent_to_review"),
        (3, "published"),
        (4, "archived"),
    ]


def test_restoring_a_revision_in_the_admin_commits_a_new_revision(client, editor):
    article = ArticleFactory(title="First title")
    services.article_update(article=article, user=editor, title="Second title")
    login_verified(client, editor)
    response = client.post(f"{CHANGELIST}{article.pk}/revisions/1/")
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "First title"
    assert revisions(article) == [(1, "created"), (2, "published"), (3, "updated"), (4, "restored")]
    assert article.revisions.get(number=4).restored_from == article.revisions.get(number=1)


def test_a_second_editor_archiving_meanwhile_waits_and_is_told_it_is_done(client, editor):
    article = ArticleFactory()
    login_verified(client, UserFactory(is_staff=True, is_superuser=True))
    with transaction.atomic():
        services.article_archive(article=article, user=editor)
        second = Background(
            lambda: client.post(
                CHANGELIST, {"action": "archive", "_selected_action": [article.pk]}, follow=True
            )
        )
        until_blocked()
    page = second.result().content.decode()
    assert "The article cannot move to that status from its current one." in page
    article.refresh_from_db()
    assert article.status == "archived"
    assert revisions(article) == [(1, "created"), (2, "published"), (3, "archived")]


def test_editors_changing_one_article_at_once_keep_every_change_and_number_revisions_in_turn(
    editor,
):
    article = ArticleFactory()
    changes = [
        {"title": "Sciatica: when to see a specialist"},
        {"summary": "What the leg pain may mean and what helps."},
        {"key_takeaways": "Most sciatica settles\nSome signs need care today"},
        {"sort_order": 7},
    ]
    outcomes = race(
        [lambda c=c: services.article_update(article=article, user=editor, **c) for c in changes]
    )
    assert all(isinstance(o, Article) for o in outcomes), outcomes
    article.refresh_from_db()
    for change in changes:
        for name, value in change.items():
            assert getattr(article, name) == value
    assert revisions(article) == [(1, "created"), (2, "published")] + [
        (n, "updated") for n in range(3, 7)
    ]
