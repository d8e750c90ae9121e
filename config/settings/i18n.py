"""Languages (English and Spanish) and time: stored in UTC, shown in each location's zone."""

from django.utils.translation import gettext_lazy as _

from config.settings.base import BASE_DIR

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
