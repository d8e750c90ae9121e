"""The portal's own pages: the home page, the locations' pages and the patient dashboard, each
gathering what the apps below publish. Thin: read, render."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone, translation

from audit.context import AccessContext
from clinic import selectors
from clinic.discovery import app_modules
from clinic.languages import canonical_url
from clinic.timefmt import zone_label
from education.rendering import json_for_script
from portal import selectors as public

# How many relevant articles a location page lists before linking to the rest.
LOCATION_PAGE_ARTICLES = 6


def home(request):
    return render(request, "portal/home.html", {"locations": selectors.location_list()})


@login_required
def dashboard(request):
    """The patient's dashboard: a section from each app that has one (``<app>.dashboard``,
    found by ``clinic.discovery``), then the patient's details."""
    sections = []
    for module in app_modules("dashboard"):
        section = module.section(request)
        if section:
            sections.append(section)
    return render(
        request,
        "portal/dashboard.html",
        {
            "profile": selectors.patient_profile_for(
                user=request.user, access=AccessContext.web(request)
            ),
            "sections": sections,
        },
    )


def location_list(request):
    return render(
        request, "portal/location_list.html", {"locations": public.public_location_list()}
    )


def location_detail(request, slug: str):
    page = public.public_location_get(slug=slug, language=translation.get_language())
    return render(
        request,
        "portal/location_detail.html",
        {
            "page": page,
            "location": page.location,
            "json_ld": json_for_script(page.json_ld),
            "canonical_url": canonical_url(request, page.url),
            "zone_name": zone_label(timezone.now(), page.location),
            "articles": page.articles[:LOCATION_PAGE_ARTICLES],
            "more_articles": len(page.articles) > LOCATION_PAGE_ARTICLES,
        },
    )
