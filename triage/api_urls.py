from django.urls import path

from triage import api

urlpatterns = [
    path(
        "triage/questionnaires/<slug:slug>/",
        api.QuestionnaireDetailApi.as_view(),
        name="triage-questionnaire",
    ),
    path("triage/assessments/", api.AssessmentsApi.as_view(), name="triage-assessments"),
    path(
        "triage/assessments/<uuid:assessment_id>/",
        api.AssessmentDetailApi.as_view(),
        name="triage-assessment",
    ),
]
