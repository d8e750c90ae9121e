"""The triage API as the website and apps use it."""

import pytest
from fhir.resources.R4B.questionnaire import Questionnaire as FhirQuestionnaire
from fhir.resources.R4B.questionnaireresponse import (
    QuestionnaireResponse as FhirQuestionnaireResponse,
)
from rest_framework.test import APIClient
from rest_framework.throttling import ScopedRateThrottle

from tests.factories import PatientFactory
from tests.triage.factories import AssessmentFactory
from tests.triage.vignettes import EARLY_EXITS, answers, answers_v1
from triage.models import Assessment, StaffAlert

ASSESSMENTS = "/api/v1/triage/assessments/"
QUESTIONNAIRE = "/api/v1/triage/questionnaires/lumbar-radiculopathy/"
Q_REF = "https://portal.clinic.example/fhir/Questionnaire/lumbar-radiculopathy|2"


def submit(client, given_answers, questionnaire="lumbar-radiculopathy"):
    return client.post(
        ASSESSMENTS, {"questionnaire": questionnaire, "answers": given_answers}, format="json"
    )


def test_an_anonymous_submission_returns_the_result(api_client, published):
    response = submit(api_client, answers(ces_saddle=True, ces_onset="new"))
    assert response.status_code == 201
    body = response.json()
    assessment = Assessment.objects.get()
    assert body == {
        "id": str(assessment.pk),
        "urgency": "emergency",
        "pattern": "none",
        "flags": [
            {
                "rule": "E1",
                "level": "emergency",
                "message": assessment.flags[0]["message"],
            }
        ],
        "complete": True,
        "questionnaire": Q_REF,
        "ruleset": "lumbar-radiculopathy-rules|2",
        "next_step": {
            "code": "emergency_department",
            "text": "Go to the nearest emergency department now. If you cannot get there "
            "quickly and safely, call 911.",
            "booking_url": None,
        },
        "created_at": body["created_at"],
    }
    assert assessment.patient is None


def test_a_logged_in_submission_belongs_to_the_patient(patient_client, patient, published):
    response = submit(
        patient_client, answers(foot_drop=True, motor_onset="gt_12w", numb_areas=["big_toe"])
    )
    assert response.status_code == 201
    assert (response.json()["urgency"], response.json()["pattern"]) == ("soon", "L5")
    assert response.json()["next_step"]["booking_url"] == "/appointments/"
    assert Assessment.objects.get().patient == patient


def test_flags_list_every_rule_that_fired_in_the_requested_language(api_client, published):
    response = api_client.post(
        ASSESSMENTS,
        {"questionnaire": "lumbar-radiculopathy", "answers": answers(trauma=True, age=68)},
        format="json",
        HTTP_ACCEPT_LANGUAGE="es",
    )
    assert response.status_code == 201
    (flag,) = response.json()["flags"]
    assert flag["rule"] == "U4"
    assert flag["message"].startswith("El dolor de espalda")
    assert "hoy" in response.json()["next_step"]["text"]


@pytest.mark.parametrize(
    ("given_answers", "link_id"),
    [
        (answers(shoe_size=42), "shoe_size"),
        (answers(ces_bladder="yes"), "ces_bladder"),
        (answers(age="forty"), "age"),
        (answers(duration="ages"), "duration"),
        (answers(pain_leg=12), "pain_leg"),
        (answers(age=None), "age"),
        (answers(below_knee=True), "below_knee"),
        (answers(notes="x" * 2001), "notes"),
        (answers(numb_areas=["none", "calf"]), "numb_areas"),
        (answers(step_history=["x"]), "step_history"),
    ],
)
def test_bad_answers_are_a_400_naming_the_link_id(api_client, published, given_answers, link_id):
    response = submit(api_client, given_answers)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert list(body["errors"]["answers"]) == [link_id]
    assert body["detail"].startswith(f"answers.{link_id}: ")
    assert not Assessment.objects.exists()


def test_several_bad_answers_are_all_named(api_client, published):
    response = submit(api_client, answers(age=500, ces_bowel=3, duration=None))
    assert response.status_code == 400
    assert set(response.json()["errors"]["answers"]) == {"age", "ces_bowel", "duration"}


def test_an_unknown_questionnaire_is_a_400_naming_it(api_client, published):
    response = submit(api_client, answers(), questionnaire="neck-pain")
    assert response.status_code == 400
    assert response.json() == {
        "code": "unknown_questionnaire",
        "detail": "There is no published questionnaire with this name.",
        "errors": {"questionnaire": ["There is no published questionnaire with this name."]},
    }


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"answers": answers()}, "questionnaire"),
        ({"questionnaire": "lumbar-radiculopathy"}, "answers"),
        ({"questionnaire": "lumbar-radiculopathy", "answers": ["age", 40]}, "answers"),
    ],
)
def test_a_malformed_request_is_a_400_naming_the_field(api_client, published, body, field):
    response = api_client.post(ASSESSMENTS, body, format="json")
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert response.json()["detail"].startswith(f"{field}: ")


