import json
import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from education.models import Article
from tests.conftest import login_verified
from tests.education.factories import ArticleFactory, TagFactory, spanish
from tests.factories import LocationFactory, StaffFactory

pytestmark = pytest.mark.django_db


def editor():
    user = StaffFactory()
    user.user_permissions.add(Permission.objects.get(codename="view_article"))
    return user


def json_ld(response) -> dict:
    match = re.search(
        r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S
    )
    assert match, "no JSON-LD on the page"
    return json.loads(match.group(1))


def test_list_page_shows_published_articles_with_filters_and_search(client):
    tag = TagFactory(name="Sciatica", slug="sciatica")
    ArticleFactory(title="Sciatica basics", category="conditions", tags=[tag])
    ArticleFactory(title="Surgery overview", category="surgical")
    ArticleFactory(title="Secret draft", status=Article.Status.DRAFT)

    page = client.get("/education/").content.decode()
    assert "Sciatica basics" in page
    assert "Surgery overview" in page
    assert "Secret draft" not in page
    assert "Educational only, not medical advice." in page

    page = client.get("/education/", {"category": "surgical"}).content.decode()
    assert "Surgery overview" in page
    assert "Sciatica basics" not in page
    page = client.get("/education/", {"tag": "sciatica"}).content.decode()
    assert "Sciatica basics" in page
    assert "Surgery overview" not in page
    page = client.get("/education/", {"q": "surgery"}).content.decode()
    assert "Surgery overview" in page
    assert "Sciatica basics" not in page


