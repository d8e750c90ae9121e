"""Object-level access everywhere: every URL pattern of the project and every operation of the
API, walked.

1. Anonymous: a log-in redirect (web, admin) or a 401 (API), except the reviewed PUBLIC list.
   A new URL that is neither protected nor reviewed fails here.
2. Patient A asking for patient B's records by id, on every route that takes one: a 404 and a
   ``denied`` row naming B; the admin (alerts, accounts, everything) only sends A to log in.
3. Patients cannot set staff-only fields.
"""

import re
import uuid
from dataclasses import dataclass
from functools import cache
from urllib.parse import urlsplit

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.resolvers import RoutePattern
from drf_spectacular.generators import SchemaGenerator

from audit.models import Action
from tests.audit.conftest import FREE_START, book_over_api, rows
from tests.factories import LocationFactory, PatientFactory
from tests.triage.alerting import EMERGENCY
from triage.models import Assessment

pytestmark = pytest.mark.django_db

# Web pages anyone may open, by URL name, each for a reason. Review before adding one.
PUBLIC = {
    "home": "the front page",
    "clinic:signup": "creating an account",
    "clinic:signup-sent": "check your e-mail (the same page whoever signed up with what)",
    "clinic:login": "logging in",
    "clinic:logout": "logging out (of nothing, when anonymous)",
    "clinic:verify-email": "the link in the verification e-mail; the signed token is the key",
    "clinic:password_reset": "asking for a reset link",
    "clinic:password_reset_done": "the reset link was sent",
    "clinic:password_reset_confirm": "the link in the reset e-mail; the signed token is the key",
    "clinic:password_reset_complete": "the password was reset",
    "clinic:session-status": "tells a logged-out browser it is logged out",
    "clinic:location-list": "the clinic's locations",
    "clinic:location-detail": "one location",
    "triage:start": "anyone may check their symptoms",
    "triage:questionnaire-start": "the same, for a named questionnaire",
    "triage:questions": "the questionnaire steps (the answers live in the visitor's session)",
    "triage:result": "a visitor's own anonymous result (its id in their session); others 404",
    "triage:result-contact": "a phone number left on one's own anonymous result; others 404",
    "education:article-list": "published articles",
    "education:article-detail": "one published article",
    "set_language": "the language switch",
    "admin:login": "sends visitors to the portal's log-in",
    "admin:logout": "logging out (of nothing, when anonymous)",
    "api-schema": "the OpenAPI description",
    "api-docs": "the API documentation page",
    "healthz": "liveness probe",
    "readyz": "readiness probe",
}
# API operations anyone may call (the schema must say so too: no security or an empty one).
PUBLIC_OPERATIONS = {
    "auth_register",
    "auth_token",
    "locations_list",
    "locations_read",
    "location_availability",
    "providers_list",
    "providers_read",
    "articles_list",
    "articles_read",
    "triage_questionnaire_read",
    "triage_assessment_create",
}
# What a route's id parameter names, and which of patient B's records it is for.
OBJECT_KWARGS = {
    "assessment_id": "assessment",
    "appointment_id": "appointment",
    "entry_id": "waitlist_entry",
}

PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
REGEX_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>[^)]*\)")
SAMPLES = {
    "int": "1",
    "uuid": str(uuid.UUID(int=1)),
    "slug": "no-such-slug",
    "str": "sample",
    "path": "1",
}
REGEX_SAMPLES = {"app_label": "clinic", "url": "no-such-page/"}


@dataclass(frozen=True)
class Route:
    template: str  # "/appointments/{appointment_id}/"
    name: str  # "scheduling:detail"; "" for an unnamed pattern
    converters: tuple[tuple[str, str], ...]  # (parameter, converter)
    callback: object

    @property
    def is_admin(self) -> bool:
        return self.template.startswith("/admin/")

    @property
    def is_api(self) -> bool:
        return self.template.startswith("/api/v1/")

    def url(self, **values) -> str:
        samples = {
            name: values.get(name, REGEX_SAMPLES.get(name, SAMPLES.get(converter)))
            for name, converter in self.converters
        }
        return self.template.format(**{k: str(v) for k, v in samples.items()})


