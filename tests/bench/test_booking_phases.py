"""The booking race's phase timer (``bench/booking_phases.py``) wraps the booking service's
steps by name at start-up: a step renamed in ``scheduling.services`` without the bench would
keep every gunicorn worker of the race from starting."""

from django.db.backends.base.base import BaseDatabaseWrapper
from knox.auth import TokenAuthentication

from bench import booking_phases
from scheduling import services


def test_every_timed_step_still_exists_in_the_booking_service():
    missing = [
        name for name, _phase in booking_phases.SERVICE_PHASES if not hasattr(services, name)
    ]

    assert missing == []


def test_the_timer_wraps_the_steps_and_keeps_what_they_return(monkeypatch):
    for name, _phase in booking_phases.SERVICE_PHASES:
        monkeypatch.setattr(services, name, getattr(services, name))  # undone after the test
    monkeypatch.setattr(TokenAuthentication, "authenticate", TokenAuthentication.authenticate)
    for name in ("commit", "run_and_clear_commit_hooks"):
        monkeypatch.setattr(BaseDatabaseWrapper, name, getattr(BaseDatabaseWrapper, name))
    monkeypatch.setattr(booking_phases, "_phases", {})
    monkeypatch.setattr(services, "patient_busy", lambda **kwargs: "busy")

    booking_phases._instrument()

    assert services.patient_busy() == "busy"
    assert set(booking_phases._phases) == {"patient check"}
