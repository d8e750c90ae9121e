"""The clinic itself: branding (configuration, not code), phone numbers and the default
location."""

from config.settings.base import env

CLINIC_NAME = env.str("CLINIC_NAME", default="Larkspur Spine & Pain")
CLINIC_LOGO_TEXT = env.str("CLINIC_LOGO_TEXT", default="Larkspur")
CLINIC_PHONE = env.str("CLINIC_PHONE", default="(609) 555-0100")
CLINIC_EMERGENCY_NUMBER = env.str("CLINIC_EMERGENCY_NUMBER", default="911")
# Phone numbers typed without a country code are read as numbers of this region (clinic.phones).
PHONE_DEFAULT_REGION = env.str("PHONE_DEFAULT_REGION", default="US")
# Where alerts and patients are routed when nothing more specific applies.
CLINIC_DEFAULT_LOCATION = env.str("CLINIC_DEFAULT_LOCATION", default="lawrenceville-nj")
