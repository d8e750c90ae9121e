"""The compliance officer reviews who read one patient's records and exports those rows."""

import csv
import io
import re
from pathlib import Path

from playwright.sync_api import expect

from audit.context import AccessContext
from audit.models import Channel, PhiAccess
from clinic.demo import DEMO_PASSWORD
from clinic.models import User
from clinic.selectors import patient_profile_for
from tests.e2e import people
from tests.e2e.steps import staff_log_in
from tests.triage.factories import AssessmentFactory
from triage.selectors import assessment_get_for, assessment_list_for


def test_compliance_officer_filters_the_phi_access_log_and_exports_it(person, stack, orm):
    officer = User.objects.get(email="compliance@example.com")
    patient = people.patient()
    assessment = AssessmentFactory(patient=patient)
    visit = AccessContext(actor_id=patient.pk, channel=Channel.WEB, ip="127.0.0.1")
    patient_profile_for(user=patient, access=visit)
    assessment_list_for(patient=patient, access=visit)
    assessment_get_for(patient=patient, assessment_id=assessment.pk, access=visit)
    mine = list(
        PhiAccess.objects.with_patient(patient.pk).order_by("-id").values_list("id", flat=True)
    )
    assert len(mine) == 3
    you = person("officer")

    staff_log_in(you, officer, path="/admin/audit/phiaccess/", password=DEMO_PASSWORD)
    with you.step("the log, filtered by the patient's e-mail") as page:
        filters = page.locator("#changelist-filter")
        filters.get_by_label("Patient").fill(patient.email)
        filters.get_by_label("Patient").press("Enter")
        expect(page).to_have_url(re.compile(r"\?patient="))
        rows = page.locator("#result_list tbody tr")
        expect(rows.first).to_be_visible()
        shown = [int(row.locator("th, td").first.inner_text()) for row in rows.all()]
    # The patient's three reads, and the log's own listings that named the patient (reading
    # the log is recorded too): nothing about anyone else.
    assert set(mine) <= set(shown)
    assert shown == sorted(shown, reverse=True)
    assert_about(patient, officer, mine, shown)

    with you.step("export the filtered rows") as page:
        with page.expect_download() as download:
            page.get_by_role("link", name="Export these rows (CSV)").click()
        text = Path(download.value.path()).read_text(encoding="utf-8")
    exported = list(csv.DictReader(io.StringIO(text)))
    exported_ids = [int(row["id"]) for row in exported]
    assert set(shown) <= set(exported_ids)
    assert_about(patient, officer, mine, exported_ids)
    reads = sorted(
        (row["actor_email"], row["action"], row["object_type"], row["object_id"])
        for row in exported
        if int(row["id"]) in mine
    )
    assert reads == [
        (patient.email, "list", "triage.assessment", ""),
        (patient.email, "view", "clinic.user", str(patient.pk)),
        (patient.email, "view", "triage.assessment", str(assessment.pk)),
    ]
    assert {row["patient_email"] for row in exported if int(row["id"]) in mine} == {patient.email}


def assert_about(patient, officer, mine, ids) -> None:
    """Every row is one of the patient's reads or the officer's listing of the log."""
    others = PhiAccess.objects.filter(pk__in=set(ids) - set(mine))
    assert {(row.actor_id, row.action, row.object_type) for row in others} <= {
        (officer.pk, "list", "audit.phiaccess"),
        (officer.pk, "export", "audit.phiaccess"),
    }
    assert PhiAccess.objects.filter(pk__in=ids).with_patient(patient.pk).count() == len(ids)
