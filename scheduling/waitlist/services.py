"""Writes of the waitlist: join, leave, offer a freed time, claim, decline, let offers lapse.

A freed time is offered to one entry at a time (a partial unique index keeps one open offer per
time of a physician, and one per entry), in the order of ``waitlist_queue``. The offer is an
outbox e-mail with a signed claim link; claiming books through ``appointment_book``, so the
exclusion constraints make a double booking impossible; a time taken meanwhile is said so and
the patient stays on the list. A lapsed or declined offer passes the time to the next entry.

``waitlist_slot_freed`` (``scheduling.waitlist.freed``) is what booking calls, inside the
transaction that frees a time.
"""

import logging
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from audit.context import AccessContext
from audit.models import Action
from audit.services import phi_access_record
from clinic import outbox
from clinic.errors import NotFound
from clinic.messages import patient_message_queue
from clinic.models import Location, PatientMessage, Provider, User
from scheduling.availability import local_date, slot_is_offered
from scheduling.errors import (
    InvalidBooking,
    PatientConflict,
    SlotUnavailable,
    WaitlistEntryExists,
    WaitlistOfferClosed,
)
from scheduling.models import Appointment, AppointmentType, Notification
from scheduling.notifications import OFFER_TEXT_KIND, SEND_TASK, offer_text_context
from scheduling.selectors import patient_busy
from scheduling.services import appointment_book
from scheduling.waitlist.freed import waitlist_slot_freed
from scheduling.waitlist.models import WaitlistEntry, WaitlistOffer
from scheduling.waitlist.selectors import waitlist_freed_without_offer, waitlist_queue

logger = logging.getLogger(__name__)

Offer = WaitlistOffer.Status
Entry = WaitlistEntry.Status


def _check_entry(
    *,
    location: Location,
    kind: AppointmentType,
    provider: Provider | None,
    first: date,
    last: date,
    now: datetime,
) -> None:
    if not location.is_active:
        raise InvalidBooking("This location does not take bookings.", field="location")
    if not kind.is_active:
        raise InvalidBooking("This appointment type cannot be booked.", field="type")
    if provider is not None and not (
        provider.is_active
        and provider.locations.filter(pk=location.pk).exists()
        and provider.appointment_types.filter(pk=kind.pk).exists()
    ):
        raise InvalidBooking(
            "This physician does not offer this appointment at this location.", field="provider"
        )
    today = local_date(now, location)
    if first < today:
        raise InvalidBooking("The first day cannot be in the past.", field="first")
    if last < first:
        raise InvalidBooking("The last day must be on or after the first.", field="last")
    if last > today + timedelta(days=settings.SCHEDULING_WAITLIST_MAX_DAYS):
        raise InvalidBooking(
            f"The waitlist reaches {settings.SCHEDULING_WAITLIST_MAX_DAYS} days ahead at most.",
            field="last",
        )


@transaction.atomic
def waitlist_join(
    *,
    patient: User,
    location: Location,
    kind: AppointmentType,
    first: date,
    last: date,
    provider: Provider | None = None,
    access: AccessContext | None = None,
) -> WaitlistEntry:
    """Put the patient on the waitlist (one waiting entry per location and type)."""
    _check_entry(
        location=location,
        kind=kind,
        provider=provider,
        first=first,
        last=last,
        now=timezone.now(),
    )
    waiting = WaitlistEntry.objects.filter(
        patient=patient, location=location, appointment_type=kind, status=Entry.WAITING
    )
    if waiting.exists():
        raise WaitlistEntryExists()
    try:
        with transaction.atomic():
            entry = WaitlistEntry.objects.create(
                patient=patient,
                location=location,
                appointment_type=kind,
                provider=provider,
                first=first,
                last=last,
            )
    except IntegrityError as exc:  # a twin request joined first (the partial unique index)
        if waiting.exists():
            raise WaitlistEntryExists() from exc
        raise
    phi_access_record(access=access, action=Action.CHANGE, obj=entry, patient_id=patient.pk)
    return entry


def _close(offer: WaitlistOffer, *, status: str, now: datetime) -> None:
    offer.status = status
    offer.closed_at = now
    offer.save(update_fields=["status", "closed_at", "appointment"])


