from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone
from django.utils.http import http_date
from rest_framework.throttling import AnonRateThrottle

from education import services
from education.models import Article, Tag
from tests.education.factories import ArticleFactory, TagFactory, spanish
from tests.factories import LocationFactory

pytestmark = pytest.mark.django_db

LIST = "/api/v1/articles/"


def slugs(response):
    return sorted(item["slug"] for item in response.json()["results"])


def test_list_is_public_paginated_and_has_published_articles_only(api_client):
    ArticleFactory(slug="live", title="Live")
    ArticleFactory(slug="draft", status=Article.Status.DRAFT)
    ArticleFactory(slug="later", published_at=timezone.now() + timedelta(hours=1))
    response = api_client.get(LIST)
    assert response.status_code == 200
    body = response.json()
    assert (body["count"], body["next"], body["previous"]) == (1, None, None)
    item = body["results"][0]
    assert item["slug"] == "live"
    assert item["title"] == "Live"
    assert item["url"] == "http://127.0.0.1:8000/education/live/"
    assert item["language"] == "en"
    assert set(item) == {
        "slug",
        "url",
        "title",
        "summary",
        "language",
        "category",
        "tags",
        "locations",
        "published_at",
        "last_reviewed",
        "updated_at",
    }


def test_list_filters_tag_category_location_and_q(api_client):
    tag = TagFactory(slug="sciatica")
    here, there = LocationFactory(slug="here"), LocationFactory(slug="there")
    ArticleFactory(slug="tagged", tags=[tag], locations=[here])
    ArticleFactory(slug="surgical", category="surgical", locations=[there])
    ArticleFactory(slug="everywhere", title="Discseel candidacy")
    assert slugs(api_client.get(LIST, {"tag": "sciatica"})) == ["tagged"]
    assert slugs(api_client.get(LIST, {"category": "surgical"})) == ["surgical"]
    assert slugs(api_client.get(LIST, {"location": "here"})) == ["everywhere", "tagged"]
    assert slugs(api_client.get(LIST, {"location": "there"})) == ["everywhere", "surgical"]
    assert slugs(api_client.get(LIST, {"q": "discseel"})) == ["everywhere"]
    assert slugs(api_client.get(LIST, {"q": "discseel", "category": "surgical"})) == []


def test_triage_tags_are_filterable_by_slug(api_client):
    urgent = Tag.objects.get(kind="triage_urgency", value="emergency")
    ArticleFactory(slug="guide", tags=[urgent])
    ArticleFactory(slug="other")
    assert slugs(api_client.get(LIST, {"tag": "urgency-emergency"})) == ["guide"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"category": "nope"}, "category"),
        ({"tag": "no-such-tag"}, "tag"),
        ({"location": "atlantis"}, "location"),
        ({"lang": "fr"}, "lang"),
        ({"q": "x" * 201}, "q"),
    ],
)
def test_bad_filters_are_a_400_naming_the_field(api_client, params, field):
    response = api_client.get(LIST, params)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert list(body["errors"]) == [field]
    assert body["detail"].startswith(f"{field}: ")


