"""Local times as patients read them: in the location's zone, with the zone's name."""

from datetime import date, datetime

from django.utils import dateformat
from django.utils.translation import pgettext

from clinic.models import Location


def in_location(moment: datetime, location: Location) -> datetime:
    return moment.astimezone(location.zone)


def time_label(moment: datetime, location: Location) -> str:
    """``9:00 AM EST``: the zone abbreviation tells the two 1:30s of a fall-back night apart."""
    return dateformat.format(
        in_location(moment, location), pgettext("time of an appointment with its zone", "g:i A T")
    )


def date_label(day: date | datetime, location: Location | None = None) -> str:
    """``Monday, November 2, 2026`` (in the location's calendar for an instant)."""
    if isinstance(day, datetime) and location is not None:
        day = in_location(day, location).date()
    return dateformat.format(day, pgettext("date of an appointment", "l, F j, Y"))


def when_label(moment: datetime, location: Location) -> str:
    return f"{date_label(moment, location)}, {time_label(moment, location)}"
