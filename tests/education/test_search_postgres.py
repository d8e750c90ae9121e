import pytest

from education.selectors import article_list
from tests.education.factories import ArticleFactory

pytestmark = [pytest.mark.django_db, pytest.mark.requires_postgres]


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
