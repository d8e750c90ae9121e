from django.urls import path  # noqa: F401 - patterns land with the scheduling issue

app_name = "scheduling"

urlpatterns: list = []
