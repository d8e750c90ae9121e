"""Appointment e-mails: the ``Notification`` outbox in the kernel's ``clinic.outbox``.

The kernel's loop sends a row (``notification_deliver``): locked, only while pending and due,
once. A failure is retried with the outbox backoff from 2 minutes (1-2, 2-4, 4-8 ... minutes,
capped at 30, well under Redis' one-hour visibility timeout); the sweep re-queues due rows.
A reminder for a time the appointment no longer has is skipped unsent.
E-mails carry no health information: when, where, with whom, and how to change it.
"""

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from email.mime.text import MIMEText

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from audit.context import AccessContext
from audit.models import Action
from audit.services import phi_access_record
from clinic import outbox
from clinic.messages import MessageKind
from clinic.models import Location
from clinic.timefmt import format_datetime
from scheduling.ics import notification_calendar
from scheduling.models import Appointment, Notification
from scheduling.waitlist.messages import offer_email, offer_sms

logger = logging.getLogger(__name__)

FIRST_BACKOFF = timedelta(minutes=2)
MAX_BACKOFF = timedelta(minutes=30)
# The appointment e-mails' outbox in the kernel's registry, and the task that sends one row.
OUTBOX_LABEL = "scheduling.notification"
SEND_TASK = "scheduling.tasks.send_notification"
# The text-message copy of a waitlist offer (``clinic.messages``).
OFFER_TEXT_KIND = "waitlist.offer"
# A calendar file goes with what changes a booked time (not a reminder, nor a request that is
# not yet booked or was declined).
CALENDAR_KINDS = (
    Notification.Kind.BOOKED,
    Notification.Kind.RESCHEDULED,
    Notification.Kind.CANCELLED,
)


def retry_delay(attempts: int) -> timedelta:
    """About 1-2, 2-4, 4-8 ... minutes, never above 30 (``clinic.outbox.retry_delay``)."""
    return OUTBOX.retry_delay(attempts)


def _subject(notification: Notification) -> str:
    when = format_datetime(notification.starts_at, notification.location)
    subjects = {
        Notification.Kind.BOOKED: _("Your appointment is booked: %(when)s"),
        Notification.Kind.RESCHEDULED: _("Your appointment has moved to %(when)s"),
        Notification.Kind.CANCELLED: _("Your appointment on %(when)s is cancelled"),
        Notification.Kind.REMINDER: _("Reminder: your appointment on %(when)s"),
        Notification.Kind.REQUESTED: _("We have your booking request for %(when)s"),
        Notification.Kind.DECLINED: _("We could not confirm your booking request for %(when)s"),
    }
    return subjects[notification.kind] % {"when": when}


def _change_terms(notification: Notification) -> dict:
    """Whether the appointment this e-mail describes can still be moved or cancelled online
    when the e-mail is written, and until when (local time with its zone): a booking or a
    reminder inside the cutoff says at once that it takes a phone call."""
    deadline = notification.appointment.appointment_type.change_deadline(notification.starts_at)
    return {
        "movable": timezone.now() < deadline,
        "change_until": format_datetime(deadline, notification.location),
    }


