"""Answer sets shared by the tests and ``bench/triage.py``: a benign baseline and the clinical
vignettes, for questionnaire and ruleset v2 (the current ones: the 15 of issue 3 brought to v2
and one for each rule and change of issue 12) and v1 (the 15 of issue 3 as published; v1 still
judges them the same). Answers not named are benign."""

BENIGN_V1 = {
    "ces_bladder": False,
    "ces_bowel": False,
    "ces_saddle": False,
    "ces_sexual": False,
    "cannot_walk_stand": False,
    "weak_both_legs": False,
    "weakness_progression": "none",
    "fever_unwell": False,
    "immunosuppressed_or_ivdu": False,
    "cancer_history": False,
    "weight_loss": False,
    "trauma": False,
    "night_pain": False,
    "age": 35,
    "duration": "2_6w",
    "pain_back": 4,
    "pain_leg": 0,
    "leg_side": "none",
    "worse_with": ["bending"],
    "foot_drop": False,
    "heel_walk": "normal",
    "tiptoe_walk": "normal",
    "numb_areas": ["none"],
    "reflex_reduced_told": "no",
    "prior_treatments": ["none"],
}

BENIGN = {**BENIGN_V1, "numbness_progression": "none"}

RED_FLAGS_V1 = (
    "ces_bladder",
    "ces_bowel",
    "ces_saddle",
    "ces_sexual",
    "cannot_walk_stand",
    "weak_both_legs",
    "weakness_progression",
    "fever_unwell",
    "immunosuppressed_or_ivdu",
)
RED_FLAGS = (*RED_FLAGS_V1[:7], "numbness_progression", *RED_FLAGS_V1[7:])


def _merge(benign: dict, changes: dict) -> dict:
    merged = {**benign, **changes}
    return {key: value for key, value in merged.items() if value is not None}


def answers(**changes) -> dict:
    """The benign v2 answers with ``changes``; a change to ``None`` leaves that item
    unanswered."""
    return _merge(BENIGN, changes)


def answers_v1(**changes) -> dict:
    """The same for questionnaire v1."""
    return _merge(BENIGN_V1, changes)


LEG = {"pain_leg": 5, "below_knee": True, "numb_areas": []}


# (number, description, answers, urgency, pattern or None when the issue does not give one)
def _issue_3(answers, v2: bool) -> list:
    return [
        (
            1,
            "saddle numbness new + right leg pain",
            answers(ces_saddle=True, ces_onset="new", leg_side="right", **LEG),
            "emergency",
            None,
        ),
        (
            2,
            "new trouble starting urine, both legs",
            answers(ces_bladder=True, ces_onset="new", leg_side="both", **LEG),
            "emergency",
            None,
        ),
        (
            3,
            "both legs weaker over days",
            answers(weak_both_legs=True, weakness_progression="days", leg_side="both", **LEG),
            "emergency",
            None,
        ),
        (4, "cannot stand", answers(cannot_walk_stand=True), "emergency", None),
        (
            5,
            "left foot drop worsening by the hour, top-of-foot numbness",
            answers(
                foot_drop=True,
                weakness_progression="hours",
                leg_side="left",
                **{**LEG, "numb_areas": ["top_of_foot"]},
            ),
            "emergency",
            "L5",
        ),
        (
            6,
            "fever + IV drug use",
            answers(fever_unwell=True, immunosuppressed_or_ivdu=True),
            "emergency",
            None,
        ),
        (
            7,
            "saddle tingling stable over 14 days",
            answers(ces_saddle=True, ces_onset="stable"),
            "urgent",
            None,
        ),
        (
            (
                8,
                "sexual dysfunction unchanged for over 14 days",
                answers(ces_sexual=True, ces_onset="stable"),
                "urgent",
                None,
            )
            if v2
            else (8, "new sexual dysfunction only", answers(ces_sexual=True), "urgent", None)
        ),
        (
            9,
            "foot drop stable + top-of-foot numbness",
            answers(
                foot_drop=True,
                weakness_progression="stable",
                leg_side="left",
                **({"motor_onset": "2_12w"} if v2 else {}),
                **{**LEG, "numb_areas": ["top_of_foot"]},
            ),
            "soon",
            "L5",
        ),
        (10, "cancer history", answers(cancer_history=True), "urgent", None),
        (11, "age 68 with a fall", answers(age=68, trauma=True), "urgent", None),
        (
            12,
            "sole numbness, tiptoe hard, leg pain 6 below knee",
            answers(
                leg_side="right",
                tiptoe_walk="hard",
                **{**LEG, "pain_leg": 6, "numb_areas": ["sole"]},
            ),
            "routine",
            "S1",
        ),
        (
            13,
            "outer-shin tingling",
            answers(leg_side="left", **{**LEG, "pain_leg": 3, "numb_areas": ["outer_shin"]}),
            "routine",
            "L5",
        ),
        (14, "back pain only", answers(pain_back=6), "routine", "none"),
        (
            15,
            "every red-flag item unanswered",
            answers(**dict.fromkeys(RED_FLAGS if v2 else RED_FLAGS_V1)),
            "urgent",
            None,
        ),
    ]


