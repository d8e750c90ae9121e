"""The nightly check of the PHI access log (beat): tampering is not only detectable, it is
detected. The head it reports (last row and hash) goes to the application log, which is shipped
off the database host: a later rewrite of the whole chain would no longer match it."""

import logging

from celery import shared_task

from audit.selectors import phi_access_chain_verify

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def verify_audit_chain() -> bool:
    """Walk the chain; log its head when intact, a critical error at the first break."""
    report = phi_access_chain_verify()
    if report.ok:
        logger.info(
            "PHI access log intact: %s rows, last row %s, last hash %s",
            report.rows,
            report.head_id,
            report.head_hash,
        )
    else:
        logger.critical("PHI access log tampered with: %s", report.broken.reason)
    return report.ok
