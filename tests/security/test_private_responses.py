"""Headers of issue 13, item 7: no cache keeps a copy of a page or an API answer with someone's
own data (``Cache-Control: no-store``), walked over every page and every API read; the client's
``X-Request-ID`` is believed only behind configured proxies; a CSRF failure gets the portal's
own CSP-clean page; the language cookie is ``SameSite`` (and ``Secure`` in production)."""

import re

from django.test import Client
from rest_framework.test import APIClient

from tests.config.test_settings import PRODUCTION_ENV, load_settings
from tests.security.test_csp_pages import clients, page_problems, pages  # noqa: F401 - fixture
from tests.triage.test_web import post_step
from tests.triage.vignettes import answers

PUBLIC_API = re.compile(r"^/api/v1/(locations|providers|articles)/")


def no_store(response) -> bool:
    directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
    return {"no-store", "private"} <= directives


def test_every_page_a_signed_in_person_sees_is_not_stored(world, clients):  # noqa: F811
    found, unfilled = pages(world)
    assert unfilled == []
    stored = []
    walked = set()
    for name, path in found:
        for who in ("patient", "staff"):
            if path.startswith("/admin/") and who != "staff":
                continue
            response = clients[who].get(path)
            walked.add(name)
            if not no_store(response):
                stored.append(
                    f"{who} {path} {response.status_code} {response.get('Cache-Control')}"
                )
    assert stored == []
    assert {"clinic:dashboard", "clinic:profile", "triage:result", "scheduling:detail"} <= walked


def schema_reads(world) -> list[str]:
    schema = APIClient().get("/api/schema/", {"format": "json"}).json()
    values = {
        "appointment_id": world.appointment.pk,
        "assessment_id": world.assessment.pk,
        "slug": world.houston.slug,
    }
    paths = []
    for path, operations in schema["paths"].items():
        if "get" not in operations:
            continue
        filled = re.sub(r"\{(\w+)\}", lambda m: str(values[m.group(1)]), path)
        if operations["get"]["operationId"] == "providers_read":
            filled = f"/api/v1/providers/{world.physician.slug}/"
        if operations["get"]["operationId"] == "articles_read":
            filled = f"/api/v1/articles/{world.article.slug}/"
        if operations["get"]["operationId"] == "triage_questionnaire_read":
            filled = "/api/v1/triage/questionnaires/lumbar-radiculopathy/"
        paths.append(filled)
    return paths


def test_every_api_read_with_a_token_is_not_stored_unless_public(world):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {world.token()}")
    wrong = {}
    for path in schema_reads(world):
        response = client.get(
            path,
            {"type": "new-consultation", "start": "2026-10-05", "end": "2026-10-06"}
            if "availability" in path
            else None,
        )
        assert response.status_code == 200, path
        if PUBLIC_API.match(path) and "public" in response.get("Cache-Control", ""):
            continue
        if not no_store(response):
            wrong[path] = response.get("Cache-Control")
    assert wrong == {}
    for path in ("/api/v1/me/", "/api/v1/appointments/", "/api/v1/triage/assessments/"):
        assert no_store(client.get(path)), path


def test_an_expired_or_wrong_token_is_not_stored_either(db):
    response = APIClient().get("/api/v1/me/", HTTP_AUTHORIZATION="Token nope")
    assert response.status_code == 401
    assert no_store(response)


def test_a_visitors_own_symptom_check_is_not_stored(world):
    """No account, but the session holds the answers and the result: private all the same."""
    visitor = Client()
    response = visitor.get("/triage/lumbar-radiculopathy/questions/")
    for _ in range(10):
        response = post_step(visitor, response, answers(ces_saddle=True, ces_onset="new"))
        assert no_store(response), response.status_code
        if "/results/" in response["Location"]:
            break
        response = visitor.get("/triage/lumbar-radiculopathy/questions/")
        assert no_store(response)
    result = visitor.get(response["Location"])
    assert result.status_code == 200
    assert no_store(result)


def test_public_pages_and_answers_keep_their_caching(world):
    visitor = Client()
    locations = visitor.get("/api/v1/locations/")
    assert locations["Cache-Control"] == "public, max-age=60"
    assert "no-store" not in visitor.get("/").get("Cache-Control", "")
    signed_in = Client()
    signed_in.force_login(world.patient)
    assert signed_in.get("/api/v1/locations/")["Cache-Control"] == "public, max-age=60"


def test_the_clients_request_id_is_believed_only_behind_configured_proxies(client, settings):
    direct = client.get("/healthz", HTTP_X_REQUEST_ID="abc-123-def-456")
    assert direct["X-Request-ID"] != "abc-123-def-456"
    assert re.fullmatch(r"[0-9a-f]{32}", direct["X-Request-ID"])
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    proxied = client.get("/healthz", HTTP_X_REQUEST_ID="abc-123-def-456")
    assert proxied["X-Request-ID"] == "abc-123-def-456"
    hostile = client.get("/healthz", HTTP_X_REQUEST_ID="<script>")
    assert re.fullmatch(r"[0-9a-f]{32}", hostile["X-Request-ID"])


def test_a_csrf_failure_gets_the_portals_own_page(db):
    browser = Client(enforce_csrf_checks=True)
    response = browser.post("/accounts/login/", {"username": "a@example.org", "password": "x"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "This form has expired" in html
    assert "CSRF verification failed" not in html
    assert "Larkspur" in html
    assert page_problems(response) == []


def test_a_csrf_failure_in_spanish(db):
    browser = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="es")
    html = browser.post("/accounts/login/", {}).content.decode()
    assert 'lang="es"' in html
    assert "This form has expired" not in html


def test_the_language_cookie_is_same_site_and_secure_in_production(client, monkeypatch):
    response = client.post("/i18n/setlang/", {"language": "es", "next": "/"})
    assert response.cookies["django_language"]["samesite"] == "Lax"
    production = load_settings(monkeypatch, **PRODUCTION_ENV)
    assert production["LANGUAGE_COOKIE_SECURE"] is True
    assert production["LANGUAGE_COOKIE_SAMESITE"] == "Lax"
