from datetime import timedelta

import pytest
from django.utils import timezone

from education.models import Article
from education.selectors import (
    article_faq,
    article_get_public,
    article_list,
    article_list_for_location,
    article_localized,
)
from tests.education.factories import ArticleFactory, TagFactory, spanish
from tests.factories import LocationFactory

pytestmark = pytest.mark.django_db


def test_list_has_published_public_articles_only():
    ArticleFactory(slug="live")
    ArticleFactory(slug="draft", status=Article.Status.DRAFT)
    ArticleFactory(slug="review", status=Article.Status.IN_REVIEW)
    ArticleFactory(slug="archived", status=Article.Status.ARCHIVED)
    ArticleFactory(slug="later", published_at=timezone.now() + timedelta(days=1))
    assert [a.slug for a in article_list()] == ["live"]


def test_location_articles_include_those_for_every_location_in_constant_queries(
    django_assert_max_num_queries,
):
    here, there = LocationFactory(), LocationFactory()
    ArticleFactory(slug="here", locations=[here])
    ArticleFactory(slug="there", locations=[there])
    ArticleFactory(slug="both", locations=[here, there])
    ArticleFactory(slug="everywhere")
    ArticleFactory(slug="draft-here", locations=[here], status=Article.Status.DRAFT)
    with django_assert_max_num_queries(4):
        articles = list(article_list_for_location(location=here))
        for article in articles:
            [t.slug for t in article.tags.all()], [loc.slug for loc in article.locations.all()]
            article_localized(article=article, language="es")
    assert sorted(a.slug for a in articles) == ["both", "everywhere", "here"]


def test_filters_by_category_and_tag():
    tag = TagFactory()
    ArticleFactory(slug="a", category=Article.Category.SURGICAL, tags=[tag])
    ArticleFactory(slug="b", category=Article.Category.SURGICAL)
    ArticleFactory(slug="c", tags=[tag])
    assert sorted(a.slug for a in article_list(category="surgical")) == ["a", "b"]
    assert sorted(a.slug for a in article_list(tag=tag)) == ["a", "c"]
    assert [a.slug for a in article_list(category="surgical", tag=tag)] == ["a"]


def test_search_finds_words_in_title_summary_and_body():
    ArticleFactory(slug="t", title="Sciatica explained")
    ArticleFactory(slug="s", summary="All about sciatica pain.")
    ArticleFactory(slug="b", body_markdown="Many people have sciatica.")
    ArticleFactory(slug="x", title="Knee pain")
    found = [a.slug for a in article_list(q="sciatica")]
    assert sorted(found) == ["b", "s", "t"]
    assert found[0] == "t"


def test_localized_uses_the_translation_when_there_is_one_and_says_when_not():
    translated = ArticleFactory(
        translations=[spanish(title="Título en español", key_takeaways="Uno")],
        faq=[
            {"question": "Q?", "answer": "A."},
            {"language": "es", "question": "¿P?", "answer": "R."},
        ],
    )
    text = article_localized(article=article_get_public(slug=translated.slug), language="es")
    assert (text.title, text.language, text.is_fallback) == ("Título en español", "es", False)
    assert text.takeaways == ["Uno"]
    assert [f.question for f in article_faq(article=translated, language="es")] == ["¿P?"]

    english_only = ArticleFactory(title="Only English")
    text = article_localized(article=english_only, language="es")
    assert (text.title, text.language, text.is_fallback) == ("Only English", "en", True)
    assert text.requested_language == "es"


def test_a_translation_without_its_own_faq_keeps_the_english_one():
    article = ArticleFactory(
        translations=[spanish(title="Título en español", key_takeaways="Uno")],
        faq=[{"question": "Q?", "answer": "A."}],
    )
    faq = article_faq(article=article, language="es")
    assert [(f.question, f.language) for f in faq] == [("Q?", "en")]


def test_unsupported_language_falls_back_to_english():
    article = ArticleFactory(translations=[spanish(title="Título en español", key_takeaways="Uno")])
    text = article_localized(article=article, language="fr-CA")
    assert (text.language, text.requested_language, text.is_fallback) == ("en", "en", False)