def _pass_on(offer: WaitlistOffer) -> None:
    waitlist_slot_freed(
        provider_id=offer.provider_id, location_id=offer.entry.location_id, start=offer.start
    )


@transaction.atomic
def waitlist_leave(
    *, patient: User, entry_id: int, access: AccessContext | None = None
) -> WaitlistEntry:
    """Take the patient off the waitlist; an open offer of theirs goes to the next entry."""
    now = timezone.now()
    entry = WaitlistEntry.objects.select_for_update().filter(pk=entry_id, patient=patient).first()
    if entry is None:
        raise NotFound()
    if entry.status == Entry.WAITING:
        entry.status = Entry.LEFT
        entry.ended_at = now
        entry.save(update_fields=["status", "ended_at"])
        for offer in entry.offers.select_for_update().filter(status=Offer.OFFERED):
            _close(offer, status=Offer.SUPERSEDED, now=now)
            _pass_on(offer)
        phi_access_record(access=access, action=Action.CHANGE, obj=entry, patient_id=patient.pk)
    return entry


def _offer_expiry(*, kind: AppointmentType, start: datetime, now: datetime) -> datetime:
    """The offer lasts ``SCHEDULING_WAITLIST_OFFER_MINUTES``, but never past the moment the
    time could no longer be booked (its minimum notice)."""
    return min(
        now + timedelta(minutes=settings.SCHEDULING_WAITLIST_OFFER_MINUTES),
        start - kind.minimum_notice,
    )


def _notify_offer(offer: WaitlistOffer) -> Notification:
    """Outbox rows first (the e-mail, and its text copy to a patient who opted in to SMS), the
    sending after the commit (as ``scheduling.services._notify``)."""
    entry = offer.entry
    notification = Notification.objects.create(
        offer=offer,
        kind=Notification.Kind.WAITLIST_OFFER,
        starts_at=offer.start,
        ends_at=offer.start + entry.appointment_type.duration,
        provider=offer.provider,
        location=entry.location,
        next_attempt_at=timezone.now(),
    )
    outbox.task_enqueue_on_commit(SEND_TASK, notification.pk)
    patient_message_queue(
        patient_id=entry.patient_id,
        kind=OFFER_TEXT_KIND,
        context=offer_text_context(notification),
        channels=[PatientMessage.Channel.SMS],
    )
    return notification


def waitlist_offer_next(
    *, provider_id: int, location_id: int, start: datetime, now: datetime | None = None
) -> WaitlistOffer | None:
    """Offer the time to the first entry in turn that the availability engine can book into it
    (its type fits there now) and whose patient is free then; ``None`` when the time is already
    on offer, has passed or suits nobody. Safe to run twice or at once: the unique index of
    open offers per time lets one offer through."""
    now = now or timezone.now()
    provider = Provider.objects.filter(pk=provider_id).first()
    location = Location.objects.filter(pk=location_id).first()
    if provider is None or location is None or start <= now:
        return None
    fits: dict[int, bool] = {}
    with transaction.atomic():
        if WaitlistOffer.objects.filter(
            provider=provider, start=start, status=Offer.OFFERED
        ).exists():
            return None
        queue = waitlist_queue(
            location=location, provider=provider, start=start, day=local_date(start, location)
        )
        for entry in queue:
            kind = entry.appointment_type
            if kind.pk not in fits:
                fits[kind.pk] = slot_is_offered(
                    location=location, kind=kind, provider=provider, start=start, now=now
                )
            if not fits[kind.pk] or patient_busy(
                patient=entry.patient, start=start, end=start + kind.duration, now=now
            ):
                continue
            try:
                with transaction.atomic():
                    offer = WaitlistOffer.objects.create(
                        entry=entry,
                        provider=provider,
                        start=start,
                        expires_at=_offer_expiry(kind=kind, start=start, now=now),
                    )
            except IntegrityError:
                # A partial unique index refused it: another worker offered this time meanwhile
                # (done), or this entry another time (the next entry then).
                if WaitlistOffer.objects.filter(
                    provider=provider, start=start, status=Offer.OFFERED
                ).exists():
                    return None
                if entry.offers.filter(status=Offer.OFFERED).exists():
                    continue
                raise
            _notify_offer(offer)
            logger.info("waitlist offer %s made (entry %s)", offer.pk, entry.pk)
            return offer
    return None


