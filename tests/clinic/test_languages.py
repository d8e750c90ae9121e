"""The page language in the URL (``?lang=es``) and the ``hreflang`` alternates of each page."""

import re

import pytest

from tests.education.factories import ArticleFactory, spanish

pytestmark = pytest.mark.django_db
SITE = "http://127.0.0.1:8000"


def _alternates(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html)


def _canonical(html: str) -> str:
    (href,) = re.findall(r'<link rel="canonical" href="([^"]+)">', html)
    return href


def test_lang_in_the_url_switches_the_page_and_the_next_pages(client):
    response = client.get("/locations/", {"lang": "es"})
    html = response.content.decode()
    assert '<html lang="es">' in html
    assert "Nuestras sedes" in html
    assert response.cookies["django_language"].value == "es"
    assert response["Content-Language"] == "es"
    assert '<html lang="es">' in client.get("/").content.decode()  # the choice is kept


def test_lang_en_switches_a_spanish_visitor_back(client):
    client.cookies["django_language"] = "es"
    response = client.get("/", {"lang": "en"})
    assert '<html lang="en">' in response.content.decode()
    assert response.cookies["django_language"].value == "en"


def test_an_unknown_lang_is_ignored(client):
    response = client.get("/", {"lang": "fr"}, HTTP_ACCEPT_LANGUAGE="es")
    assert '<html lang="es">' in response.content.decode()
    assert "django_language" not in response.cookies


def test_pages_name_their_english_spanish_and_default_versions(client):
    html = client.get("/education/", {"q": "disc", "page": "1"}).content.decode()
    assert _alternates(html) == [
        ("en", f"{SITE}/education/?q=disc&amp;page=1&amp;lang=en"),
        ("es", f"{SITE}/education/?q=disc&amp;page=1&amp;lang=es"),
        ("x-default", f"{SITE}/education/?q=disc&amp;page=1"),
    ]
    home = client.get("/", {"lang": "es"}).content.decode()
    assert _alternates(home) == [
        ("en", f"{SITE}/?lang=en"),
        ("es", f"{SITE}/?lang=es"),
        ("x-default", f"{SITE}/"),
    ]


def test_the_language_switch_returns_without_the_lang_parameter(client):
    html = client.get("/education/", {"q": "disc", "lang": "es"}).content.decode()
    assert '<input name="next" type="hidden" value="/education/?q=disc">' in html


def test_a_translated_article_has_alternates_and_a_canonical_per_language(client):
    ArticleFactory(slug="both", translations=[spanish(title="Ambos idiomas")])
    html = client.get("/education/both/", {"lang": "es"}).content.decode()
    assert "<title>Ambos idiomas · " in html
    assert _canonical(html) == f"{SITE}/education/both/?lang=es"
    assert [hreflang for hreflang, _href in _alternates(html)] == ["en", "es", "x-default"]
    assert _canonical(client.get("/education/both/").content.decode()) == (
        f"{SITE}/education/both/"
    )


def test_an_untranslated_article_names_no_spanish_version(client):
    ArticleFactory(slug="english-only")
    html = client.get("/education/english-only/", {"lang": "es"}).content.decode()
    assert _alternates(html) == []
    assert _canonical(html) == f"{SITE}/education/english-only/"
    assert "no está disponible en español" in html


def test_the_location_page_canonical_follows_the_language(client):
    from tests.factories import LocationFactory

    LocationFactory(slug="houston-tx", name="Houston, TX")
    html = client.get("/locations/houston-tx/", {"lang": "es"}).content.decode()
    assert _canonical(html) == f"{SITE}/locations/houston-tx/?lang=es"
    assert ("es", f"{SITE}/locations/houston-tx/?lang=es") in _alternates(html)


def test_the_api_lang_parameter_sets_no_cookie(client):
    response = client.get("/api/v1/articles/", {"lang": "es"})
    assert response.status_code == 200
    assert "django_language" not in response.cookies
