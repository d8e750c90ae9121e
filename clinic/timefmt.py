"""Dates and times as people read them: one format per language, everywhere.

``Wednesday, December 2, 2026, 10:00 AM Central Time (Houston)`` in English and
``miércoles, 2 de diciembre de 2026, 10:00 a.m. hora central (Houston)`` in Spanish: an instant
is shown in the time zone of the place it belongs to (a location, or a bare zone), and the zone
is named the way people say it (the CLDR's generic name, through Babel), with the location's
city. Only a time that a fall-back night repeats names the specific zone ("Central Daylight
Time" / "Central Standard Time"), so the two 1:30s of that night read differently.

Forms: ``FULL`` (weekday and month name), ``LONG`` (month name, no weekday) and ``SHORT``
(abbreviated month) for dates and date-times; times alone, with or without the zone; a wall-clock
``time`` (opening hours) needs no zone. The language is the active one unless given. Template
filters: ``clinic.templatetags.timefmt``.
"""

from datetime import UTC, date, datetime, time, tzinfo
from typing import Literal
from zoneinfo import ZoneInfo

from babel import dates as cldr
from django.utils import translation

Form = Literal["full", "long", "short"]
FULL: Form = "full"
LONG: Form = "long"
SHORT: Form = "short"

# The CLDR locale of each site language: US English and US Spanish (12-hour clock, as the
# clinic's Spanish-speaking patients in Texas read times).
LOCALES = {"en": "en_US", "es": "es_US"}
_DATE_FORMATS = {FULL: "full", LONG: "long", SHORT: "medium"}
# CLDR puts narrow, thin or no-break spaces inside times ("10:00 AM", "9:00 – 9:30"); e-mails
# and plain text read more reliably with ordinary spaces.
_SPACES = str.maketrans({"\u202f": " ", "\u00a0": " ", "\u2009": " "})


def _locale(language: str | None) -> str:
    code = (language or translation.get_language() or "en").split("-")[0].lower()
    return LOCALES.get(code, LOCALES["en"])


def _zone_of(place) -> tzinfo:
    """The zone of a location (anything with ``.zone``), a ``tzinfo``, an IANA name, or UTC."""
    if place is None:
        return UTC
    if isinstance(place, tzinfo):
        return place
    if isinstance(place, str):
        return ZoneInfo(place)
    return place.zone


def _city_of(place) -> str:
    return getattr(place, "city", "") if place is not None and not isinstance(place, str) else ""


def local(moment: datetime, place=None) -> datetime:
    """The instant as wall-clock time at ``place`` (a location, a zone or its name)."""
    return moment.astimezone(_zone_of(place))


def is_repeated(moment: datetime, place=None) -> bool:
    """Whether the instant's wall-clock time at ``place`` happens twice (the repeated hour of a
    fall-back night): a bare time then needs its zone to say which one it is."""
    moment = local(moment, place) if place is not None else moment
    other = moment.replace(fold=1 - moment.fold)
    return other.utcoffset() != moment.utcoffset()


def zone_label(moment: datetime | None = None, place=None, *, language: str | None = None) -> str:
    """``Central Time (Houston)``: the zone's everyday name and the location's city.

    At a repeated fall-back hour the specific name tells the two apart (``Central Daylight
    Time``); UTC is ``UTC``."""
    zone = _zone_of(place)
    if getattr(zone, "key", None) in ("UTC", "Etc/UTC") or zone is UTC:
        name = "UTC"
    else:
        moment = local(moment or datetime.now(UTC), place)
        variant = None if is_repeated(moment) else "generic"
        name = cldr.get_timezone_name(
            moment, "long", zone_variant=variant, locale=_locale(language)
        )
    city = _city_of(place)
    return f"{name} ({city})" if city else name


def format_date(
    value: date | datetime, place=None, *, form: Form = FULL, language: str | None = None
) -> str:
    """``Wednesday, December 2, 2026`` (``FULL``), ``December 2, 2026`` (``LONG``) or
    ``Dec 2, 2026`` (``SHORT``). An instant is dated in ``place``'s calendar."""
    if isinstance(value, datetime):
        value = local(value, place).date()
    return cldr.format_date(value, _DATE_FORMATS[form], locale=_locale(language))


def format_time(
    value: datetime | time,
    place=None,
    *,
    language: str | None = None,
    with_zone: bool | None = True,
) -> str:
    """``10:00 AM Central Time (Houston)``; without the zone ``10:00 AM``; ``with_zone=None``
    names the zone only at a repeated fall-back hour (for lists under a heading that names it).
    A wall-clock ``time`` (opening hours) is shown as it is, never with a zone."""
    if isinstance(value, time):
        return cldr.format_time(value, "short", locale=_locale(language)).translate(_SPACES)
    moment = local(value, place)
    text = cldr.format_time(moment, "short", locale=_locale(language)).translate(_SPACES)
    if with_zone or (with_zone is None and is_repeated(moment)):
        text = f"{text} {zone_label(moment, place, language=language)}"
    return text


def format_time_range(
    start: datetime | time,
    end: datetime | time,
    place=None,
    *,
    language: str | None = None,
    with_zone: bool = True,
) -> str:
    """``9:00 – 9:30 AM Central Time (Houston)``, ``8:00 AM – 12:00 PM`` for wall-clock
    ``time`` values (never with a zone). A range touching a repeated fall-back hour names the
    zone at both ends."""
    locale = _locale(language)
    if isinstance(start, time):
        return cldr.format_interval(start, end, "hm", locale=locale).translate(_SPACES)
    start, end = local(start, place), local(end, place)
    if with_zone and (is_repeated(start) or is_repeated(end)):
        first = format_time(start, place, language=language)
        return f"{first} – {format_time(end, place, language=language)}"
    text = cldr.format_interval(start, end, "hm", locale=locale).translate(_SPACES)
    return f"{text} {zone_label(start, place, language=language)}" if with_zone else text


def format_datetime(
    moment: datetime,
    place=None,
    *,
    form: Form = FULL,
    language: str | None = None,
    with_zone: bool = True,
) -> str:
    """``Wednesday, December 2, 2026, 10:00 AM Central Time (Houston)`` (``FULL``); ``LONG``
    and ``SHORT`` shorten the date part as ``format_date`` does."""
    day = format_date(moment, place, form=form, language=language)
    clock = format_time(moment, place, language=language, with_zone=with_zone)
    return f"{day}, {clock}"
