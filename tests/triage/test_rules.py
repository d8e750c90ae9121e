"""The pure engine: every rule, the pattern, the 15 vignettes, the monotonicity property and
answer validation. No database."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.triage.vignettes import BENIGN, RED_FLAGS, VIGNETTES, answers
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
        ("E2 both legs over days", {"weak_both_legs": True, "weakness_progression": "days"}, "E2"),
        ("E2 both legs by hours", {"weak_both_legs": True, "weakness_progression": "hours"}, "E2"),
        ("E3", {"cannot_walk_stand": True}, "E3"),
        ("E4", {"weakness_progression": "hours"}, "E4"),
        ("E5", {"fever_unwell": True, "immunosuppressed_or_ivdu": True}, "E5"),
        ("U1", {"ces_bowel": True, "ces_onset": "stable"}, "U1"),
        ("U2 sexual", {"ces_sexual": True}, "U2"),
        ("U2 both legs", {"leg_side": "both"}, "U2"),
        ("U2 weak both legs", {"weak_both_legs": True}, "U2"),
        ("U3", {"weakness_progression": "days"}, "U3"),
        ("U4 fever", {"fever_unwell": True}, "U4"),
        ("U4 cancer", {"cancer_history": True}, "U4"),
        ("U4 trauma", {"trauma": True}, "U4"),
        ("U5", {"weak_both_legs": None}, "U5"),
        ("S1 foot drop", {"foot_drop": True}, "S1"),
        ("S1 heels", {"heel_walk": "cannot"}, "S1"),
        ("S1 tiptoe", {"tiptoe_walk": "cannot"}, "S1"),
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
        ({"ces_sexual": True, "ces_onset": "new"}, "E1"),
        ({"weak_both_legs": True, "weakness_progression": "stable"}, "E2"),
        ({"weakness_progression": "days"}, "E2"),
        ({"weakness_progression": "days"}, "E4"),
        ({"fever_unwell": True}, "E5"),
        ({"ces_saddle": True, "ces_onset": "worsening"}, "U1"),
        ({"leg_side": "left"}, "U2"),
        ({"weakness_progression": "hours"}, "U3"),
        ({"weight_loss": True}, "U4"),
        ({"ces_onset": None}, "U5"),
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
        ("S1", "soon"),
        ("S2", "soon"),
    ]


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


def test_the_vignettes_cover_all_fifteen_cases():
    assert [v[0] for v in VIGNETTES] == list(range(1, 16))
    assert sum(1 for v in VIGNETTES if v[3] == "emergency") == 6


def _answer_sets(questionnaire):
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
                given_answers[item.link_id] = BENIGN[item.link_id]
        return given_answers

    return st.fixed_dictionaries(strategies).map(valid)


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_a_red_flag_switched_from_no_to_yes_never_lowers_the_urgency(definitions, data):
    questionnaire, ruleset = definitions
    given_answers = data.draw(_answer_sets(questionnaire))
    assert validate_answers(questionnaire, given_answers) == {}
    before = evaluate(ruleset, given_answers).urgency
    for link_id in RED_FLAGS:
        if (
            questionnaire.by_id[link_id].type != "boolean"
            or given_answers.get(link_id) is not False
        ):
            continue
        switched = {**given_answers, link_id: True}
        assert validate_answers(questionnaire, switched) == {}
        after = evaluate(ruleset, switched).urgency
        assert LEVEL_RANK[after] >= LEVEL_RANK[before], (link_id, before, after)


def test_each_red_flag_alone_gives_the_level_the_ruleset_sets(ruleset):
    alone = {
        link_id: evaluate(
            ruleset, answers(**{link_id: "hours" if link_id == "weakness_progression" else True})
        ).urgency
        for link_id in RED_FLAGS
    }
    assert alone == {
        "ces_bladder": "emergency",  # E1: onset not given counts as new
        "ces_bowel": "emergency",
        "ces_saddle": "emergency",
        "ces_sexual": "urgent",
        "cannot_walk_stand": "emergency",
        "weak_both_legs": "urgent",
        "weakness_progression": "emergency",
        "fever_unwell": "urgent",
        "immunosuppressed_or_ivdu": "soon",  # S2; with a fever it is E5
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
