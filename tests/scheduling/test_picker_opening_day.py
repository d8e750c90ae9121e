"""Booking and rescheduling open on the first day that has free times, not on an empty today."""

import re
from datetime import date, time

import pytest
from django.urls import reverse

from scheduling.models import ScheduleOverride
from tests.scheduling.helpers import at, book

pytestmark = pytest.mark.usefixtures("frozen")
FRIDAY = date(2026, 10, 2)


def _selected_day(html: str) -> str:
    """The label of the day the picker has open (``aria-current``)."""
    (label,) = re.findall(r'aria-current="date">\s*<span>([^<]+)</span>', html)
    return label


def _times(html: str) -> list[str]:
    return re.findall(r'name="start" value="([^"]+)"', html)


def _search(web, **params):
    query = {"location": "houston-tx", "type": "new-consultation", "provider": "", **params}
    return web.get(reverse("scheduling:book"), query).content.decode()


def test_an_evening_search_opens_on_the_next_working_day(frozen, web, patient, physician, houston):
    frozen.move_to(at(houston, FRIDAY, time(18)))  # Friday's times are over; a weekend follows
    web.force_login(patient)
    html = _search(web)
    assert _selected_day(html) == "Monday, October 5, 2026"
    assert _times(html)[0] == "2026-10-05T14:00:00+00:00"  # 9:00 AM in Houston
    assert "No free times on this day." not in html


def test_a_week_without_free_times_gives_way_to_the_week_of_the_next_free_day(
    web, physician, houston
):
    for day in range(1, 20):  # away from Thursday 1 to Monday 19 October
        ScheduleOverride.objects.create(
            provider=physician, date=date(2026, 10, day), kind=ScheduleOverride.Kind.TIME_OFF
        )
    html = _search(web)
    assert _selected_day(html) == "Tuesday, October 20, 2026"
    assert _times(html)[0] == "2026-10-20T14:00:00+00:00"
    earlier = "?location=houston-tx&amp;type=new-consultation&amp;provider=&amp;day=2026-10-13"
    assert f'href="{earlier}"' in html  # "Earlier" goes back a week from there


def test_a_week_the_patient_chose_stays_open_and_points_to_the_next_free_day(
    web, physician, houston
):
    for day in range(5, 20):
        ScheduleOverride.objects.create(
            provider=physician, date=date(2026, 10, day), kind=ScheduleOverride.Kind.TIME_OFF
        )
    html = _search(web, day="2026-10-05")
    assert _selected_day(html) == "Monday, October 5, 2026"
    assert "The next free time is on Tuesday, October 20, 2026." in html


def test_a_day_the_patient_picked_stays_picked_even_when_it_is_empty(web, physician):
    html = _search(web, day="2026-10-01", show="2026-10-03")
    assert _selected_day(html) == "Saturday, October 3, 2026"
    assert "No free times on this day." in html


def test_reschedule_opens_on_the_first_day_with_free_times(
    frozen, web, patient, physician, houston, consultation
):
    appointment = book(
        patient=patient,
        provider=physician,
        location=houston,
        kind=consultation,
        day=date(2026, 10, 9),
        clock=time(9),
    )
    frozen.move_to(at(houston, FRIDAY, time(18)))
    web.force_login(patient)
    html = web.get(reverse("scheduling:reschedule", args=[appointment.pk])).content.decode()
    assert _selected_day(html) == "Monday, October 5, 2026"
    assert _times(html)[0] == "2026-10-05T14:00:00+00:00"
