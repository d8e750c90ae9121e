"""The pure engine: every rule, the pattern, the vignettes (v2 and v1), the monotonicity
property, the early exit, rule order and answer validation. No database."""

import dataclasses
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.triage.vignettes import (
    BENIGN,
    BENIGN_V1,
    EARLY_EXITS,
    RED_FLAGS,
    RED_FLAGS_V1,
    VIGNETTES,
    VIGNETTES_V1,
    answers,
    answers_v1,
)
from triage.rules import LEVEL_RANK, enabled_ids, evaluate, validate_answers


def fired(ruleset, given_answers) -> set[str]:
    return {flag.rule for flag in evaluate(ruleset, given_answers).flags}


def test_benign_answers_are_valid_and_routine_with_no_flags(questionnaire, ruleset):
    assert validate_answers(questionnaire, BENIGN) == {}
    result = evaluate(ruleset, BENIGN)
    assert (result.urgency, result.pattern, result.flags) == ("routine", "none", ())


@pytest.mark.parametrize(
    ("case", "changes", "rule"),
    [
        ("E1 bladder new", {"ces_bladder": True, "ces_onset": "new"}, "E1"),
        ("E1 bowel worsening", {"ces_bowel": True, "ces_onset": "worsening"}, "E1"),
        ("E1 saddle onset unanswered", {"ces_saddle": True}, "E1"),
        ("E1 sexual new", {"ces_sexual": True, "ces_onset": "new"}, "E1"),
        ("E1 sexual onset unanswered", {"ces_sexual": True}, "E1"),
        ("E2 both legs over days", {"weak_both_legs": True, "weakness_progression": "days"}, "E2"),
        ("E2 both legs by hours", {"weak_both_legs": True, "weakness_progression": "hours"}, "E2"),
        ("E3", {"cannot_walk_stand": True}, "E3"),
        ("E4", {"weakness_progression": "hours"}, "E4"),
        ("E5", {"fever_unwell": True, "immunosuppressed_or_ivdu": True}, "E5"),
        ("E6", {"numbness_progression": "hours"}, "E6"),
        ("U1", {"ces_bowel": True, "ces_onset": "stable"}, "U1"),
        ("U1 sexual", {"ces_sexual": True, "ces_onset": "stable"}, "U1"),
        ("U2 both legs", {"leg_side": "both"}, "U2"),
        ("U2 weak both legs", {"weak_both_legs": True}, "U2"),
        ("U3", {"weakness_progression": "days"}, "U3"),
        ("U4 fever", {"fever_unwell": True}, "U4"),
        ("U4 cancer", {"cancer_history": True}, "U4"),
        ("U4 trauma", {"trauma": True}, "U4"),
        ("U5", {"weak_both_legs": None}, "U5"),
        ("U5 numbness", {"numbness_progression": None}, "U5"),
        ("U6", {"numbness_progression": "days"}, "U6"),
        ("U7 foot drop recent", {"foot_drop": True, "motor_onset": "lt_2w"}, "U7"),
        ("U7 heels, onset unanswered", {"heel_walk": "cannot"}, "U7"),
        ("U7 tiptoe recent", {"tiptoe_walk": "cannot", "motor_onset": "lt_2w"}, "U7"),
        ("S1 foot drop", {"foot_drop": True, "motor_onset": "2_12w"}, "S1"),
        ("S1 heels", {"heel_walk": "cannot", "motor_onset": "gt_12w"}, "S1"),
        ("S1 tiptoe", {"tiptoe_walk": "cannot", "motor_onset": "2_12w"}, "S1"),
        ("S2 weight", {"weight_loss": True}, "S2"),
        ("S2 immune", {"immunosuppressed_or_ivdu": True}, "S2"),
        ("S2 night", {"night_pain": True}, "S2"),
        ("S2 age 50 new pain", {"age": 50, "duration": "lt_2w"}, "S2"),
        ("S3", {"leg_side": "left", "pain_leg": 7, "below_knee": True}, "S3"),
    ],
)
def test_each_rule_fires_on_its_condition(questionnaire, ruleset, case, changes, rule):
    given_answers = answers(**changes)
    assert validate_answers(questionnaire, given_answers) == {}
    assert rule in fired(ruleset, given_answers)


