"""Text messages (SMS) to patients and, optionally, staff (``clinic.sms``)."""

from config.settings.base import env

# "console" (development: printed), "http" (a provider's HTTP API, below), "locmem" (tests:
# kept in clinic.sms.outbox), or the dotted path of a clinic.sms.SmsBackend subclass.
SMS_BACKEND = env.str("SMS_BACKEND", default="console")
# The provider's endpoint: a JSON POST {"from": SMS_FROM, "to": "+1...", "body": "..."} with
# "Authorization: Bearer SMS_HTTP_TOKEN"; any 2xx answer is success, anything else a failure
# that the outbox retries.
SMS_HTTP_URL = env.str("SMS_HTTP_URL", default="")
SMS_HTTP_TOKEN = env.str("SMS_HTTP_TOKEN", default="")
SMS_FROM = env.str("SMS_FROM", default="")
SMS_HTTP_TIMEOUT = env.float("SMS_HTTP_TIMEOUT", default=10.0)
# Attempts per patient message (e-mail or SMS) before it is marked failed.
PATIENT_MESSAGE_MAX_ATTEMPTS = env.int("PATIENT_MESSAGE_MAX_ATTEMPTS", default=8)
