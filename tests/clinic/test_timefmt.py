"""One date and time format per language (clinic.timefmt and its template filters)."""

from datetime import UTC, date, datetime, time, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.utils import translation

from clinic import timefmt

HOUSTON = SimpleNamespace(zone=ZoneInfo("America/Chicago"), city="Houston")
LAWRENCEVILLE = SimpleNamespace(zone=ZoneInfo("America/New_York"), city="Lawrenceville")
# Wednesday 2 December 2026, 10:00 in Houston (CST).
MOMENT = datetime(2026, 12, 2, 16, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("language", "form", "expected"),
    [
        ("en", timefmt.FULL, "Wednesday, December 2, 2026, 10:00 AM Central Time (Houston)"),
        ("en", timefmt.LONG, "December 2, 2026, 10:00 AM Central Time (Houston)"),
        ("en", timefmt.SHORT, "Dec 2, 2026, 10:00 AM Central Time (Houston)"),
        (
            "es",
            timefmt.FULL,
            "miércoles, 2 de diciembre de 2026, 10:00 a.m. hora central (Houston)",
        ),
        ("es", timefmt.LONG, "2 de diciembre de 2026, 10:00 a.m. hora central (Houston)"),
        ("es", timefmt.SHORT, "2 dic 2026, 10:00 a.m. hora central (Houston)"),
    ],
)
def test_a_moment_in_each_language_and_form(language, form, expected):
    assert timefmt.format_datetime(MOMENT, HOUSTON, form=form, language=language) == expected


def test_the_active_language_is_the_default():
    with translation.override("es"):
        assert timefmt.format_date(MOMENT, HOUSTON) == "miércoles, 2 de diciembre de 2026"
    with translation.override("en"):
        assert timefmt.format_date(MOMENT, HOUSTON) == "Wednesday, December 2, 2026"


def test_the_same_instant_reads_in_each_location_s_own_time_and_calendar():
    late = datetime(2026, 12, 3, 4, 30, tzinfo=UTC)  # 10:30 PM in Houston, 11:30 PM in NJ
    assert timefmt.format_datetime(late, HOUSTON, language="en") == (
        "Wednesday, December 2, 2026, 10:30 PM Central Time (Houston)"
    )
    assert timefmt.format_datetime(late + timedelta(hours=1), LAWRENCEVILLE, language="en") == (
        "Thursday, December 3, 2026, 12:30 AM Eastern Time (Lawrenceville)"
    )


def test_the_zone_keeps_its_everyday_name_across_daylight_saving_time():
    summer = datetime(2026, 7, 1, 15, 0, tzinfo=UTC)
    assert timefmt.format_time(summer, HOUSTON, language="en") == (
        "10:00 AM Central Time (Houston)"
    )
    assert timefmt.format_time(MOMENT, HOUSTON, language="en") == (
        "10:00 AM Central Time (Houston)"
    )


def test_the_repeated_hour_of_a_fall_back_night_names_daylight_and_standard_time():
    first = datetime(2026, 11, 1, 6, 30, tzinfo=UTC)  # 1:30 CDT
    second = first + timedelta(hours=1)  # 1:30 CST
    assert timefmt.format_time(first, HOUSTON, language="en") == (
        "1:30 AM Central Daylight Time (Houston)"
    )
    assert timefmt.format_time(second, HOUSTON, language="en") == (
        "1:30 AM Central Standard Time (Houston)"
    )
    assert timefmt.format_time(second, HOUSTON, language="es") == (
        "1:30 a.m. hora estándar central (Houston)"
    )
    # A list under a heading that names the zone shows the zone only where it is needed.
    assert timefmt.format_time(first, HOUSTON, with_zone=None, language="en") == (
        "1:30 AM Central Daylight Time (Houston)"
    )
    assert timefmt.format_time(first + timedelta(hours=8), HOUSTON, with_zone=None) == "8:30 AM"


def test_after_spring_forward_the_clock_reads_local_time():
    after = datetime(2027, 3, 14, 8, 0, tzinfo=UTC)  # 03:00 CDT, the hour after the gap
    assert timefmt.format_datetime(after, HOUSTON, language="en") == (
        "Sunday, March 14, 2027, 3:00 AM Central Time (Houston)"
    )


def test_a_bare_zone_or_its_name_has_no_city_and_utc_is_utc():
    assert timefmt.zone_label(MOMENT, ZoneInfo("America/Denver"), language="en") == (
        "Mountain Time"
    )
    assert timefmt.zone_label(MOMENT, "America/Los_Angeles", language="es") == ("hora del Pacífico")
    assert timefmt.format_datetime(MOMENT, language="en") == (
        "Wednesday, December 2, 2026, 4:00 PM UTC"
    )


def test_dates_alone():
    assert timefmt.format_date(date(2026, 8, 14), form=timefmt.LONG, language="en") == (
        "August 14, 2026"
    )
    assert timefmt.format_date(date(2026, 8, 14), form=timefmt.LONG, language="es") == (
        "14 de agosto de 2026"
    )
    assert timefmt.format_date(date(2026, 8, 14), form=timefmt.SHORT, language="es") == (
        "14 ago 2026"
    )


def test_time_ranges_and_wall_clock_hours():
    end = MOMENT + timedelta(minutes=30)
    assert timefmt.format_time_range(MOMENT, end, HOUSTON, language="en") == (
        "10:00 – 10:30 AM Central Time (Houston)"
    )
    assert timefmt.format_time_range(MOMENT, end, HOUSTON, language="es") == (
        "10:00–10:30 a.m. hora central (Houston)"
    )
    assert timefmt.format_time_range(time(8), time(12), language="en") == "8:00 AM – 12:00 PM"
    assert timefmt.format_time_range(time(13), time(17, 30), language="es") == ("1:00–5:30 p.m.")
    assert timefmt.format_time(time(8), language="en") == "8:00 AM"


def test_template_filters_share_the_helper():
    template = Template(
        "{% load timefmt %}{{ m|when:place }}|{{ m|when_short:place }}|{{ m|day:place }}|"
        "{{ m|day_long }}|{{ m|day_short:place }}|{{ m|clock:place }}|{{ m|clock_plain:place }}|"
        "{{ m|zone_label:place }}|{{ opens|hours_range:closes }}|{{ missing|when:place }}"
    )
    context = Context({"m": MOMENT, "place": HOUSTON, "opens": time(8), "closes": time(12)})
    with translation.override("en"):
        assert template.render(context).split("|") == [
            "Wednesday, December 2, 2026, 10:00 AM Central Time (Houston)",
            "Dec 2, 2026, 10:00 AM Central Time (Houston)",
            "Wednesday, December 2, 2026",
            "December 2, 2026",
            "Dec 2, 2026",
            "10:00 AM Central Time (Houston)",
            "10:00 AM",
            "Central Time (Houston)",
            "8:00 AM – 12:00 PM",
            "",
        ]
