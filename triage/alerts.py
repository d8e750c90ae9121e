"""Writes of the staff alert queue: raising an alert with its outbox rows, delivering them,
escalating the ones nobody picked up, and staff acknowledging and resolving them.

Nothing that must reach a person depends on the broker being up at that moment. The alert and
one outbox row per enabled channel are written in the assessment's own transaction; the Celery
task is only queued after commit (a broker error is logged, the row stays ``pending``). The
task, the minute sweeper and ``manage.py send_pending_alerts`` all go through
``alert_delivery_send``, which locks the row and sends only a pending one: at least once, and
never twice unless a process dies between the mail server's answer and the commit.
"""

import logging
from datetime import timedelta

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.crypto import salted_hmac

from audit.context import AccessContext
from audit.models import Action
from audit.services import phi_access_record
from clinic import outbox
from clinic.models import User
from clinic.outbox import SendResult
from clinic.selectors import patient_profile_for
from triage.channels import channel_get, channel_names_enabled
from triage.errors import AlertAlreadyHandled, InvalidAlertResolution, NoAlertToContact
from triage.models import (
    AlertDelivery,
    AlertOutcome,
    AlertSeverity,
    AlertStatus,
    Assessment,
    StaffAlert,
    StaffAlertEvent,
    Urgency,
)
from triage.selectors import alert_escalation_minutes, alert_for_assessment, routing_location

logger = logging.getLogger(__name__)

SEVERITY_FOR_URGENCY = {
    Urgency.EMERGENCY: AlertSeverity.CRITICAL,
    Urgency.URGENT: AlertSeverity.HIGH,
}
# Backoff between attempts: exponential from 10 s, capped at 10 minutes, far below the broker's
# one-hour visibility timeout (a retry is a message with an ETA the worker holds unacknowledged).
RETRY_BASE_SECONDS = 10
RETRY_MAX_SECONDS = 600
# The alerts' outbox in the kernel's registry, and the task that sends one of its rows.
OUTBOX_LABEL = "triage.alertdelivery"
DELIVER_TASK = "triage.tasks.deliver_alert"
# Rows this fresh most likely still have their own task in the queue; the next sweep gets them.
SWEEP_GRACE = timedelta(seconds=10)
NOTE_MAX_LENGTH = 2000
# Repeated anonymous emergencies from one browser session or address within this time count in
# the open alert instead of paging staff again.
FLOOD_WINDOW = timedelta(minutes=10)


def retry_delay(attempts: int) -> float:
    """Seconds to wait after the ``attempts``-th failure (``clinic.outbox.retry_delay``)."""
    return OUTBOX.retry_delay(attempts).total_seconds()


def _deliveries_add(alert: StaffAlert, *, purpose: str, enqueue: bool = True) -> None:
    """One pending outbox row per enabled channel, queued for sending after commit."""
    rows = AlertDelivery.objects.bulk_create(
        AlertDelivery(alert=alert, channel=name, purpose=purpose)
        for name in channel_names_enabled()
    )
    if not enqueue:
        return
    for row in rows:
        outbox.task_enqueue_on_commit(DELIVER_TASK, row.pk)


def _event(alert: StaffAlert, kind: str, *, actor=None, from_status="", note="") -> None:
    StaffAlertEvent.objects.create(
        alert=alert,
        kind=kind,
        actor=actor,
        from_status=from_status,
        to_status=alert.status,
        note=note,
    )


def _summary(assessment: Assessment, phone: str) -> str:
    lines = [
        f"{flag['rule']} ({flag['level']}): {flag.get('staff_message') or flag['message']}"
        for flag in assessment.flags
    ]
    if not assessment.complete:
        lines.append("Stopped at the first emergency: the later questions were not asked.")
    if assessment.patient_id is None:
        lines.append(
            "Anonymous check: no account. A phone number the visitor leaves is under Contact."
        )
    elif phone:
        lines.append(f"Contact phone: {phone}")
    else:
        lines.append("No contact phone on file.")
    return "\n".join(lines)


