import shutil
from io import StringIO

import pytest
from django.core.management import call_command

from education.demo import DEMO_ARTICLES, demo_content
from education.models import Article, ArticleRevision, Tag
from education.selectors import article_list, article_list_for_triage

pytestmark = pytest.mark.django_db

TOPICS = [
    "l5-s1-nerve-damage-symptoms",
    "l5-vs-s1-nerve-patterns",
    "cauda-equina-emergency-warning-signs",
    "how-l5-s1-problems-are-diagnosed",
    "conservative-treatment-for-sciatica",
    "epidural-steroid-injections",
    "discseel-procedure-candidacy",
    "radiofrequency-ablation-and-spinal-cord-stimulation",
    "surgical-options-for-l5-s1",
    "l4-l5-vs-l5-s1",
]


def seed():
    call_command("seed_demo", stdout=StringIO())


def test_demo_articles_are_complete_and_published(settings):
    settings.DEBUG = True
    seed()
    published = list(article_list())
    assert sorted(a.slug for a in published) == sorted(TOPICS)
    for article in Article.objects.all():
        assert article.is_public, article.slug
        assert article.reviewer.can_review, article.slug
        assert article.author.credentials, article.slug
        assert article.last_reviewed is not None, article.slug
        assert len(article.takeaway_list) >= 3, article.slug
        assert article.body_html.count("<h2>") >= 3, article.slug
        assert 2 <= article.faq_entries.filter(language="en").count() <= 4, article.slug
        assert article.related.count() >= 2, article.slug
        assert article.tags.filter(kind=Tag.Kind.TRIAGE_URGENCY).exists(), article.slug
        if not article.is_emergency_guide:  # found by its flag, for every pattern
            assert article.tags.filter(kind=Tag.Kind.TRIAGE_PATTERN).exists(), article.slug
    spanish = Article.objects.filter(translations__language="es")
    assert sorted(spanish.values_list("slug", flat=True)) == sorted(TOPICS)
    for article in spanish:
        translation = article.translations.get(language="es")
        assert translation.body_html.count("<h2>") == article.body_html.count("<h2>")
        assert len(translation.takeaway_list) == len(article.takeaway_list), article.slug
        es_faq = article.faq_entries.filter(language="es").count()
        assert es_faq == article.faq_entries.filter(language="en").count(), article.slug
    guide = Article.objects.get(is_emergency_guide=True)
    assert guide.slug == "cauda-equina-emergency-warning-signs"
    assert spanish.filter(pk=guide.pk).exists()


def test_demo_links_emergency_triage_results_to_the_guide_first(settings):
    settings.DEBUG = True
    seed()
    for pattern in ("L5", "S1", "L5_S1", "unspecified", "none"):
        result = article_list_for_triage(pattern=pattern, urgency="emergency")
        assert result[0].slug == "cauda-equina-emergency-warning-signs"
        assert len(result) == 3
        routine = article_list_for_triage(pattern=pattern, urgency="routine")
        assert len(routine) == 3
        assert all(not a.is_emergency_guide for a in routine)


def test_seeding_twice_changes_nothing(settings):
    settings.DEBUG = True
    seed()
    counts = (Article.objects.count(), ArticleRevision.objects.count(), Tag.objects.count())
    stamps = sorted(Article.objects.values_list("updated_at", flat=True))
    seed()
    assert (Article.objects.count(), ArticleRevision.objects.count(), Tag.objects.count()) == counts
    assert sorted(Article.objects.values_list("updated_at", flat=True)) == stamps


def test_an_article_file_left_out_of_the_index_is_refused_not_skipped(tmp_path):
    """The demo's data files: an article is loaded only from the index's list, so one added
    without listing it would silently never be seeded."""
    shutil.copytree(DEMO_ARTICLES, tmp_path / "articles")
    assert [a["slug"] for a in demo_content(tmp_path / "articles").articles] == TOPICS
    (tmp_path / "articles" / "new-topic.md").write_text('+++\ntitle = "New"\n+++\n\nText\n')
    with pytest.raises(ValueError, match=r"articles missing from index.toml: \['new-topic'\]"):
        demo_content(tmp_path / "articles")


def test_a_demo_article_is_its_front_matter_and_the_markdown_after_it():
    guide = next(
        a for a in demo_content().articles if a["slug"] == "cauda-equina-emergency-warning-signs"
    )
    assert (guide["emergency_guide"], guide["sort_order"], guide["published"]) == (
        True,
        1,
        "2026-01-20",
    )
    assert guide["body"].startswith("\n## ")
    assert guide["es"]["title"].startswith("Señales de alarma")
