from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TriageConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "triage"
    verbose_name = _("Symptom triage")

    def ready(self) -> None:
        from triage import checks  # noqa: F401 - registers the system checks
