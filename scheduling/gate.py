"""The booking safety gate: a recent symptom check that asks for care sooner than a routine
booking (emergency: advice first and a confirmation; urgent or soon: the earliest times first).

The patient's latest symptom check is read once per request (``booking_symptom_check``) and
handed on: the booking pages gate on it, and the service that makes the appointment links it
and flags a recent emergency from the same reading.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from audit.context import AccessContext
from audit.models import Action
from audit.services import phi_access_record
from clinic.models import User
from triage.models import Assessment, Urgency
from triage.selectors import assessment_latest_for

# A symptom check this recent shapes the booking flow (emergency gate, earliest times first).
TRIAGE_RECENT = timedelta(hours=72)
GATING = (Urgency.EMERGENCY, Urgency.URGENT, Urgency.SOON)


@dataclass(frozen=True)
class TriageGate:
    """The patient's recent symptom check that asks for care sooner than a routine booking."""

    assessment: Assessment

    @property
    def emergency(self) -> bool:
        return self.assessment.urgency == Urgency.EMERGENCY

    @property
    def urgent(self) -> bool:
        return self.assessment.urgency == Urgency.URGENT

    @property
    def soon(self) -> bool:
        return self.assessment.urgency == Urgency.SOON


@dataclass(frozen=True)
class SymptomCheck:
    """The patient's latest symptom check (any age, or none) as read at ``read_at``."""

    latest: Assessment | None
    read_at: datetime

    def recent(self, *, now: datetime | None = None) -> Assessment | None:
        """The latest check when it is less than 72 hours old at ``now`` (default: when read)."""
        latest = self.latest
        if latest is None or latest.created_at < (now or self.read_at) - TRIAGE_RECENT:
            return None
        return latest

    def recent_emergency(self, *, now: datetime) -> bool:
        recent = self.recent(now=now)
        return recent is not None and recent.urgency == Urgency.EMERGENCY


def booking_symptom_check(*, patient: User) -> SymptomCheck:
    """The patient's latest symptom check, in one query: read once per booking request."""
    return SymptomCheck(latest=assessment_latest_for(patient=patient), read_at=timezone.now())


def booking_triage_gate(
    *,
    patient: User,
    access: AccessContext | None = None,
    check: SymptomCheck | None = None,
) -> TriageGate | None:
    """A gate when the patient's latest symptom check of the last 72 hours is emergency,
    urgent or soon (see a clinician within two weeks); ``None`` otherwise (a newer, calmer check
    lifts it). The booking pages show a gate's check, so that is recorded as a ``view`` of it.
    ``check`` is the request's reading of the latest check, when it has one already."""
    check = check or booking_symptom_check(patient=patient)
    recent = check.recent()
    if recent is None or recent.urgency not in GATING:
        return None
    phi_access_record(access=access, action=Action.VIEW, obj=recent, patient_id=patient.pk)
    return TriageGate(assessment=recent)
