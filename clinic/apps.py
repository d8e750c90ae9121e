from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class ClinicConfig(AppConfig):
    default = True
    default_auto_field = "django.db.models.BigAutoField"
    name = "clinic"
    verbose_name = _("Clinic: accounts, locations and physicians")

    def ready(self) -> None:
        from clinic import encryption, tasks  # noqa: F401 - the key check; tasks known by name
        from clinic.messages import OUTBOX
        from clinic.outbox import outbox_register

        outbox_register(OUTBOX)


class ClinicAdminConfig(admin_apps.AdminConfig):
    """The admin with our admin site (two-step verification required)."""

    default = False
    default_site = "clinic.admin_site.ClinicAdminSite"
