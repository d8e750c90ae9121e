"""Celery tasks of the waitlist: they take ids (and the freed time as ISO 8601) and are
idempotent (an open offer for the time makes a second run do nothing)."""

from datetime import datetime

from celery import shared_task

from scheduling.waitlist.services import (
    waitlist_offer_missed,
    waitlist_offer_next,
    waitlist_offers_expire,
)


@shared_task(acks_late=True, ignore_result=True)
def offer_freed_time(provider_id: int, location_id: int, start: str) -> int | None:
    """Offer a freed time to the next entry in turn; the offer's id, or ``None``."""
    offer = waitlist_offer_next(
        provider_id=provider_id, location_id=location_id, start=datetime.fromisoformat(start)
    )
    return offer.pk if offer is not None else None


@shared_task(ignore_result=True)
def expire_offers() -> int:
    """Beat, every minute: close lapsed offers and pass their times on."""
    return waitlist_offers_expire()


@shared_task(ignore_result=True)
def offer_missed_times() -> int:
    """Beat, every five minutes: offer freed times whose queueing was lost."""
    return waitlist_offer_missed()
