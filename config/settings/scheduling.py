"""Consultation booking (the ``scheduling`` app)."""

from config.settings.base import env

# How long a chosen time is held for the patient while they confirm it.
SCHEDULING_HOLD_MINUTES = env.int("SCHEDULING_HOLD_MINUTES", default=5)
# Appointment e-mails: delivery attempts before a notification is marked failed.
SCHEDULING_NOTIFICATION_MAX_ATTEMPTS = env.int("SCHEDULING_NOTIFICATION_MAX_ATTEMPTS", default=8)
# No-show policy: a patient with this many no-shows within the window can still pick a time
# online, but the booking is a request that staff confirm or decline (0 turns the policy off).
NO_SHOW_CONFIRM_AFTER = env.int("NO_SHOW_CONFIRM_AFTER", default=2)
NO_SHOW_WINDOW_DAYS = env.int("NO_SHOW_WINDOW_DAYS", default=365)
# Waitlist: how long a patient has to claim a freed time offered to them (never past the time
# itself less the type's minimum notice), and how far ahead an entry may reach.
SCHEDULING_WAITLIST_OFFER_MINUTES = env.int("SCHEDULING_WAITLIST_OFFER_MINUTES", default=60)
SCHEDULING_WAITLIST_MAX_DAYS = env.int("SCHEDULING_WAITLIST_MAX_DAYS", default=90)
