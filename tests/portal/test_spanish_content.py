"""Service names, physicians' specialties and bios in Spanish on Spanish pages and in the API
(``lang`` / ``Accept-Language``), English where no translation is filled in."""

import io

import pytest
from django.core.management import call_command

from clinic.models import Provider, Service


@pytest.fixture
def spanish(clinic_world):
    Service.objects.filter(pk=clinic_world.discseel.pk).update(name_es="Procedimiento Discseel")
    Provider.objects.filter(pk=clinic_world.brennan.pk).update(
        specialty_es="Medicina intervencionista del dolor",
        bio_es="Realiza procedimientos de columna guiados por imágenes.",
    )
    return clinic_world


def _houston(api_client, **headers):
    return api_client.get("/api/v1/locations/houston-tx/", **headers)


@pytest.mark.parametrize(
    "request_kwargs",
    [{"data": {"lang": "es"}}, {"HTTP_ACCEPT_LANGUAGE": "es-MX,es;q=0.9,en;q=0.5"}],
)
def test_location_api_answers_in_spanish(api_client, spanish, request_kwargs):
    response = api_client.get("/api/v1/locations/houston-tx/", **request_kwargs)
    body = response.json()
    assert [s["name"] for s in body["services"]] == ["Procedimiento Discseel"]
    (brennan,) = body["providers"]
    assert brennan["specialty"] == "Medicina intervencionista del dolor"
    assert brennan["bio"] == "Realiza procedimientos de columna guiados por imágenes."
    assert body["json_ld"]["employee"][0]["jobTitle"] == "Medicina intervencionista del dolor"
    assert body["json_ld"]["availableService"][0]["name"] == "Procedimiento Discseel"
    assert "Accept-Language" in response["Vary"]


def test_each_language_is_its_own_cache_entry(api_client, spanish):
    spanish_answer = _houston(api_client, HTTP_ACCEPT_LANGUAGE="es")
    english_answer = _houston(api_client, HTTP_ACCEPT_LANGUAGE="en")
    assert english_answer.json()["services"][0]["name"] == "Discseel procedure"
    assert english_answer.json()["providers"][0]["bio"] == "Performs image-guided spine procedures."
    assert spanish_answer["ETag"] != english_answer["ETag"]
    again = _houston(api_client, HTTP_ACCEPT_LANGUAGE="es")
    assert again.json()["services"][0]["name"] == "Procedimiento Discseel"


def test_a_missing_translation_falls_back_to_english(api_client, spanish):
    body = api_client.get("/api/v1/locations/lawrenceville-nj/", {"lang": "es"}).json()
    names = [s["name"] for s in body["services"]]
    assert names == ["Physical therapy", "Procedimiento Discseel"]
    marsh = next(p for p in body["providers"] if p["slug"] == "elena-marsh")
    assert marsh["specialty"] == "Physical medicine and rehabilitation"


def test_location_list_and_physician_api_answer_in_spanish(api_client, spanish):
    locations = api_client.get("/api/v1/locations/", HTTP_ACCEPT_LANGUAGE="es").json()
    houston = next(item for item in locations if item["slug"] == "houston-tx")
    assert houston["services"][0]["name"] == "Procedimiento Discseel"
    physicians = api_client.get("/api/v1/providers/", {"lang": "es"}).json()
    brennan = next(item for item in physicians if item["slug"] == "nadia-brennan")
    assert brennan["specialty"] == "Medicina intervencionista del dolor"
    detail = api_client.get("/api/v1/providers/nadia-brennan/", HTTP_ACCEPT_LANGUAGE="es")
    assert detail.json()["bio"] == "Realiza procedimientos de columna guiados por imágenes."
    assert "Accept-Language" in detail["Vary"]
    english = api_client.get("/api/v1/providers/nadia-brennan/").json()
    assert english["bio"] == "Performs image-guided spine procedures."


def test_an_unknown_lang_is_a_400_naming_it(api_client, spanish):
    response = api_client.get("/api/v1/providers/", {"lang": "fr"})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "lang" in response.json()["errors"]


def test_the_location_page_is_spanish_on_spanish_pages(client, spanish):
    client.cookies["django_language"] = "es"
    html = client.get("/locations/houston-tx/").content.decode()
    assert "<li>Procedimiento Discseel</li>" in html
    assert "Medicina intervencionista del dolor" in html
    assert "Realiza procedimientos de columna guiados por imágenes." in html
    assert '"jobTitle":"Medicina intervencionista del dolor"' in html
    client.cookies["django_language"] = "en"
    html = client.get("/locations/houston-tx/").content.decode()
    assert "<li>Discseel procedure</li>" in html
    assert "Performs image-guided spine procedures." in html


@pytest.mark.django_db
def test_demo_services_and_physicians_have_spanish_texts():
    call_command("seed_demo", "--force", stdout=io.StringIO())
    assert not Service.objects.filter(name_es="").exists()
    assert not Provider.objects.filter(specialty_es="").exists()
    assert not Provider.objects.filter(bio_es="").exists()
