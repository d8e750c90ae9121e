"""Staff alerts raised by red-flag symptom checks (the ``triage`` app)."""

from config.settings.base import env

# Channels that deliver red-flag alerts (names of triage.channels.Channel subclasses).
ALERT_CHANNELS = env.list("ALERT_CHANNELS", default=["email"])
# Clinic-wide address used when no alert responder serves an alert's location.
ALERT_FALLBACK_EMAIL = env.str("ALERT_FALLBACK_EMAIL", default="")
# Who hears about alerts nobody acknowledged in time (else the fallback address).
ALERT_ESCALATION_EMAILS = env.list("ALERT_ESCALATION_EMAILS", default=[])
ALERT_ESCALATE_CRITICAL_MINUTES = env.int("ALERT_ESCALATE_CRITICAL_MINUTES", default=5)
ALERT_ESCALATE_HIGH_MINUTES = env.int("ALERT_ESCALATE_HIGH_MINUTES", default=60)
# Attempts per delivery (exponential backoff, at most 10 minutes apart) before it is `failed`.
ALERT_DELIVERY_MAX_ATTEMPTS = env.int("ALERT_DELIVERY_MAX_ATTEMPTS", default=8)
