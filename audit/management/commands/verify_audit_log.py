"""Check the PHI access log's chain; exit non-zero at the first row that does not fit."""

from django.core.management.base import BaseCommand, CommandError

from audit.selectors import phi_access_chain_verify
from audit.services import phi_access_checkpoint_write


class Command(BaseCommand):
    help = (
        "Walk the PHI access log in order, recompute every row's keyed hash and its link to the "
        "row before, check the chain against every checkpoint in AUDIT_CHECKPOINT_PATH, and "
        "report the first row that was changed, deleted, reordered or rebuilt."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--checkpoint",
            action="store_true",
            help="When the chain is intact, sign its head and append it to the checkpoint sink "
            "(what the nightly beat task does; for cron without beat).",
        )

    def handle(self, *args, **options):
        report = phi_access_chain_verify()
        if not report.ok:
            self.stderr.write(
                f"Checked {report.rows} rows; the chain is intact up to row {report.head_id}."
            )
            raise CommandError(f"PHI access log tampered with: {report.broken.reason}.")
        self.stdout.write(
            self.style.SUCCESS(
                f"PHI access log intact: {report.rows} rows, last row {report.head_id}, "
                f"last hash {report.head_hash}; {report.checkpoints} checkpoints match."
            )
        )
        if options["checkpoint"]:
            if phi_access_checkpoint_write(report=report) is None:
                raise CommandError("No checkpoint written: AUDIT_CHECKPOINT_PATH is not set.")
            self.stdout.write(f"Checkpoint written at row {report.head_id}.")
