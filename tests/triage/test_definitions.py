"""The definition files: they parse, hang together, and a published file never changes."""

import copy

import pytest

from tests.triage.vignettes import RED_FLAGS, RED_FLAGS_V1
from triage import loading
from triage.definitions import DefinitionError, definition_files, parse_questionnaire, parse_ruleset
from triage.models import Pattern, Urgency
from triage.rules import PATTERN_CHOICES

CONTRACT_IDS = {
    "age", "duration", "pain_back", "pain_leg", "leg_side", "below_knee", "worse_with",
    "ces_bladder", "ces_bowel", "ces_saddle", "ces_sexual", "ces_onset", "cannot_walk_stand",
    "weak_both_legs", "weakness_progression", "foot_drop", "heel_walk", "tiptoe_walk",
    "numb_areas", "reflex_reduced_told", "fever_unwell", "cancer_history", "weight_loss",
    "trauma", "immunosuppressed_or_ivdu", "night_pain", "prior_treatments", "notes",
}  # fmt: skip


def test_the_questionnaire_has_exactly_the_contract_questions(questionnaire):
    assert {item.link_id for item in questionnaire.questions()} == {
        *CONTRACT_IDS,
        "numbness_progression",
        "motor_onset",
    }
    assert questionnaire.red_flag_ids() == RED_FLAGS
    assert questionnaire.reference == (
        "https://portal.clinic.example/fhir/Questionnaire/lumbar-radiculopathy|2"
    )


def test_v1_keeps_exactly_its_contract_questions(definitions_v1):
    questionnaire = definitions_v1[0]
    assert {item.link_id for item in questionnaire.questions()} == CONTRACT_IDS
    assert questionnaire.red_flag_ids() == RED_FLAGS_V1
    assert questionnaire.reference.endswith("lumbar-radiculopathy|1")


def test_v2_adds_numbness_progression_to_the_leg_step_and_motor_onset_after_a_deficit(
    questionnaire,
):
    numbness = questionnaire.by_id["numbness_progression"]
    assert (numbness.type, numbness.red_flag, numbness.codes) == (
        "choice", True, {"none", "stable", "days", "hours"}
    )  # fmt: skip
    assert numbness.text == "Is numbness in your legs or feet getting worse?"
    leg_step = next(s for s in questionnaire.steps if s.link_id == "step_leg_strength")
    assert "numbness_progression" in [item.link_id for item in leg_step.items]
    onset = questionnaire.by_id["motor_onset"]
    assert (onset.text, onset.codes, onset.enable_behavior) == (
        "When did this weakness start?", {"lt_2w", "2_12w", "gt_12w"}, "any"
    )  # fmt: skip
    assert [(c.question, c.answer) for c in onset.enable_when] == [
        ("foot_drop", True), ("heel_walk", "cannot"), ("tiptoe_walk", "cannot")
    ]  # fmt: skip
    assert [(c.question, c.answer) for c in questionnaire.by_id["ces_onset"].enable_when] == [
        ("ces_bladder", True), ("ces_bowel", True), ("ces_saddle", True), ("ces_sexual", True)
    ]  # fmt: skip
    assert questionnaire.by_id["age"].prefill == "patient_age"


def test_every_patient_goes_through_the_main_steps_and_follow_ups_only_when_called_for(
    questionnaire, definitions_v1
):
    assert [s.link_id for s in questionnaire.main_steps] == [
        "step_bladder_bowel", "step_leg_strength", "step_general_health", "step_about_pain",
        "step_leg_symptoms", "step_history",
    ]  # fmt: skip
    assert len(definitions_v1[0].main_steps) == 6


@pytest.mark.parametrize(
    ("link_id", "codes"),
    [
        ("duration", {"lt_2w", "2_6w", "6_12w", "gt_12w"}),
        ("leg_side", {"none", "left", "right", "both"}),
        ("worse_with", {"sitting", "bending", "cough_sneeze", "walking", "standing", "lying_down"}),
        ("ces_onset", {"new", "worsening", "stable"}),
        ("weakness_progression", {"none", "stable", "days", "hours"}),
        ("heel_walk", {"normal", "hard", "cannot", "unsure"}),
        ("tiptoe_walk", {"normal", "hard", "cannot", "unsure"}),
        (
            "numb_areas",
            {"top_of_foot", "big_toe", "outer_shin", "sole", "outer_foot_edge", "calf", "none"},
        ),
        ("reflex_reduced_told", {"yes", "no", "unknown"}),
        (
            "prior_treatments",
            {"physical_therapy", "chiropractic", "nsaids", "epidural_injection", "surgery", "none"},
        ),
    ],
)
def test_choice_codes_are_the_contract(questionnaire, link_id, codes):
    assert questionnaire.by_id[link_id].codes == codes


def test_types_ranges_and_required_items_are_the_contract(questionnaire):
    by_id = questionnaire.by_id
    assert {i.link_id for i in questionnaire.questions() if i.required} == {
        "age", "duration", "pain_back", "pain_leg", "leg_side"
    }  # fmt: skip
    assert (by_id["age"].min_value, by_id["age"].max_value) == (0, 120)
    assert (by_id["pain_leg"].min_value, by_id["pain_leg"].max_value) == (0, 10)
    assert by_id["notes"].max_length == 2000
    assert {i.link_id for i in questionnaire.questions() if i.repeats} == {
        "worse_with", "numb_areas", "prior_treatments"
    }  # fmt: skip


