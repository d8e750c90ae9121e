"""The portal's one outbox: anything that must reach a person is a database row first and a
Celery task second.

An app's outbox is a model inheriting ``DeliveryRow`` and an ``Outbox`` entry it registers
(``outbox_register``, from its ``AppConfig.ready``); the kernel imports no app. Everything else
is shared:

- ``outbox_send`` is the one send/retry loop: it locks the row (skipping one another sender
  holds), returns unless the row is pending and due, sends it through the outbox's ``send``,
  and marks it sent, or records the failure with the next attempt after ``retry_delay`` until
  the outbox's attempt budget is spent (then ``failed``, re-sendable from the admin). Running
  it twice sends once; a process dying between the server's answer and the commit is the only
  way to send twice.
- ``outbox_sweep`` (the beat task ``clinic.tasks.sweep_outboxes`` every minute, and the worker
  each time it (re)connects to the broker) queues every due row of every outbox: rows whose
  first queueing was lost with the broker down, retries, reminders that came due.
- ``outbox_send_due`` sends what is due in this process, without a broker
  (``manage.py send_pending_outbox``).
- ``task_enqueue`` queues a task by name after the caller's commit, so services never import
  a tasks module; a dead broker is logged and the row stays pending for the sweep.
"""

import logging
import random
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from celery import current_app
from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

# A retry may arrive a little before the time stored on the row (clock skew between hosts).
DUE_TOLERANCE = timedelta(seconds=2)
SWEEP_BATCH = 500


def retry_delay(*, attempts: int, base: timedelta, cap: timedelta) -> timedelta:
    """The one backoff policy: how long to wait after the ``attempts``-th failed delivery.
    Exponential from the outbox's ``base``, never above its ``cap``, and half of it random
    ("equal jitter") so that many rows failing together do not hammer a recovering server
    together."""
    ceiling = min(cap, base * 2 ** max(attempts - 1, 0))
    return ceiling / 2 + ceiling / 2 * random.random()  # noqa: S311 - jitter, not a secret


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    SKIPPED = "skipped", _("Skipped (no longer applies)")


