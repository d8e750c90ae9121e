"""Writes of the "soon" follow-up worklist: a result that asks for a clinician within two weeks
becomes a task for staff (call the patient, make sure a consultation is booked), worked in the
admin next to the alert queue. Anonymous checks get one when an account claims them."""

from django.db import transaction
from django.utils import timezone

from audit.context import AccessContext
from audit.models import Action
from audit.services import phi_access_record
from clinic.models import User
from triage.errors import FollowUpAlreadyDone, InvalidFollowUpOutcome
from triage.models import Assessment, FollowUp, FollowUpOutcome, FollowUpStatus, Urgency
from triage.selectors import routing_location

NOTE_MAX_LENGTH = 2000


def follow_up_create_for(*, assessment: Assessment) -> FollowUp | None:
    """The follow-up of a patient's "soon" assessment (``None`` for other urgencies, for an
    anonymous check, or when it has one already). Call inside the assessment's transaction; the
    caller records the access."""
    if assessment.urgency != Urgency.SOON or assessment.patient_id is None:
        return None
    if FollowUp.objects.filter(assessment=assessment).exists():
        return None
    return FollowUp.objects.create(
        assessment=assessment,
        patient=assessment.patient,
        location=routing_location(patient=assessment.patient),
    )


@transaction.atomic
def follow_up_complete(
    *,
    follow_up: FollowUp,
    user: User,
    outcome: str,
    note: str = "",
    access: AccessContext | None = None,
) -> FollowUp:
    """Close a follow-up with what came of it. ``InvalidFollowUpOutcome`` for an unknown
    outcome or an over-long note; ``FollowUpAlreadyDone`` when a colleague closed it first."""
    note = (note or "").strip()
    if outcome not in FollowUpOutcome.values or len(note) > NOTE_MAX_LENGTH:
        raise InvalidFollowUpOutcome()
    follow_up = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
    if follow_up.status == FollowUpStatus.DONE:
        raise FollowUpAlreadyDone()
    follow_up.status = FollowUpStatus.DONE
    follow_up.done_by = user
    follow_up.done_at = timezone.now()
    follow_up.outcome = outcome
    follow_up.note = note
    follow_up.save()
    phi_access_record(
        access=access, action=Action.CHANGE, obj=follow_up, patient_id=follow_up.patient_id
    )
    return follow_up
