"""Demo data of triage: two past symptom checks of the demo patient (one routine, one soon),
and the demo staff account as an alert responder (it serves both demo locations).

Idempotent: no checks are added when the demo patient already has some.
"""

from django.contrib.auth.models import Group, Permission

from clinic.models import User
from triage.selectors import ALERT_RESPONDERS_GROUP, assessment_list_for
from triage.services import assessment_submit

DEMO_ANSWERS = [
    {
        "age": 44,
        "duration": "6_12w",
        "pain_back": 4,
        "pain_leg": 5,
        "leg_side": "left",
        "below_knee": True,
        "worse_with": ["sitting", "cough_sneeze"],
        "ces_bladder": False,
        "ces_bowel": False,
        "ces_saddle": False,
        "ces_sexual": False,
        "cannot_walk_stand": False,
        "weak_both_legs": False,
        "weakness_progression": "none",
        "numbness_progression": "none",
        "fever_unwell": False,
        "immunosuppressed_or_ivdu": False,
        "numb_areas": ["sole", "outer_foot_edge"],
        "tiptoe_walk": "hard",
        "prior_treatments": ["nsaids"],
    },
    {
        "age": 44,
        "duration": "2_6w",
        "pain_back": 6,
        "pain_leg": 8,
        "leg_side": "left",
        "below_knee": True,
        "ces_bladder": False,
        "ces_bowel": False,
        "ces_saddle": False,
        "ces_sexual": False,
        "cannot_walk_stand": False,
        "weak_both_legs": False,
        "weakness_progression": "stable",
        "numbness_progression": "stable",
        "fever_unwell": False,
        "immunosuppressed_or_ivdu": False,
        "foot_drop": False,
        "numb_areas": ["top_of_foot", "big_toe"],
        "heel_walk": "hard",
    },
]


ALERT_PERMISSIONS = ("view_staffalert", "change_staffalert", "view_followup", "change_followup")


def seed_alert_responders(*, stdout) -> None:
    group, _created = Group.objects.get_or_create(name=ALERT_RESPONDERS_GROUP)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="triage", codename__in=ALERT_PERMISSIONS)
    )
    staff = User.objects.filter(email__iexact="staff@example.com").first()
    if staff is not None:
        staff.groups.add(group)
        stdout.write(f"Triage: staff@example.com is in {ALERT_RESPONDERS_GROUP!r}")


def seed(*, stdout) -> None:
    seed_alert_responders(stdout=stdout)
    patient = User.objects.filter(email__iexact="patient@example.com").first()
    if patient is None or assessment_list_for(patient=patient).exists():
        return
    for answers in DEMO_ANSWERS:
        assessment_submit(
            questionnaire_slug="lumbar-radiculopathy", answers=answers, patient=patient
        )
    stdout.write(f"Triage: {len(DEMO_ANSWERS)} symptom checks for patient@example.com")