def test_red_flag_questions_come_first(questionnaire):
    order = [item.link_id for item in questionnaire.questions()]
    last_red_flag = max(order.index(link_id) for link_id in RED_FLAGS)
    assert order.index("age") > last_red_flag


def test_the_ruleset_has_rules_e1_to_s3_at_their_levels(ruleset, definitions_v1):
    assert [(rule.id, rule.level) for rule in ruleset.rules] == [
        ("E1", "emergency"), ("E2", "emergency"), ("E3", "emergency"), ("E4", "emergency"),
        ("E5", "emergency"), ("E6", "emergency"), ("U1", "urgent"), ("U2", "urgent"),
        ("U3", "urgent"), ("U4", "urgent"), ("U5", "urgent"), ("U6", "urgent"), ("U7", "urgent"),
        ("S1", "soon"), ("S2", "soon"), ("S3", "soon"),
    ]  # fmt: skip
    assert ruleset.reference == "lumbar-radiculopathy-rules|2"
    assert [rule.id for rule in definitions_v1[1].rules] == [
        "E1", "E2", "E3", "E4", "E5", "U1", "U2", "U3", "U4", "U5", "S1", "S2", "S3"
    ]  # fmt: skip
    assert definitions_v1[1].reference == "lumbar-radiculopathy-rules|1"


def test_u5_lists_exactly_the_red_flag_questions(questionnaire, ruleset):
    named = {part["answer"] for part in ruleset.rule("U5").when["any"]}
    assert named == set(questionnaire.red_flag_ids())


def test_the_model_choices_match_the_engine(ruleset):
    assert tuple(Urgency.values) == ("routine", "soon", "urgent", "emergency")
    assert set(Pattern.values) == set(PATTERN_CHOICES)


def _files():
    return {path.name: data for path, data in definition_files()}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda r: r["rules"][0]["when"]["all"][0]["any"][0].update(answer="ces_bladdr"),
            "unknown",
        ),
        (lambda r: r["rules"][3]["when"].update({"is": "minutes"}), "no code"),
        (lambda r: r["rules"][2].update(level="critical"), "level"),
        (lambda r: r["rules"][1].update(id="E1"), "duplicate"),
        (lambda r: r["rules"][2]["when"].update({"is": "yes"}), "yes/no"),
        (lambda r: r["rules"][12]["when"]["all"][0].update(at_least="7"), "integer"),
        (
            lambda r: r["rules"][2].update(when={"answer": "cannot_walk_stand", "is": 1, "in": []}),
            "exactly one",
        ),
        (lambda r: r["rules"][2].update(when={"any": []}), "non-empty"),
        (lambda r: r["pattern"]["scores"].pop("S1"), "pattern"),
        (lambda r: r.update(questionnaire={"url": "x", "version": 1}), "another questionnaire"),
    ],
)
def test_a_broken_ruleset_is_refused_at_load_time(definitions_v1, change, message):
    data = copy.deepcopy(_files()["lumbar-radiculopathy-rules.v1.json"])
    change(data)
    with pytest.raises(DefinitionError, match=message):
        parse_ruleset(data, definitions_v1[0])


@pytest.mark.parametrize("signs", ["Leg weakness", [""], [3], {"en": "x"}])
def test_warning_signs_that_are_not_a_list_of_texts_are_refused(questionnaire, signs):
    data = copy.deepcopy(_files()["lumbar-radiculopathy-rules.v2.json"])
    data["rules"][0]["warning_signs"] = signs
    with pytest.raises(DefinitionError, match="warning_signs"):
        parse_ruleset(data, questionnaire)


def test_an_unknown_prefill_is_refused():
    data = copy.deepcopy(_files()["lumbar-radiculopathy.v2.json"])
    data["items"][4]["items"][0]["prefill"] = "patient_weight"
    with pytest.raises(DefinitionError, match="unknown prefill"):
        parse_questionnaire(data)


def test_a_questionnaire_with_a_repeated_link_id_is_refused():
    data = copy.deepcopy(_files()["lumbar-radiculopathy.v1.json"])
    data["items"][0]["items"][1]["linkId"] = "ces_bowel"
    with pytest.raises(DefinitionError, match="duplicate linkId"):
        parse_questionnaire(data)


def test_published_files_are_recorded_and_unchanged():
    loading.check_published_files()


def test_editing_a_published_file_in_place_is_refused(monkeypatch):
    monkeypatch.setitem(loading.PUBLISHED_FILES, "lumbar-radiculopathy.v1.json", "0" * 64)
    with pytest.raises(DefinitionError, match="changed after publication"):
        loading.check_published_files()


def test_every_definition_text_is_listed_for_translation():
    from triage.definitions_i18n import MESSAGES
    from triage.management.commands.triage_messages import definition_texts

    assert set(definition_texts()) <= set(MESSAGES)
