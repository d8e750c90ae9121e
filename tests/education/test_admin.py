from datetime import timedelta

import pytest
from django.utils import timezone

from education import services
from education.models import Article, ArticleRevision
from tests.conftest import login_verified
from tests.education.factories import ArticleFactory, PersonFactory, ReviewerFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/education/article/"


@pytest.fixture
def admin_user():
    return UserFactory(is_staff=True, is_superuser=True)


@pytest.fixture
def admin_client(client, admin_user):
    login_verified(client, admin_user)
    return client


def run_action(client, action, *articles):
    return client.post(
        CHANGELIST,
        {"action": action, "_selected_action": [a.pk for a in articles]},
        follow=True,
    )


def test_changelist_warns_about_published_articles_with_an_old_review(admin_client):
    today = timezone.localdate()
    ArticleFactory(title="Old review", last_reviewed=today - timedelta(days=400))
    ArticleFactory(title="Fresh review", last_reviewed=today - timedelta(days=30))
    ArticleFactory(
        title="Old draft", status=Article.Status.DRAFT, last_reviewed=today - timedelta(days=900)
    )
    page = admin_client.get(CHANGELIST).content.decode()
    assert page.count("Review overdue (12 months)") == 1
    assert "1 published article was last medically reviewed more than 12 months ago" in page

    overdue = admin_client.get(CHANGELIST, {"reviewed": "overdue"}).content.decode()
    assert "Old review" in overdue
    assert "Fresh review" not in overdue
    recent = admin_client.get(CHANGELIST, {"reviewed": "recent"}).content.decode()
    assert "Fresh review" in recent
    assert "Old review" not in recent
    drafts = admin_client.get(CHANGELIST, {"status__exact": "draft"}).content.decode()
    assert "Old draft" in drafts
    assert "Fresh review" not in drafts


def test_changelist_shows_scheduled_articles_and_preview_links(admin_client):
    article = ArticleFactory(title="Later", published_at=timezone.now() + timedelta(days=3))
    page = admin_client.get(CHANGELIST).content.decode()
    assert "Scheduled (" in page
    assert f'href="/education/{article.slug}/"' in page
    assert ">Preview<" in page


def test_publish_action_publishes_through_the_service(admin_client, admin_user):
    ready = ArticleFactory(status=Article.Status.IN_REVIEW)
    no_reviewer = ArticleFactory(status=Article.Status.DRAFT, reviewer=None, title="Unreviewed")
    page = run_action(admin_client, "publish", ready, no_reviewer).content.decode()
    ready.refresh_from_db()
    no_reviewer.refresh_from_db()
    assert ready.status == Article.Status.PUBLISHED
    assert ready.revisions.first().action == ArticleRevision.Action.PUBLISHED
    assert ready.revisions.first().created_by == admin_user
    assert no_reviewer.status == Article.Status.DRAFT
    assert "Unreviewed: An article needs a medical reviewer before it is published." in page
    assert "1 published." in page


def test_send_to_review_action(admin_client, admin_user):
    draft = ArticleFactory(status=Article.Status.DRAFT)
    run_action(admin_client, "send_to_review", draft)
    draft.refresh_from_db()
    assert draft.status == Article.Status.IN_REVIEW
    assert draft.revisions.first().action == ArticleRevision.Action.SENT_TO_REVIEW


def test_archive_action_takes_the_article_off_the_site(admin_client):
    article = ArticleFactory()
    run_action(admin_client, "archive", article)
    article.refresh_from_db()
    assert article.status == Article.Status.ARCHIVED


def test_adding_an_article_in_the_admin_renders_it_and_keeps_a_revision(admin_client, admin_user):
    author, reviewer = PersonFactory(), ReviewerFactory()
    data = {
        "title": "From the admin",
        "slug": "from-the-admin",
        "category": "conditions",
        "summary": "Summary.",
        "key_takeaways": "One",
        "body_markdown": "## Heading\n\n<script>alert(1)</script>Body",
        "author": author.pk,
        "reviewer": reviewer.pk,
        "sort_order": 100,
        "faq_entries-TOTAL_FORMS": 1,
        "faq_entries-INITIAL_FORMS": 0,
        "faq_entries-0-language": "en",
        "faq_entries-0-order": 1,
        "faq_entries-0-question": "Why?",
        "faq_entries-0-answer": "Because.",
        "translations-TOTAL_FORMS": 0,
        "translations-INITIAL_FORMS": 0,
    }
    response = admin_client.post("/admin/education/article/add/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    article = Article.objects.get(slug="from-the-admin")
    assert article.status == Article.Status.DRAFT
    assert article.body_html == "<h2>Heading</h2>\n\n<p>Body</p>"
    revision = article.revisions.get()
    assert (revision.action, revision.created_by) == ("created", admin_user)
    assert revision.snapshot["faq"] == [
        {"language": "en", "question": "Why?", "answer": "Because."}
    ]


def test_admin_form_rejects_a_second_emergency_guide(admin_client):
    ArticleFactory(is_emergency_guide=True)
    other = ArticleFactory()
    response = admin_client.get(f"/admin/education/article/{other.pk}/change/")
    form = response.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        {
            "is_emergency_guide": "on",
            "tags": [],
            "locations": [],
            "related": [],
            "faq_entries-TOTAL_FORMS": 0,
            "faq_entries-INITIAL_FORMS": 0,
            "translations-TOTAL_FORMS": 0,
            "translations-INITIAL_FORMS": 0,
        }
    )
    data.pop("published_at", None)
    response = admin_client.post(f"/admin/education/article/{other.pk}/change/", data)
    assert response.status_code == 200
    assert "Another article is already the emergency guide." in response.content.decode()


def test_revision_history_view_and_restore(admin_client, admin_user):
    article = ArticleFactory(title="First title")
    services.article_update(article=article, user=admin_user, title="Second title")
    history = admin_client.get(f"/admin/education/article/{article.pk}/revisions/")
    page = history.content.decode()
    assert "First title" in page
    assert "Second title" in page
    assert "Published" in page

    first = article.revisions.get(number=1)
    view = admin_client.get(f"/admin/education/article/{article.pk}/revisions/1/")
    assert view.status_code == 200
    assert "First title" in view.content.decode()
    assert "Restore this revision" in view.content.decode()

    response = admin_client.post(f"/admin/education/article/{article.pk}/revisions/1/")
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "First title"
    latest = article.revisions.first()
    assert (latest.action, latest.restored_from, latest.created_by) == (
        "restored",
        first,
        admin_user,
    )


def test_revision_views_need_permission(client):
    article = ArticleFactory()
    login_verified(client, UserFactory(is_staff=True))
    assert client.get(f"/admin/education/article/{article.pk}/revisions/").status_code == 403
    response = client.post(f"/admin/education/article/{article.pk}/revisions/1/")
    assert response.status_code == 403
    assert article.revisions.count() == 2
