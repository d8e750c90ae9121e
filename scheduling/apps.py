from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SchedulingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "scheduling"
    verbose_name = _("Consultation booking")

    def ready(self) -> None:
        from clinic.messages import message_kind_register
        from clinic.outbox import outbox_register
        from scheduling import tasks  # noqa: F401 - its tasks known by name
        from scheduling.notifications import OUTBOX, TEXT_KINDS

        outbox_register(OUTBOX)
        for kind in TEXT_KINDS:
            message_kind_register(kind)
