"""The one call booking makes when a time frees up (kept apart from the waitlist's services,
which book through ``scheduling.services``, so that module can import this one)."""

from datetime import UTC, datetime

from clinic.outbox import task_enqueue_on_commit

OFFER_TASK = "scheduling.waitlist.tasks.offer_freed_time"


def waitlist_slot_freed(*, provider_id: int, location_id: int, start: datetime) -> None:
    """A time of ``provider_id`` at ``location_id`` starting at ``start`` was freed (cancelled,
    moved away from, a lapsed hold released). Call it inside the transaction that frees it:
    after the commit a task offers the time to the waitlist; on a rollback nothing is queued."""
    task_enqueue_on_commit(OFFER_TASK, provider_id, location_id, start.astimezone(UTC).isoformat())
