"""The portal's own location pages: what a patient reads there, and the same schema.org data
the API gives the website."""

import json
import re
from datetime import date, time
from urllib.parse import parse_qs, urlsplit

from education.models import ArticleTranslation
from portal.selectors import public_location_get
from scheduling.forms import SlotSearchForm
from scheduling.models import ScheduleOverride
from tests.education.factories import ArticleFactory
from tests.factories import LocationFactory

LD_JSON = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def _page(client, url="/locations/lawrenceville-nj/", **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200
    return response.content.decode()


def test_the_page_shows_address_map_hours_physicians_and_services(client, clinic_world):
    html = _page(client)

    assert "Larkspur Spine &amp; Pain — Lawrenceville, NJ" in html
    assert "2150 Larkspur Commons Drive, Suite 210" in html
    assert (
        'href="https://www.openstreetmap.org/?mlat=40.297&amp;mlon=-74.729#map=17/40.297/-74.729"'
        in html
    )
    assert 'href="tel:(609) 555-0142"' in html
    assert "Local time: Eastern Time (Lawrenceville)." in html
    assert "9:00 AM – 5:00 PM" in html
    assert "Dr. Nadia Brennan, MD, FIPP" in html
    assert "Treats sciatica with exercise first." in html
    assert "<h3>Conservative care</h3>" in html
    assert "<li>Discseel procedure</li>" in html
    assert '<link rel="canonical" href="http://127.0.0.1:8000/locations/lawrenceville-nj/">' in html


def test_the_page_offers_the_next_consultation_with_a_book_button(client, clinic_world):
    html = _page(client)

    assert (
        '<time datetime="2026-10-05T11:00:00-04:00">'
        "Monday, October 5, 2026, 11:00 AM Eastern Time (Lawrenceville)</time>" in html
    )
    assert (
        'href="/appointments/?location=lawrenceville-nj&amp;type=new-consultation'
        '&amp;day=2026-10-05">Book a consultation</a>' in html
    )


def test_the_book_link_opens_the_booking_picker_at_that_location_type_and_day(clinic_world):
    link = public_location_get(slug="lawrenceville-nj", language="en").book_url
    params = {key: values[0] for key, values in parse_qs(urlsplit(link).query).items()}
    form = SlotSearchForm(params)

    assert form.is_valid(), form.errors
    assert form.cleaned_data["location"] == clinic_world.lawrenceville
    assert form.cleaned_data["type"] == clinic_world.consultation
    assert form.cleaned_data["day"] == date(2026, 10, 5)


def test_without_an_online_time_the_page_asks_to_call(client, clinic_world):
    for provider in (clinic_world.marsh, clinic_world.brennan):
        ScheduleOverride.objects.bulk_create(
            ScheduleOverride(
                provider=provider, date=date.fromordinal(day), kind=ScheduleOverride.Kind.TIME_OFF
            )
            for day in range(date(2026, 10, 5).toordinal(), date(2027, 4, 5).toordinal())
        )

    html = _page(client)

    assert "There are no consultation times to book online at the moment." in html
    assert "Book a consultation</a>" not in html.split("<main", 1)[1]


def test_the_head_carries_the_same_json_ld_as_the_api(client, api_client, clinic_world):
    html = _page(client)

    embedded = json.loads(LD_JSON.search(html).group(1))
    assert embedded == api_client.get("/api/v1/locations/lawrenceville-nj/").json()["json_ld"]
    assert embedded["@type"] == "MedicalClinic"


def test_the_page_has_no_inline_script_or_style(client, clinic_world):
    html = _page(client)

    assert " style=" not in html
    scripts = re.findall(r"<script([^>]*)>", html)
    assert all('type="application/ld+json"' in attrs or "src=" in attrs for attrs in scripts)


def test_relevant_articles_are_listed_with_a_link_to_more(client, clinic_world):
    for n in range(7):
        ArticleFactory(slug=f"article-{n}", title=f"Reading number {n}")
    elsewhere = ArticleFactory(slug="houston-only", title="Only for Houston")
    elsewhere.locations.set([clinic_world.houston])

    html = _page(client)

    assert html.count('class="card article-card"') == 6
    assert "Only for Houston" not in html
    assert 'href="/education/">More articles</a>' in html


def test_the_page_in_spanish_uses_spanish_text_and_article_titles(client, clinic_world):
    article = ArticleFactory(slug="sciatica", title="Sciatica basics")
    ArticleTranslation.objects.create(
        article=article, language="es", title="Ciática básica", summary="Resumen."
    )

    html = _page(client, HTTP_ACCEPT_LANGUAGE="es")

    assert "Ciática básica" in html
    assert "Próxima consulta disponible" in html
    assert "Lunes" in html


def test_an_unknown_or_closed_location_is_a_404_page(client, clinic_world):
    LocationFactory(slug="closed-office", is_active=False)

    assert client.get("/locations/nowhere/").status_code == 404
    assert client.get("/locations/closed-office/").status_code == 404


def test_the_location_list_links_each_page_with_its_next_consultation(client, clinic_world):
    html = _page(client, "/locations/")

    assert html.count('href="/locations/lawrenceville-nj/"') == 2
    assert html.count('href="/locations/houston-tx/"') == 2
    assert "Monday, October 5, 2026, 10:00 AM Central Time (Houston)" in html


def test_pages_read_in_a_fixed_number_of_queries(
    client, clinic_world, django_assert_max_num_queries
):
    for n in range(8):
        ArticleFactory(slug=f"article-{n}")
    with django_assert_max_num_queries(15):
        _page(client)
    with django_assert_max_num_queries(9):
        _page(client, "/locations/")


def test_the_clock_of_the_page_is_the_location_s(client, clinic_world):
    ScheduleOverride.objects.create(
        provider=clinic_world.brennan,
        location=clinic_world.houston,
        date=date(2026, 10, 5),
        kind=ScheduleOverride.Kind.TIME_OFF,
        start=time(9),
        end=time(12),
    )

    html = _page(client, "/locations/houston-tx/")

    assert "Monday, October 5, 2026, 1:00 PM Central Time (Houston)" in html
    assert "Local time: Central Time (Houston)." in html
