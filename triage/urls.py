from django.urls import path

from triage import views

app_name = "triage"

urlpatterns = [
    path("", views.start, name="start"),
    path("results/<uuid:assessment_id>/", views.result, name="result"),
    path("results/<uuid:assessment_id>/contact/", views.result_contact, name="result-contact"),
    path("<slug:slug>/", views.start, name="questionnaire-start"),
    path("<slug:slug>/questions/", views.questions, name="questions"),
]