def test_list_page_with_an_invalid_filter_shows_the_error_and_all_articles(client):
    ArticleFactory(title="Sciatica basics")
    response = client.get("/education/", {"category": "nonsense"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert "Sciatica basics" in response.content.decode()


def test_article_page_has_title_meta_canonical_and_all_sections(client, settings):
    settings.SITE_URL = "https://portal.example.org"
    settings.CLINIC_EMERGENCY_NUMBER = "112"
    place = LocationFactory(slug="houston-tx", name="Houston, TX")
    related = ArticleFactory(title="Related reading")
    article = ArticleFactory(
        slug="symptoms",
        title="L5-S1 symptoms",
        summary="What the symptoms are.",
        key_takeaways="Takeaway one\nTakeaway two",
        body_markdown="## Where it hurts\n\nLeg pain.",
        discusses_red_flags=True,
        locations=[place],
        related=[related],
        faq=[{"question": "Is it sciatica?", "answer": "Often."}],
    )
    response = client.get("/education/symptoms/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>L5-S1 symptoms · " in page
    assert '<meta name="description" content="What the symptoms are.">' in page
    assert '<link rel="canonical" href="https://portal.example.org/education/symptoms/">' in page
    assert "<h2>Where it hurts</h2>" in page
    assert "<li>Takeaway two</li>" in page
    assert "When to seek care now" in page
    assert "Call 112" in page
    assert "Is it sciatica?" in page
    assert 'href="/education/' + related.slug + '/"' in page
    assert 'href="/locations/houston-tx/"' in page
    assert 'href="/appointments/"' in page
    assert "Educational only, not medical advice." in page
    assert article.author.name in page
    assert article.reviewer.name in page


def test_articles_without_red_flags_have_no_seek_care_box_and_unpublished_related_are_hidden(
    client,
):
    hidden = ArticleFactory(title="Hidden related", status=Article.Status.DRAFT)
    ArticleFactory(slug="calm", related=[hidden])
    page = client.get("/education/calm/").content.decode()
    assert "When to seek care now" not in page
    assert "Hidden related" not in page


def test_article_without_locations_offers_every_active_location(client):
    LocationFactory(slug="lawrenceville-nj")
    LocationFactory(slug="houston-tx")
    LocationFactory(slug="closed", is_active=False)
    ArticleFactory(slug="general")
    page = client.get("/education/general/").content.decode()
    assert 'href="/locations/lawrenceville-nj/"' in page
    assert 'href="/locations/houston-tx/"' in page
    assert 'href="/locations/closed/"' not in page


def test_json_ld_is_a_medical_web_page_with_review_data_and_a_faq_page(client, settings):
    settings.SITE_URL = "https://portal.example.org"
    article = ArticleFactory(
        slug="ld",
        title="A </script><script>alert(1)</script> title",
        faq=[
            {"question": "First?", "answer": "One."},
            {"question": "Second?", "answer": "Two."},
        ],
    )
    response = client.get("/education/ld/")
    assert "<script>alert(1)" not in response.content.decode()
    data = json_ld(response)
    page, faq = data["@graph"]
    assert data["@context"] == "https://schema.org"
    assert page["@type"] == "MedicalWebPage"
    assert page["name"] == article.title
    assert page["url"] == "https://portal.example.org/education/ld/"
    assert page["lastReviewed"] == article.last_reviewed.isoformat()
    assert page["reviewedBy"] == {
        "@type": "Person",
        "name": article.reviewer.name,
        "honorificSuffix": "MD",
    }
    assert page["author"]["name"] == article.author.name
    assert page["datePublished"] == article.published_at.isoformat()
    assert faq["@type"] == "FAQPage"
    assert [q["name"] for q in faq["mainEntity"]] == ["First?", "Second?"]
    assert faq["mainEntity"][0]["acceptedAnswer"] == {"@type": "Answer", "text": "One."}


def test_json_ld_without_faq_has_only_the_page(client):
    ArticleFactory(slug="nofaq")
    data = json_ld(client.get("/education/nofaq/"))
    assert [item["@type"] for item in data["@graph"]] == ["MedicalWebPage"]


def test_hostile_body_never_reaches_the_page(client):
    ArticleFactory(slug="x", body_markdown='<script>alert(1)</script><img src=x onerror="a()">Hi')
    page = client.get("/education/x/").content.decode()
    assert "alert(1)" not in page
    assert "onerror" not in page


@pytest.mark.parametrize(
    "status", [Article.Status.DRAFT, Article.Status.IN_REVIEW, Article.Status.ARCHIVED]
)
def test_unpublished_articles_are_404_to_the_public_and_a_preview_to_editors(client, status):
    ArticleFactory(slug="wip", title="Work in progress", status=status)
    assert client.get("/education/wip/").status_code == 404
    login_verified(client, StaffFactory())  # staff without permission on articles
    assert client.get("/education/wip/").status_code == 404
    login_verified(client, editor())
    response = client.get("/education/wip/")
    assert response.status_code == 200
    assert "preview-banner" in response.content.decode()
    assert '<meta name="robots" content="noindex">' in response.content.decode()
    assert response["X-Robots-Tag"] == "noindex"
    assert "no-store" in response["Cache-Control"]


def test_scheduled_article_is_404_until_its_time_and_previewed_as_scheduled(client):
    ArticleFactory(slug="soon", published_at=timezone.now() + timedelta(days=1))
    assert client.get("/education/soon/").status_code == 404
    login_verified(client, editor())
    page = client.get("/education/soon/").content.decode()
    assert "This article is scheduled and becomes public on" in page


def test_public_article_has_no_preview_banner_for_editors(client):
    ArticleFactory(slug="live")
    login_verified(client, editor())
    page = client.get("/education/live/").content.decode()
    assert "preview-banner" not in page


def test_spanish_reader_gets_the_translation(client):
    ArticleFactory(
        slug="es",
        translations=[spanish(title="Síntomas en español", key_takeaways="Primera idea")],
        faq=[{"language": "es", "question": "¿Pregunta?", "answer": "Respuesta."}],
    )
    page = client.get("/education/es/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "<title>Síntomas en español · " in page
    assert '<article class="education-article" lang="es">' in page
    assert "¿Pregunta?" in page
    assert "<li>Primera idea</li>" in page
    assert "no está disponible" not in page


def test_spanish_reader_is_told_in_spanish_when_there_is_no_translation(client):
    ArticleFactory(slug="en-only", title="English only")
    page = client.get("/education/en-only/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "<title>English only · " in page
    assert '<article class="education-article" lang="en">' in page
    assert "Este artículo aún no está disponible en español, así que se muestra en inglés." in (
        page
    )


def test_english_reader_gets_english_even_when_a_translation_exists(client):
    ArticleFactory(
        slug="es",
        title="English title",
        translations=[spanish(title="Síntomas en español", key_takeaways="Primera idea")],
    )
    page = client.get("/education/es/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<title>English title · " in page
    assert "not available in" not in page


def test_nav_and_home_link_to_education(client):
    page = client.get("/").content.decode()
    assert page.count('href="/education/"') == 2
