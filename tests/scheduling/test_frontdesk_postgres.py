"""The front desk on PostgreSQL with no wrapping test transaction: the exclusion constraints
keep an arrived patient's and a request's time, staff working one request at once from two
desks (one wins, the other is told), and the board's actions commit their history and e-mails.
"""

from datetime import date, time

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from scheduling import db
from scheduling.errors import AppointmentNotActive
from scheduling.frontdesk_services import appointment_request_confirm, appointment_request_decline
from scheduling.models import Appointment, AppointmentEvent, Notification
from tests.concurrency import race
from tests.conftest import login_verified
from tests.factories import PatientFactory, StaffFactory
from tests.scheduling.factories import working_physician
from tests.scheduling.helpers import at, book

pytestmark = [
    pytest.mark.requires_postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("frozen"),
]
DAY = date(2026, 10, 6)
Status = Appointment.Status


def _overlapping(appointment: Appointment, *, patient=None) -> Appointment:
    return Appointment(
        patient=patient or PatientFactory(),
        provider=appointment.provider,
        location=appointment.location,
        appointment_type=appointment.appointment_type,
        start=appointment.start,
        end=appointment.end,
        blocked_start=appointment.blocked_start,
        blocked_end=appointment.blocked_end,
        status=Status.CONFIRMED,
    )


@pytest.mark.parametrize("status", [Status.ARRIVED, Status.REQUESTED])
def test_the_exclusion_constraints_keep_the_time_of_an_arrived_patient_and_a_request(
    status, patient, physician, houston, consultation, kinds
):
    appointment = book(
        patient=patient, provider=physician, location=houston, kind=consultation, day=DAY,
        clock=time(9),
    )  # fmt: skip
    Appointment.objects.filter(pk=appointment.pk).update(status=status)
    another_physician = working_physician(location=houston, kinds=kinds, slug="samuel-okafor")
    same_physician = _overlapping(appointment)
    same_patient = _overlapping(appointment, patient=patient)
    same_patient.provider = another_physician
    for row, constraint in [
        (same_physician, db.PROVIDER_OVERLAP),
        (same_patient, db.PATIENT_OVERLAP),
    ]:
        with pytest.raises(IntegrityError) as refused, transaction.atomic():
            row.save()
        assert refused.value.__cause__.diag.constraint_name == constraint
    Appointment.objects.filter(pk=appointment.pk).update(status=Status.COMPLETED)
    same_physician.pk = None
    same_physician.save()  # a finished visit no longer blocks its time
    assert Appointment.objects.count() == 2


def test_two_desks_confirming_and_declining_one_request_at_once_one_wins(
    settings, patient, physician, houston, consultation
):
    settings.NO_SHOW_CONFIRM_AFTER = 0
    request = book(
        patient=patient, provider=physician, location=houston, kind=consultation, day=DAY,
        clock=time(9),
    )  # fmt: skip
    Appointment.objects.filter(pk=request.pk).update(status=Status.REQUESTED, confirmed_at=None)
    one, two = StaffFactory(), StaffFactory()
    outcomes = race(
        [
            lambda: appointment_request_confirm(appointment=request, actor=one),
            lambda: appointment_request_decline(appointment=request, actor=two),
        ]
    )
    errors = [o for o in outcomes if isinstance(o, Exception)]
    assert len(errors) == 1
    assert isinstance(errors[0], AppointmentNotActive)
    request.refresh_from_db()
    decided = AppointmentEvent.objects.filter(
        appointment=request, action__in=["confirmed", "declined"]
    )
    assert decided.count() == 1
    assert (
        request.status
        == {"confirmed": Status.CONFIRMED, "declined": Status.CANCELLED}[decided.get().action]
    )


def test_board_actions_commit_their_history_and_the_decline_e_mail(
    frozen, settings, patient, physician, houston, consultation
):
    settings.NO_SHOW_CONFIRM_AFTER = 0
    staff = StaffFactory()
    staff.user_permissions.set(Permission.objects.filter(content_type__app_label="scheduling"))
    staff.served_locations.set([houston])
    visit = book(
        patient=patient, provider=physician, location=houston, kind=consultation, day=DAY,
        clock=time(9),
    )  # fmt: skip
    other = PatientFactory()
    request = book(
        patient=other, provider=physician, location=houston, kind=consultation, day=DAY,
        clock=time(10),
    )  # fmt: skip
    Appointment.objects.filter(pk=request.pk).update(status=Status.REQUESTED, confirmed_at=None)
    mail.outbox.clear()
    frozen.move_to(at(houston, DAY, time(9, 5)))
    desk = Client()
    login_verified(desk, staff)

    def act(appointment, action):
        url = reverse("admin:scheduling_frontdeskboard_action", args=[appointment.pk, action])
        return desk.post(url)

    assert act(visit, "check-in").status_code == 302
    assert act(request, "decline-request").status_code == 302
    assert Appointment.objects.get(pk=visit.pk).status == Status.ARRIVED
    assert Appointment.objects.get(pk=request.pk).status == Status.CANCELLED
    assert list(
        AppointmentEvent.objects.filter(actor=staff).order_by("pk").values_list("action", flat=True)
    ) == ["checked_in", "declined"]
    declined = Notification.objects.get(appointment=request, kind="declined")
    assert declined.status == Notification.Status.SENT  # queued after the commit, then sent
    assert [m.to for m in mail.outbox] == [[other.email]]
