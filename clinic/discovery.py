"""Find a module of the same name in each of the portal's own apps (in INSTALLED_APPS order).

``seed_demo`` runs every ``<app>.demo.seed`` and the dashboard shows every
``<app>.dashboard.section``: an app plugs in by adding the module, nothing else changes.
"""

import importlib
import importlib.util
from collections.abc import Iterator
from types import ModuleType

from django.apps import apps

PORTAL_APPS = ("clinic", "audit", "education", "triage", "scheduling")


def app_modules(module_name: str) -> Iterator[ModuleType]:
    for config in apps.get_app_configs():
        if config.name not in PORTAL_APPS:
            continue
        dotted = f"{config.name}.{module_name}"
        if importlib.util.find_spec(dotted) is not None:
            yield importlib.import_module(dotted)
