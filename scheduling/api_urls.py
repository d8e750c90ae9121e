from django.urls import path  # noqa: F401 - patterns land with the scheduling issue

urlpatterns: list = []
