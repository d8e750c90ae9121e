from django.urls import path  # noqa: F401 - patterns land with the triage issue

app_name = "triage"

urlpatterns: list = []