@pytest.mark.parametrize(
    ("changes", "rule"),
    [
        ({"ces_saddle": True, "ces_onset": "stable"}, "E1"),
        ({"ces_sexual": True, "ces_onset": "stable"}, "E1"),
        ({"ces_sexual": True, "ces_onset": "new"}, "U2"),
        ({"weak_both_legs": True, "weakness_progression": "stable"}, "E2"),
        ({"weakness_progression": "days"}, "E2"),
        ({"weakness_progression": "days"}, "E4"),
        ({"fever_unwell": True}, "E5"),
        ({"ces_saddle": True, "ces_onset": "worsening"}, "U1"),
        ({"leg_side": "left"}, "U2"),
        ({"weakness_progression": "hours"}, "U3"),
        ({"weight_loss": True}, "U4"),
        ({"ces_onset": None}, "U5"),
        ({"numbness_progression": "days"}, "E6"),
        ({"numbness_progression": "hours"}, "U6"),
        ({"numbness_progression": "stable"}, "U6"),
        ({"foot_drop": True, "motor_onset": "2_12w"}, "U7"),
        ({"heel_walk": "hard", "tiptoe_walk": "hard"}, "U7"),
        ({"foot_drop": True}, "S1"),
        ({"foot_drop": True, "motor_onset": "lt_2w"}, "S1"),
        ({"heel_walk": "hard", "tiptoe_walk": "hard"}, "S1"),
        ({"age": 49, "duration": "lt_2w"}, "S2"),
        ({"age": 50, "duration": "2_6w"}, "S2"),
        ({"leg_side": "left", "pain_leg": 6, "below_knee": True}, "S3"),
        ({"leg_side": "left", "pain_leg": 9, "below_knee": False}, "S3"),
    ],
)
def test_a_rule_does_not_fire_just_short_of_its_condition(ruleset, changes, rule):
    assert rule not in fired(ruleset, answers(**changes))


def test_every_rule_is_evaluated_and_the_highest_level_wins(ruleset):
    result = evaluate(
        ruleset,
        answers(cannot_walk_stand=True, cancer_history=True, foot_drop=True, weight_loss=True),
    )
    assert result.urgency == "emergency"
    assert [(f.rule, f.level) for f in result.flags] == [
        ("E3", "emergency"),
        ("U4", "urgent"),
        ("U7", "urgent"),
        ("S2", "soon"),
    ]


def _reordered(ruleset, rules):
    return dataclasses.replace(ruleset, rules=tuple(rules))


def _every_vignette_result(ruleset) -> list:
    return [evaluate(ruleset, vignette[2]) for vignette in VIGNETTES]


@pytest.mark.parametrize("seed", range(5))
def test_a_shuffled_ruleset_judges_every_vignette_the_same(ruleset, seed):
    shuffled = list(ruleset.rules)
    random.Random(seed).shuffle(shuffled)
    assert [r.id for r in shuffled] != [r.id for r in ruleset.rules]
    assert _every_vignette_result(_reordered(ruleset, shuffled)) == _every_vignette_result(ruleset)


def test_rules_listed_lowest_level_first_change_nothing(ruleset):
    lowest_first = sorted(ruleset.rules, key=lambda rule: LEVEL_RANK[rule.level])
    assert lowest_first[0].level == "soon"
    backwards = _reordered(ruleset, lowest_first)
    assert _every_vignette_result(backwards) == _every_vignette_result(ruleset)
    result = evaluate(backwards, answers(cannot_walk_stand=True, weight_loss=True, trauma=True))
    assert [f.rule for f in result.flags] == ["E3", "U4", "S2"]


def test_a_fired_rule_carries_its_messages_and_source(ruleset):
    (flag,) = evaluate(ruleset, answers(cannot_walk_stand=True)).flags
    rule = ruleset.rule("E3")
    assert flag.as_dict() == {
        "rule": "E3",
        "level": "emergency",
        "message": rule.patient_message,
        "staff_message": rule.staff_message,
        "source": rule.source,
    }


