import functools
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


class MaximumLengthValidator:
    """Refuse absurdly long passwords (hashing cost), while long passphrases stay welcome."""

    def __init__(self, max_length: int = 128) -> None:
        self.max_length = max_length

    def validate(self, password: str, user=None) -> None:
        if len(password) > self.max_length:
            raise ValidationError(
                ngettext(
                    "This password is too long. It must contain at most %(max_length)d character.",
                    "This password is too long. It must contain at most %(max_length)d characters.",
                    self.max_length,
                ),
                code="password_too_long",
                params={"max_length": self.max_length},
            )

    def get_help_text(self) -> str:
        return _("Your password can be a long passphrase, up to %(max_length)d characters.") % {
            "max_length": self.max_length
        }


class PasswordChangeEndsOtherAccess:
    """Not a rule for passwords: Django's hook for what happens when one changes.

    Django calls ``password_changed`` of every configured validator after saving a user whose
    password was set with ``set_password``: the self-service change and the reset, the admin's
    password form, ``manage.py changepassword``, any service or shell. Each revokes all the
    user's API tokens here (``user_credentials_changed``), so no path that sets a password can
    leave them working; other browser sessions end by themselves, because Django ties each
    session to the password's hash. (Making a password unusable does not call the hook: the
    admin form that does it revokes the tokens itself, ``clinic.admin``.)
    """

    def validate(self, password: str, user=None) -> None:
        return None

    def password_changed(self, password: str, user=None) -> None:
        if user is not None and user.pk is not None:
            from clinic.services import user_credentials_changed

            user_credentials_changed(user=user)

    def get_help_text(self) -> str:
        return _("Changing your password signs you out everywhere else, apps included.")


@functools.cache
def _known_zones() -> frozenset[str]:
    return frozenset(available_timezones())


def validate_timezone(value: str) -> None:
    """Accept only IANA zone names that zoneinfo knows (``America/Chicago``, not ``Central``)."""
    if value not in _known_zones():
        raise ValidationError(
            _("%(value)s is not a known IANA time zone."),
            code="invalid_timezone",
            params={"value": value},
        )
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationError(
            _("%(value)s is not a known IANA time zone."),
            code="invalid_timezone",
            params={"value": value},
        ) from exc


# Nothing the portal schedules or looks up lies further from today than this.
SCHEDULING_HORIZON = timedelta(days=3653)


def validate_schedulable(value: date | datetime) -> None:
    """Refuse a date, or an instant (judged by its own calendar date, so no zone arithmetic
    can overflow), more than ten years from today: ``9999-12-31`` or ``0001-01-01`` are typing
    slips or probes, and date arithmetic near the ends of the calendar raises ``OverflowError``.
    """
    day = value.date() if isinstance(value, datetime) else value
    today = timezone.now().date()
    if not today - SCHEDULING_HORIZON <= day <= today + SCHEDULING_HORIZON:
        raise ValidationError(
            _("Choose a date within ten years of today."), code="date_out_of_range"
        )


# The oldest a patient can plausibly be.
MAX_AGE_YEARS = 120


def validate_date_of_birth(value: date) -> None:
    """A date of birth is not in the future and at most 120 years ago."""
    today = timezone.localdate()
    if value > today:
        raise ValidationError(_("The date of birth is in the future."), code="future_birth_date")
    try:
        earliest = today.replace(year=today.year - MAX_AGE_YEARS)
    except ValueError:  # 29 February
        earliest = today.replace(year=today.year - MAX_AGE_YEARS, day=28)
    if value < earliest:
        raise ValidationError(
            _("Enter a date of birth within the last %(years)d years.") % {"years": MAX_AGE_YEARS},
            code="implausible_birth_date",
        )
