"""schema.org data of a location (JSON-LD): a ``MedicalClinic`` that the clinic's website (from
the API) and the portal's own location page embed as it is. Physicians' specialties and service
names are in the active language."""

from typing import Any

from django.conf import settings

from clinic.models import Location, Provider, Service
from clinic.selectors import DayHours

SCHEMA_ORG = "https://schema.org"
# schema.org DayOfWeek members, Monday first like ``OpeningHours.Weekday``.
DAYS_OF_WEEK = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# What each service category is in schema.org's medical vocabulary (``availableService``).
SERVICE_TYPES = {
    Service.Category.DIAGNOSTIC: "MedicalTest",
    Service.Category.CONSERVATIVE: "MedicalTherapy",
    Service.Category.MINIMALLY_INVASIVE: "MedicalProcedure",
    Service.Category.SURGICAL: "MedicalProcedure",
}


def _physician(provider: Provider) -> dict[str, Any]:
    data: dict[str, Any] = {"@type": "Person", "name": provider.name}
    if provider.credentials:
        data["honorificSuffix"] = provider.credentials
    if provider.display_specialty:
        data["jobTitle"] = provider.display_specialty
    return data


def location_json_ld(
    *,
    location: Location,
    hours: list[DayHours],
    providers: list[Provider],
    services: list[Service],
    url: str,
    map_url: str,
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "@context": SCHEMA_ORG,
        "@type": "MedicalClinic",
        "@id": f"{url}#clinic",
        "name": f"{settings.CLINIC_NAME} — {location.name}",
        "url": url,
        "telephone": location.phone,
        "address": {
            "@type": "PostalAddress",
            "streetAddress": location.street,
            "addressLocality": location.city,
            "addressRegion": location.region,
            "postalCode": location.postal_code,
            "addressCountry": location.country,
        },
        "hasMap": map_url,
        "openingHoursSpecification": [
            {
                "@type": "OpeningHoursSpecification",
                "dayOfWeek": f"{SCHEMA_ORG}/{DAYS_OF_WEEK[day.weekday]}",
                "opens": opens.strftime("%H:%M"),
                "closes": closes.strftime("%H:%M"),
            }
            for day in hours
            for opens, closes in day.intervals
        ],
        "employee": [_physician(provider) for provider in providers],
        "availableService": [
            {
                "@type": SERVICE_TYPES.get(service.category, "MedicalProcedure"),
                "name": service.display_name,
            }
            for service in services
        ],
        "parentOrganization": {
            "@type": "MedicalOrganization",
            "name": settings.CLINIC_NAME,
            "url": settings.SITE_URL,
        },
    }
    if location.latitude is not None and location.longitude is not None:
        data["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": float(location.latitude),
            "longitude": float(location.longitude),
        }
    return data
