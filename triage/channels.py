"""How staff alerts reach people: one class per channel.

To add a channel (an SMS gateway, a pager webhook): write a subclass of ``Channel`` in this
module with a unique ``name`` and its ``recipients``/``send``, then list the name in the
``ALERT_CHANNELS`` setting. Every enabled channel gets its own outbox row per alert and purpose,
with its own attempts and retries, so a broken pager never holds up the e-mail.

What a channel sends never carries health information: only that an alert of some severity is
waiting and where to open it (behind the log-in). ``send`` raises on any failure; the caller
records it and retries.
"""

from abc import ABC, abstractmethod
from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMessage, get_connection
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from clinic.sms import sms_send
from triage.models import AlertDelivery, AlertSeverity, StaffAlert
from triage.selectors import alert_escalation_minutes, alert_responders_for

# Seconds to wait for the mail server (unless EMAIL_TIMEOUT says otherwise) before an attempt
# counts as failed and is retried.
EMAIL_TIMEOUT = 15


class Channel(ABC):
    name: ClassVar[str] = ""
    registry: ClassVar[dict[str, type["Channel"]]] = {}

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.name:
            Channel.registry[cls.name] = cls

    @abstractmethod
    def recipients(self, *, alert: StaffAlert, purpose: str) -> list[str]:
        """Who to tell, as this channel addresses them (e-mail addresses, phone numbers...)."""

    @abstractmethod
    def send(self, *, alert: StaffAlert, purpose: str, recipients: list[str]) -> None:
        """Deliver the notice to every recipient; raise on failure."""


def channel_get(name: str) -> Channel:
    try:
        return Channel.registry[name]()
    except KeyError:
        raise ImproperlyConfigured(f"Unknown alert channel {name!r}") from None


def channel_names_enabled() -> list[str]:
    return list(settings.ALERT_CHANNELS)


def alert_admin_url(alert: StaffAlert) -> str:
    return settings.SITE_URL + reverse("admin:triage_staffalert_change", args=[alert.pk])


def alert_notice(alert: StaffAlert, purpose: str) -> tuple[str, str]:
    """Subject and body of the notice: the severity, the link, nothing about the patient."""
    with translation.override(settings.LANGUAGE_CODE):
        severity = AlertSeverity(alert.severity).label.lower()
        values = {
            "clinic": settings.CLINIC_NAME,
            "severity": severity,
            "number": alert.pk,
            "url": alert_admin_url(alert),
            "minutes": alert_escalation_minutes(severity=alert.severity),
        }
        if purpose == AlertDelivery.Purpose.CONTACT:
            subject = _("Contact details added to %(severity)s alert %(number)s") % values
            body = _(
                "The visitor behind a %(severity)s alert in the %(clinic)s portal has left a "
                "phone number.\n\nOpen the alert (log-in required) to call them:\n%(url)s\n"
            )
        elif purpose == AlertDelivery.Purpose.ESCALATION:
            subject = _("Escalated: %(severity)s alert %(number)s is not acknowledged") % values
            body = _(
                "A %(severity)s alert in the %(clinic)s portal has not been acknowledged within "
                "%(minutes)s minutes.\n\nOpen it now (log-in required) and acknowledge it when "
                "you take it on:\n%(url)s\n"
            )
        else:
            subject = _("%(severity)s alert %(number)s is waiting") % values
            subject = subject[:1].upper() + subject[1:]
            body = _(
                "A %(severity)s alert is waiting in the %(clinic)s portal.\n\nOpen it (log-in "
                "required) and acknowledge it when you take it on:\n%(url)s\n"
            )
        body += (
            "\n"
            + (
                _("Contact details: a phone number is on file.")
                if _has_contact(alert)
                else _("No phone number on file yet.")
            )
            + "\n"
        )
        return f"[{settings.CLINIC_NAME}] {subject}", body % values


def _has_contact(alert: StaffAlert) -> bool:
    """Whether staff can call someone: a phone on the patient's profile or one left by an
    anonymous visitor. Says nothing about the patient beyond that."""
    if alert.contact_phone:
        return True
    profile = getattr(alert.patient, "patient_profile", None) if alert.patient_id else None
    return bool(profile and profile.phone)


def _unique(addresses) -> list[str]:
    return list(dict.fromkeys(a.strip() for a in addresses if a and a.strip()))


class EmailChannel(Channel):
    """E-mail to the alert responders who serve the alert's location.

    Initial notice: those responders, else the clinic-wide ``ALERT_FALLBACK_EMAIL``, else every
    alert responder. Escalation: ``ALERT_ESCALATION_EMAILS``, else the same fallbacks.
    """

    name = "email"

    def recipients(self, *, alert: StaffAlert, purpose: str) -> list[str]:
        if purpose == AlertDelivery.Purpose.ESCALATION:
            chosen = _unique(settings.ALERT_ESCALATION_EMAILS)
        else:
            chosen = _unique(u.email for u in alert_responders_for(location=alert.location))
        return (
            chosen
            or _unique([settings.ALERT_FALLBACK_EMAIL])
            or _unique(u.email for u in alert_responders_for(location=None))
        )

    def send(self, *, alert: StaffAlert, purpose: str, recipients: list[str]) -> None:
        subject, body = alert_notice(alert, purpose)
        connection = get_connection(timeout=settings.EMAIL_TIMEOUT or EMAIL_TIMEOUT)
        EmailMessage(subject, body, to=recipients, connection=connection).send()


class SmsChannel(Channel):
    """A text message (``clinic.sms``) to the alert responders who serve the alert's location
    and have a mobile number for alerts (else every responder with one): the notice's subject
    and the link, nothing about the patient. On when ``sms`` is listed in ``ALERT_CHANNELS``."""

    name = "sms"

    def recipients(self, *, alert: StaffAlert, purpose: str) -> list[str]:
        local = None if purpose == AlertDelivery.Purpose.ESCALATION else alert.location
        chosen = _unique(u.alert_phone for u in alert_responders_for(location=local))
        return chosen or _unique(u.alert_phone for u in alert_responders_for(location=None))

    def send(self, *, alert: StaffAlert, purpose: str, recipients: list[str]) -> None:
        subject, _body = alert_notice(alert, purpose)
        text = f"{subject}\n{alert_admin_url(alert)}"
        for phone in recipients:
            sms_send(to=phone, body=text)
