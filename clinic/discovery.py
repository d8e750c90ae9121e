"""Find a module of the same name in each of the portal's own apps (in INSTALLED_APPS order).

This is how a lower layer lets the apps above it take part without importing them (README:
Architecture). An app plugs in by adding the module, nothing else changes:

- ``<app>.demo.seed``: ``seed_demo`` runs each;
- ``<app>.dashboard.section``: the patient dashboard (``portal``) shows each;
- ``<app>.sign_in.signed_in``: called when someone signs in in a browser (``clinic``'s log-in
  and e-mail confirmation pages);
- ``<app>.triage_result``: what an app adds under a symptom check's result page (``triage``);
- ``<app>.follow_up_bookings.booked_since``: whether a patient on triage's staff follow-up
  worklist has booked since (``triage``'s admin).
"""

import importlib
import importlib.util
from collections.abc import Iterator
from types import ModuleType

from django.apps import apps

PORTAL_APPS = ("clinic", "audit", "education", "triage", "scheduling", "portal")


def app_modules(module_name: str) -> Iterator[ModuleType]:
    for config in apps.get_app_configs():
        if config.name not in PORTAL_APPS:
            continue
        dotted = f"{config.name}.{module_name}"
        if importlib.util.find_spec(dotted) is not None:
            yield importlib.import_module(dotted)
