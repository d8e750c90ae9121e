"""Check the PHI access log's hash chain; exit non-zero at the first row that does not fit."""

from django.core.management.base import BaseCommand, CommandError

from audit.selectors import phi_access_chain_verify


class Command(BaseCommand):
    help = (
        "Walk the PHI access log in order, recompute every row's hash and its link to the row "
        "before, and report the first row that was changed, deleted or reordered."
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
                f"last hash {report.head_hash}."
            )
        )
