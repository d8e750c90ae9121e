"""Every page a visitor, a patient and a staff member reach, with the Content Security Policy
it is served under: found by walking the URL patterns (so a new page is covered the day it
appears), filled in with real objects, the admin's pages of every registered model included.

A page must not need anything the policy blocks: no inline script (JSON data blocks are data,
not script), no inline event handler, no ``javascript:`` URL, no inline ``<style>`` without the
response's nonce and no ``style`` attribute (``style-src`` has no ``'unsafe-inline'``). Django's
admin templates are held to the same rule, and pass it as they are (SECURITY.md): an admin page
that starts to need an exception fails here first.
"""

import re
from html.parser import HTMLParser
from itertools import product

import pytest
from axes.models import AccessFailureLog
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.plugins.otp_static.models import StaticDevice

from clinic.services import email_verification_token
from scheduling.waitlist.links import offer_token
from tests.conftest import login_verified
from tests.factories import PASSWORD
from tests.triage.alerting import SOON, submit

DATA_SCRIPT_TYPES = {"application/ld+json", "application/json"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster"}
REQUIRED_DIRECTIVES = {
    "default-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}
# Not pages: machine endpoints, POST-only actions, files, redirects to other pages.
NOT_PAGES = {
    "healthz",
    "readyz",
    "api-schema",
    "set_language",
    "logout",
    "session-status",
    "session-keepalive",
    "hold",
    "release",
    "calendar",
    "admin:jsi18n",
    "admin:view_on_site",
    "admin:autocomplete",
    "admin:logout",
    "admin:login",
    "admin:scheduling_frontdeskboard_action",  # POST only: the day board's buttons
    "admin/(?P<url>.*)$",  # the admin's catch-all 404
}


class PageProblems(HTMLParser):
    """What in one page the policy would block."""

    def __init__(self, *, nonce: str) -> None:
        super().__init__(convert_charrefs=True)
        self.nonce = nonce
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...> inline event handler")
            if name in URL_ATTRIBUTES and (value or "").strip().lower().startswith("javascript:"):
                self.problems.append(f"<{tag} {name}={value!r}> javascript: URL")
            if name == "style":
                self.problems.append(f"<{tag} style={value!r}> style attribute")
        if tag == "script" and not values.get("src"):
            kind = (values.get("type") or "").lower()
            if kind not in DATA_SCRIPT_TYPES:
                self.problems.append(f"<script type={kind!r}> inline script")
        if tag == "style" and values.get("nonce") != self.nonce:
            self.problems.append("<style> without the response's nonce")


def policy(response) -> dict[str, list[str]]:
    header = response.get("Content-Security-Policy", "")
    directives = {}
    for part in filter(None, (p.strip() for p in header.split(";"))):
        name, *sources = part.split()
        directives[name] = sources
    return directives


def page_problems(response) -> list[str]:
    directives = policy(response)
    problems = [
        f"header: {name} is not {source}"
        for name, source in REQUIRED_DIRECTIVES.items()
        if directives.get(name) != [source]
    ]
    for name in ("script-src", "style-src"):
        sources = directives.get(name, [])
        if not sources or {"'unsafe-inline'", "'unsafe-eval'", "*"} & set(sources):
            problems.append(f"header: {name} {sources}")
    nonces = [s[7:-1] for s in directives.get("script-src", []) if s.startswith("'nonce-")]
    checker = PageProblems(nonce=nonces[0] if nonces else "")
    checker.feed(response.content.decode())
    return problems + checker.problems


# --- the walk ---------------------------------------------------------------------------------


def url_patterns(resolvers=None, prefix="", namespace=""):
    """``(route, name, converters)`` of every pattern, ``name`` with its namespace."""
    for entry in resolvers if resolvers is not None else get_resolver().url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from url_patterns(entry.url_patterns, route, inner)
        elif isinstance(entry, URLPattern):
            yield route, f"{namespace}{entry.name}" if entry.name else route


PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>[^)]*\)")


def admin_model(route: str):
    """The model whose admin pages the route belongs to (``admin/<app>/<model>/...``)."""
    for model in admin.site._registry:
        if route.startswith(f"admin/{model._meta.app_label}/{model._meta.model_name}/"):
            return model
    return None


