"""Consultation booking (the ``scheduling`` app)."""

from config.settings.base import env

# How long a chosen time is held for the patient while they confirm it.
SCHEDULING_HOLD_MINUTES = env.int("SCHEDULING_HOLD_MINUTES", default=5)
# Appointment e-mails: delivery attempts before a notification is marked failed.
SCHEDULING_NOTIFICATION_MAX_ATTEMPTS = env.int("SCHEDULING_NOTIFICATION_MAX_ATTEMPTS", default=8)
