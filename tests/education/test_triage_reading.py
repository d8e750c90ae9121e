from datetime import timedelta

import pytest
from django.template.loader import render_to_string
from django.utils import timezone

from education.models import Article, Tag
from education.selectors import article_list_for_triage
from tests.education.factories import ArticleFactory, triage_tag

pytestmark = pytest.mark.django_db


def pattern(value):
    return triage_tag(Tag.Kind.TRIAGE_PATTERN, value)


def urgency(value):
    return triage_tag(Tag.Kind.TRIAGE_URGENCY, value)


def slugs(articles):
    return [a.slug for a in articles]


@pytest.fixture
def guide():
    return ArticleFactory(slug="guide", is_emergency_guide=True, tags=[urgency("urgent")])


def test_emergency_result_always_links_the_emergency_guide_first(guide):
    ArticleFactory(slug="both", tags=[pattern("L5"), urgency("emergency")], sort_order=1)
    ArticleFactory(slug="l5", tags=[pattern("L5")], sort_order=1)
    result = article_list_for_triage(pattern="L5", urgency="emergency")
    assert slugs(result) == ["guide", "both", "l5"]


def test_emergency_guide_comes_first_even_when_untagged_and_other_articles_match_better():
    ArticleFactory(slug="guide", is_emergency_guide=True, sort_order=500)
    for n in range(4):
        ArticleFactory(slug=f"match-{n}", tags=[pattern("S1"), urgency("emergency")])
    result = article_list_for_triage(pattern="S1", urgency="emergency", limit=3)
    assert len(result) == 3
    assert result[0].slug == "guide"


def test_emergency_guide_is_not_pushed_into_non_emergency_results_unless_tagged(guide):
    ArticleFactory(slug="routine-l5", tags=[pattern("L5"), urgency("routine")])
    assert slugs(article_list_for_triage(pattern="L5", urgency="routine")) == ["routine-l5"]
    # tagged "urgent", so an urgent result may list it, by matching like any other article
    assert slugs(article_list_for_triage(pattern="L5", urgency="urgent")) == [
        "routine-l5",
        "guide",
    ]


def test_order_is_both_matches_then_pattern_then_urgency_then_sort_order_then_newest():
    now = timezone.now()
    ArticleFactory(slug="urgency-only", tags=[urgency("soon")])
    ArticleFactory(slug="pattern-old", tags=[pattern("S1")], published_at=now - timedelta(days=9))
    ArticleFactory(slug="pattern-new", tags=[pattern("S1")], published_at=now - timedelta(days=1))
    ArticleFactory(slug="both", tags=[pattern("S1"), urgency("soon")])
    ArticleFactory(slug="pattern-first", tags=[pattern("S1")], sort_order=1)
    ArticleFactory(slug="unrelated", tags=[pattern("L5"), urgency("routine")])
    result = article_list_for_triage(pattern="S1", urgency="soon", limit=10)
    assert slugs(result) == ["both", "pattern-first", "pattern-new", "pattern-old", "urgency-only"]


def test_at_most_limit_articles_default_three():
    for n in range(5):
        ArticleFactory(slug=f"a{n}", tags=[pattern("L5_S1")])
    assert len(article_list_for_triage(pattern="L5_S1", urgency="routine")) == 3
    assert len(article_list_for_triage(pattern="L5_S1", urgency="routine", limit=1)) == 1
    assert article_list_for_triage(pattern="L5_S1", urgency="routine", limit=0) == []


@pytest.mark.parametrize(
    "status", [Article.Status.DRAFT, Article.Status.IN_REVIEW, Article.Status.ARCHIVED]
)
def test_only_published_articles_are_linked(status):
    ArticleFactory(slug="hidden", status=status, tags=[pattern("L5")], is_emergency_guide=True)
    assert article_list_for_triage(pattern="L5", urgency="emergency") == []


def test_scheduled_articles_and_guide_wait_for_their_publish_time():
    ArticleFactory(
        slug="guide",
        is_emergency_guide=True,
        published_at=timezone.now() + timedelta(hours=3),
    )
    assert article_list_for_triage(pattern="none", urgency="emergency") == []


def test_unknown_codes_do_not_fail_and_emergency_still_gets_the_guide(guide, caplog):
    ArticleFactory(slug="l5", tags=[pattern("L5")])
    assert slugs(article_list_for_triage(pattern="L7", urgency="emergency")) == ["guide"]
    assert article_list_for_triage(pattern="L7", urgency="whenever") == []
    assert "unknown triage pattern code 'L7'" in caplog.text


def test_query_count_does_not_grow_with_matches(django_assert_max_num_queries, guide):
    for n in range(8):
        ArticleFactory(slug=f"a{n}", tags=[pattern("L5"), urgency("emergency")])
    with django_assert_max_num_queries(4):
        result = article_list_for_triage(pattern="L5", urgency="emergency", limit=8)
        rendered = render_to_string("education/_triage_reading.html", {"articles": result})
    assert rendered.count('class="card article-card"') == 8


def test_partial_renders_links_and_nothing_without_articles(guide):
    html = render_to_string(
        "education/_triage_reading.html",
        {"articles": article_list_for_triage(pattern="none", urgency="emergency")},
    )
    assert f'href="/education/{guide.slug}/"' in html
    assert guide.title in html
    assert "Emergency" in html
    assert render_to_string("education/_triage_reading.html", {"articles": []}).strip() == ""
