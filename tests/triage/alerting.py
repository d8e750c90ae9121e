"""Helpers of the staff alert tests: places, responders and red-flag submissions."""

from dataclasses import dataclass

from django.contrib.auth.models import Group, Permission

from clinic.models import Location, User
from tests.factories import LocationFactory, PatientFactory, StaffFactory
from tests.triage.vignettes import answers
from triage.models import Assessment
from triage.selectors import ALERT_RESPONDERS_GROUP
from triage.services import assessment_submit

EMERGENCY = answers(cannot_walk_stand=True)
URGENT = answers(cancer_history=True)
SOON = answers(foot_drop=True, motor_onset="2_12w")


@dataclass
class AlertSetup:
    north: Location
    south: Location
    group: Group

    @classmethod
    def make(cls) -> "AlertSetup":
        north = LocationFactory(slug="lawrenceville-nj", name="Lawrenceville", sort_order=1)
        south = LocationFactory(
            slug="houston-tx", name="Houston", timezone="America/Chicago", sort_order=2
        )
        group, _created = Group.objects.get_or_create(name=ALERT_RESPONDERS_GROUP)
        group.permissions.set(
            Permission.objects.filter(
                content_type__app_label="triage",
                codename__in=["view_staffalert", "change_staffalert"],
            )
        )
        return cls(north=north, south=south, group=group)

    def responder(self, *locations: Location, **fields) -> User:
        user = StaffFactory(**fields)
        user.groups.add(self.group)
        user.served_locations.set(locations)
        return user

    def patient_of(self, location: Location | None, *, phone: str = "(609) 555-0111") -> User:
        patient = PatientFactory()
        patient.patient_profile.preferred_location = location
        patient.patient_profile.phone = phone
        patient.patient_profile.save()
        return patient


def submit(patient: User | None = None, given_answers: dict = EMERGENCY) -> Assessment:
    return assessment_submit(
        questionnaire_slug="lumbar-radiculopathy", answers=given_answers, patient=patient
    )