VIGNETTES_V1 = _issue_3(answers_v1, v2=False)

# Issue 12: one vignette for each new or changed rule of ruleset v2.
ISSUE_12 = [
    (
        16,
        "new sexual dysfunction, onset not given (E1)",
        answers(ces_sexual=True),
        "emergency",
        None,
    ),
    (
        17,
        "loss of sexual feeling started this week (E1)",
        answers(ces_sexual=True, ces_onset="new"),
        "emergency",
        None,
    ),
    (
        18,
        "worsening sexual dysfunction with saddle tingling (E1)",
        answers(ces_sexual=True, ces_saddle=True, ces_onset="worsening"),
        "emergency",
        None,
    ),
    (
        19,
        "leg numbness spreading by the hour (E6)",
        answers(numbness_progression="hours"),
        "emergency",
        None,
    ),
    (
        20,
        "foot numbness worse over days (U6)",
        answers(numbness_progression="days"),
        "urgent",
        None,
    ),
    (
        21,
        "foot drop since last week (U7)",
        answers(foot_drop=True, motor_onset="lt_2w", leg_side="left", **LEG),
        "urgent",
        None,
    ),
    (22, "cannot walk on heels, start not given (U7)", answers(heel_walk="cannot"), "urgent", None),
    (
        23,
        "cannot walk on tiptoe for four months (S1)",
        answers(tiptoe_walk="cannot", motor_onset="gt_12w"),
        "soon",
        "S1",
    ),
    (
        24,
        "pain down both legs without weakness (U2, not an emergency)",
        answers(leg_side="both", **LEG),
        "urgent",
        "unspecified",
    ),
    (
        25,
        "both legs weak, not getting worse (U2, not an emergency)",
        answers(weak_both_legs=True, weakness_progression="stable"),
        "urgent",
        None,
    ),
    (
        26,
        "numbness question left unanswered (U5)",
        answers(numbness_progression=None),
        "urgent",
        None,
    ),
    (
        27,
        "severe leg pain below the knee (S3)",
        answers(leg_side="right", **{**LEG, "pain_leg": 8}),
        "soon",
        "unspecified",
    ),
]

VIGNETTES = [*_issue_3(answers, v2=True), *ISSUE_12]

# The early exit: red-flag answers that already mean an emergency whatever the questions after
# them would bring. (description, the answers given so far, the rule that settles it)
EARLY_EXITS = [
    (
        "saddle numbness started this week",
        {
            "ces_bladder": False,
            "ces_bowel": False,
            "ces_saddle": True,
            "ces_sexual": False,
            "ces_onset": "new",
        },
        "E1",
    ),
    (
        "bladder trouble, onset left blank",
        {
            "ces_bladder": True,
            "ces_bowel": False,
            "ces_saddle": False,
            "ces_sexual": False,
            "ces_onset": None,
        },
        "E1",
    ),
    (
        "cannot stand",
        {
            **dict.fromkeys(RED_FLAGS[:4], False),
            "cannot_walk_stand": True,
            "weak_both_legs": False,
            "weakness_progression": "stable",
            "numbness_progression": "none",
        },
        "E3",
    ),
    (
        "numbness worse by the hour",
        {
            **dict.fromkeys(RED_FLAGS[:4], False),
            "cannot_walk_stand": False,
            "weak_both_legs": False,
            "weakness_progression": "none",
            "numbness_progression": "hours",
        },
        "E6",
    ),
]
