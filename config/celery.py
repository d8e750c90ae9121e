"""The Celery application, configured from Django settings under the ``CELERY_`` namespace.

With no ``CELERY_BROKER_URL`` the settings turn on ``task_always_eager``: tasks run in-process,
which is how ``make run`` works without Redis.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("clinic")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