@pytest.mark.parametrize(
    ("changes", "pattern", "scores"),
    [
        ({"numb_areas": ["top_of_foot", "big_toe"], "leg_side": "left"}, "L5", {"L5": 2, "S1": 0}),
        ({"heel_walk": "hard", "leg_side": "left"}, "L5", {"L5": 1, "S1": 0}),
        ({"foot_drop": True, "heel_walk": "cannot"}, "L5", {"L5": 2, "S1": 0}),
        (
            {"numb_areas": ["calf", "outer_foot_edge"], "leg_side": "right"},
            "S1",
            {"L5": 0, "S1": 2},
        ),
        ({"reflex_reduced_told": "yes", "tiptoe_walk": "cannot"}, "S1", {"L5": 0, "S1": 2}),
        ({"numb_areas": ["outer_shin", "sole"], "leg_side": "left"}, "L5_S1", {"L5": 1, "S1": 1}),
        (
            {"numb_areas": ["big_toe"], "reflex_reduced_told": "yes", "tiptoe_walk": "hard"},
            "S1",
            {"L5": 1, "S1": 2},
        ),
        ({"leg_side": "both"}, "unspecified", {"L5": 0, "S1": 0}),
        ({"leg_side": "none"}, "none", {"L5": 0, "S1": 0}),
        ({"heel_walk": "unsure", "tiptoe_walk": "unsure"}, "none", {"L5": 0, "S1": 0}),
    ],
)
def test_pattern_scoring(ruleset, changes, pattern, scores):
    result = evaluate(ruleset, answers(**changes))
    assert (result.pattern, result.scores) == (pattern, scores)


@pytest.mark.parametrize(
    ("number", "description", "given_answers", "urgency", "pattern"),
    VIGNETTES,
    ids=[f"{v[0]}-{v[1]}" for v in VIGNETTES],
)
def test_vignette(questionnaire, ruleset, number, description, given_answers, urgency, pattern):
    assert validate_answers(questionnaire, given_answers) == {}
    result = evaluate(ruleset, given_answers)
    assert result.urgency == urgency
    if pattern is not None:
        assert result.pattern == pattern


@pytest.mark.parametrize(
    ("number", "description", "given_answers", "urgency", "pattern"),
    VIGNETTES_V1,
    ids=[f"{v[0]}-{v[1]}" for v in VIGNETTES_V1],
)
def test_vignette_on_v1(definitions_v1, number, description, given_answers, urgency, pattern):
    questionnaire, ruleset = definitions_v1
    assert validate_answers(questionnaire, given_answers) == {}
    result = evaluate(ruleset, given_answers)
    assert result.urgency == urgency
    if pattern is not None:
        assert result.pattern == pattern


def test_the_vignettes_cover_issue_3_on_both_versions_and_every_rule_of_v2(ruleset):
    assert [v[0] for v in VIGNETTES_V1] == list(range(1, 16))
    assert sum(1 for v in VIGNETTES_V1 if v[3] == "emergency") == 6
    assert [v[0] for v in VIGNETTES] == list(range(1, 28))
    assert sum(1 for v in VIGNETTES if v[3] == "emergency") == 10
    fired_somewhere = {flag.rule for v in VIGNETTES for flag in evaluate(ruleset, v[2]).flags}
    assert fired_somewhere == {rule.id for rule in ruleset.rules}


@pytest.mark.parametrize(("description", "given", "rule"), EARLY_EXITS)
def test_red_flag_answers_alone_settle_an_emergency(
    questionnaire, ruleset, description, given, rule
):
    pending = {item.link_id for item in questionnaire.questions()} - set(given)
    result = evaluate(ruleset, given, pending=pending)
    assert result.urgency == "emergency"
    assert [f.rule for f in result.flags] == [rule]


@pytest.mark.parametrize(
    "given",
    [
        {"ces_bladder": True, "ces_bowel": False, "ces_saddle": False, "ces_sexual": False},
        {"ces_saddle": True, "ces_onset": "stable"},
        {"weak_both_legs": True},
        {"weakness_progression": "days", "fever_unwell": True},
        {"foot_drop": True},
    ],
)
def test_answers_that_the_questions_still_to_come_could_change_settle_nothing(
    questionnaire, ruleset, given
):
    """Bladder trouble is an emergency unless its onset (not asked yet) is "stable"; both legs
    weak is one unless the weakness is not getting worse; and so on."""
    pending = {item.link_id for item in questionnaire.questions()} - set(given)
    assert evaluate(ruleset, given, pending=pending).urgency != "emergency"


