"""Reads of the waitlist: a patient's entries and offers, and who is next for a freed time."""

from datetime import date, datetime, timedelta

from django.db.models import (
    Case,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils import timezone

from audit.context import AccessContext
from audit.models import Action
from audit.services import phi_access_denied, phi_access_record
from clinic.errors import NotFound
from clinic.models import Location, Provider, User
from scheduling.models import Appointment, AppointmentEvent
from scheduling.waitlist.models import WaitlistEntry, WaitlistOffer
from triage.models import Assessment, Urgency

# Most urgent first; a patient with no symptom check waits with the routine ones.
URGENCY_RANK = {Urgency.EMERGENCY: 0, Urgency.URGENT: 1, Urgency.SOON: 2, Urgency.ROUTINE: 3}
NO_CHECK_RANK = len(URGENCY_RANK)


def _latest_urgency():
    """The urgency of the patient's most recent symptom check (what
    ``triage.selectors.assessment_latest_for`` returns: the newest), as a subquery so that the
    whole queue is ordered in one query."""
    return Subquery(
        Assessment.objects.filter(patient=OuterRef("patient"))
        .order_by("-created_at", "-pk")
        .values("urgency")[:1]
    )


_URGENCY_RANK = Case(
    *(When(latest_urgency=urgency, then=Value(rank)) for urgency, rank in URGENCY_RANK.items()),
    default=Value(NO_CHECK_RANK),
    output_field=IntegerField(),
)


def waitlist_queue(
    *, location: Location, provider: Provider, start: datetime, day: date
) -> QuerySet[WaitlistEntry]:
    """The waiting entries a freed time of ``provider`` at ``location`` on local ``day`` may go
    to, in turn: the urgency of the patient's latest symptom check first (emergency, urgent,
    soon, routine, none), then who joined first. Entries offered this very time before
    (declined, lapsed) or holding an open offer are left out; whether the time suits each
    entry's type is the availability engine's call (``waitlist_offer_next``)."""
    offered_before = WaitlistOffer.objects.filter(
        entry=OuterRef("pk"), provider=provider, start=start
    )
    holding = WaitlistOffer.objects.filter(
        entry=OuterRef("pk"), status=WaitlistOffer.Status.OFFERED
    )
    return (
        WaitlistEntry.objects.filter(
            Q(provider__isnull=True) | Q(provider=provider),
            status=WaitlistEntry.Status.WAITING,
            location=location,
            first__lte=day,
            last__gte=day,
        )
        .exclude(Exists(offered_before))
        .exclude(Exists(holding))
        .annotate(latest_urgency=_latest_urgency())
        .annotate(urgency_rank=_URGENCY_RANK)
        .select_related("patient", "appointment_type", "location", "provider")
        .order_by("urgency_rank", "created_at", "pk")
    )


def waitlist_entries_for(
    *, patient: User, now: datetime | None = None, access: AccessContext | None = None
) -> list[WaitlistEntry]:
    """The patient's waiting entries whose dates have not all passed, soonest first."""
    now = now or timezone.now()
    entries = WaitlistEntry.objects.filter(
        patient=patient,
        status=WaitlistEntry.Status.WAITING,
        last__gte=(now - timedelta(days=1)).date(),
    ).select_related("location", "appointment_type", "provider")
    phi_access_record(access=access, action=Action.LIST, model=WaitlistEntry, patient_id=patient.pk)
    return [
        entry
        for entry in entries.order_by("first", "pk")
        if entry.last >= now.astimezone(entry.location.zone).date()
    ]


def waitlist_entry_get_for_patient(
    *, patient: User, entry_id: int, access: AccessContext | None = None
) -> WaitlistEntry:
    """The patient's own entry; ``NotFound`` for anyone else's (recorded as denied)."""
    entry = (
        WaitlistEntry.objects.filter(patient=patient, pk=entry_id)
        .select_related("location", "appointment_type", "provider")
        .first()
        if patient.is_authenticated
        else None
    )
    if entry is None:
        phi_access_denied(access=access, model=WaitlistEntry, object_id=entry_id)
        raise NotFound()
    phi_access_record(access=access, action=Action.VIEW, obj=entry, patient_id=patient.pk)
    return entry


def waitlist_offer_get_for_patient(
    *, patient: User, offer_id: int, access: AccessContext | None = None
) -> WaitlistOffer:
    """The patient's own offer; ``NotFound`` for anyone else's (recorded as denied)."""
    offer = (
        WaitlistOffer.objects.filter(entry__patient=patient, pk=offer_id)
        .select_related("entry__location", "entry__appointment_type", "provider", "appointment")
        .first()
        if patient.is_authenticated
        else None
    )
    if offer is None:
        phi_access_denied(
            access=access, model=WaitlistOffer, object_id=offer_id, patient_field="entry__patient"
        )
        raise NotFound()
    phi_access_record(access=access, action=Action.VIEW, obj=offer, patient_id=patient.pk)
    return offer


def waitlist_freed_without_offer(
    *, now: datetime, within: timedelta
) -> list[tuple[int, int, datetime]]:
    """``(provider id, location id, start)`` of future times freed in the last ``within`` (a
    cancellation, a reschedule away) at a location where someone waits, that no offer was ever
    made for: what a lost queueing of ``offer_freed_time`` (a broker down at the commit) left
    behind. A lapsed hold leaves no row once released, so it is not found here."""
    waiting = WaitlistEntry.objects.filter(
        status=WaitlistEntry.Status.WAITING, last__gte=(now - timedelta(days=1)).date()
    ).values("location")
    since = now - within
    cancelled = Appointment.objects.filter(
        status=Appointment.Status.CANCELLED,
        updated_at__gte=since,
        start__gt=now,
        location__in=waiting,
    ).values_list("provider_id", "location_id", "start")
    moved_away = AppointmentEvent.objects.filter(
        action=AppointmentEvent.Action.RESCHEDULED,
        at__gte=since,
        from_start__gt=now,
        appointment__location__in=waiting,
    ).values_list("from_provider_id", "appointment__location_id", "from_start")
    freed = {(p, loc, start) for p, loc, start in [*cancelled, *moved_away] if p is not None}
    if not freed:
        return []
    offered = set(
        WaitlistOffer.objects.filter(
            start__in={start for _p, _loc, start in freed},
        ).values_list("provider_id", "start")
    )
    return sorted((p, loc, start) for p, loc, start in freed if (p, start) not in offered)
