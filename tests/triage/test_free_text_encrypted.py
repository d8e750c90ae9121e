"""The questionnaire's free-text answer (``notes``) is stored encrypted: in assessments, drafts
and anonymous visitors' sessions; the API and FHIR show it to its owner exactly as given; the
data migration moves notes stored before it into the encrypted column."""

import json

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.state import StateApps

from tests.factories import PatientFactory
from tests.triage.test_encryption import stored_row
from tests.triage.test_web import QUESTIONS, post_step
from tests.triage.vignettes import answers
from triage.loading import publish_files
from triage.models import Assessment, AssessmentDraft
from triage.selectors import questionnaire_definition, questionnaire_published
from triage.services import assessment_draft_save

NOTES = "My sister Ximena Quillfeather says the numbness began after the fall in Trenton."


def raw_row(model, pk) -> str:
    """Every column of one row as the database holds it, as one string."""
    return " ".join(str(value) for value in stored_row(model, pk))


def submit(client, given_answers):
    return client.post(
        "/api/v1/triage/assessments/",
        {"questionnaire": "lumbar-radiculopathy", "answers": given_answers},
        format="json",
    )


def test_notes_are_not_readable_in_the_database(patient_client, published):
    response = submit(patient_client, answers(notes=NOTES))
    assert response.status_code == 201
    assessment = Assessment.objects.get(pk=response.json()["id"])
    row = raw_row(Assessment, assessment.pk)
    for fragment in ("Ximena", "Quillfeather", "Trenton", "numbness began"):
        assert fragment not in row
    assert "notes" not in assessment.structured_answers
    assert assessment.free_text_answers == {"notes": NOTES}


def test_the_owner_reads_the_notes_back_exactly_in_json_and_fhir(patient_client, published):
    given = answers(notes=NOTES)
    created = submit(patient_client, given).json()
    detail = patient_client.get(f"/api/v1/triage/assessments/{created['id']}/")
    assert detail.json()["answers"] == given
    fhir = patient_client.get(f"/api/v1/triage/assessments/{created['id']}/?format=fhir").json()
    items = [item for group in fhir["item"] for item in group["item"]]
    (notes,) = [item for item in items if item["linkId"] == "notes"]
    assert notes["answer"] == [{"valueString": NOTES}]


def test_an_assessment_without_notes_has_no_free_text(patient_client, published):
    created = submit(patient_client, answers()).json()
    assessment = Assessment.objects.get(pk=created["id"])
    assert assessment.free_text_answers == {}
    assert "notes" not in assessment.answers


def test_a_saved_draft_keeps_its_notes_encrypted(patient, published):
    questionnaire, _ruleset = published
    draft = assessment_draft_save(
        patient=patient, questionnaire=questionnaire, answers={"notes": NOTES}
    )
    assert "Quillfeather" not in raw_row(AssessmentDraft, draft.pk)
    assert AssessmentDraft.objects.get(pk=draft.pk).answers == {"notes": NOTES}


def _to_last_step(client):
    response = client.get(QUESTIONS)
    while not response.context["is_last"]:
        post_step(client, response, answers())
        response = client.get(QUESTIONS)
    return response


def test_an_anonymous_visitors_notes_are_encrypted_in_the_session(client, published):
    last = _to_last_step(client)
    assert "notes" in last.context["form"].fields
    post_step(client, last, {**answers(), "notes": NOTES}, action="back")

    (session,) = Session.objects.all()
    decoded = json.dumps(session.get_decoded())
    assert "Quillfeather" not in decoded
    assert "Quillfeather" not in session.session_data
    # The visitor finds the notes again on the last step.
    post_step(client, client.get(QUESTIONS), answers())
    assert NOTES in client.get(QUESTIONS).content.decode()


