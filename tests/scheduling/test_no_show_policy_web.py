"""A patient under the no-show policy books on the web: told before confirming that the booking
will be a request, told after that it is kept while the clinic confirms, and the dashboard says
it awaits the clinic."""

from datetime import date, time, timedelta

import pytest
from django.urls import reverse

from scheduling.models import Appointment
from scheduling.services import appointment_mark
from tests.factories import StaffFactory
from tests.scheduling.helpers import at

pytestmark = pytest.mark.usefixtures("frozen")
DAY = date(2026, 10, 6)
NOTICE = "Because of missed appointments, the clinic confirms your bookings itself."


def _no_shows(patient, physician, houston, kind, count):
    staff = StaffFactory()
    for index in range(count):
        day = date(2026, 9, 1) + timedelta(days=index)
        start = at(houston, day, time(9))
        appointment = Appointment.objects.create(
            patient=patient, provider=physician, location=houston, appointment_type=kind,
            start=start, end=start + kind.duration, blocked_start=start,
            blocked_end=start + kind.duration, status="confirmed",
        )  # fmt: skip
        appointment_mark(appointment=appointment, status="no_show", actor=staff)


def _hold(web, physician):
    response = web.post(
        reverse("scheduling:hold"),
        {"location": "houston-tx", "type": "new-consultation", "provider": physician.slug,
         "start": at(physician.locations.get(), DAY, time(9)).isoformat()},
    )  # fmt: skip
    return Appointment.objects.get(pk=response["Location"].rstrip("/").split("/")[-1])


@pytest.mark.parametrize(("no_shows", "requested"), [(1, False), (2, True)])
def test_the_patient_is_told_before_and_after_booking(
    web, patient, physician, houston, consultation, no_shows, requested
):
    _no_shows(patient, physician, houston, consultation, no_shows)
    held = _hold(web, physician)
    before = web.get(reverse("scheduling:detail", args=[held.pk])).content.decode()
    assert (NOTICE in before) is requested
    assert ("Send booking request" in before) is requested
    response = web.post(reverse("scheduling:confirm", args=[held.pk]), follow=True)
    after = response.content.decode()
    held.refresh_from_db()
    if requested:
        assert held.status == "requested"
        assert "Your booking request is sent and the time is kept for you." in after
        assert "This time is kept for you while the clinic confirms" in after
        dashboard = web.get(reverse("clinic:dashboard")).content.decode()
        assert "Awaiting the clinic's confirmation</span>" in dashboard
    else:
        assert held.status == "confirmed"
        assert "Your appointment is booked." in after
        assert "This time is kept for you" not in after
