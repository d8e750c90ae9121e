"""The public location and physician API: the contract the clinic's website builds pages from."""

from datetime import date, time, timedelta

import pytest

from clinic.models import OpeningHours
from education.models import Article, ArticleTranslation
from scheduling.availability import next_available_slot
from scheduling.models import ScheduleOverride
from tests.education.factories import ArticleFactory
from tests.factories import LocationFactory, PatientFactory, ProviderFactory
from tests.scheduling.helpers import book

LOCATION_FIELDS = {
    "slug",
    "name",
    "address",
    "phone",
    "timezone",
    "hours",
    "providers",
    "services",
    "url",
    "next_available",
}
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
WEEKDAY_HOURS = [{"opens": "09:00", "closes": "17:00"}]


def get(api_client, url, **headers):
    response = api_client.get(url, **headers)
    assert response.status_code == 200, response.content
    return response.json()


def test_location_list_has_the_contract_fields_for_each_active_location(api_client, clinic_world):
    LocationFactory(slug="closed-office", is_active=False)

    body = get(api_client, "/api/v1/locations/")

    assert [item["slug"] for item in body] == ["lawrenceville-nj", "houston-tx"]
    lawrenceville = body[0]
    assert set(lawrenceville) == LOCATION_FIELDS
    assert lawrenceville["name"] == "Lawrenceville, NJ"
    assert lawrenceville["address"] == {
        "street": "2150 Larkspur Commons Drive, Suite 210",
        "city": "Lawrenceville",
        "region": "NJ",
        "postal_code": "08648",
        "country": "US",
    }
    assert lawrenceville["phone"] == "(609) 555-0142"
    assert lawrenceville["timezone"] == "America/New_York"
    assert lawrenceville["hours"] == {
        day: WEEKDAY_HOURS if day not in ("saturday", "sunday") else [] for day in WEEKDAYS
    }
    assert list(lawrenceville["hours"]) == WEEKDAYS
    assert lawrenceville["providers"] == [
        {"slug": "elena-marsh", "name": "Dr. Elena Marsh", "credentials": "MD"},
        {"slug": "nadia-brennan", "name": "Dr. Nadia Brennan", "credentials": "MD, FIPP"},
    ]
    assert lawrenceville["services"] == [
        {"slug": "physical-therapy", "name": "Physical therapy", "category": "conservative"},
        {"slug": "discseel", "name": "Discseel procedure", "category": "minimally_invasive"},
    ]
    assert lawrenceville["url"] == "http://127.0.0.1:8000/locations/lawrenceville-nj/"


def test_next_available_is_the_next_free_consultation_in_local_time_with_its_offset(
    api_client, clinic_world
):
    body = get(api_client, "/api/v1/locations/")

    # Monday 09:00 EDT / 08:00 CDT now; two hours' notice; both work from 09:00 local.
    assert body[0]["next_available"] == {
        "type": "new-consultation",
        "start": "2026-10-05T11:00:00-04:00",
    }
    assert body[1]["next_available"] == {
        "type": "new-consultation",
        "start": "2026-10-05T10:00:00-05:00",
    }


def test_next_available_agrees_with_the_booking_pages_and_skips_taken_times(
    api_client, clinic_world
):
    world = clinic_world
    patient = PatientFactory()
    book(
        patient=patient,
        provider=world.marsh,
        location=world.lawrenceville,
        kind=world.consultation,
        day=date(2026, 10, 5),
        clock=time(11),
    )
    ScheduleOverride.objects.create(
        provider=world.brennan, date=date(2026, 10, 5), kind=ScheduleOverride.Kind.TIME_OFF
    )

    body = get(api_client, "/api/v1/locations/")

    expected = [
        next_available_slot(location=loc, kind=world.consultation)
        for loc in (world.lawrenceville, world.houston)
    ]
    assert [item["next_available"]["start"] for item in body] == [
        slot.start.astimezone(loc.zone).isoformat()
        for slot, loc in zip(expected, (world.lawrenceville, world.houston), strict=True)
    ]
    assert body[0]["next_available"]["start"] == "2026-10-05T11:30:00-04:00"
    assert body[1]["next_available"]["start"] == "2026-10-06T09:00:00-05:00"


def test_next_available_is_null_without_bookable_consultations(
    api_client, clinic_world, django_capture_on_commit_callbacks
):
    world = clinic_world
    nowhere = LocationFactory(slug="new-office", name="New office", sort_order=3)
    ProviderFactory(slug="not-scheduled", locations=[nowhere])

    body = get(api_client, "/api/v1/locations/")
    assert body[2]["slug"] == "new-office"
    assert body[2]["next_available"] is None

    world.consultation.is_active = False
    with django_capture_on_commit_callbacks(execute=True):
        world.consultation.save()
    body = get(api_client, "/api/v1/locations/")
    assert [item["next_available"] for item in body] == [None, None, None]


