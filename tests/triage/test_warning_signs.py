"""One source of truth for the warning signs: every "when to seek care now" list (articles, the
home page, the start and result pages) is the current ruleset's emergency and urgent rules'
patient texts, in English and Spanish."""

import re

import pytest
from django.test import Client

from education.models import Article
from tests.education.factories import ArticleFactory
from tests.triage.test_web import complete
from tests.triage.vignettes import answers
from triage.selectors import warning_signs_current

SEXUAL = "A new loss of sexual function, or of feeling in the genitals"
BOTH_LEGS = "Pain spreading down both legs, or both legs feeling weak"


def box_lists(html: str, box_id: str) -> dict[str, list[str]]:
    box = html[html.index(f'aria-labelledby="{box_id}-title"') :]
    box = box[: box.index("</aside>")]
    found = {}
    for level in ("emergency", "urgent"):
        match = re.search(rf'warning-signs-{level}"[^>]*>(.*?)</ul>', box, re.S)
        found[level] = re.findall(r"<li>(.*?)</li>", match.group(1)) if match else []
    return found


def test_the_signs_are_the_rules_texts_by_level(published, ruleset):
    signs = warning_signs_current()
    assert signs.emergency == ruleset.warning_signs("emergency")
    assert signs.urgent == ruleset.warning_signs("urgent")
    assert SEXUAL in signs.emergency
    assert BOTH_LEGS in signs.urgent


def test_an_article_box_lists_exactly_the_rules_signs(client, published, ruleset):
    article = ArticleFactory(slug="warning-signs", discusses_red_flags=True)
    html = client.get(f"/education/{article.slug}/").content.decode()
    lists = box_lists(html, "seek-care")
    assert lists["emergency"] == list(ruleset.warning_signs("emergency"))
    assert lists["urgent"] == list(ruleset.warning_signs("urgent"))
    assert "quickly getting worse, or in both legs" not in html  # the old hand-written list


def test_an_article_that_does_not_discuss_red_flags_has_no_box(client, published):
    article = ArticleFactory(slug="desk-posture", discusses_red_flags=False)
    assert "seek-care-title" not in client.get(f"/education/{article.slug}/").content.decode()


def test_the_home_and_start_pages_list_the_rules_emergency_signs(client, published, ruleset):
    home = box_lists(client.get("/").content.decode(), "home-emergency")
    assert home["emergency"] == list(ruleset.warning_signs("emergency"))
    assert home["urgent"] == list(ruleset.warning_signs("urgent"))
    start = box_lists(client.get("/triage/").content.decode(), "start-emergency")
    assert start == {"emergency": list(ruleset.warning_signs("emergency")), "urgent": []}


def test_a_result_page_lists_them_too(client, published, ruleset):
    html = complete(client, answers(cancer_history=True)).content.decode()
    lists = box_lists(html, "result-signs")
    assert lists["emergency"] == list(ruleset.warning_signs("emergency"))
    assert BOTH_LEGS in lists["urgent"]


@pytest.mark.parametrize("path", ["/", "/triage/"])
def test_the_lists_are_spanish_on_spanish_pages(published, path):
    html = Client(HTTP_ACCEPT_LANGUAGE="es").get(path).content.decode()
    assert "Una pérdida nueva de la función sexual o de la sensibilidad en los genitales" in html
    assert SEXUAL not in html


def test_no_box_calls_an_urgent_sign_an_emergency(published, ruleset):
    """The case the issue found: 'both legs' and 'new sexual dysfunction' were emergencies in
    the articles while the rules said urgent. Now each sign sits at its rule's level."""
    for rule in ruleset.rules:
        for sign in rule.warning_signs:
            level = "emergency" if sign in warning_signs_current().emergency else "urgent"
            assert level == rule.level, (rule.id, sign)


def test_the_spanish_emergency_guide_names_new_sexual_dysfunction(db, settings):
    from django.core.management import call_command

    settings.DEBUG = True
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    guide = Article.objects.get(slug="cauda-equina-emergency-warning-signs")
    spanish = guide.translations.get(language="es")
    assert "Un problema sexual nuevo" in spanish.body_markdown
