"""What a result means for the patient, in plain words and in the active language.

Shared by the API (``next_step``) and the result page, so both say the same thing. Also the
answers in readable form, for the staff alert page.
"""

from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _

from clinic.phones import phone_display
from clinic.selectors import location_for_patient, patient_profile_for
from triage import rules
from triage.definitions import Item
from triage.models import Assessment, FollowUp, Pattern, Urgency
from triage.selectors import alert_for_assessment, questionnaire_definition

# The booking page, by URL name: the booking app sits above triage, which links to it without
# importing it (resolved when a page is built).
BOOKING_URL_NAME = "scheduling:book"


def booking_path() -> str:
    return reverse(BOOKING_URL_NAME)


def next_step(urgency: str, *, phone: str = "") -> dict:
    """``{"code", "text", "booking_url"}``: what to do, and by when. No booking link for an
    emergency: booking is never the next step then. ``phone`` is the number the clinic has for
    the patient: with one, an urgent patient is told the clinic will call them today; without,
    to call the clinic."""
    number = settings.CLINIC_EMERGENCY_NUMBER
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
                "A clinician from our team will call you today on %(patient_phone)s. If you "
                "have not heard from us by the end of the day, call us on %(phone)s."
            )
            if phone
            else _("Call the clinic today on %(phone)s so a clinician can speak with you.")
        )
        values = {"phone": settings.CLINIC_PHONE, "patient_phone": phone}
        return {"code": "clinician_today", "text": text % values, "booking_url": None}
    if urgency == Urgency.SOON:
        return {
            "code": "book_within_2_weeks",
            "text": _("Book a consultation to be seen within the next 2 weeks."),
            "booking_url": booking_path(),
        }
    return {
        "code": "book_consultation",
        "text": _(
            "Book a consultation at a time that suits you. Most back and leg pain of this kind "
            "improves with conservative care over 6 to 12 weeks."
        ),
        "booking_url": booking_path(),
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
    location = location_for_patient(user=user)
    return location.zone if location else ZoneInfo("UTC")


def contact_phone(patient) -> str:
    """The phone number the clinic has for the patient, as people write it ("" for none, or an
    anonymous visitor)."""
    if patient is None:
        return ""
    try:
        return phone_display(patient.patient_profile.phone)
    except ObjectDoesNotExist:
        return ""


def patient_age(user) -> int | None:
    """A logged-in patient's age in whole years today (in their location's calendar), from
    the date of birth on file; ``None`` without one."""
    profile = patient_profile_for(user=user)
    born = profile.date_of_birth if profile is not None else None
    if born is None:
        return None
    today = timezone.now().astimezone(display_zone(user)).date()
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def contact_offer(assessment: Assessment) -> dict | None:
    """For an anonymous urgent or emergency result that raised a staff alert: the offer to
    leave a phone number, with the number already left (formatted) if any. ``None`` otherwise."""
    if assessment.patient_id is not None or assessment.urgency not in (
        Urgency.URGENT,
        Urgency.EMERGENCY,
    ):
        return None
    alert = alert_for_assessment(assessment=assessment)
    if alert is None or alert.patient_id is not None:
        return None
    return {"phone": phone_display(alert.contact_phone)}


def result_context(assessment: Assessment, *, user) -> dict:
    """Everything the result page shows, translated."""
    phone = contact_phone(assessment.patient)
    return {
        "zone": display_zone(user),
        "place": location_for_patient(user=user),
        "BOOKING_PATH": booking_path(),
        "assessment": assessment,
        "heading": urgency_heading(assessment.urgency),
        "next_step": next_step(assessment.urgency, phone=phone),
        "patient_phone": phone,
        "clinic_told": alert_for_assessment(assessment=assessment) is not None,
        "follow_up": FollowUp.objects.filter(assessment=assessment).exists(),
        "flags": [{**flag, "message": _(flag["message"])} for flag in assessment.flags],
        "pattern_label": Pattern(assessment.pattern).label,
        "has_pattern": assessment.pattern in (Pattern.L5, Pattern.S1, Pattern.L5_S1),
        "pattern_explanation": pattern_explanation(assessment.pattern),
        "is_emergency": assessment.urgency == Urgency.EMERGENCY,
    }


@dataclass(frozen=True)
class AnswerRow:
    text: str
    answer: str
    red_flag: bool
    concerning: bool = False

    @property
    def css_class(self) -> str:
        return " ".join(
            name
            for name, on in (
                ("triage-red-flag", self.red_flag),
                ("triage-concerning", self.concerning),
            )
            if on
        )


def _answer_label(item: Item, value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(_answer_label(item, single) for single in value)
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    option = item.option(value) if isinstance(value, str) and item.options else None
    return _(option.display) if option is not None else str(value)


def answer_rows(assessment: Assessment) -> list[AnswerRow]:
    """Each question the patient answered, as question text and answer label in document
    order, plus the warning-sign questions they left unanswered ("not sure"). A warning-sign
    question answered "yes" or left unanswered is ``concerning``."""
    definition = questionnaire_definition(questionnaire=assessment.questionnaire)
    enabled = rules.enabled_ids(definition, assessment.answers)
    rows = []
    for item in definition.questions():
        value = assessment.answers.get(item.link_id)
        if value is not None:
            label = _answer_label(item, value)
            rows.append(
                AnswerRow(_(item.text), label, item.red_flag, item.red_flag and value is True)
            )
        elif item.red_flag and item.link_id in enabled:
            rows.append(AnswerRow(_(item.text), _("Not answered (not sure)"), True, True))
    return rows


def versions_in_words(assessment: Assessment) -> str:
    """For staff: which questionnaire and rules judged the check, in words (not canonical URLs),
    and in which language it was answered."""
    questionnaire = assessment.questionnaire
    try:
        language = get_language_info(assessment.language)["name_translated"]
    except KeyError:
        language = assessment.language or "—"
    return _(
        "%(title)s, version %(q)s, judged by rules version %(r)s; answered in %(language)s"
    ) % {
        "title": _(questionnaire.title),
        "q": questionnaire.version,
        "r": assessment.ruleset.version,
        "language": language,
    }
