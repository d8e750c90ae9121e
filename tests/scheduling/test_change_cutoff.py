"""A time inside the change cutoff: the patient is warned before confirming it, and every page and
e-mail says the truth for that appointment (movable online until when, or call)."""

from datetime import date, time, timedelta

import pytest
from django.core import mail
from django.urls import reverse

from scheduling import tasks
from scheduling.models import Appointment, Notification
from tests.scheduling.helpers import at, book

pytestmark = pytest.mark.usefixtures("frozen")
TODAY = date(2026, 10, 1)  # the frozen clock: Thursday 7:00 AM in Houston
LATER = date(2026, 10, 6)
CALL = "It is less than 24 hours away, so it can no longer be moved or cancelled online."


def _book_later(patient, physician, houston, consultation) -> Appointment:
    return book(
        patient=patient,
        provider=physician,
        location=houston,
        kind=consultation,
        day=LATER,
        clock=time(9),
    )


def _hold(web, houston, physician, day: date, clock: time) -> Appointment:
    web.post(
        reverse("scheduling:hold"),
        {
            "location": "houston-tx",
            "type": "new-consultation",
            "provider": physician.slug,
            "start": at(houston, day, clock).isoformat(),
        },
    )
    return Appointment.objects.get(status="held")


def test_confirming_a_time_inside_the_cutoff_is_warned_first(web, physician, houston):
    held = _hold(web, houston, physician, TODAY, time(16))
    page = web.get(reverse("scheduling:detail", args=[held.pk])).content.decode()
    assert "This time is less than 24 hours away." in page
    assert (
        "Once you confirm it, you cannot move or cancel it online. If you then need to change "
        f"it, call {houston.phone}." in page
    )
    assert "Confirm: I understand it cannot be changed online" in page


def test_a_time_outside_the_cutoff_has_no_warning(web, physician, houston):
    held = _hold(web, houston, physician, LATER, time(9))
    page = web.get(reverse("scheduling:detail", args=[held.pk])).content.decode()
    assert "less than 24 hours away" not in page
    assert ">Confirm booking</button>" in page


def test_after_confirming_inside_the_cutoff_the_page_says_to_call(
    web, physician, houston, django_capture_on_commit_callbacks
):
    held = _hold(web, houston, physician, TODAY, time(16))
    with django_capture_on_commit_callbacks(execute=True):
        response = web.post(reverse("scheduling:confirm", args=[held.pk]), follow=True)
    page = response.content.decode()
    assert "It is too close to the appointment to change it online." in page
    assert reverse("scheduling:reschedule", args=[held.pk]) not in page
    (message,) = mail.outbox
    assert CALL in message.body
    assert f"To change it, please call us on {houston.phone}." in message.body
    assert "You can move or cancel it" not in message.body


def test_the_confirmation_of_a_later_time_says_until_when_it_can_be_moved(
    physician, houston, consultation, patient, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _book_later(patient, physician, houston, consultation)
    (message,) = mail.outbox
    assert (
        "You can move or cancel it on the portal until Monday, October 5, 2026, 9:00 AM Central "
        f"Time (Houston). After that, please call us on {houston.phone}." in message.body
    )
    assert CALL not in message.body


def test_the_reminder_inside_the_cutoff_says_to_call(
    frozen, physician, houston, consultation, patient
):
    appointment = _book_later(patient, physician, houston, consultation)
    Notification.objects.filter(kind="booked").update(status="sent")
    frozen.move_to(appointment.start - timedelta(hours=24))
    assert tasks.sweep_notifications() == 1
    (message,) = mail.outbox
    assert message.subject.startswith("Reminder")
    assert CALL in message.body


def test_the_spanish_e_mail_says_the_same(
    physician, houston, consultation, patient, django_capture_on_commit_callbacks
):
    patient.patient_profile.preferred_language = "es"
    patient.patient_profile.save()
    with django_capture_on_commit_callbacks(execute=True):
        _book_later(patient, physician, houston, consultation)
    (message,) = mail.outbox
    assert (
        "Puede cambiarla o cancelarla en el portal hasta el lunes, 5 de octubre de 2026, 9:00 a.m. "
        f"hora central (Houston). Después, llámenos al {houston.phone}." in message.body
    )