def test_hours_list_each_interval_of_a_day_in_order(api_client, clinic_world):
    location = clinic_world.houston
    OpeningHours.objects.filter(location=location, weekday=0).delete()
    OpeningHours.objects.create(location=location, weekday=0, opens=time(13), closes=time(17, 30))
    OpeningHours.objects.create(location=location, weekday=0, opens=time(8), closes=time(12))
    OpeningHours.objects.create(location=location, weekday=5, opens=time(9), closes=time(12))

    hours = get(api_client, "/api/v1/locations/houston-tx/")["hours"]

    assert hours["monday"] == [
        {"opens": "08:00", "closes": "12:00"},
        {"opens": "13:00", "closes": "17:30"},
    ]
    assert hours["saturday"] == [{"opens": "09:00", "closes": "12:00"}]
    assert hours["sunday"] == []


def test_location_detail_adds_physician_bios_articles_and_json_ld(api_client, clinic_world):
    ArticleFactory(slug="for-everyone", title="For every location", summary="Everyone.")
    local = ArticleFactory(slug="nj-only", title="New Jersey only", summary="Here.")
    local.locations.set([clinic_world.lawrenceville])
    elsewhere = ArticleFactory(slug="tx-only", title="Texas only")
    elsewhere.locations.set([clinic_world.houston])
    ArticleFactory(slug="draft", status=Article.Status.DRAFT)

    body = get(api_client, "/api/v1/locations/lawrenceville-nj/")

    assert set(body) == LOCATION_FIELDS | {"articles", "json_ld"}
    assert body["providers"][0] == {
        "slug": "elena-marsh",
        "name": "Dr. Elena Marsh",
        "credentials": "MD",
        "specialty": "Physical medicine and rehabilitation",
        "bio": "Treats sciatica with exercise first.",
    }
    assert sorted(item["slug"] for item in body["articles"]) == ["for-everyone", "nj-only"]
    nj_only = next(item for item in body["articles"] if item["slug"] == "nj-only")
    assert nj_only == {
        "slug": "nj-only",
        "title": "New Jersey only",
        "summary": "Here.",
        "url": "http://127.0.0.1:8000/education/nj-only/",
    }
    assert body["next_available"] == {
        "type": "new-consultation",
        "start": "2026-10-05T11:00:00-04:00",
    }


def test_json_ld_is_a_medical_clinic_with_address_geo_hours_and_physicians(
    api_client, clinic_world
):
    json_ld = get(api_client, "/api/v1/locations/lawrenceville-nj/")["json_ld"]

    url = "http://127.0.0.1:8000/locations/lawrenceville-nj/"
    assert json_ld["@context"] == "https://schema.org"
    assert json_ld["@type"] == "MedicalClinic"
    assert json_ld["@id"] == f"{url}#clinic"
    assert json_ld["name"] == "Larkspur Spine & Pain — Lawrenceville, NJ"
    assert json_ld["url"] == url
    assert json_ld["telephone"] == "(609) 555-0142"
    assert json_ld["address"] == {
        "@type": "PostalAddress",
        "streetAddress": "2150 Larkspur Commons Drive, Suite 210",
        "addressLocality": "Lawrenceville",
        "addressRegion": "NJ",
        "postalCode": "08648",
        "addressCountry": "US",
    }
    assert json_ld["geo"] == {"@type": "GeoCoordinates", "latitude": 40.297, "longitude": -74.729}
    assert json_ld["hasMap"] == (
        "https://www.openstreetmap.org/?mlat=40.297&mlon=-74.729#map=17/40.297/-74.729"
    )
    assert json_ld["openingHoursSpecification"][0] == {
        "@type": "OpeningHoursSpecification",
        "dayOfWeek": "https://schema.org/Monday",
        "opens": "09:00",
        "closes": "17:00",
    }
    assert [spec["dayOfWeek"] for spec in json_ld["openingHoursSpecification"]] == [
        f"https://schema.org/{day}"
        for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
    ]
    assert json_ld["employee"] == [
        {
            "@type": "Person",
            "name": "Dr. Elena Marsh",
            "honorificSuffix": "MD",
            "jobTitle": "Physical medicine and rehabilitation",
        },
        {
            "@type": "Person",
            "name": "Dr. Nadia Brennan",
            "honorificSuffix": "MD, FIPP",
            "jobTitle": "Interventional pain medicine",
        },
    ]
    assert json_ld["availableService"] == [
        {"@type": "MedicalTherapy", "name": "Physical therapy"},
        {"@type": "MedicalProcedure", "name": "Discseel procedure"},
    ]
    assert json_ld["parentOrganization"] == {
        "@type": "MedicalOrganization",
        "name": "Larkspur Spine & Pain",
        "url": "http://127.0.0.1:8000",
    }