class DeliveryRow(models.Model):
    """What every outbox row records about its delivery."""

    Status = DeliveryStatus

    status = models.CharField(
        _("status"), max_length=8, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        abstract = True


@dataclass(frozen=True)
class SendResult:
    """What one attempt did: ``sent``, ``retry`` (next in ``retry_in`` seconds), ``failed``
    (attempt budget spent) or ``skipped`` (not pending, not due, locked by another sender, or
    no longer applying)."""

    outcome: str
    retry_in: float | None = None


@dataclass(frozen=True)
class Outbox:
    """One app's outbox, as the kernel's loop, sweep and command drive it.

    ``send(row)`` delivers and raises on any failure (it may fill in fields of the row, such as
    the recipients, which are saved either way). ``obsolete(row)`` says a row no longer applies
    (it is marked ``skipped`` unsent). ``before_sweep(enqueue=...)`` is the app's own work that
    runs before its rows are swept (alerts escalate there); with ``enqueue=False`` it leaves
    the rows it adds to the caller. ``sweep_grace``: rows this fresh most likely still have
    their own task queued and wait for the next sweep.
    """

    label: str
    model: type[DeliveryRow]
    task: str
    send: Callable[[DeliveryRow], None]
    max_attempts_setting: str
    retry_base: timedelta
    retry_cap: timedelta
    obsolete: Callable[[DeliveryRow], bool] | None = None
    before_sweep: Callable[..., object] | None = None
    sweep_grace: timedelta = field(default=timedelta(0))

    def retry_delay(self, attempts: int) -> timedelta:
        return retry_delay(attempts=attempts, base=self.retry_base, cap=self.retry_cap)


_registry: dict[str, Outbox] = {}


def outbox_register(outbox: Outbox) -> Outbox:
    _registry[outbox.label] = outbox
    return outbox


def outbox_get(label: str) -> Outbox:
    return _registry[label]


def outboxes(labels: Iterable[str] | None = None) -> list[Outbox]:
    return (
        [_registry[label] for label in labels] if labels is not None else list(_registry.values())
    )


def task_enqueue(name: str, *args) -> None:
    """Queue the task ``name`` with ``args`` now. Without a broker (``task_always_eager``, the
    embedded mode) the registered task runs in-process; otherwise it is sent by name."""
    app = current_app
    if app.conf.task_always_eager:
        app.tasks[name].delay(*args)
    else:
        app.send_task(name, args=args)


def task_enqueue_on_commit(name: str, *args) -> None:
    """Queue the task after the current transaction commits (at once outside one). Robust: a
    dead broker is logged and the caller's transaction stands; the row stays pending for the
    sweep or ``send_pending_outbox``."""
    transaction.on_commit(lambda: task_enqueue(name, *args), robust=True)


def _record_failure(outbox: Outbox, row: DeliveryRow, exc: Exception, now: datetime) -> SendResult:
    row.last_error = f"{type(exc).__name__}: {exc}"[:500]
    if row.attempts >= getattr(settings, outbox.max_attempts_setting):
        row.status = DeliveryStatus.FAILED
        result = SendResult("failed")
        logger.error(
            "%s %s failed for good after %s attempts: %s",
            outbox.label,
            row.pk,
            row.attempts,
            type(exc).__name__,
        )
    else:
        delay = outbox.retry_delay(row.attempts)
        row.next_attempt_at = now + delay
        result = SendResult("retry", delay.total_seconds())
        logger.warning(
            "%s %s attempt %s failed (%s); next in %.0f s",
            outbox.label,
            row.pk,
            row.attempts,
            type(exc).__name__,
            delay.total_seconds(),
        )
    row.save()
    return result


def outbox_send(
    *, label: str, row_id: int, force: bool = False, now: datetime | None = None
) -> SendResult:
    """Send one row of the outbox ``label`` if it is still pending and due (any time with
    ``force``); see the module's docstring."""
    outbox = outbox_get(label)
    now = now or timezone.now()
    with transaction.atomic():
        row = (
            outbox.model.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(pk=row_id)
            .first()
        )
        if row is None or row.status != DeliveryStatus.PENDING:
            return SendResult("skipped")
        if not force and row.next_attempt_at > now + DUE_TOLERANCE:
            return SendResult("skipped")
        if outbox.obsolete is not None and outbox.obsolete(row):
            row.status = DeliveryStatus.SKIPPED
            row.save()
            return SendResult("skipped")
        row.attempts += 1
        try:
            outbox.send(row)
        except Exception as exc:  # any failure out there is data here: recorded, retried
            return _record_failure(outbox, row, exc, timezone.now())
        row.status = DeliveryStatus.SENT
        row.sent_at = timezone.now()
        row.last_error = ""
        row.save()
    logger.info("%s %s sent", outbox.label, row_id)
    return SendResult("sent")


def outbox_due_ids(
    *, label: str, due_before: datetime | None = None, limit: int | None = SWEEP_BATCH
) -> list[int]:
    """Pending rows of the outbox, those due at ``due_before`` if given; oldest first."""
    pending = outbox_get(label).model.objects.filter(status=DeliveryStatus.PENDING)
    if due_before is not None:
        pending = pending.filter(next_attempt_at__lte=due_before)
    ids = pending.order_by("next_attempt_at", "pk").values_list("pk", flat=True)
    return list(ids[:limit] if limit is not None else ids)


def outbox_sweep(*, labels: Iterable[str] | None = None, grace: bool = True) -> dict[str, int]:
    """Run each outbox's ``before_sweep``, then queue every due row (by the outbox's task
    name), leaving rows younger than the outbox's ``sweep_grace`` unless ``grace=False``.
    Returns how many rows were queued per outbox."""
    queued = {}
    for outbox in outboxes(labels):
        if outbox.before_sweep is not None:
            outbox.before_sweep(enqueue=True)
        due_before = timezone.now() - (outbox.sweep_grace if grace else timedelta(0))
        due = outbox_due_ids(label=outbox.label, due_before=due_before)
        for row_id in due:
            task_enqueue(outbox.task, row_id)
        queued[outbox.label] = len(due)
    return queued


def outbox_send_due(
    *, labels: Iterable[str] | None = None, force: bool = False, before_sweep: bool = True
) -> Counter:
    """Send, in this process and without a broker, every due row (every pending one with
    ``force``) of the outboxes, each at most once, after their ``before_sweep`` (whose new rows
    are sent in the same run; ``before_sweep=False`` when the caller ran it). Returns the
    outcomes counted per kind (``sent``, ``retry``...)."""
    counts = Counter()
    for outbox in outboxes(labels):
        if before_sweep and outbox.before_sweep is not None:
            outbox.before_sweep(enqueue=False)
        tried = set()
        while True:
            due_before = None if force else timezone.now()
            batch = [
                pk
                for pk in outbox_due_ids(label=outbox.label, due_before=due_before, limit=None)
                if pk not in tried
            ]
            if not batch:
                break
            for row_id in batch:
                tried.add(row_id)
                counts[outbox_send(label=outbox.label, row_id=row_id, force=force).outcome] += 1
    return counts