def test_a_patients_web_draft_keeps_the_notes_encrypted_and_shows_them_again(client, published):
    patient = PatientFactory()
    client.force_login(patient)
    post_step(client, _to_last_step(client), {**answers(), "notes": NOTES}, action="back")
    draft = AssessmentDraft.objects.get(patient=patient)
    assert "Quillfeather" not in raw_row(AssessmentDraft, draft.pk)
    post_step(client, client.get(QUESTIONS), answers())
    assert NOTES in client.get(QUESTIONS).content.decode()


BEFORE = [("triage", "0004_alert_responders_group")]


def migrate_to_latest() -> None:
    """Every app to its newest migration (an app depending on triage may have been unapplied)."""
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.fixture
def migrations_restored(transactional_db):
    """Whatever a test migrates back, every app is at its newest migration afterwards."""
    yield
    migrate_to_latest()


def migrate_back() -> StateApps:
    """triage before 0005, and the models as they were then."""
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    return executor.loader.project_state(BEFORE).apps


def test_the_migration_encrypts_what_was_stored_in_clear_and_reverses(migrations_restored):
    old = migrate_back()
    publish_files(old.get_model("triage", "Questionnaire"), old.get_model("triage", "Ruleset"))
    questionnaire = old.get_model("triage", "Questionnaire").objects.get(
        slug="lumbar-radiculopathy", version=1
    )
    rows = _old_rows(old, questionnaire)
    assert NOTES in raw_row(old.get_model("triage", "Assessment"), rows["assessment"])

    migrate_to_latest()

    assessment = Assessment.objects.get(pk=rows["assessment"])
    assert assessment.answers == {"age": 44, "notes": NOTES}
    assert assessment.structured_answers == {"age": 44}
    draft = AssessmentDraft.objects.get(pk=rows["draft"])
    assert draft.free_text_answers == {"notes": "half typed"}
    alert = assessment.staff_alert
    assert alert.note == "Called back, booked for Monday."
    assert [e.note for e in alert.events.all()] == ["Called back, booked for Monday.", ""]
    for model, pk in ((Assessment, assessment.pk), (type(alert), alert.pk)):
        row = raw_row(model, pk)
        assert "Quillfeather" not in row
        assert "booked for Monday" not in row

    old = migrate_back()
    assert NOTES in raw_row(old.get_model("triage", "Assessment"), rows["assessment"])
    assert "booked for Monday" in raw_row(old.get_model("triage", "StaffAlert"), rows["alert"])


def _old_rows(old, questionnaire) -> dict:
    """Rows as the code before 0005 stored them: notes inside the answers JSON, notes in clear."""
    user = old.get_model("clinic", "User").objects.create(email="ximena@example.org")
    assessment = old.get_model("triage", "Assessment").objects.create(
        questionnaire=questionnaire,
        ruleset=old.get_model("triage", "Ruleset").objects.get(questionnaire=questionnaire),
        patient=user,
        answers={"age": 44, "notes": NOTES},
        urgency="emergency",
        pattern="none",
    )
    draft = old.get_model("triage", "AssessmentDraft").objects.create(
        patient=user, questionnaire=questionnaire, answers={"age": 50, "notes": "half typed"}
    )
    alert = old.get_model("triage", "StaffAlert").objects.create(
        assessment=assessment,
        patient=user,
        severity="critical",
        summary="E4",
        status="resolved",
        acknowledged_at="2026-10-01T12:00:00Z",
        resolved_at="2026-10-01T12:05:00Z",
        outcome="reached_patient",
        note="Called back, booked for Monday.",
    )
    events = old.get_model("triage", "StaffAlertEvent").objects
    events.create(alert=alert, kind="resolved", to_status="resolved", note=alert.note)
    events.create(alert=alert, kind="created", to_status="new", note="")
    return {"assessment": assessment.pk, "draft": draft.pk, "alert": alert.pk}


def test_the_published_questionnaire_has_one_free_text_question(published):
    questionnaire = questionnaire_published(slug="lumbar-radiculopathy")
    assert questionnaire_definition(questionnaire=questionnaire).free_text_ids == {"notes"}