def parameter_values(world, route: str, name: str) -> dict[str, list] | None:
    """Values for each parameter of the route; ``None`` when one has no sample."""
    patient = world.patient
    samples = {
        "slug": {
            "clinic:location-detail": [world.houston.slug],
            "education:article-detail": [world.article.slug],
            "triage:questionnaire-start": ["lumbar-radiculopathy"],
            "triage:questions": ["lumbar-radiculopathy"],
        }.get(name),
        "appointment_id": [world.appointment.pk],
        "assessment_id": [world.assessment.pk],
        "token": [
            default_token_generator.make_token(patient)
            if "uidb64" in route
            else offer_token(world.waitlist_offer.pk)
            if "waitlist" in route
            else email_verification_token(user=patient)
        ],
        "entry_id": [world.waitlist_entry.pk],
        "uidb64": [urlsafe_base64_encode(force_bytes(patient.pk))],
        "app_label": sorted({m._meta.app_label for m in admin.site._registry}),
        "number": [1],
    }
    model = admin_model(route)
    if model is not None:
        instance = model._default_manager.order_by("pk").first()
        for key in ("object_id", "pk", "id", "appointment_id"):
            samples[key] = [instance.pk] if instance is not None else None
    values = {}
    for match in PARAMETER.finditer(route):
        parameter = match.group(1) or match.group(2)
        if not samples.get(parameter):
            return None
        values[parameter] = samples[parameter]
    return values


def fill(route: str, values: dict[str, list]) -> list[str]:
    paths = []
    names = list(values)
    for combination in product(*(values[n] for n in names)):
        chosen = dict(zip(names, combination, strict=True))
        path = PARAMETER.sub(lambda m, c=chosen: str(c[m.group(1) or m.group(2)]), route)
        paths.append("/" + path.lstrip("^").rstrip("$").replace("\\", ""))
    return paths


def pages(world) -> tuple[list[tuple[str, str]], list[str]]:
    """``(name, path)`` of every page, and the routes that could not be filled in."""
    found, unfilled = [], []
    for route, name in url_patterns():
        if name in NOT_PAGES or route.startswith(("api/v1/", "static/")):
            continue
        values = parameter_values(world, route, name)
        if values is None:
            unfilled.append(name)
            continue
        found += [(name, path) for path in fill(route, values)]
    return found, unfilled


@pytest.fixture
def clients(world):
    """A visitor, the patient (logged in through the form: the log-in is recorded) and a
    superuser with a verified session; a failed log-in, an API token, recovery codes, a group
    and the patient's look at their own result give every admin list at least one row."""
    anonymous, patient, staff = Client(), Client(), Client()
    patient.post("/accounts/login/", {"username": world.patient.email, "password": PASSWORD})
    assert patient.get(reverse("triage:result", args=[world.assessment.pk])).status_code == 200
    anonymous.post("/accounts/login/", {"username": "nobody@example.org", "password": "wrong"})
    # Failures are logged only with AXES_ENABLE_ACCESS_FAILURE_LOG: one row by hand.
    AccessFailureLog.objects.create(username="someone@example.org", path_info="/accounts/login/")
    login_verified(staff, world.staff)
    world.token()
    StaticDevice.objects.create(user=world.staff, name="Recovery codes")
    Group.objects.get_or_create(name="Alert responders")
    submit(world.patient, SOON)  # a "soon" check gives the follow-up worklist a row
    return {"anonymous": anonymous, "patient": patient, "staff": staff}


def test_every_page_keeps_to_the_content_security_policy(world, clients):
    found, unfilled = pages(world)
    assert unfilled == [], unfilled
    problems, rendered = {}, set()
    for (name, path), (who, client) in product(found, clients.items()):
        if path.startswith("/admin/") and who != "staff":
            continue
        response = client.get(path, follow=True)
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        rendered.add(name)
        found_problems = page_problems(response)
        if found_problems:
            problems[f"{who} {path}"] = sorted(set(found_problems))
    assert problems == {}
    # The walk reached the admin of every registered model and the patient's own pages.
    for model in admin.site._registry:
        label = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        assert f"{label}_changelist" in rendered
        assert f"{label}_change" in rendered, label
    assert {"triage:result", "scheduling:detail", "clinic:profile", "clinic:dashboard"} <= rendered


def test_the_error_pages_and_api_docs_keep_to_it_too(world, clients):
    for path in ("/no-such-page/", "/api/docs/", "/accounts/login/"):
        response = clients["anonymous"].get(path)
        assert response["Content-Type"].startswith("text/html")
        assert page_problems(response) == [], path


@pytest.mark.parametrize(
    ("html", "problem"),
    [
        ("<script>alert(1)</script>", "inline script"),
        ('<script type="module">x()</script>', "inline script"),
        ('<a href="javascript:void(0)">x</a>', "javascript: URL"),
        ('<button onclick="x()">x</button>', "inline event handler"),
        ('<div style="color:red">x</div>', "style attribute"),
        ("<style>p{}</style>", "without the response's nonce"),
    ],
)
def test_the_checker_finds_what_the_policy_blocks(html, problem):
    checker = PageProblems(nonce="abc")
    checker.feed(html)
    assert len(checker.problems) == 1
    assert problem in checker.problems[0]


def test_the_checker_accepts_data_blocks_and_sourced_scripts():
    checker = PageProblems(nonce="abc")
    checker.feed(
        '<script type="application/ld+json">{"@type": "MedicalWebPage"}</script>'
        '<script src="/static/js/x.js" defer></script><style nonce="abc">p{}</style>'
    )
    assert checker.problems == []
