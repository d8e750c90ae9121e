"""Article search, the same on PostgreSQL (text search) and SQLite (FTS5): stemming, accents,
Spanish translations, topic tags, ranking and websearch syntax. ``test_search_backends`` runs
this file on SQLite as well when the suite runs on PostgreSQL."""

from io import StringIO

import pytest
from django.core.management import call_command

from education.selectors import article_list
from tests.education.factories import ArticleFactory, TagFactory

pytestmark = pytest.mark.django_db


def slugs(q: str) -> list[str]:
    return [a.slug for a in article_list(q=q)]


def test_ranking_weights_title_over_summary_over_body():
    ArticleFactory(slug="body", body_markdown="Foot drop can follow nerve pressure.")
    ArticleFactory(slug="title", title="Foot drop: what it is")
    ArticleFactory(slug="summary", summary="Foot drop and how it shows.")
    ArticleFactory(slug="none", title="Knee arthritis")
    assert [a.slug for a in article_list(q="foot drop")] == ["title", "summary", "body"]


def test_english_stemming_matches_other_word_forms():
    ArticleFactory(slug="inj", title="Epidural injections for leg pain")
    assert [a.slug for a in article_list(q="injection")] == ["inj"]


def test_spanish_translation_is_searchable_with_spanish_stemming():
    ArticleFactory(
        slug="es",
        title="Warning signs",
        translations=[
            {
                "language": "es",
                "title": "Señales de alarma",
                "summary": "Cuándo acudir a urgencias.",
                "key_takeaways": "",
                "body_markdown": "Los adormecimientos en la zona de la silla de montar.",
            }
        ],
    )
    ArticleFactory(slug="other", title="Knee pain")
    assert [a.slug for a in article_list(q="adormecimiento")] == ["es"]
    assert [a.slug for a in article_list(q="señal")] == ["es"]


def test_websearch_syntax_and_stray_punctuation_do_not_fail():
    ArticleFactory(slug="a", title="Sciatica and surgery")
    assert [a.slug for a in article_list(q='"sciatica" -knee')] == ["a"]
    assert list(article_list(q="&&& ::: !!!")) == []


def test_accents_are_folded_both_ways():
    ArticleFactory(
        slug="es",
        title="Leg pain",
        translations=[
            {
                "language": "es",
                "title": "Dolor de pierna",
                "summary": "La ciática baja por la pierna.",
                "key_takeaways": "",
                "body_markdown": "Texto.",
            }
        ],
    )
    assert slugs("ciática") == ["es"]
    assert slugs("ciatica") == ["es"]
    assert slugs("CIÁTICA") == ["es"]


def test_spanish_plurals_and_singulars_find_each_other():
    ArticleFactory(
        slug="es",
        title="Injections",
        translations=[
            {
                "language": "es",
                "title": "Inyecciones epidurales",
                "summary": "Qué esperar.",
                "key_takeaways": "",
                "body_markdown": "Los discos y los nervios.",
            }
        ],
    )
    assert slugs("inyección") == ["es"]
    assert slugs("disco") == ["es"]


def test_topic_tags_match_in_both_languages():
    tag = TagFactory(slug="herniated-disc", name="Herniated disc", name_es="Hernia de disco")
    ArticleFactory(slug="tagged", title="What the scan shows", tags=[tag])
    ArticleFactory(slug="other", title="Knee pain")
    assert slugs("herniated") == ["tagged"]
    assert slugs("hernia") == ["tagged"]


def test_every_word_must_match_unless_or_joins_them():
    ArticleFactory(slug="disc", title="Disc pain explained")
    ArticleFactory(slug="knee", title="Knee pain explained")
    assert slugs("disc pain") == ["disc"]
    assert sorted(slugs("disc or knee")) == ["disc", "knee"]
    assert slugs("pain -knee") == ["disc"]


def test_an_unpublished_article_is_never_found():
    ArticleFactory(slug="draft", title="Herniated disc", status="draft")
    assert slugs("herniated") == []


def test_the_demo_articles_are_found_by_what_patients_type(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    herniated = slugs("herniated")
    assert "l4-l5-vs-l5-s1" in herniated
    assert "surgical-options-for-l5-s1" in herniated
    assert "discseel-procedure-candidacy" in herniated
    disc_pain = slugs("disc pain")
    assert len(disc_pain) >= 5
    assert "l5-s1-nerve-damage-symptoms" in disc_pain
    sciatica_es = slugs("ciática")
    assert sciatica_es[:1] == ["conservative-treatment-for-sciatica"] or (
        "l5-s1-nerve-damage-symptoms" in sciatica_es
    )
    assert len(sciatica_es) >= 3
    assert slugs("ciatica") == sciatica_es


def test_an_edit_through_the_services_is_searchable_at_once():
    from education import services

    article = ArticleFactory(slug="edited", title="Knee pain")
    services.article_update(article=article, user=None, title="Herniated disc")
    assert slugs("herniated") == ["edited"]
    assert slugs("knee") == []
