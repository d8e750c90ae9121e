"""The result page links the clinic's articles that fit the result (issue 5 wiring)."""

import pytest

from education.models import Tag
from tests.education.factories import ArticleFactory, triage_tag
from tests.triage.factories import AssessmentFactory
from tests.triage.vignettes import answers

pytestmark = pytest.mark.django_db


def reading_titles(response) -> list[str]:
    return [article.title for article in response.context["articles"]]


def open_result(client, assessment):
    client.force_login(assessment.patient)
    response = client.get(f"/triage/results/{assessment.pk}/")
    assert response.status_code == 200
    return response


def test_an_emergency_result_links_the_warning_signs_guide_first(client, published):
    guide = ArticleFactory(title="Warning signs", is_emergency_guide=True)
    tagged = ArticleFactory(title="Sciatica basics")
    tagged.tags.add(triage_tag(Tag.Kind.TRIAGE_URGENCY, "emergency"))
    assessment = AssessmentFactory(answers=answers(cannot_walk_stand=True))
    assert assessment.urgency == "emergency"
    response = open_result(client, assessment)
    assert reading_titles(response) == [guide.title, tagged.title]
    html = response.content.decode()
    assert html.index("Get emergency care now") < html.index("Warning signs")
    assert f'href="/education/{guide.slug}/"' in html


def test_a_routine_result_links_up_to_three_articles_of_its_pattern(client, published):
    for n in range(4):
        ArticleFactory(title=f"S1 article {n}").tags.add(triage_tag(Tag.Kind.TRIAGE_PATTERN, "S1"))
    ArticleFactory(title="L5 article").tags.add(triage_tag(Tag.Kind.TRIAGE_PATTERN, "L5"))
    ArticleFactory(title="Unpublished S1", status="draft").tags.add(
        triage_tag(Tag.Kind.TRIAGE_PATTERN, "S1")
    )
    response = open_result(
        client,
        AssessmentFactory(
            answers=answers(
                leg_side="right",
                below_knee=True,
                pain_leg=6,
                numb_areas=["sole"],
                tiptoe_walk="hard",
            )
        ),
    )
    titles = reading_titles(response)
    assert len(titles) == 3
    assert all(title.startswith("S1 article") for title in titles)


def test_a_result_with_no_matching_article_shows_no_reading_section(client, published):
    response = open_result(client, AssessmentFactory(answers=answers()))
    assert reading_titles(response) == []
    assert "Read more about what your answers can mean" not in response.content.decode()