def test_anonymous_callers_cannot_list_or_read_assessments(api_client, published):
    created = submit(api_client, answers()).json()
    assert api_client.get(ASSESSMENTS).status_code == 401
    response = api_client.get(f"{ASSESSMENTS}{created['id']}/")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_patients_list_and_read_only_their_own(patient_client, patient, published):
    mine = AssessmentFactory(patient=patient, answers=answers(cancer_history=True))
    theirs = AssessmentFactory(patient=PatientFactory())
    listed = patient_client.get(ASSESSMENTS).json()
    assert listed["count"] == 1
    assert [a["id"] for a in listed["results"]] == [str(mine.pk)]
    detail = patient_client.get(f"{ASSESSMENTS}{mine.pk}/")
    assert detail.status_code == 200
    assert detail.json()["urgency"] == "urgent"
    assert detail.json()["answers"]["cancer_history"] is True
    other = patient_client.get(f"{ASSESSMENTS}{theirs.pk}/")
    assert other.status_code == 404
    assert other.json()["code"] == "not_found"


def test_the_questionnaire_definition(api_client, published):
    response = api_client.get(QUESTIONNAIRE)
    assert response.status_code == 200
    body = response.json()
    assert (body["reference"], body["version"]) == (Q_REF, 2)
    first_step = body["items"][0]
    assert first_step["type"] == "group"
    bladder = first_step["items"][1]
    assert (bladder["linkId"], bladder["type"], bladder["redFlag"]) == (
        "ces_bladder",
        "boolean",
        True,
    )
    assert api_client.get("/api/v1/triage/questionnaires/neck-pain/").status_code == 404


def _link_ids(items):
    for item in items:
        yield item["linkId"]
        yield from _link_ids(item.get("item", []))