@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_an_early_emergency_is_an_emergency_whatever_the_rest_of_the_answers(definitions, data):
    questionnaire, ruleset = definitions
    complete = data.draw(_answer_sets(questionnaire))
    asked = data.draw(st.sets(st.sampled_from(sorted(complete))))
    pending = {item.link_id for item in questionnaire.questions()} - asked
    early = evaluate(ruleset, {k: v for k, v in complete.items() if k in asked}, pending=pending)
    if early.urgency == "emergency":
        assert evaluate(ruleset, complete).urgency == "emergency"
    assert {f.rule for f in early.flags} <= {f.rule for f in evaluate(ruleset, complete).flags}


def _answer_sets(questionnaire, benign=BENIGN):
    """Valid answer sets: any value (or none) for every question the others enable."""

    def value(item):
        if item.type == "boolean":
            return st.sampled_from([True, False, None])
        if item.type == "integer":
            return st.one_of(st.none(), st.integers(item.min_value, item.max_value))
        if item.type == "text":
            return st.none()
        codes = sorted(item.codes)
        if item.repeats:
            plain = [c for c in codes if not item.option(c).exclusive]
            return st.lists(st.sampled_from(plain), unique=True, max_size=3)
        return st.one_of(st.none(), st.sampled_from(codes))

    strategies = {item.link_id: value(item) for item in questionnaire.questions()}

    def valid(raw):
        enabled = enabled_ids(questionnaire, raw)
        given_answers = {k: v for k, v in raw.items() if k in enabled and v not in (None, [])}
        for item in questionnaire.questions():
            if item.required and item.link_id not in given_answers:
                given_answers[item.link_id] = benign[item.link_id]
        return given_answers

    return st.fixed_dictionaries(strategies).map(valid)


def _switches(item, value):
    """The "no -> yes" changes of a red flag: false to true, or from "none" to any change."""
    if item.type == "boolean":
        return [True] if value is False else []
    if value == "none":
        return sorted(item.codes - {"none"})
    return []


def _never_lowered(questionnaire, ruleset, red_flags, given_answers):
    assert validate_answers(questionnaire, given_answers) == {}
    before = evaluate(ruleset, given_answers).urgency
    for link_id in red_flags:
        item = questionnaire.by_id[link_id]
        for value in _switches(item, given_answers.get(link_id)):
            switched = {**given_answers, link_id: value}
            assert validate_answers(questionnaire, switched) == {}
            after = evaluate(ruleset, switched).urgency
            assert LEVEL_RANK[after] >= LEVEL_RANK[before], (link_id, value, before, after)


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_a_red_flag_switched_from_no_to_yes_never_lowers_the_urgency(definitions, data):
    questionnaire, ruleset = definitions
    given_answers = data.draw(_answer_sets(questionnaire))
    _never_lowered(questionnaire, ruleset, RED_FLAGS, given_answers)


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_a_red_flag_switched_from_no_to_yes_never_lowers_the_urgency_on_v1(definitions_v1, data):
    questionnaire, ruleset = definitions_v1
    given_answers = data.draw(_answer_sets(questionnaire, BENIGN_V1))
    _never_lowered(questionnaire, ruleset, RED_FLAGS_V1, given_answers)


def _alone(ruleset, build, red_flags) -> dict:
    return {
        link_id: evaluate(
            ruleset, build(**{link_id: "hours" if link_id.endswith("_progression") else True})
        ).urgency
        for link_id in red_flags
    }


def test_each_red_flag_alone_gives_the_level_the_ruleset_sets(ruleset):
    assert _alone(ruleset, answers, RED_FLAGS) == {
        "ces_bladder": "emergency",  # E1: onset not given counts as new
        "ces_bowel": "emergency",
        "ces_saddle": "emergency",
        "ces_sexual": "emergency",  # E1 since v2
        "cannot_walk_stand": "emergency",
        "weak_both_legs": "urgent",
        "weakness_progression": "emergency",
        "numbness_progression": "emergency",  # E6
        "fever_unwell": "urgent",
        "immunosuppressed_or_ivdu": "soon",  # S2; with a fever it is E5
    }


def test_v1_still_judges_each_red_flag_alone_as_published(definitions_v1):
    assert _alone(definitions_v1[1], answers_v1, RED_FLAGS_V1) == {
        "ces_bladder": "emergency",
        "ces_bowel": "emergency",
        "ces_saddle": "emergency",
        "ces_sexual": "urgent",
        "cannot_walk_stand": "emergency",
        "weak_both_legs": "urgent",
        "weakness_progression": "emergency",
        "fever_unwell": "urgent",
        "immunosuppressed_or_ivdu": "soon",
    }


