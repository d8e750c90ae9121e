"""Outgoing e-mail: ``EMAIL_URL`` (the console for ``make run``)."""

from config.settings.base import env

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="portal@clinic.example")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