def test_the_questionnaire_as_fhir_validates_and_has_unique_link_ids(api_client, published):
    response = api_client.get(QUESTIONNAIRE, {"format": "fhir"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/fhir+json"
    resource = response.json()
    parsed = FhirQuestionnaire.model_validate(resource)
    assert (parsed.url, parsed.version, parsed.status) == (Q_REF.split("|")[0], "2", "active")
    ids = list(_link_ids(resource["item"]))
    assert len(ids) == len(set(ids))
    below_knee = next(i for s in resource["item"] for i in s["item"] if i["linkId"] == "below_knee")
    assert below_knee["enableWhen"] == [
        {
            "question": "leg_side",
            "operator": "!=",
            "answerCoding": {"code": "none", "display": "No, it stays in my back"},
        }
    ]


def test_the_fhir_questionnaire_is_chosen_by_accept_header_too(api_client, published):
    response = api_client.get(QUESTIONNAIRE, HTTP_ACCEPT="application/fhir+json")
    assert response.json()["resourceType"] == "Questionnaire"


def test_an_assessment_as_fhir_questionnaire_response_validates(patient_client, patient, published):
    assessment = AssessmentFactory(
        patient=patient,
        answers=answers(leg_side="left", below_knee=True, pain_leg=6, numb_areas=["sole"]),
    )
    response = patient_client.get(f"{ASSESSMENTS}{assessment.pk}/", {"format": "fhir"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/fhir+json"
    resource = response.json()
    parsed = FhirQuestionnaireResponse.model_validate(resource)
    assert (parsed.questionnaire, parsed.status) == (Q_REF, "completed")
    items = {i["linkId"]: i for step in resource["item"] for i in step["item"]}
    assert items["below_knee"]["answer"] == [{"valueBoolean": True}]
    assert items["pain_leg"]["answer"] == [{"valueInteger": 6}]
    assert items["numb_areas"]["answer"] == [
        {"valueCoding": {"code": "sole", "display": "The sole of the foot"}}
    ]
    ids = list(_link_ids(resource["item"]))
    assert len(ids) == len(set(ids))


def test_another_patients_assessment_is_a_404_as_fhir_too(patient_client, published):
    theirs = AssessmentFactory(patient=PatientFactory())
    assert patient_client.get(f"{ASSESSMENTS}{theirs.pk}/?format=fhir").status_code == 404


def test_submissions_are_throttled_with_the_triage_scope(monkeypatch, published):
    monkeypatch.setattr(
        ScopedRateThrottle,
        "THROTTLE_RATES",
        {**ScopedRateThrottle.THROTTLE_RATES, "triage": "2/min"},
    )
    client = APIClient()
    assert [submit(client, answers()).status_code for _ in range(3)] == [201, 201, 429]
    assert client.get(ASSESSMENTS).status_code == 401  # reading is not in the triage scope


def test_the_schema_documents_the_format_parameter_and_both_shapes(api_client):
    schema = api_client.get("/api/schema/", {"format": "json"}).json()
    for path in (
        "/api/v1/triage/questionnaires/{slug}/",
        "/api/v1/triage/assessments/{assessment_id}/",
    ):
        operation = schema["paths"][path]["get"]
        (format_parameter,) = [p for p in operation["parameters"] if p["name"] == "format"]
        assert format_parameter["schema"]["enum"] == ["fhir", "json"]
        assert set(operation["responses"]["200"]["content"]) == {
            "application/json",
            "application/fhir+json",
        }


RED_FLAG_STEP = {"ces_bladder": False, "ces_bowel": False, "ces_sexual": False}


@pytest.mark.parametrize(("description", "given", "rule"), EARLY_EXITS)
def test_red_flag_answers_that_mean_an_emergency_are_accepted_without_the_rest(
    api_client, published, description, given, rule
):
    response = submit(api_client, given)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["urgency"], body["complete"]) == ("emergency", False)
    assert rule in [flag["rule"] for flag in body["flags"]]
    assert (body["questionnaire"], body["ruleset"]) == (Q_REF, "lumbar-radiculopathy-rules|2")
    assert body["next_step"]["code"] == "emergency_department"
    assessment = Assessment.objects.get()
    assert (assessment.complete, assessment.urgency) == (False, "emergency")
    assert StaffAlert.objects.get(assessment=assessment).severity == "critical"


def test_the_same_partial_answers_without_an_emergency_are_a_400_naming_the_missing_items(
    api_client, published
):
    response = submit(api_client, {**RED_FLAG_STEP, "ces_saddle": True, "ces_onset": "stable"})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert set(body["errors"]["answers"]) == {
        "age", "duration", "pain_back", "pain_leg", "leg_side"
    }  # fmt: skip
    assert body["errors"]["answers"]["age"] == ["This question needs an answer."]
    assert Assessment.objects.count() == 0


def test_a_bad_answer_beside_an_emergency_is_still_a_400(api_client, published):
    response = submit(api_client, {"cannot_walk_stand": True, "age": 300})
    assert response.status_code == 400
    assert "age" in response.json()["errors"]["answers"]
    assert Assessment.objects.count() == 0


def test_an_early_emergency_exports_as_a_stopped_fhir_response(patient_client, published):
    created = submit(patient_client, {"cannot_walk_stand": True}).json()
    response = patient_client.get(f"{ASSESSMENTS}{created['id']}/", {"format": "fhir"})
    parsed = FhirQuestionnaireResponse.model_validate(response.json())
    assert (parsed.questionnaire, parsed.status) == (Q_REF, "stopped")
    assert patient_client.get(f"{ASSESSMENTS}{created['id']}/").json()["complete"] is False


def test_the_v2_questions_export_to_fhir(patient_client, patient, published):
    assessment = AssessmentFactory(
        patient=patient,
        answers=answers(heel_walk="cannot", motor_onset="lt_2w", numbness_progression="days"),
    )
    resource = patient_client.get(f"{ASSESSMENTS}{assessment.pk}/", {"format": "fhir"}).json()
    FhirQuestionnaireResponse.model_validate(resource)
    items = {i["linkId"]: i for step in resource["item"] for i in step["item"]}
    assert items["motor_onset"]["answer"] == [
        {"valueCoding": {"code": "lt_2w", "display": "Less than 2 weeks ago"}}
    ]
    assert items["numbness_progression"]["answer"][0]["valueCoding"]["code"] == "days"
    questionnaire = patient_client.get(QUESTIONNAIRE, {"format": "fhir"}).json()
    motor = next(
        i for s in questionnaire["item"] for i in s.get("item", []) if i["linkId"] == "motor_onset"
    )
    assert motor["enableBehavior"] == "any"


def test_a_v1_assessment_keeps_showing_v1(patient_client, patient, published):
    from triage.models import Questionnaire, Ruleset
    from triage.services import assessment_submit

    v1 = Questionnaire.objects.get(slug="lumbar-radiculopathy", version=1)
    old = assessment_submit(questionnaire=v1, answers=answers_v1(ces_sexual=True), patient=patient)
    assert old.ruleset == Ruleset.objects.get(version=1)
    body = patient_client.get(f"{ASSESSMENTS}{old.pk}/").json()
    assert (body["questionnaire"], body["ruleset"], body["urgency"]) == (
        Q_REF.replace("|2", "|1"),
        "lumbar-radiculopathy-rules|1",
        "urgent",
    )
    fhir = patient_client.get(f"{ASSESSMENTS}{old.pk}/", {"format": "fhir"}).json()
    assert fhir["questionnaire"].endswith("|1")


def test_the_schema_describes_complete(api_client):
    schema = api_client.get("/api/schema/", {"format": "json"}).json()
    output = schema["components"]["schemas"]["AssessmentOutput"]
    assert output["properties"]["complete"]["type"] == "boolean"
    assert "complete" in output["required"]
