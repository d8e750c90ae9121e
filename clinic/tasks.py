"""Celery tasks of the kernel's outbox (``clinic.outbox``): the one sweep of every registered
outbox, and the helper every outbox's send task runs."""

from celery import Task, shared_task

from clinic.messages import OUTBOX_LABEL as PATIENT_MESSAGES
from clinic.messages import SEND_TASK as SEND_PATIENT_MESSAGE
from clinic.outbox import SendResult, outbox_send, outbox_sweep

SWEEP_TASK = "clinic.tasks.sweep_outboxes"


def deliver(task: Task, *, label: str, row_id: int) -> SendResult:
    """Send one row (idempotent: locked, and only while pending, so safe to acknowledge late
    and to run twice). A failure with budget left is retried by this task after the row's
    backoff; the retry budget lives on the row, not in the task. Run eagerly (no broker) the
    retry is dropped and the row waits for the sweep or ``send_pending_outbox``."""
    result = outbox_send(label=label, row_id=row_id)
    if result.retry_in is not None:
        task.retry(countdown=result.retry_in, throw=False)
    return result


@shared_task(name=SWEEP_TASK, ignore_result=True)
def sweep_outboxes(*, reconnected: bool = False) -> dict[str, int]:
    """Beat, every minute, and the worker at each (re)connection to the broker: run each
    outbox's own sweep work (alerts escalate), then queue every due row of every outbox.
    After a reconnection even the freshest rows are queued (their own task was most likely
    lost with the broker). Returns how many rows were queued per outbox."""
    return outbox_sweep(grace=not reconnected)


@shared_task(
    name=SEND_PATIENT_MESSAGE, bind=True, acks_late=True, max_retries=None, ignore_result=True
)
def send_patient_message(self, message_id: int) -> str:
    """Send one patient message (e-mail or SMS) of the ``clinic.messages`` outbox."""
    return deliver(self, label=PATIENT_MESSAGES, row_id=message_id).outcome
