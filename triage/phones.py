"""Phone numbers patients type: parsed and validated with ``phonenumbers`` (Google's
libphonenumber data), stored in E.164 (``+16095550123``), shown in the national format for the
clinic's own country and internationally otherwise."""

import phonenumbers

# The clinic's country: numbers typed without a country code are read as numbers there.
DEFAULT_REGION = "US"


def phone_e164(raw: str, *, region: str = DEFAULT_REGION) -> str | None:
    """The number in E.164, or ``None`` when it is not a valid, dialable phone number."""
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_display(e164: str, *, region: str = DEFAULT_REGION) -> str:
    """How to show a stored E.164 number to people ("" stays "")."""
    if not e164:
        return ""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    if phonenumbers.region_code_for_number(number) == region:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
