"""Triage factories: assessments are made through the service, as patients make them."""

import factory

from tests.factories import PatientFactory
from tests.triage.vignettes import BENIGN
from triage.models import Assessment
from triage.services import assessment_submit


class AssessmentFactory(factory.Factory):
    """``AssessmentFactory(patient=..., answers={...})``; benign answers by default."""

    class Meta:
        model = Assessment

    patient = factory.SubFactory(PatientFactory)
    answers = factory.LazyFunction(lambda: dict(BENIGN))

    @classmethod
    def _create(cls, model_class, *, patient, answers):
        return assessment_submit(
            questionnaire_slug="lumbar-radiculopathy", answers=answers, patient=patient
        )

    @classmethod
    def _build(cls, model_class, **kwargs):
        raise NotImplementedError("Assessments are only made through assessment_submit.")