def _piece(pattern) -> tuple[str, list[tuple[str, str]]]:
    """One level of a pattern as a template, and its parameters with their converters."""
    text = str(pattern.pattern)
    found: list[tuple[str, str]] = []
    if isinstance(pattern.pattern, RoutePattern):

        def route_parameter(match):
            found.append((match["name"], match["converter"] or "str"))
            return "{" + match["name"] + "}"

        return PARAMETER.sub(route_parameter, text), found

    def regex_group(match):
        found.append((match["name"], "regex"))
        return "{" + match["name"] + "}"

    return REGEX_GROUP.sub(regex_group, text).lstrip("^").rstrip("$"), found


def _walk(resolver, prefix: str, namespaces: tuple[str, ...], converters: list):
    for pattern in resolver.url_patterns:
        text, found = _piece(pattern)
        if isinstance(pattern, URLResolver):
            spaces = (*namespaces, pattern.namespace) if pattern.namespace else namespaces
            yield from _walk(pattern, prefix + text, spaces, converters + found)
        elif isinstance(pattern, URLPattern):
            name = ":".join((*namespaces, pattern.name)) if pattern.name else ""
            yield Route("/" + prefix + text, name, tuple(converters + found), pattern.callback)


@cache
def all_routes() -> tuple[Route, ...]:
    return tuple(_walk(get_resolver(), "", (), []))


@cache
def api_operations() -> tuple[tuple[str, str, str, bool], ...]:
    """(method, path template, operation id, public per the schema) for every operation."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    operations = []
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            security = operation.get("security")
            public = security is None or {} in security
            operations.append((method.upper(), path, operation["operationId"], public))
    return tuple(operations)


def _route_for_api_path(path: str) -> Route:
    return next(route for route in all_routes() if route.template == path)


def _request(client, method: str, url: str):
    if method == "GET":
        return client.get(url)
    return client.generic(method, url, "{}", content_type="application/json")


def _sends_to_login(response) -> bool:
    if response.status_code != 302:
        return False
    target = urlsplit(response["Location"]).path
    return target in (reverse("clinic:login"), reverse("admin:login"))


def _answer(client, route: Route, url: str):
    """GET, or POST where the route takes only POST (a 405 to GET)."""
    response = client.get(url)
    if response.status_code == 405:
        response = client.post(url)
    return response


# --- the walk's own sanity -----------------------------------------------------------------


def test_every_sample_url_reaches_its_own_pattern():
    for route in all_routes():
        assert resolve(route.url()).func == route.callback, route.template


def test_the_public_list_names_only_existing_routes():
    names = {route.name for route in all_routes()}
    assert set(PUBLIC) <= names, sorted(set(PUBLIC) - names)
    operations = {operation_id for _m, _p, operation_id, _public in api_operations()}
    assert operations >= PUBLIC_OPERATIONS, sorted(PUBLIC_OPERATIONS - operations)


def test_every_api_route_is_in_the_schema():
    documented = {path for _m, path, _id, _public in api_operations()}
    routes = {route.template for route in all_routes() if route.is_api}
    assert routes == documented


def test_the_schema_marks_exactly_the_reviewed_operations_public():
    public = {operation_id for _m, _p, operation_id, is_public in api_operations() if is_public}
    assert public == PUBLIC_OPERATIONS


# --- 1. anonymous ----------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_log_in_everywhere_but_the_public_pages(client):
    LocationFactory(slug="no-such-slug")  # so a public location page has something to show
    unprotected, failing = [], []
    for route in all_routes():
        if route.is_api:
            continue  # by operation, below
        response = _answer(client, route, route.url())
        if response.status_code >= 500:
            failing.append((route.template, response.status_code))
        if route.name in PUBLIC:
            continue
        if not (_sends_to_login(response) or response.status_code == 401):
            unprotected.append((route.template, route.name, response.status_code))
    assert failing == []
    assert unprotected == [], "not protected and not in PUBLIC: " + repr(unprotected)


def test_anonymous_api_callers_get_401_except_on_the_public_operations(client):
    answers = {}
    for method, path, operation_id, _public in api_operations():
        response = _request(client, method, _route_for_api_path(path).url())
        answers[operation_id] = response.status_code
        assert response.status_code < 500, (operation_id, response.status_code)
        if operation_id not in PUBLIC_OPERATIONS:
            assert response.status_code == 401, (operation_id, response.status_code)
            assert response.json()["code"] == "not_authenticated"
        else:
            assert response.status_code != 401, operation_id
    assert answers.keys() >= PUBLIC_OPERATIONS


# --- 2. patient A asking for patient B's records ---------------------------------------------


@pytest.fixture
def alice(client, records_of):
    """Logged in, with records of her own (so "not found" is not "has nothing")."""
    patient = PatientFactory()
    records_of(patient)
    client.force_login(patient)
    return patient


def _bob_values(bob) -> dict[str, object]:
    records = {
        "assessment": bob.assessment,
        "appointment": bob.appointment,
        "waitlist_entry": bob.waitlist_entry,
    }
    return {kwarg: records[kind].pk for kwarg, kind in OBJECT_KWARGS.items()}


def _denied_rows(alice, bob):
    return rows(action=Action.DENIED, actor=alice, patient=bob.patient)


def test_the_walk_knows_every_record_id_a_route_takes():
    """A new route taking a record id must be added to OBJECT_KWARGS (and so to the cross-patient
    walk below). Slugs and tokens name public things, not patients' records."""
    for route in all_routes():
        if route.is_admin:
            continue
        for name, converter in route.converters:
            if converter in ("slug",) or name in ("token", "uidb64"):
                continue
            assert name in OBJECT_KWARGS, f"{route.template}: what record does {name} name?"


