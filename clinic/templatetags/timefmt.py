"""Template filters over ``clinic.timefmt``: the one date and time format per language.

``{% load timefmt %}``, then ``{{ appointment.start|when:appointment.location }}``. The argument
is where the instant is shown: a location (its zone, named with its city), a ``ZoneInfo`` or an
IANA name; without one, UTC. Empty values render as an empty string.
"""

from django import template

from clinic import timefmt

register = template.Library()


def _filter(render):
    def apply(value, place=None):
        return "" if value in (None, "") else render(value, place)

    return apply


register.filter("when", _filter(lambda v, p: timefmt.format_datetime(v, p)))
register.filter(
    "when_short", _filter(lambda v, p: timefmt.format_datetime(v, p, form=timefmt.SHORT))
)
register.filter("day", _filter(lambda v, p: timefmt.format_date(v, p)))
register.filter("day_long", _filter(lambda v, p: timefmt.format_date(v, p, form=timefmt.LONG)))
register.filter("day_short", _filter(lambda v, p: timefmt.format_date(v, p, form=timefmt.SHORT)))
register.filter("clock", _filter(lambda v, p: timefmt.format_time(v, p)))
register.filter("clock_plain", _filter(lambda v, p: timefmt.format_time(v, p, with_zone=False)))
register.filter("zone_label", _filter(lambda v, p: timefmt.zone_label(v, p)))


@register.filter
def hours_range(opens, closes):
    """``8:00 AM – 12:00 PM``: a wall-clock interval (opening hours), no zone."""
    return timefmt.format_time_range(opens, closes)
