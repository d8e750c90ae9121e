from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "portal"
    verbose_name = _("Portal: public pages and the patient dashboard")

    def ready(self) -> None:
        from portal.public_cache import connect_invalidation

        connect_invalidation()
