"""Settings for the clinic portal: one production settings module (``config.settings``), put
together from one file per concern. Every deploy-specific value comes from the environment.

Defaults are the *embedded* mode used by ``make run``: SQLite, Celery tasks run eagerly,
e-mail printed to the console, a local-memory cache. Production sets the variables documented
in the README (``DATABASE_URL``, ``CELERY_BROKER_URL``, ``REDIS_URL``, ``EMAIL_URL``, ...).
Each setting is defined in exactly one part, which imports what it needs from the others
(``base``: the environment, the project directory, debug mode), so the order below is only
alphabetical. Nothing reads settings at import time in app code.
"""

from config.settings.alerts import *  # noqa: F403
from config.settings.api import *  # noqa: F403
from config.settings.audit import *  # noqa: F403
from config.settings.auth import *  # noqa: F403
from config.settings.base import *  # noqa: F403
from config.settings.cache import *  # noqa: F403
from config.settings.celery import *  # noqa: F403
from config.settings.clinic import *  # noqa: F403
from config.settings.database import *  # noqa: F403
from config.settings.i18n import *  # noqa: F403
from config.settings.logs import *  # noqa: F403
from config.settings.mail import *  # noqa: F403
from config.settings.scheduling import *  # noqa: F403
from config.settings.security import *  # noqa: F403
from config.settings.sms import *  # noqa: F403