def _locked_offer(*, offer_id: int, patient: User) -> WaitlistOffer:
    offer = (
        WaitlistOffer.objects.select_for_update(of=("self",))
        .select_related("entry__location", "entry__appointment_type", "provider", "appointment")
        .filter(pk=offer_id, entry__patient=patient)
        .first()
    )
    if offer is None:
        raise NotFound()
    return offer


def waitlist_offer_claim(
    *, offer_id: int, patient: User, access: AccessContext | None = None
) -> Appointment:
    """Book the offered time for the offer's patient through ``appointment_book``; the offer
    is claimed and the entry ends. Claiming twice returns the same appointment.

    ``WaitlistOfferClosed`` when the offer is closed or lapsed. ``SlotUnavailable`` when the
    time was taken meanwhile, ``PatientConflict`` when the patient has booked that time
    elsewhere: the offer closes (superseded), the patient stays on the list, and in the second
    case the time goes to the next entry."""
    now = timezone.now()
    with transaction.atomic():
        offer = _locked_offer(offer_id=offer_id, patient=patient)
        if offer.status == Offer.CLAIMED and offer.appointment is not None:
            return offer.appointment
        if not offer.is_open(now=now):
            raise WaitlistOfferClosed()
        entry = offer.entry
        try:
            appointment = appointment_book(
                patient=patient,
                provider=offer.provider,
                location=entry.location,
                kind=entry.appointment_type,
                start=offer.start,
                booked_by=patient,
                access=access,
            )
        except (SlotUnavailable, PatientConflict) as exc:
            refused = exc
            _close(offer, status=Offer.SUPERSEDED, now=now)
            if isinstance(exc, PatientConflict):
                _pass_on(offer)
        else:
            offer.appointment = appointment
            _close(offer, status=Offer.CLAIMED, now=now)
            entry.status = Entry.BOOKED
            entry.ended_at = now
            entry.save(update_fields=["status", "ended_at"])
            logger.info("waitlist offer %s claimed", offer.pk)
            return appointment
    raise refused


@transaction.atomic
def waitlist_offer_decline(
    *, offer_id: int, patient: User, access: AccessContext | None = None
) -> WaitlistOffer:
    """The patient does not want this time: it goes to the next entry; they stay on the list."""
    offer = _locked_offer(offer_id=offer_id, patient=patient)
    if offer.status == Offer.OFFERED:
        _close(offer, status=Offer.DECLINED, now=timezone.now())
        _pass_on(offer)
        phi_access_record(access=access, action=Action.CHANGE, obj=offer, patient_id=patient.pk)
    return offer


def waitlist_offers_expire(*, now: datetime | None = None) -> int:
    """Close every lapsed open offer and pass each time to the next entry (the beat task).
    Offers a claim is working on are skipped: the claim decides them."""
    now = now or timezone.now()
    with transaction.atomic():
        lapsed = list(
            WaitlistOffer.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("entry")
            .filter(status=Offer.OFFERED, expires_at__lte=now)
            .order_by("pk")
        )
        for offer in lapsed:
            _close(offer, status=Offer.EXPIRED, now=now)
            _pass_on(offer)
    return len(lapsed)


# Far longer than a broker outage the sweep should mend, short enough to stay a cheap query.
MISSED_WITHIN = timedelta(hours=6)


def waitlist_offer_missed(*, now: datetime | None = None) -> int:
    """Offer the freed times whose ``offer_freed_time`` never ran (the beat task): each time
    freed lately with no offer at all goes through ``waitlist_offer_next``. Returns how many
    offers were made."""
    now = now or timezone.now()
    made = 0
    for provider_id, location_id, start in waitlist_freed_without_offer(
        now=now, within=MISSED_WITHIN
    ):
        if waitlist_offer_next(
            provider_id=provider_id, location_id=location_id, start=start, now=now
        ):
            made += 1
    return made