def source_fingerprint(kind: str, value: str) -> str:
    """A keyed hash of an anonymous submitter's session or address ("" for none): enough to
    recognise a repeat, useless to anyone reading the table."""
    if not value:
        return ""
    return salted_hmac(f"triage.alert-source.{kind}", value).hexdigest()


def _open_repeat_alert(session: str, address: str) -> StaffAlert | None:
    """The open anonymous critical alert that the same browser session or address raised or
    fed within the last ``FLOOD_WINDOW``, locked; ``None`` if there is none."""
    same_source = Q()
    if session:
        same_source |= Q(source_session=session)
    if address:
        same_source |= Q(source_address=address)
    if not same_source:
        return None
    return (
        StaffAlert.objects.select_for_update()
        .filter(
            same_source,
            patient__isnull=True,
            severity=AlertSeverity.CRITICAL,
            last_submitted_at__gte=timezone.now() - FLOOD_WINDOW,
        )
        .exclude(status=AlertStatus.RESOLVED)
        .order_by("-last_submitted_at")
        .first()
    )


def _count_repeat(alert: StaffAlert, assessment: Assessment) -> StaffAlert:
    now = timezone.now()
    StaffAlert.objects.filter(pk=alert.pk).update(
        submissions=F("submissions") + 1, last_submitted_at=now
    )
    alert.refresh_from_db(fields=["submissions", "last_submitted_at"])
    assessment.merged_into_alert = alert
    assessment.save(update_fields=["merged_into_alert", "updated_at"])
    _event(
        alert,
        StaffAlertEvent.Kind.REPEATED,
        from_status=alert.status,
        note=f"Anonymous emergency check number {alert.submissions} from the same browser or "
        "address: counted here, staff not paged again.",
    )
    return alert


def alert_create_for(
    *, assessment: Assessment, session_key: str = "", address: str = ""
) -> StaffAlert | None:
    """Raise the staff alert of an urgent or emergency assessment (``None`` for the others).

    Flood guard: an anonymous emergency from a browser session or an address that already has
    an open critical alert fed within the last 10 minutes is counted in that alert (returned)
    instead of paging staff again. A logged-in patient's every emergency raises its own alert.

    Call it inside the assessment's transaction: the alert, its history and its outbox rows are
    committed, or rolled back, together with the assessment.
    """
    severity = SEVERITY_FOR_URGENCY.get(assessment.urgency)
    if severity is None:
        return None
    session = source_fingerprint("session", session_key)
    origin = source_fingerprint("address", address)
    patient = assessment.patient
    if patient is None and severity == AlertSeverity.CRITICAL:
        repeated = _open_repeat_alert(session, origin)
        if repeated is not None:
            return _count_repeat(repeated, assessment)
    profile = patient_profile_for(user=patient) if patient is not None else None
    alert = StaffAlert.objects.create(
        assessment=assessment,
        patient=patient,
        location=routing_location(patient=patient),
        severity=severity,
        summary=_summary(assessment, profile.phone if profile is not None else ""),
        source_session=session if patient is None else "",
        source_address=origin if patient is None else "",
    )
    _event(alert, StaffAlertEvent.Kind.CREATED)
    _deliveries_add(alert, purpose=AlertDelivery.Purpose.INITIAL)
    return alert


def alert_claim_for(*, assessment: Assessment, patient: User) -> StaffAlert | None:
    """The alert of an anonymous assessment that ``patient`` has just claimed now names them
    (recorded in its history). Call inside the claim's transaction; the caller records the
    access. ``None`` when the assessment raised no alert or the alert names someone already."""
    found = alert_for_assessment(assessment=assessment)
    if found is None:
        return None
    alert = _locked(found)
    if alert.patient_id is not None:
        return None
    alert.patient = patient
    alert.save(update_fields=["patient"])
    _event(
        alert,
        StaffAlertEvent.Kind.CLAIMED,
        from_status=alert.status,
        note="The visitor logged in or signed up in the same browser; the check is now theirs.",
    )
    return alert


