from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TriageConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "triage"
    verbose_name = _("Symptom triage")

    def ready(self) -> None:
        from clinic.outbox import outbox_register
        from triage import checks, tasks  # noqa: F401 - system checks; tasks known by name
        from triage.alerts import OUTBOX

        outbox_register(OUTBOX)
