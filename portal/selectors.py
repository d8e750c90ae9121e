"""Reads behind the public face of the locations: the API the clinic's website builds its location
pages from, and the portal's own location pages. They gather what the apps below publish:
locations and physicians (``clinic``), the next free consultation (``scheduling``) and the
relevant articles (``education``).

Only public data is read here: locations, opening hours, physicians, services, the start of the
next free consultation (a time, never who holds the others) and published articles. Each read
takes a fixed number of queries whatever the number of locations, physicians or articles.
"""

from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils.translation import get_supported_language_variant
from django.utils.translation.trans_real import parse_accept_lang_header

from clinic import selectors
from clinic.models import Location, Provider, Service
from clinic.timefmt import format_datetime
from education.selectors import LocalizedArticle, article_list_for_location, article_localized
from portal import seo
from scheduling.availability import next_available_by_location

# The appointment type whose next free time the location pages show (a contract of the API).
NEXT_AVAILABLE_TYPE = "new-consultation"
WEEKDAY_KEYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def location_url(location: Location) -> str:
    """The location's page on the portal, absolute (the website links to it)."""
    return settings.SITE_URL + location.get_absolute_url()


def location_map_url(location: Location) -> str:
    """OpenStreetMap at the location's coordinates, or a search for its address."""
    if location.latitude is not None and location.longitude is not None:
        lat, lon = location.latitude.normalize(), location.longitude.normalize()
        return f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=17/{lat}/{lon}"
    query = f"{location.one_line_address}, {location.country}"
    return "https://www.openstreetmap.org/search?" + urlencode({"query": query})


@dataclass(frozen=True)
class NextAvailable:
    type: str
    start: datetime  # in the location's time zone

    @property
    def day(self) -> date:
        return self.start.date()


@dataclass(frozen=True)
class PublicLocation:
    """A location as the public sees it, with its next free consultation (or None)."""

    location: Location
    next_available: NextAvailable | None

    @property
    def url(self) -> str:
        return location_url(self.location)

    @property
    def map_url(self) -> str:
        return location_map_url(self.location)

    @cached_property
    def weekly_hours(self) -> list[selectors.DayHours]:
        return selectors.location_weekly_hours(location=self.location)

    @property
    def hours(self) -> dict[str, list[dict[str, str]]]:
        """Opening intervals per weekday (``monday`` .. ``sunday``), local ``HH:MM`` times."""
        return {
            WEEKDAY_KEYS[day.weekday]: [
                {"opens": opens.strftime("%H:%M"), "closes": closes.strftime("%H:%M")}
                for opens, closes in day.intervals
            ]
            for day in self.weekly_hours
        }

    @property
    def providers(self) -> list[Provider]:
        return list(self.location.providers.all())

    @property
    def services(self) -> list[Service]:
        return list(self.location.services.all())

    @property
    def services_by_category(self) -> list[tuple[str, list[Service]]]:
        """Services grouped under their category's name, categories in their usual order."""
        groups: dict[str, list[Service]] = {}
        for service in self.services:
            groups.setdefault(service.category, []).append(service)
        return [
            (str(label), groups[value])
            for value, label in Service.Category.choices
            if value in groups
        ]

    @property
    def next_available_label(self) -> str:
        """``Wednesday, November 25, 2026, 4:00 PM EST``: local, with the zone's name."""
        if self.next_available is None:
            return ""
        return format_datetime(self.next_available.start, self.location)

    @property
    def book_url(self) -> str:
        """The booking page with this location and the consultation type chosen, open at the
        day of the next free time when there is one."""
        query = {"location": self.location.slug, "type": NEXT_AVAILABLE_TYPE}
        if self.next_available is not None:
            query["day"] = self.next_available.day.isoformat()
        return reverse("scheduling:book") + "?" + urlencode(query)


@dataclass(frozen=True)
class PublicLocationPage(PublicLocation):
    """A location with what its page adds: the relevant articles and its schema.org data."""

    articles: list[LocalizedArticle]

    @cached_property
    def json_ld(self) -> dict[str, Any]:
        return seo.location_json_ld(
            location=self.location,
            hours=self.weekly_hours,
            providers=self.providers,
            services=self.services,
            url=self.url,
            map_url=self.map_url,
        )


def _next_available(locations: list[Location]) -> dict[int, NextAvailable]:
    found = next_available_by_location(locations=locations, kind_slug=NEXT_AVAILABLE_TYPE)
    return {
        location.pk: NextAvailable(
            NEXT_AVAILABLE_TYPE, found[location.pk].start.astimezone(location.zone)
        )
        for location in locations
        if location.pk in found
    }


def public_location_list() -> list[PublicLocation]:
    """Active locations in their display order, each with its next free consultation."""
    locations = list(selectors.location_list())
    free = _next_available(locations)
    return [PublicLocation(location, free.get(location.pk)) for location in locations]


def public_location_get(*, slug: str, language: str) -> PublicLocationPage:
    """One active location for its page, articles in ``language`` where translated;
    ``Http404`` for an unknown or inactive slug."""
    location = selectors.location_get(slug=slug)
    free = _next_available([location])
    articles = [
        article_localized(article=article, language=language)
        for article in article_list_for_location(location=location)
    ]
    return PublicLocationPage(location, free.get(location.pk), articles)


def public_language(*, requested: str | None, accept_language: str) -> str:
    """The content language of a public response: ``requested`` (a ``lang`` parameter), else
    the best supported match of the ``Accept-Language`` header, else the default. The language
    cookie is deliberately ignored so shared caches only need ``Vary: Accept-Language``."""
    candidates = [requested] if requested else []
    candidates += [code for code, _q in parse_accept_lang_header(accept_language) if code != "*"]
    for code in candidates:
        try:
            return get_supported_language_variant(code)
        except LookupError:
            continue
    return settings.LANGUAGE_CODE
