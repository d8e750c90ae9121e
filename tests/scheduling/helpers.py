from datetime import date, datetime, time

from scheduling.services import appointment_book
from scheduling.slots import local_instant


def at(location, day: date, clock: time) -> datetime:
    """A local wall-clock time at the location, as the UTC instant the services take."""
    return local_instant(day, clock, location.zone)


def book(*, patient, provider, location, kind, day: date, clock: time, **extra):
    return appointment_book(
        patient=patient,
        provider=provider,
        location=location,
        kind=kind,
        start=at(location, day, clock),
        **extra,
    )


def api_book(
    client,
    *,
    provider: str,
    start: str,
    location: str = "houston-tx",
    kind: str = "new-consultation",
    key: str = "",
):
    """``POST /api/v1/appointments/`` as the website sends it (slugs, a start with its offset,
    an ``Idempotency-Key`` when given)."""
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return client.post(
        "/api/v1/appointments/",
        {"location": location, "type": kind, "provider": provider, "start": start},
        format="json",
        **headers,
    )