def test_list_query_count_does_not_grow_with_articles(
    api_client, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    place = LocationFactory()
    tag = TagFactory()

    def add(n):
        # Committed as in production: the public response cache starts a new generation.
        with django_capture_on_commit_callbacks(execute=True):
            for _ in range(n):
                ArticleFactory(tags=[tag], locations=[place], translations=[spanish()])

    add(2)
    # 7: the list's 6 and when the next scheduled article goes live (how long it is kept).
    with django_assert_max_num_queries(7) as few:
        assert api_client.get(LIST, {"lang": "es"}).status_code == 200
    add(15)
    with django_assert_max_num_queries(len(few)):
        response = api_client.get(LIST, {"lang": "es"})
    assert response.json()["count"] == 17
    assert len(response.json()["results"]) == 17
    assert response.json()["results"][0]["title"] == "Título"


def test_list_etag_answers_304_and_changes_when_an_article_goes_live(api_client):
    ArticleFactory()
    go_live = timezone.now() + timedelta(minutes=5)
    ArticleFactory(slug="scheduled", published_at=go_live)
    first = api_client.get(LIST)
    etag = first["ETag"]
    assert first["Last-Modified"]
    assert "Accept-Language" in first["Vary"]
    again = api_client.get(LIST, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again["ETag"] == etag
    assert again.content == b""
    with time_machine.travel(go_live + timedelta(seconds=1)):
        later = api_client.get(LIST, HTTP_IF_NONE_MATCH=etag)
    assert later.status_code == 200
    assert later.json()["count"] == 2


def test_list_etag_differs_per_query_and_language(api_client):
    ArticleFactory(translations=[spanish()])
    english = api_client.get(LIST)["ETag"]
    assert api_client.get(LIST, {"lang": "es"})["ETag"] != english
    assert api_client.get(LIST, HTTP_ACCEPT_LANGUAGE="es")["ETag"] != english
    assert api_client.get(LIST, {"page_size": 5})["ETag"] != english


def test_detail_has_the_whole_article(api_client):
    related = ArticleFactory(slug="related")
    hidden = ArticleFactory(slug="hidden", status=Article.Status.DRAFT)
    article = ArticleFactory(
        slug="full",
        key_takeaways="One\nTwo",
        body_markdown="## Head\n\n<script>x()</script>Text",
        related=[related, hidden],
        discusses_red_flags=True,
        faq=[{"question": "Q?", "answer": "A."}],
    )
    response = api_client.get("/api/v1/articles/full/")
    assert response.status_code == 200
    body = response.json()
    assert body["body_html"] == "<h2>Head</h2>\n\n<p>Text</p>"
    assert body["key_takeaways"] == ["One", "Two"]
    assert body["faq"] == [{"question": "Q?", "answer": "A.", "language": "en"}]
    assert body["related"] == ["related"]
    assert body["author"] == {
        "name": article.author.name,
        "credentials": "PT, DPT",
        "role": "author",
        "job_title": "",
    }
    assert body["reviewer"]["name"] == article.reviewer.name
    assert body["reviewer"]["credentials"] == "MD"
    assert body["reviewer"]["role"] == "medical_reviewer"
    assert body["last_reviewed"] == article.last_reviewed.isoformat()
    assert body["published_at"].startswith(article.published_at.strftime("%Y-%m-%dT%H:%M"))
    assert body["discusses_red_flags"] is True
    assert body["language"] == "en"
    assert body["available_languages"] == ["en"]


def test_detail_in_spanish_and_english_fallback(api_client):
    ArticleFactory(slug="es", translations=[spanish()])
    ArticleFactory(slug="en")
    body = api_client.get("/api/v1/articles/es/", {"lang": "es"}).json()
    assert (body["title"], body["language"], body["key_takeaways"]) == (
        "Título",
        "es",
        ["Uno", "Dos"],
    )
    assert body["available_languages"] == ["en", "es"]
    assert api_client.get("/api/v1/articles/en/", {"lang": "es"}).json()["language"] == "en"


@pytest.mark.parametrize(
    "status", [Article.Status.DRAFT, Article.Status.IN_REVIEW, Article.Status.ARCHIVED]
)
def test_detail_of_unknown_or_unpublished_article_is_a_json_404(api_client, status):
    ArticleFactory(slug="hidden", status=status)
    for url in ("/api/v1/articles/hidden/", "/api/v1/articles/no-such-article/"):
        response = api_client.get(url)
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"


def test_detail_conditional_requests(api_client, django_capture_on_commit_callbacks):
    article = ArticleFactory(slug="c")
    first = api_client.get("/api/v1/articles/c/")
    etag, modified = first["ETag"], first["Last-Modified"]
    assert first["Cache-Control"] == "public, max-age=60"
    assert api_client.get("/api/v1/articles/c/", HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert api_client.get("/api/v1/articles/c/", HTTP_IF_NONE_MATCH=f"W/{etag}").status_code == 304
    assert api_client.get("/api/v1/articles/c/", HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    stale = http_date((article.updated_at - timedelta(days=1)).timestamp())
    assert api_client.get("/api/v1/articles/c/", HTTP_IF_MODIFIED_SINCE=stale).status_code == 200
    assert api_client.get("/api/v1/articles/c/", HTTP_IF_NONE_MATCH='"other"').status_code == 200

    with django_capture_on_commit_callbacks(execute=True):  # committed: the cache moves on
        services.article_update(article=article, user=None, title="Changed")
    changed = api_client.get("/api/v1/articles/c/", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed.json()["title"] == "Changed"
    assert changed["ETag"] != etag


def test_detail_etag_changes_when_a_related_article_is_unpublished(
    api_client, django_capture_on_commit_callbacks
):
    related = ArticleFactory(slug="rel")
    ArticleFactory(slug="main", related=[related])
    etag = api_client.get("/api/v1/articles/main/")["ETag"]
    with django_capture_on_commit_callbacks(execute=True):  # committed: the cache moves on
        services.article_archive(article=related, user=None)
    response = api_client.get("/api/v1/articles/main/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert response.json()["related"] == []


def test_public_endpoints_ignore_a_bad_token(api_client):
    ArticleFactory(slug="t")
    api_client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert api_client.get("/api/v1/articles/t/").status_code == 200
    assert api_client.get(LIST).status_code == 200


def test_anonymous_clients_are_throttled(api_client, monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "2/min"})
    ArticleFactory(slug="t")
    assert api_client.get(LIST).status_code == 200
    assert api_client.get("/api/v1/articles/t/").status_code == 200
    response = api_client.get(LIST)
    assert response.status_code == 429
    assert response.json()["code"] == "throttled"


def test_openapi_schema_is_valid_and_warning_free():
    out = StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=out)
    schema = out.getvalue()
    assert "/api/v1/articles/{slug}/" in schema
    assert "If-None-Match" in schema
    assert "'304':" in schema
