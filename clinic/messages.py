"""Messages to patients by e-mail and text message: one outbox row per channel.

An app registers the kinds of message it sends (``message_kind_register``, from its
``AppConfig.ready``): how to write the e-mail and the text for a context, in the patient's
language, and optionally when a queued message no longer applies. Then one call queues a
message on every channel the patient can get it by:

    patient_message_queue(patient_id=..., kind="waitlist.offer", context={...})

It writes one ``PatientMessage`` row per channel in the caller's transaction (e-mail when the
kind has an e-mail and the patient an address; SMS when the kind has a text and the patient
opted in with a phone number) and queues their sending after commit; each row has its own
attempts and retries (``clinic.outbox``). ``due`` delays a message (reminders); ``channels``
narrows the channels (an app that sends its e-mail itself asks for ``["sms"]`` only).

Contexts hold ids, times and links, never health information; texts are short and name the
clinic's phone number.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import timezone, translation

from clinic import outbox
from clinic.models import PatientMessage, User
from clinic.sms import sms_send

OUTBOX_LABEL = "clinic.patientmessage"
SEND_TASK = "clinic.tasks.send_patient_message"


@dataclass(frozen=True)
class MessageKind:
    """``email(context)`` gives (subject, body), ``sms(context)`` the text; both are called
    with the patient's language active. ``obsolete(context)`` says a queued one no longer
    applies (it is skipped unsent)."""

    name: str
    email: Callable[[dict], tuple[str, str]] | None = None
    sms: Callable[[dict], str] | None = None
    obsolete: Callable[[dict], bool] | None = None


_kinds: dict[str, MessageKind] = {}


def message_kind_register(kind: MessageKind) -> MessageKind:
    _kinds[kind.name] = kind
    return kind


def message_kind_get(name: str) -> MessageKind:
    return _kinds[name]


def _channels_for(patient: User, kind: MessageKind) -> list[str]:
    profile = getattr(patient, "patient_profile", None)
    channels = []
    if kind.email is not None and patient.email:
        channels.append(PatientMessage.Channel.EMAIL)
    if kind.sms is not None and profile is not None and profile.sms_opt_in and profile.phone:
        channels.append(PatientMessage.Channel.SMS)
    return channels


def patient_message_queue(
    *,
    patient_id: int,
    kind: str,
    context: dict,
    channels: Iterable[str] | None = None,
    due: datetime | None = None,
) -> list[PatientMessage]:
    """Queue the message ``kind`` to the patient on each channel they can get it by (within
    ``channels`` if given): one outbox row each, sent after commit (at ``due`` if given, by
    the sweep). Returns the rows (none when the patient can get it by no channel)."""
    message_kind = message_kind_get(kind)
    patient = User.objects.select_related("patient_profile").get(pk=patient_id)
    wanted = set(channels) if channels is not None else None
    rows = [
        PatientMessage.objects.create(
            patient=patient,
            kind=kind,
            channel=channel,
            context=context,
            next_attempt_at=due or timezone.now(),
        )
        for channel in _channels_for(patient, message_kind)
        if wanted is None or channel in wanted
    ]
    if due is None:
        for row in rows:
            outbox.task_enqueue_on_commit(SEND_TASK, row.pk)
    return rows


def patient_message_text(message: PatientMessage) -> tuple[str, str]:
    """(subject, body) of the message as the patient gets it (subject empty for SMS)."""
    kind = message_kind_get(message.kind)
    profile = getattr(message.patient, "patient_profile", None)
    with translation.override(getattr(profile, "preferred_language", None) or "en"):
        if message.channel == PatientMessage.Channel.SMS:
            return "", kind.sms(message.context)
        return kind.email(message.context)


def _send(message: PatientMessage) -> None:
    patient = User.objects.select_related("patient_profile").get(pk=message.patient_id)
    message.patient = patient
    subject, body = patient_message_text(message)
    if message.channel == PatientMessage.Channel.SMS:
        profile = getattr(patient, "patient_profile", None)
        if profile is None or not profile.sms_opt_in or not profile.phone:
            raise LookupError("the patient no longer gets text messages (opted out or no phone)")
        message.recipient = profile.phone
        sms_send(to=profile.phone, body=body)
    else:
        message.recipient = patient.email
        EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [patient.email]).send()


def _obsolete(message: PatientMessage) -> bool:
    kind = message_kind_get(message.kind)
    return kind.obsolete is not None and kind.obsolete(message.context)


OUTBOX = outbox.Outbox(
    label=OUTBOX_LABEL,
    model=PatientMessage,
    task=SEND_TASK,
    send=_send,
    max_attempts_setting="PATIENT_MESSAGE_MAX_ATTEMPTS",
    retry_base=timedelta(minutes=2),
    retry_cap=timedelta(minutes=30),
    obsolete=_obsolete,
)