def test_another_patients_records_are_404_with_a_denied_row_on_every_web_route(client, alice, bob):
    checked = []
    for route in all_routes():
        if route.is_admin or route.is_api:
            continue
        if not any(name in OBJECT_KWARGS for name, _c in route.converters):
            continue
        before = len(_denied_rows(alice, bob))
        response = _answer(client, route, route.url(**_bob_values(bob)))
        assert response.status_code == 404, (route.template, response.status_code)
        denied = _denied_rows(alice, bob)
        assert len(denied) == before + 1, route.template
        assert denied[-1].channel == "web"
        checked.append(route.name)
    assert set(checked) >= {"triage:result", "scheduling:detail", "scheduling:calendar"}


def test_another_patients_records_are_404_with_a_denied_row_on_every_api_operation(
    client, alice, bob
):
    checked = []
    for method, path, operation_id, _public in api_operations():
        route = _route_for_api_path(path)
        if not any(name in OBJECT_KWARGS for name, _c in route.converters):
            continue
        before = len(_denied_rows(alice, bob))
        response = _request(client, method, route.url(**_bob_values(bob)))
        assert response.status_code == 404, (operation_id, response.status_code)
        assert response.json()["code"] == "not_found"
        denied = _denied_rows(alice, bob)
        assert len(denied) == before + 1, operation_id
        assert (denied[-1].channel, denied[-1].object_id) in {
            ("api", str(bob.assessment.pk)),
            ("api", str(bob.appointment.pk)),
            ("api", str(bob.waitlist_entry.pk)),
        }
        checked.append(operation_id)
    assert set(checked) == {
        "triage_assessment_read",
        "appointments_read",
        "appointments_cancel",
        "appointments_reschedule",
        "waitlist_delete",
    }


def test_fhir_of_another_patients_assessment_is_404_with_a_denied_row(client, alice, bob):
    url = f"/api/v1/triage/assessments/{bob.assessment.pk}/?format=fhir"
    assert client.get(url).status_code == 404
    assert len(_denied_rows(alice, bob)) == 1


def test_bobs_records_are_unchanged_after_alices_attempts(client, alice, bob):
    start, urgency = bob.appointment.start, bob.assessment.urgency
    for route in all_routes():
        if not route.is_admin and any(name in OBJECT_KWARGS for name, _c in route.converters):
            client.post(route.url(**_bob_values(bob)), {"start": FREE_START})
    bob.appointment.refresh_from_db()
    bob.assessment.refresh_from_db()
    assert (bob.appointment.status, bob.appointment.start) == ("confirmed", start)
    assert bob.assessment.urgency == urgency


def test_patients_reach_nothing_in_the_admin_alerts_and_accounts_included(client, alice, bob):
    values = {
        "object_id": bob.alert.pk,
        "id": bob.patient.pk,
        "appointment_id": bob.appointment.pk,
    }
    for route in all_routes():
        if not route.is_admin or route.name in PUBLIC:
            continue
        response = _answer(client, route, route.url(**values))
        assert _sends_to_login(response), (route.template, response.status_code)
    alert_page = f"/admin/triage/staffalert/{bob.alert.pk}/change/"
    account_page = f"/admin/clinic/user/{bob.patient.pk}/change/"
    for url in (alert_page, account_page):
        followed = client.get(url, follow=True)
        assert followed.status_code == 403
        assert bob.patient.email not in followed.content.decode()