@transaction.atomic
def alert_contact_add(
    *, assessment: Assessment, phone: str, access: AccessContext | None = None
) -> StaffAlert:
    """Add the phone number (E.164, already validated) that an anonymous visitor left on their
    result page to the assessment's alert, encrypted, with a history entry. When staff have
    already picked the alert up, they are told once that contact details arrived.
    ``NoAlertToContact`` when the assessment raised no alert."""
    found = alert_for_assessment(assessment=assessment)
    if found is None or found.patient_id is not None:
        raise NoAlertToContact()
    alert = _locked(found)
    first = not alert.contact_phone
    alert.contact_phone = phone
    alert.save(update_fields=["contact_phone"])
    _event(alert, StaffAlertEvent.Kind.CONTACT_ADDED, from_status=alert.status)
    if first and alert.status != AlertStatus.NEW:
        _deliveries_add(alert, purpose=AlertDelivery.Purpose.CONTACT)
    _record_change(alert, access)
    return alert


def _delivery_send(delivery: AlertDelivery) -> None:
    """Send one alert delivery through its channel (the outbox loop locks, counts and records)."""
    channel = channel_get(delivery.channel)
    alert = StaffAlert.objects.select_related("location").get(pk=delivery.alert_id)
    recipients = channel.recipients(alert=alert, purpose=delivery.purpose)
    if not recipients:
        raise LookupError(
            "nobody to send to: no alert responder for the location and no ALERT_FALLBACK_EMAIL"
        )
    delivery.recipients = recipients
    channel.send(alert=alert, purpose=delivery.purpose, recipients=recipients)


def alert_delivery_send(*, delivery_id: int, force: bool = False) -> SendResult:
    """Send one outbox row if it is still pending and due (any time with ``force``).

    The row stays locked while sending, so a second sender (a duplicate task, the sweeper,
    the management command) skips it, and sees it ``sent`` afterwards. A failure counts an
    attempt and schedules the next one with backoff until ``ALERT_DELIVERY_MAX_ATTEMPTS``,
    then the row is ``failed`` (re-sendable from the admin).
    """
    return outbox.outbox_send(label=OUTBOX_LABEL, row_id=delivery_id, force=force)


def alert_escalate_due(*, enqueue: bool = True) -> list[StaffAlert]:
    """Escalate, once, every alert still ``new`` after its severity's time limit: mark it and
    add escalation outbox rows (sent to ``ALERT_ESCALATION_EMAILS`` by the e-mail channel).

    ``enqueue=False`` leaves the new rows for the caller to send (the management command).
    """
    now = timezone.now()
    overdue = Q()
    for severity in AlertSeverity.values:
        limit = timedelta(minutes=alert_escalation_minutes(severity=severity))
        overdue |= Q(severity=severity, created_at__lte=now - limit)
    waiting = StaffAlert.objects.filter(overdue, status=AlertStatus.NEW, escalated=False)
    escalated = []
    for pk in waiting.order_by("created_at").values_list("pk", flat=True):
        with transaction.atomic():
            alert = waiting.select_for_update(skip_locked=True).filter(pk=pk).first()
            if alert is None:
                continue
            alert.escalated = True
            alert.escalated_at = now
            alert.save(update_fields=["escalated", "escalated_at"])
            minutes = alert_escalation_minutes(severity=alert.severity)
            _event(
                alert,
                StaffAlertEvent.Kind.ESCALATED,
                from_status=alert.status,
                note=f"Not acknowledged within {minutes} minutes.",
            )
            _deliveries_add(alert, purpose=AlertDelivery.Purpose.ESCALATION, enqueue=enqueue)
        escalated.append(alert)
    return escalated


