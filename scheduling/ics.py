"""iCalendar invitations for appointments (icalendar library).

One UID per appointment for its whole life, so calendar apps update the event in place; SEQUENCE
is the appointment's revision (it goes up on every reschedule and on cancellation). DTSTART and
DTEND are written in UTC: a local time with TZID cannot tell the two 01:30s of a fall-back night
apart, a UTC instant can, and every calendar app shows it in the reader's own zone.

E-mailed invitations use iTIP (RFC 5546) ``REQUEST`` and ``CANCEL``, naming the patient as the
attendee; the file a patient downloads from the portal is ``PUBLISH``, a plain copy for their own
calendar, which RFC 5546 says carries no attendee (no calendar then offers to send a reply).
"""

from datetime import UTC, datetime
from urllib.parse import urlsplit

from django.conf import settings
from icalendar import Calendar, Event, vCalAddress, vText

from clinic.timefmt import format_datetime
from scheduling.models import Appointment, Notification

METHOD_REQUEST = "REQUEST"
METHOD_PUBLISH = "PUBLISH"
METHOD_CANCEL = "CANCEL"


def event_uid(appointment: Appointment) -> str:
    host = urlsplit(settings.SITE_URL).hostname or "clinic.invalid"
    return f"appointment-{appointment.uid}@{host}"


def appointment_calendar(
    *,
    appointment: Appointment,
    start: datetime,
    end: datetime,
    sequence: int,
    method: str,
    provider,
    location,
) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.CLINIC_NAME}//Patient portal//EN")
    calendar.add("version", "2.0")
    calendar.add("method", method)
    event = Event()
    event.add("uid", event_uid(appointment))
    event.add("sequence", sequence)
    event.add("dtstamp", datetime.now(UTC))
    event.add("dtstart", start.astimezone(UTC))
    event.add("dtend", end.astimezone(UTC))
    event.add("status", "CANCELLED" if method == METHOD_CANCEL else "CONFIRMED")
    event.add("summary", f"{settings.CLINIC_NAME}: {provider.name}")
    event.add("location", vText(f"{location.name}, {location.one_line_address}"))
    event.add(
        "description",
        f"{format_datetime(start, location)}. {location.phone}",
    )
    organizer = vCalAddress(f"mailto:{settings.DEFAULT_FROM_EMAIL}")
    organizer.params["cn"] = vText(settings.CLINIC_NAME)
    event.add("organizer", organizer)
    if method != METHOD_PUBLISH:
        attendee = vCalAddress(f"mailto:{appointment.patient.email}")
        attendee.params["role"] = vText("REQ-PARTICIPANT")
        event.add("attendee", attendee)
    calendar.add_component(event)
    return calendar.to_ical()


def notification_calendar(notification: Notification) -> tuple[bytes, str]:
    method = METHOD_CANCEL if notification.kind == Notification.Kind.CANCELLED else METHOD_REQUEST
    content = appointment_calendar(
        appointment=notification.appointment,
        start=notification.starts_at,
        end=notification.ends_at,
        sequence=notification.sequence,
        method=method,
        provider=notification.provider,
        location=notification.location,
    )
    return content, method
