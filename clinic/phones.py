"""Phone numbers: the one place that reads what people type, checks it is a number the clinic
can call, and stores it as E.164 (``+16095550142``), with Google's libphonenumber rules
(``phonenumbers``). Numbers without a country code are read as numbers of
``PHONE_DEFAULT_REGION`` (US). For sign-up and the profile here; the same functions and fields
serve any other number the portal takes (an SMS channel, a call-back number).
"""

import phonenumbers
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

MAX_INPUT_LENGTH = 32
INVALID_MESSAGE = _(
    "Enter a phone number we can call, such as (609) 555-0100, or +52 55 1234 5678 from "
    "outside the US."
)


def _parse(raw: str, region: str | None) -> phonenumbers.PhoneNumber:
    try:
        number = phonenumbers.parse(raw, region or settings.PHONE_DEFAULT_REGION)
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(INVALID_MESSAGE, code="invalid_phone") from exc
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(INVALID_MESSAGE, code="invalid_phone")
    return number


def phone_normalise(raw: str, *, region: str | None = None) -> str:
    """``raw`` as E.164, ``""`` for a blank one; ``ValidationError`` when it is not a valid
    number (``call me maybe``, too short, an impossible area code)."""
    raw = (raw or "").strip()
    if not raw:
        return ""
    if len(raw) > MAX_INPUT_LENGTH:
        raise ValidationError(INVALID_MESSAGE, code="invalid_phone")
    return phonenumbers.format_number(_parse(raw, region), phonenumbers.PhoneNumberFormat.E164)


def phone_display(stored: str) -> str:
    """How people read a stored number: national format for the default region's numbers
    (``(609) 555-0142``), international for the rest; anything unparseable as it is."""
    if not stored:
        return ""
    try:
        number = phonenumbers.parse(stored, settings.PHONE_DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return stored
    home = phonenumbers.region_code_for_number(number) == settings.PHONE_DEFAULT_REGION
    style = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if home
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(number, style)


def validate_phone_e164(value: str) -> None:
    """Model validator: what is stored is a valid number already in E.164."""
    if value and phone_normalise(value) != value:
        raise ValidationError(INVALID_MESSAGE, code="invalid_phone")


class PhoneField(forms.CharField):
    """A form field that cleans to E.164 and shows a stored number the way people write it."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", MAX_INPUT_LENGTH)
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"})
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        return phone_normalise(super().to_python(value))

    def prepare_value(self, value):
        if value and isinstance(value, str) and value.startswith("+"):
            return phone_display(value)
        return value


class PhoneSerializerField(serializers.CharField):
    """The API's phone field: any way of writing a number in, E.164 out."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", MAX_INPUT_LENGTH)
        kwargs.setdefault(
            "help_text",
            "A phone number; without a country code it is read as a US number. Answered "
            "in E.164, e.g. `+16095550142`.",
        )
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        text = super().to_internal_value(data)
        try:
            return phone_normalise(text)
        except ValidationError as exc:
            raise serializers.ValidationError(list(exc.messages)) from exc