def test_an_anonymous_visitor_asking_for_a_patients_result_gets_404_and_a_denied_row(client, bob):
    response = client.get(reverse("triage:result", args=[bob.assessment.pk]))
    assert response.status_code == 404
    [denied] = rows(action=Action.DENIED)
    assert (denied.actor_id, denied.patient_id, denied.object_id) == (
        None,
        bob.patient.pk,
        str(bob.assessment.pk),
    )


def test_an_unknown_id_is_denied_without_a_patient(client, alice):
    missing = uuid.uuid4()
    assert client.get(f"/api/v1/triage/assessments/{missing}/").status_code == 404
    [denied] = rows(action=Action.DENIED)
    assert (denied.actor_id, denied.patient_id, denied.object_type, denied.object_id) == (
        alice.pk,
        None,
        "triage.assessment",
        str(missing),
    )


# --- 3. staff-only fields ----------------------------------------------------------------------

STAFF_ONLY_PROFILE = {
    "is_staff": True,
    "is_superuser": True,
    "is_active": False,
    "email": "someone-else@example.org",
    "email_verified_at": "2020-01-01T00:00:00Z",
    "served_locations": [1],
    "groups": [1],
    "user_permissions": [1],
}


def _account(user) -> tuple:
    user.refresh_from_db()
    return (
        user.is_staff,
        user.is_superuser,
        user.is_active,
        user.email,
        user.email_verified_at,
        list(user.served_locations.all()),
        list(user.groups.all()),
        list(user.user_permissions.all()),
    )


def test_patients_cannot_set_staff_only_account_fields_through_the_api(client, alice):
    before = _account(alice)
    response = client.patch(
        "/api/v1/me/",
        {**STAFF_ONLY_PROFILE, "first_name": "Alicia"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["first_name"] == "Alicia"
    assert _account(alice) == before


def test_patients_cannot_set_staff_only_account_fields_through_the_profile_page(client, alice):
    before = _account(alice)
    response = client.post(
        reverse("clinic:profile"),
        {
            **STAFF_ONLY_PROFILE,
            "first_name": "Alicia",
            "last_name": "Example",
            "preferred_language": "en",
        },
    )
    assert response.status_code == 302
    assert _account(alice) == before
    assert alice.first_name == "Alicia"


def test_patients_cannot_set_an_appointments_status_patient_or_origin_through_the_api(
    client, alice, bob, physician
):
    response = book_over_api(
        client,
        physician,
        status="completed",
        patient=bob.patient.pk,
        booked_via="staff",
        triage_attention="",
        sequence=9,
    )
    assert response.status_code == 201
    made = alice.appointments.get(pk=response.json()["id"])
    assert (made.status, made.patient, made.booked_via, made.sequence) == (
        "confirmed",
        alice,
        "patient",
        0,
    )
    assert made.triage_attention == "emergency_unconfirmed"  # Alice's own emergency check


def test_patients_cannot_set_an_appointments_status_when_rescheduling(client, alice, physician):
    mine = alice.appointments.get()
    response = client.post(
        f"/api/v1/appointments/{mine.pk}/reschedule/",
        {"start": FREE_START, "status": "cancelled", "patient": 1},
        content_type="application/json",
    )
    assert response.status_code == 200
    mine.refresh_from_db()
    assert (mine.status, mine.patient) == ("confirmed", alice)


def test_patients_cannot_set_an_assessments_result_or_owner(client, alice, bob):
    response = client.post(
        "/api/v1/triage/assessments/",
        {
            "questionnaire": "lumbar-radiculopathy",
            "answers": EMERGENCY,
            "urgency": "routine",
            "pattern": "none",
            "flags": [],
            "patient": bob.patient.pk,
        },
        content_type="application/json",
    )
    assert response.status_code == 201
    made = Assessment.objects.get(pk=response.json()["id"])
    assert (made.urgency, made.patient) == ("emergency", alice)
    assert made.flags
