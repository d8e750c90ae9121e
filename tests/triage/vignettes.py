"""Answer sets shared by the tests and ``bench/triage.py``: a benign baseline and the 15
clinical vignettes of issue 3 (answers not named are benign)."""

BENIGN = {
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

RED_FLAGS = (
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


def answers(**changes) -> dict:
    """The benign answers with ``changes``; a change to ``None`` leaves that item unanswered."""
    merged = {**BENIGN, **changes}
    return {key: value for key, value in merged.items() if value is not None}


LEG = {"pain_leg": 5, "below_knee": True, "numb_areas": []}

# (number, description, answers, urgency, pattern or None when the issue does not give one)
VIGNETTES = [
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
    (8, "new sexual dysfunction only", answers(ces_sexual=True), "urgent", None),
    (
        9,
        "foot drop stable + top-of-foot numbness",
        answers(
            foot_drop=True,
            weakness_progression="stable",
            leg_side="left",
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
            leg_side="right", tiptoe_walk="hard", **{**LEG, "pain_leg": 6, "numb_areas": ["sole"]}
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
    (15, "every red-flag item unanswered", answers(**dict.fromkeys(RED_FLAGS)), "urgent", None),
]
