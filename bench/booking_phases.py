"""Settings of the booking race in ``bench/scheduling.py`` only: the product's settings plus a
middleware that times the phases of each booking request in the gunicorn worker and appends
them, one JSON line per request, to the file named by ``BENCH_PHASES_FILE``. Never used by the
product.

The phases are the booking service's own steps (wrapped at start-up, the code unchanged) and
what surrounds them: authentication (knox token), the availability and patient checks, the
insert (which waits on the row of a concurrent booking of the same time: lock waits), the
history, notification and PHI access rows, the commit and the after-commit work. "other" is
what the request spends elsewhere (parsing, serialising, middleware).
"""

import json
import os
import time
from functools import wraps

from config.settings import *  # noqa: F403

MIDDLEWARE = ["bench.booking_phases.PhaseTimer", *MIDDLEWARE]  # noqa: F405

_phases: dict[str, float] = {}
_depth = [0]


def _timed(phase: str, function):
    @wraps(function)
    def timed(*args, **kwargs):
        if _depth[0]:  # nested in another timed phase: counted there
            return function(*args, **kwargs)
        _depth[0] += 1
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            _depth[0] -= 1
            _phases[phase] = _phases.get(phase, 0.0) + time.perf_counter() - started

    return timed


# The booking service's steps timed, by their names in ``scheduling.services`` (a test checks
# that each is still there: a renamed step would stop the race's workers from starting).
SERVICE_PHASES = (
    ("_validate_booking", "validation"),
    ("_link_symptom_check", "symptom check"),
    ("_release_expired_holds", "release lapsed holds"),
    ("patient_busy", "patient check"),
    ("slot_is_taken", "availability check"),
    ("slot_is_offered", "availability check"),
    ("_save_or_conflict", "insert (lock waits)"),
    ("_record", "history row"),
    ("_notify", "notification rows"),
    ("_schedule_reminder", "notification rows"),
    ("_record_access", "PHI access row"),
)


def _instrument() -> None:
    from django.db.backends.base.base import BaseDatabaseWrapper
    from knox.auth import TokenAuthentication

    from scheduling import services

    for name, phase in SERVICE_PHASES:
        setattr(services, name, _timed(phase, getattr(services, name)))
    TokenAuthentication.authenticate = _timed("auth (token)", TokenAuthentication.authenticate)
    BaseDatabaseWrapper.commit = _timed("commit", BaseDatabaseWrapper.commit)
    BaseDatabaseWrapper.run_and_clear_commit_hooks = _timed(
        "after commit (tasks)", BaseDatabaseWrapper.run_and_clear_commit_hooks
    )


class PhaseTimer:
    def __init__(self, get_response):
        self.get_response = get_response
        self.path = os.environ["BENCH_PHASES_FILE"]
        _instrument()

    def __call__(self, request):
        _phases.clear()
        started = time.perf_counter()
        response = self.get_response(request)
        total = time.perf_counter() - started
        if request.method == "POST" and request.path == "/api/v1/appointments/":
            timed = {phase: seconds * 1000 for phase, seconds in _phases.items()}
            timed["other"] = total * 1000 - sum(timed.values())
            line = {"status": response.status_code, "total": total * 1000, "phases": timed}
            with open(self.path, "a") as out:
                out.write(json.dumps(line) + "\n")
        return response