def notification_message(notification: Notification) -> EmailMultiAlternatives:
    """The e-mail for a notification, in the patient's language, with an invitation attached
    for bookings, moves and cancellations."""
    if notification.kind == Notification.Kind.WAITLIST_OFFER:
        return offer_email(notification)
    appointment = notification.appointment
    patient = appointment.patient
    profile = getattr(patient, "patient_profile", None)
    with translation.override(getattr(profile, "preferred_language", None) or "en"):
        context = {
            "kind": notification.kind,
            "patient": patient,
            "when": format_datetime(notification.starts_at, notification.location),
            "provider": notification.provider,
            "location": notification.location,
            "link": settings.SITE_URL
            + (
                reverse("scheduling:book")
                if notification.kind == Notification.Kind.DECLINED
                else reverse("scheduling:detail", kwargs={"appointment_id": appointment.pk})
            ),
            "clinic_name": settings.CLINIC_NAME,
            "cutoff_hours": appointment.appointment_type.cutoff_hours,
            **_change_terms(notification),
        }
        message = EmailMultiAlternatives(
            subject=_subject(notification),
            body=render_to_string("scheduling/email/notification.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[patient.email],
        )
    if notification.kind in CALENDAR_KINDS:
        content, method = notification_calendar(notification)
        part = MIMEText(content.decode(), "calendar", "utf-8")
        part.set_param("method", method)
        part.add_header("Content-Disposition", "attachment", filename="appointment.ics")
        message.attach(part)
    return message


def _obsolete(notification: Notification) -> bool:
    """A reminder for a time the appointment no longer has (moved, cancelled, done), or a
    waitlist offer no longer open."""
    if notification.kind == Notification.Kind.WAITLIST_OFFER:
        return not notification.offer.is_open(now=timezone.now())
    return notification.kind == Notification.Kind.REMINDER and notification.appointment.moved_from(
        notification.starts_at
    )


def _notification_send(notification: Notification) -> None:
    notification_message(notification).send()


def notification_deliver(*, notification_id: int, now: datetime | None = None) -> bool:
    """Send one due pending notification; True when this call sent it."""
    result = outbox.outbox_send(label=OUTBOX_LABEL, row_id=notification_id, now=now)
    return result.outcome == "sent"


def notifications_due(*, now: datetime | None = None, limit: int = 500) -> list[int]:
    return outbox.outbox_due_ids(label=OUTBOX_LABEL, due_before=now or timezone.now(), limit=limit)


@transaction.atomic
def notification_resend(*, notification: Notification, access: AccessContext | None = None) -> None:
    """Put a failed (or skipped) notification back in the queue, from the admin.

    One sent meanwhile (a worker held it while staff clicked) stays sent: the update waits for
    that worker's lock and then no longer matches, so the patient does not get it twice."""
    queued = (
        Notification.objects.filter(pk=notification.pk)
        .exclude(status=Notification.Status.SENT)
        .update(status=Notification.Status.PENDING, next_attempt_at=timezone.now(), attempts=0)
    )
    if not queued:
        return
    outbox.task_enqueue_on_commit(SEND_TASK, notification.pk)
    phi_access_record(
        access=access,
        action=Action.CHANGE,
        obj=notification,
        patient_id=notification.patient.pk,
    )


OUTBOX = outbox.Outbox(
    label=OUTBOX_LABEL,
    model=Notification,
    task=SEND_TASK,
    send=_notification_send,
    max_attempts_setting="SCHEDULING_NOTIFICATION_MAX_ATTEMPTS",
    retry_base=FIRST_BACKOFF,
    retry_cap=MAX_BACKOFF,
    obsolete=_obsolete,
)


def appointment_text_kind(kind: str) -> str:
    """The ``clinic.messages`` kind of an appointment notice by text message."""
    return f"appointment.{kind}"


def appointment_text_context(appointment: Appointment) -> dict:
    """What a text about the appointment needs: ids and the time it describes (no health
    information)."""
    return {
        "appointment_id": appointment.pk,
        "location_id": appointment.location_id,
        "starts_at": appointment.start.isoformat(),
    }


_TEXTED_KINDS = (
    Notification.Kind.BOOKED,
    Notification.Kind.RESCHEDULED,
    Notification.Kind.CANCELLED,
    Notification.Kind.REMINDER,
    Notification.Kind.REQUESTED,
    Notification.Kind.DECLINED,
)


def _texts() -> dict[str, str]:
    return {
        Notification.Kind.BOOKED: _(
            "%(clinic)s: your appointment is booked for %(when)s. To change it, call %(phone)s."
        ),
        Notification.Kind.RESCHEDULED: _(
            "%(clinic)s: your appointment has moved to %(when)s. Questions? Call %(phone)s."
        ),
        Notification.Kind.CANCELLED: _(
            "%(clinic)s: your appointment on %(when)s is cancelled. To book again, call %(phone)s."
        ),
        Notification.Kind.REMINDER: _(
            "%(clinic)s: reminder of your appointment on %(when)s. To change it, call %(phone)s."
        ),
        Notification.Kind.REQUESTED: _(
            "%(clinic)s: we have your booking request for %(when)s and will confirm it soon. "
            "Questions? Call %(phone)s."
        ),
        Notification.Kind.DECLINED: _(
            "%(clinic)s: we could not confirm your booking request for %(when)s. "
            "Please call %(phone)s to find another time."
        ),
    }


def _appointment_text(kind: str) -> Callable[[dict], str]:
    def text(context: dict) -> str:
        location = Location.objects.get(pk=context["location_id"])
        starts_at = datetime.fromisoformat(context["starts_at"])
        return _texts()[kind] % {
            "clinic": settings.CLINIC_NAME,
            "when": format_datetime(starts_at, location),
            "phone": location.phone or settings.CLINIC_PHONE,
        }

    return text


def _reminder_obsolete(context: dict) -> bool:
    """A reminder by text for a time the appointment no longer has (moved, cancelled, done)."""
    appointment = Appointment.objects.filter(pk=context["appointment_id"]).first()
    starts_at = datetime.fromisoformat(context["starts_at"])
    return appointment is None or appointment.moved_from(starts_at)


def offer_text_context(notification: Notification) -> dict:
    """What the text copy of a waitlist offer needs: the offer's e-mail row (ids only)."""
    return {"notification_id": notification.pk}


def _offer_row(context: dict) -> Notification | None:
    return (
        Notification.objects.select_related("offer__entry__patient__patient_profile")
        .filter(pk=context["notification_id"], kind=Notification.Kind.WAITLIST_OFFER)
        .first()
    )


def _offer_text(context: dict) -> str:
    return offer_sms(_offer_row(context))


def _offer_text_obsolete(context: dict) -> bool:
    row = _offer_row(context)
    return row is None or _obsolete(row)


TEXT_KINDS = [
    *(
        MessageKind(
            name=appointment_text_kind(kind),
            sms=_appointment_text(kind),
            obsolete=_reminder_obsolete if kind == Notification.Kind.REMINDER else None,
        )
        for kind in _TEXTED_KINDS
    ),
    MessageKind(name=OFFER_TEXT_KIND, sms=_offer_text, obsolete=_offer_text_obsolete),
]
