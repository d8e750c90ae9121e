"""Delivery of appointment e-mails from the outbox (``Notification`` rows).

``notification_deliver`` is idempotent: it locks the row (skipping one another worker holds),
returns when the row is no longer pending or not yet due, sends, and marks it sent; running it
twice sends once. A failure is recorded with a backoff (1, 2, 4 ... minutes, capped at 30, well
under Redis' one-hour visibility timeout) and the beat sweeper re-queues the row when it is due.
E-mails carry no health information: when, where, with whom, and how to change it.
"""

import logging
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
from clinic.timefmt import format_datetime
from scheduling.ics import notification_calendar
from scheduling.models import Appointment, Notification, WaitlistOffer
from scheduling.waitlist.messages import offer_email

logger = logging.getLogger(__name__)

# A calendar file goes with what changes a booked time (not a reminder, nor a request that is
# not yet booked or was declined).
CALENDAR_KINDS = (
    Notification.Kind.BOOKED,
    Notification.Kind.RESCHEDULED,
    Notification.Kind.CANCELLED,
)
FIRST_BACKOFF = timedelta(minutes=2)
MAX_BACKOFF = timedelta(minutes=30)


def retry_delay(attempts: int) -> timedelta:
    """About 1-2, 2-4, 4-8 ... minutes, never above 30 (see ``clinic.outbox.retry_delay``)."""
    return outbox.retry_delay(attempts=attempts, base=FIRST_BACKOFF, cap=MAX_BACKOFF)


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
    deadline = notification.starts_at - notification.appointment.appointment_type.cutoff
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
        offer = notification.offer
        return offer.status != WaitlistOffer.Status.OFFERED or offer.expires_at <= timezone.now()
    appointment = notification.appointment
    return notification.kind == Notification.Kind.REMINDER and (
        appointment.status != Appointment.Status.CONFIRMED
        or appointment.start != notification.starts_at
    )


def notification_deliver(*, notification_id: int, now: datetime | None = None) -> bool:
    """Send one due pending notification; True when this call sent it."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related(
                "appointment__patient__patient_profile",
                "appointment__appointment_type",
                "offer__entry__patient__patient_profile",
                "provider",
                "location",
            )
            .filter(
                pk=notification_id,
                status=Notification.Status.PENDING,
                next_attempt_at__lte=now or timezone.now(),
            )
            .first()
        )
        if notification is None:
            return False
        if _obsolete(notification):
            notification.status = Notification.Status.SKIPPED
            notification.save(update_fields=["status"])
            return False
        notification.attempts += 1
        try:
            notification_message(notification).send()
        except Exception as exc:  # the mail server's failure is data here, not a crash
            notification.last_error = f"{type(exc).__name__}: {exc}"[:500]
            if notification.attempts >= settings.SCHEDULING_NOTIFICATION_MAX_ATTEMPTS:
                notification.status = Notification.Status.FAILED
            else:
                notification.next_attempt_at = timezone.now() + retry_delay(notification.attempts)
            notification.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
            logger.warning(
                "notification %s attempt %s failed: %s",
                notification.pk,
                notification.attempts,
                type(exc).__name__,
            )
            return False
        notification.status = Notification.Status.SENT
        notification.sent_at = timezone.now()
        notification.last_error = ""
        notification.save(update_fields=["attempts", "status", "sent_at", "last_error"])
    logger.info("notification %s (%s) sent", notification.pk, notification.kind)
    return True


def notifications_due(*, now: datetime | None = None, limit: int = 500) -> list[int]:
    return list(
        Notification.objects.filter(
            status=Notification.Status.PENDING, next_attempt_at__lte=now or timezone.now()
        ).values_list("pk", flat=True)[:limit]
    )


@transaction.atomic
def notification_resend(*, notification: Notification, access: AccessContext | None = None) -> None:
    """Put a failed (or skipped) notification back in the queue, from the admin.

    One sent meanwhile (a worker held it while staff clicked) stays sent: the update waits for
    that worker's lock and then no longer matches, so the patient does not get it twice."""
    from scheduling.tasks import send_notification

    queued = (
        Notification.objects.filter(pk=notification.pk)
        .exclude(status=Notification.Status.SENT)
        .update(status=Notification.Status.PENDING, next_attempt_at=timezone.now(), attempts=0)
    )
    if not queued:
        return
    transaction.on_commit(lambda: send_notification.delay(notification.pk), robust=True)
    phi_access_record(
        access=access,
        action=Action.CHANGE,
        obj=notification,
        patient_id=notification.patient.pk,
    )