def _locked(alert: StaffAlert) -> StaffAlert:
    return StaffAlert.objects.select_for_update().get(pk=alert.pk)


def _record_change(alert: StaffAlert, access: AccessContext | None) -> None:
    phi_access_record(access=access, action=Action.CHANGE, obj=alert, patient_id=alert.patient_id)


@transaction.atomic
def alert_acknowledge(
    *, alert: StaffAlert, user: User, access: AccessContext | None = None
) -> StaffAlert:
    """Take the alert on: it stops escalating. ``AlertAlreadyHandled`` unless it is ``new``."""
    alert = _locked(alert)
    if alert.status != AlertStatus.NEW:
        raise AlertAlreadyHandled()
    alert.status = AlertStatus.ACKNOWLEDGED
    alert.acknowledged_by = user
    alert.acknowledged_at = timezone.now()
    alert.save(update_fields=["status", "acknowledged_by", "acknowledged_at"])
    _event(alert, StaffAlertEvent.Kind.ACKNOWLEDGED, actor=user, from_status=AlertStatus.NEW)
    _record_change(alert, access)
    return alert


@transaction.atomic
def alert_resolve(
    *,
    alert: StaffAlert,
    user: User,
    outcome: str,
    note: str,
    access: AccessContext | None = None,
) -> StaffAlert:
    """Close the alert with its outcome and a note. A ``new`` alert counts as acknowledged by
    the same person at the same time. ``InvalidAlertResolution`` without a valid outcome and a
    note; ``AlertAlreadyHandled`` when it is already resolved."""
    note = (note or "").strip()
    if outcome not in AlertOutcome.values:
        raise InvalidAlertResolution(field="outcome")
    if not note or len(note) > NOTE_MAX_LENGTH:
        raise InvalidAlertResolution(field="note")
    alert = _locked(alert)
    if alert.status == AlertStatus.RESOLVED:
        raise AlertAlreadyHandled()
    before = alert.status
    now = timezone.now()
    if alert.acknowledged_at is None:
        alert.acknowledged_by = user
        alert.acknowledged_at = now
    alert.status = AlertStatus.RESOLVED
    alert.resolved_by = user
    alert.resolved_at = now
    alert.outcome = outcome
    alert.note = note
    alert.save()
    _event(alert, StaffAlertEvent.Kind.RESOLVED, actor=user, from_status=before, note=note)
    _record_change(alert, access)
    return alert


@transaction.atomic
def alert_delivery_requeue(
    *, alert: StaffAlert, user: User, access: AccessContext | None = None
) -> int:
    """Give every ``failed`` delivery of the alert a fresh retry budget and queue it again.
    Returns how many were re-queued."""
    failed = list(alert.deliveries.select_for_update().filter(status=AlertDelivery.Status.FAILED))
    for delivery in failed:
        delivery.status = AlertDelivery.Status.PENDING
        delivery.attempts = 0
        delivery.next_attempt_at = timezone.now()
        delivery.save(update_fields=["status", "attempts", "next_attempt_at", "updated_at"])
        _event(
            alert,
            StaffAlertEvent.Kind.RESEND,
            actor=user,
            from_status=alert.status,
            note=f"{delivery.channel} ({delivery.purpose})",
        )
        outbox.task_enqueue_on_commit(DELIVER_TASK, delivery.pk)
    if failed:
        _record_change(alert, access)
    return len(failed)


OUTBOX = outbox.Outbox(
    label=OUTBOX_LABEL,
    model=AlertDelivery,
    task=DELIVER_TASK,
    send=_delivery_send,
    max_attempts_setting="ALERT_DELIVERY_MAX_ATTEMPTS",
    retry_base=timedelta(seconds=RETRY_BASE_SECONDS),
    retry_cap=timedelta(seconds=RETRY_MAX_SECONDS),
    before_sweep=alert_escalate_due,
    sweep_grace=SWEEP_GRACE,
)