def test_json_ld_has_no_geo_without_coordinates_and_maps_the_address(api_client, clinic_world):
    json_ld = get(api_client, "/api/v1/locations/houston-tx/")["json_ld"]

    assert "geo" not in json_ld
    assert json_ld["hasMap"] == (
        "https://www.openstreetmap.org/search?query=7400+Larkspur+Medical+Parkway%2C+Suite+400"
        "%2C+Houston%2C+TX+77030%2C+US"
    )


def test_article_titles_follow_lang_then_accept_language(api_client, clinic_world):
    article = ArticleFactory(slug="sciatica", title="Sciatica basics", summary="In English.")
    ArticleTranslation.objects.create(
        article=article, language="es", title="Ciática básica", summary="En español."
    )
    url = "/api/v1/locations/houston-tx/"

    def titles(**extra):
        return [item["title"] for item in get(api_client, url, **extra)["articles"]]

    assert titles() == ["Sciatica basics"]
    assert titles(HTTP_ACCEPT_LANGUAGE="es-MX,es;q=0.9") == ["Ciática básica"]
    assert titles(data={"lang": "es"}) == ["Ciática básica"]
    assert titles(data={"lang": "en"}, HTTP_ACCEPT_LANGUAGE="es") == ["Sciatica basics"]
    api_client.cookies["django_language"] = "es"
    assert titles() == ["Sciatica basics"]


def test_an_unsupported_lang_is_a_400_naming_it(api_client, clinic_world):
    response = api_client.get("/api/v1/locations/houston-tx/", {"lang": "fr"})

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert response.json()["detail"].startswith("lang:")


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/locations/nowhere/",
        "/api/v1/locations/closed-office/",
        "/api/v1/providers/nobody/",
        "/api/v1/providers/retired/",
    ],
)
def test_unknown_or_inactive_slugs_are_404_json(api_client, clinic_world, url):
    LocationFactory(slug="closed-office", is_active=False)
    ProviderFactory(slug="retired", is_active=False)

    response = api_client.get(url)

    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "detail": "Not found."}
    assert "ETag" not in response
    assert "public" not in response.get("Cache-Control", "")


def test_provider_list_and_detail_show_physicians_with_their_active_locations(
    api_client, clinic_world
):
    closed = LocationFactory(slug="closed-office", is_active=False)
    clinic_world.brennan.locations.add(closed)
    ProviderFactory(slug="retired", is_active=False)

    providers = get(api_client, "/api/v1/providers/")
    detail = get(api_client, "/api/v1/providers/nadia-brennan/")

    assert [p["slug"] for p in providers] == ["elena-marsh", "nadia-brennan"]
    assert providers[1] == {
        "slug": "nadia-brennan",
        "name": "Dr. Nadia Brennan",
        "credentials": "MD, FIPP",
        "specialty": "Interventional pain medicine",
        "locations": [
            {
                "slug": "lawrenceville-nj",
                "name": "Lawrenceville, NJ",
                "url": "http://127.0.0.1:8000/locations/lawrenceville-nj/",
            },
            {
                "slug": "houston-tx",
                "name": "Houston, TX",
                "url": "http://127.0.0.1:8000/locations/houston-tx/",
            },
        ],
    }
    assert detail == {**providers[1], "bio": "Performs image-guided spine procedures."}


def test_a_new_consultation_found_only_after_the_first_two_weeks(api_client, clinic_world):
    world = clinic_world
    for offset in range(20):
        ScheduleOverride.objects.create(
            provider=world.marsh,
            date=date(2026, 10, 5) + timedelta(days=offset),
            kind=ScheduleOverride.Kind.TIME_OFF,
        )

    body = get(api_client, "/api/v1/locations/lawrenceville-nj/")

    # 5 Oct + 20 days is Sunday 25 Oct; the next working day is Monday 26 Oct.
    assert body["next_available"]["start"] == "2026-10-26T09:00:00-04:00"


def test_content_negotiation_still_refuses_what_it_cannot_give(api_client, clinic_world):
    assert api_client.get("/api/v1/locations/", HTTP_ACCEPT="application/json").status_code == 200
    assert api_client.get("/api/v1/locations/", HTTP_ACCEPT="*/*").status_code == 200
    assert api_client.get("/api/v1/locations/", {"format": "json"}).status_code == 200
    refused = api_client.get("/api/v1/locations/", HTTP_ACCEPT="text/html")
    assert refused.status_code == 406
    assert refused.json()["code"] == "not_acceptable"
