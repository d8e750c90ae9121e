"""What booking tells triage's staff follow-up worklist (``clinic.discovery`` hook
``follow_up_bookings``): whether the patient has booked since the follow-up was raised."""

from django.db.models import Exists, OuterRef

from scheduling.models import Appointment

# A consultation still on, or already seen.
BOOKED = (Appointment.Status.CONFIRMED, Appointment.Status.COMPLETED)


def booked_since(*, patient: OuterRef, since: OuterRef) -> Exists:
    return Exists(
        Appointment.objects.filter(patient=patient, created_at__gte=since, status__in=BOOKED)
    )
