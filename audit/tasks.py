"""The nightly check of the PHI access log (beat): tampering is not only detectable, it is
detected. An intact chain's head (last row and hash) is signed and appended to the checkpoint
sink outside the database (``AUDIT_CHECKPOINT_PATH``) and logged; every later walk checks the
chain against every checkpoint, so a chain rebuilt afterwards, even with the key, no longer
matches."""

import logging

from celery import shared_task

from audit.selectors import phi_access_chain_verify
from audit.services import phi_access_checkpoint_write

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def verify_audit_chain() -> bool:
    """Walk the chain; checkpoint and log its head when intact, a critical error at the first
    break."""
    report = phi_access_chain_verify()
    if not report.ok:
        logger.critical("PHI access log tampered with: %s", report.broken.reason)
        return False
    checkpoint = phi_access_checkpoint_write(report=report)
    logger.info(
        "PHI access log intact: %s rows, last row %s, last hash %s; %s",
        report.rows,
        report.head_id,
        report.head_hash,
        "checkpoint written" if checkpoint is not None else "no checkpoint sink",
    )
    return True
