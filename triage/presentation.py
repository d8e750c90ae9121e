"""What a result means for the patient, in plain words and in the active language.

Shared by the API (``next_step``) and the result page, so both say the same thing.
"""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.translation import gettext as _

from clinic.selectors import location_default, patient_profile_for
from triage.models import Assessment, Pattern, Urgency

# The booking app is mounted at /appointments/ (issue 6); linked as a plain path until then.
BOOKING_PATH = "/appointments/"


def next_step(urgency: str, *, known_patient: bool) -> dict:
    """``{"code", "text", "booking_url"}``: what to do, and by when. No booking link for an
    emergency: booking is never the next step then."""
    number = settings.CLINIC_EMERGENCY_NUMBER
    phone = settings.CLINIC_PHONE
    if urgency == Urgency.EMERGENCY:
        return {
            "code": "emergency_department",
            "text": _(
                "Go to the nearest emergency department now. If you cannot get there quickly "
                "and safely, call %(number)s."
            )
            % {"number": number},
            "booking_url": None,
        }
    if urgency == Urgency.URGENT:
        text = (
            _(
                "A clinician from our team will contact you today. If you have not heard from "
                "us by the end of the day, call us on %(phone)s."
            )
            if known_patient
            else _("Call the clinic today on %(phone)s so a clinician can speak with you.")
        )
        return {"code": "clinician_today", "text": text % {"phone": phone}, "booking_url": None}
    if urgency == Urgency.SOON:
        return {
            "code": "book_within_2_weeks",
            "text": _("Book a consultation to be seen within the next 2 weeks."),
            "booking_url": BOOKING_PATH,
        }
    return {
        "code": "book_consultation",
        "text": _(
            "Book a consultation at a time that suits you. Most back and leg pain of this kind "
            "improves with conservative care over 6 to 12 weeks."
        ),
        "booking_url": BOOKING_PATH,
    }


def urgency_heading(urgency: str) -> str:
    return {
        Urgency.EMERGENCY: _("Get emergency care now"),
        Urgency.URGENT: _("Speak with a clinician today"),
        Urgency.SOON: _("See a clinician within 2 weeks"),
        Urgency.ROUTINE: _("Book a routine consultation"),
    }[urgency]


def pattern_explanation(pattern: str) -> str:
    return {
        Pattern.L5: _(
            "Pain or numbness on the top of the foot, the big toe or the outer lower leg, and "
            "weakness lifting the foot, often come from the L5 nerve root."
        ),
        Pattern.S1: _(
            "Pain or numbness in the sole, the outer edge of the foot or the calf, and "
            "difficulty walking on tiptoe, often come from the S1 nerve root."
        ),
        Pattern.L5_S1: _(
            "Your answers include signs of both the L5 and the S1 nerve roots, which sit next "
            "to each other at the bottom of the spine."
        ),
        Pattern.UNSPECIFIED: _(
            "Your leg symptoms do not point to one particular nerve root. An examination will "
            "tell more."
        ),
        Pattern.NONE: _("You did not describe pain spreading into a leg."),
    }[pattern]


def display_zone(user) -> ZoneInfo:
    """The time zone to show a patient's times in: their preferred location's, else the
    default location's, else UTC."""
    profile = patient_profile_for(user=user)
    location = (profile.preferred_location if profile else None) or location_default()
    return location.zone if location else ZoneInfo("UTC")


def result_context(assessment: Assessment, *, user) -> dict:
    """Everything the result page shows, translated."""
    return {
        "zone": display_zone(user),
        "BOOKING_PATH": BOOKING_PATH,
        "assessment": assessment,
        "heading": urgency_heading(assessment.urgency),
        "next_step": next_step(assessment.urgency, known_patient=assessment.patient_id is not None),
        "flags": [{**flag, "message": _(flag["message"])} for flag in assessment.flags],
        "pattern_label": Pattern(assessment.pattern).label,
        "has_pattern": assessment.pattern in (Pattern.L5, Pattern.S1, Pattern.L5_S1),
        "pattern_explanation": pattern_explanation(assessment.pattern),
        "is_emergency": assessment.urgency == Urgency.EMERGENCY,
    }