def codes(problems) -> dict[str, str]:
    return {link_id: found[0].code for link_id, found in problems.items()}


@pytest.mark.parametrize(
    ("changes", "link_id", "code"),
    [
        ({"favourite_colour": "blue"}, "favourite_colour", "unknown_item"),
        ({"step_leg_strength": True}, "step_leg_strength", "not_answerable"),
        ({"intro_red_flags": "ok"}, "intro_red_flags", "not_answerable"),
        ({"ces_bladder": "yes"}, "ces_bladder", "wrong_type"),
        ({"ces_bladder": 1}, "ces_bladder", "wrong_type"),
        ({"age": True}, "age", "wrong_type"),
        ({"age": "40"}, "age", "wrong_type"),
        ({"age": 40.5}, "age", "wrong_type"),
        ({"duration": ["lt_2w"]}, "duration", "wrong_type"),
        ({"worse_with": "sitting"}, "worse_with", "wrong_type"),
        ({"notes": 12}, "notes", "wrong_type"),
        ({"ces_bladder": {"nested": True}}, "ces_bladder", "wrong_type"),
        ({"duration": "forever"}, "duration", "unknown_code"),
        ({"numb_areas": ["sole", "knee"]}, "numb_areas", "unknown_code"),
        ({"numb_areas": ["sole", "sole"]}, "numb_areas", "duplicate_code"),
        ({"numb_areas": ["none", "sole"]}, "numb_areas", "exclusive_code"),
        ({"age": 121}, "age", "out_of_range"),
        ({"age": -1}, "age", "out_of_range"),
        ({"pain_leg": 11}, "pain_leg", "out_of_range"),
        ({"notes": "x" * 2001}, "notes", "too_long"),
        ({"age": None}, "age", "required"),
        ({"duration": None}, "duration", "required"),
        ({"pain_back": None}, "pain_back", "required"),
        ({"leg_side": None}, "leg_side", "required"),
        ({"below_knee": True}, "below_knee", "disabled"),
        ({"ces_onset": "new"}, "ces_onset", "disabled"),
        ({"motor_onset": "lt_2w"}, "motor_onset", "disabled"),
        ({"numbness_progression": "weeks"}, "numbness_progression", "unknown_code"),
    ],
)
def test_each_kind_of_bad_answer_is_named_by_link_id(questionnaire, changes, link_id, code):
    assert codes(validate_answers(questionnaire, answers(**changes))) == {link_id: code}


def test_at_most_two_thousand_characters_of_notes_and_optional_items_may_be_left_out(
    questionnaire,
):
    assert validate_answers(questionnaire, answers(notes="x" * 2000)) == {}
    required = {"age": 30, "duration": "lt_2w", "pain_back": 2, "pain_leg": 0, "leg_side": "none"}
    assert validate_answers(questionnaire, required) == {}


def test_enable_when_follows_the_answers(questionnaire):
    assert "below_knee" not in enabled_ids(questionnaire, answers())
    assert "below_knee" in enabled_ids(questionnaire, answers(leg_side="left"))
    assert "ces_onset" not in enabled_ids(questionnaire, answers())
    assert "ces_onset" in enabled_ids(questionnaire, answers(ces_sexual=True))
    assert "ces_onset" not in enabled_ids(questionnaire, answers(ces_sexual=None))
    assert "motor_onset" not in enabled_ids(questionnaire, answers(heel_walk="hard"))
    for deficit in ({"foot_drop": True}, {"heel_walk": "cannot"}, {"tiptoe_walk": "cannot"}):
        assert "motor_onset" in enabled_ids(questionnaire, answers(**deficit))


def test_the_warning_signs_of_each_level_come_from_its_rules(ruleset):
    emergency = ruleset.warning_signs("emergency")
    urgent = ruleset.warning_signs("urgent")
    assert emergency[:3] == ruleset.rule("E1").warning_signs
    assert "A new loss of sexual function, or of feeling in the genitals" in emergency
    assert "Pain spreading down both legs, or both legs feeling weak" in urgent
    assert not set(emergency) & set(urgent)
    assert ruleset.warning_signs("soon") == ()
    every_rule_says_something = [
        rule.id for rule in ruleset.rules if rule.level in ("emergency", "urgent")
    ]
    assert [r for r in every_rule_says_something if not ruleset.rule(r).warning_signs] == ["U5"]
