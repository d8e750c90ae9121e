"""The offer of a freed time, as an e-mail and as an SMS text (the SMS channel sends the text
as its copy of the same outbox message). Neither carries health information: a time, a place,
a physician and the signed claim link."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from clinic.timefmt import format_datetime
from scheduling.models import Notification
from scheduling.waitlist.links import offer_link


def _context(notification: Notification) -> dict:
    offer = notification.offer
    return {
        "patient": offer.entry.patient,
        "when": format_datetime(notification.starts_at, notification.location),
        "until": format_datetime(offer.expires_at, notification.location),
        "provider": notification.provider,
        "location": notification.location,
        "link": offer_link(offer.pk),
        "clinic_name": settings.CLINIC_NAME,
    }


def _language(notification: Notification) -> str:
    profile = getattr(notification.offer.entry.patient, "patient_profile", None)
    return getattr(profile, "preferred_language", None) or "en"


def offer_email(notification: Notification) -> EmailMultiAlternatives:
    with translation.override(_language(notification)):
        context = _context(notification)
        return EmailMultiAlternatives(
            subject=_("A time has opened up: %(when)s") % {"when": context["when"]},
            body=render_to_string("scheduling/email/waitlist_offer.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[context["patient"].email],
        )


def offer_sms(notification: Notification) -> str:
    with translation.override(_language(notification)):
        return render_to_string("scheduling/sms/waitlist_offer.txt", _context(notification)).strip()
