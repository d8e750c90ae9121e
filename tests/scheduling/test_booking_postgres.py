"""Booking on PostgreSQL with no wrapping test transaction, driven as patients drive it: the
web pages (hold, confirm, reschedule, cancel), the API (with ``Idempotency-Key``) and the beat
task that releases lapsed holds.

Every service commits for real here, so the row locks, the exclusion constraints, the unique
index of idempotency keys and the ``on_commit`` e-mail behave as in production; several tests
race real threads (one connection each) for the same row or the same time.
"""

from datetime import date, time, timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from scheduling.errors import HoldExpired, SlotUnavailable
from scheduling.models import Appointment, AppointmentEvent, IdempotencyKey, Notification
from scheduling.services import appointment_book, appointment_confirm, appointment_hold
from scheduling.tasks import release_expired_holds
from tests.concurrency import Background, race, until_blocked
from tests.factories import PatientFactory
from tests.scheduling.conftest import NOW
from tests.scheduling.helpers import api_book, at, book

pytestmark = [
    pytest.mark.requires_postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("frozen"),
]
DAY = date(2026, 10, 6)  # a Tuesday; Houston is on CDT (UTC-5)
NINE = "2026-10-06T14:00:00+00:00"  # 9:00 AM CDT
TEN = "2026-10-06T15:00:00+00:00"
APPOINTMENTS = "/api/v1/appointments/"


def web_client(patient) -> Client:
    client = Client()
    client.force_login(patient)
    return client


def api_client(patient) -> APIClient:
    client = APIClient()
    client.force_authenticate(patient)
    return client


def hold_on_the_web(client: Client, physician, start: str = NINE):
    return client.post(
        reverse("scheduling:hold"),
        {
            "location": "houston-tx",
            "type": "new-consultation",
            "provider": physician.slug,
            "start": start,
        },
    )


def book_over_api(client: APIClient, physician, start: str = NINE, key: str = ""):
    return api_book(client, provider=physician.slug, start=start, key=key)


def history(appointment: Appointment) -> list[tuple[str, str, str]]:
    return list(
        AppointmentEvent.objects.filter(appointment=appointment)
        .order_by("pk")
        .values_list("action", "from_status", "to_status")
    )


def outbox_rows(appointment: Appointment) -> list[tuple[str, str]]:
    return list(
        Notification.objects.filter(appointment=appointment)
        .order_by("pk")
        .values_list("kind", "status")
    )


def test_web_hold_then_confirm_commits_the_booking_its_history_and_the_e_mail(
    patient, physician, houston
):
    web = web_client(patient)
    held = hold_on_the_web(web, physician)
    appointment = Appointment.objects.get()
    assert held.status_code == 302
    assert held["Location"] == reverse("scheduling:detail", args=[appointment.pk])
    assert (appointment.status, appointment.start, appointment.hold_expires_at) == (
        "held",
        at(houston, DAY, time(9)),
        NOW + timedelta(minutes=5),
    )
    assert "Confirm booking" in web.get(held["Location"]).content.decode()
    assert mail.outbox == []

    confirmed = web.post(reverse("scheduling:confirm", args=[appointment.pk]))
    assert confirmed.status_code == 302
    assert confirmed["Location"] == reverse("scheduling:detail", args=[appointment.pk])
    appointment.refresh_from_db()
    assert (appointment.status, appointment.hold_expires_at, appointment.confirmed_at) == (
        "confirmed",
        None,
        NOW,
    )
    assert history(appointment) == [("held", "", "held"), ("confirmed", "held", "confirmed")]
    # The confirmation went out after the commit; the reminder waits for its time.
    assert outbox_rows(appointment) == [("booked", "sent"), ("reminder", "pending")]
    assert [m.subject for m in mail.outbox] == [
        "Your appointment is booked: Tuesday, October 6, 2026, 9:00 AM Central Time (Houston)"
    ]
    # Confirming twice (a double click) changes nothing and sends nothing more.
    web.post(reverse("scheduling:confirm", args=[appointment.pk]))
    assert history(appointment) == [("held", "", "held"), ("confirmed", "held", "confirmed")]
    assert len(mail.outbox) == 1


def test_a_held_time_is_not_offered_to_anyone_else_while_the_hold_lasts(
    patient, physician, houston
):
    hold_on_the_web(web_client(patient), physician)
    other = web_client(PatientFactory())
    refused = hold_on_the_web(other, physician)
    assert refused.status_code == 302
    assert refused["Location"].startswith(reverse("scheduling:book"))
    assert list(Appointment.objects.values_list("patient", "status")) == [(patient.pk, "held")]


def test_api_booking_with_an_idempotency_key_replays_and_refuses_the_key_for_another_body(
    patient, physician
):
    api = api_client(patient)
    first = book_over_api(api, physician, key="booking-7f3a")
    assert first.status_code == 201
    replay = book_over_api(api, physician, key="booking-7f3a")
    assert replay.status_code == 201
    assert replay.json() == first.json()
    reused = book_over_api(api, physician, start=TEN, key="booking-7f3a")
    assert reused.status_code == 409
    assert reused.json()["code"] == "idempotency_key_reused"

    appointment = Appointment.objects.get()
    assert appointment.pk == first.json()["id"]
    assert list(IdempotencyKey.objects.values_list("patient", "key", "appointment")) == [
        (patient.pk, "booking-7f3a", appointment.pk)
    ]
    assert history(appointment) == [("booked", "", "confirmed")]
    assert outbox_rows(appointment) == [("booked", "sent"), ("reminder", "pending")]
    assert len(mail.outbox) == 1


def test_concurrent_requests_with_one_idempotency_key_make_one_appointment(patient, physician):
    clients = [api_client(patient) for _ in range(4)]
    responses = race([lambda c=c: book_over_api(c, physician, key="double-tap") for c in clients])
    assert [r.status_code for r in responses] == [201] * 4
    assert len({r.json()["id"] for r in responses}) == 1
    appointment = Appointment.objects.get()
    assert appointment.pk == responses[0].json()["id"]
    assert IdempotencyKey.objects.get().appointment_id == appointment.pk
    assert history(appointment) == [("booked", "", "confirmed")]
    assert outbox_rows(appointment) == [("booked", "sent"), ("reminder", "pending")]
    assert len(mail.outbox) == 1


def test_a_retry_arriving_while_the_first_request_books_waits_and_returns_its_appointment(
    patient, physician, houston, consultation
):
    """The first request has claimed the key but not committed: the retry waits on the key's
    unique index, then answers with what the first one booked."""
    with transaction.atomic():
        first = book(
            patient=patient,
            provider=physician,
            location=houston,
            kind=consultation,
            day=DAY,
            clock=time(9),
            idempotency_key="slow-network",
        )
        retry = Background(
            lambda: book_over_api(api_client(patient), physician, key="slow-network")
        )
        until_blocked()
    response = retry.result()
    assert response.status_code == 201
    assert response.json()["id"] == first.pk
    assert list(Appointment.objects.values_list("pk", flat=True)) == [first.pk]
    assert len(mail.outbox) == 1


def test_concurrent_requests_without_a_key_for_one_time_book_it_once(physician):
    patients = [PatientFactory() for _ in range(4)]
    responses = race([lambda p=p: book_over_api(api_client(p), physician) for p in patients])
    assert sorted(r.status_code for r in responses) == [201, 409, 409, 409]
    assert {r.json()["code"] for r in responses if r.status_code == 409} == {"slot_unavailable"}
    assert Appointment.objects.count() == 1


def test_web_reschedule_then_cancel_commit_their_history_and_notices(patient, physician, houston):
    appointment = Appointment.objects.get(
        pk=book_over_api(api_client(patient), physician).json()["id"]
    )
    web = web_client(patient)

    moved = web.post(
        reverse("scheduling:reschedule", args=[appointment.pk]),
        {"start": TEN, "provider": physician.slug},
    )
    assert moved.status_code == 302
    assert moved["Location"] == reverse("scheduling:detail", args=[appointment.pk])
    appointment.refresh_from_db()
    assert (appointment.status, appointment.start, appointment.sequence) == (
        "confirmed",
        at(houston, DAY, time(10)),
        1,
    )

    cancelled = web.post(reverse("scheduling:cancel", args=[appointment.pk]))
    assert cancelled.status_code == 302
    assert cancelled["Location"] == reverse("clinic:dashboard")
    appointment.refresh_from_db()
    assert (appointment.status, appointment.sequence) == ("cancelled", 2)
    assert history(appointment) == [
        ("booked", "", "confirmed"),
        ("rescheduled", "confirmed", "confirmed"),
        ("cancelled", "confirmed", "cancelled"),
    ]
    assert outbox_rows(appointment) == [
        ("booked", "sent"),
        ("reminder", "skipped"),
        ("rescheduled", "sent"),
        ("reminder", "skipped"),
        ("cancelled", "sent"),
    ]
    assert [m.subject for m in mail.outbox] == [
        "Your appointment is booked: Tuesday, October 6, 2026, 9:00 AM Central Time (Houston)",
        "Your appointment has moved to Tuesday, October 6, 2026, 10:00 AM Central Time (Houston)",
        "Your appointment on Tuesday, October 6, 2026, 10:00 AM Central Time (Houston)"
        " is cancelled",
    ]


def test_api_reschedule_into_a_taken_time_keeps_the_old_one_and_cancel_is_idempotent(
    patient, physician, houston
):
    api = api_client(patient)
    appointment_id = book_over_api(api, physician).json()["id"]
    book_over_api(api_client(PatientFactory()), physician, start=TEN)

    taken = api.post(f"{APPOINTMENTS}{appointment_id}/reschedule/", {"start": TEN}, format="json")
    assert taken.status_code == 409
    assert taken.json()["code"] == "slot_unavailable"
    appointment = Appointment.objects.get(pk=appointment_id)
    assert (appointment.start, appointment.sequence) == (at(houston, DAY, time(9)), 0)

    eleven = "2026-10-06T16:00:00+00:00"
    moved = api.post(
        f"{APPOINTMENTS}{appointment_id}/reschedule/", {"start": eleven}, format="json"
    )
    assert moved.status_code == 200
    assert moved.json()["start"] == "2026-10-06T11:00:00-05:00"
    first = api.post(f"{APPOINTMENTS}{appointment_id}/cancel/")
    second = api.post(f"{APPOINTMENTS}{appointment_id}/cancel/")
    assert (first.status_code, second.status_code) == (200, 200)
    assert first.json()["status"] == second.json()["status"] == "cancelled"
    appointment.refresh_from_db()
    assert (appointment.status, appointment.sequence) == ("cancelled", 2)
    assert [action for action, _f, _t in history(appointment)] == [
        "booked",
        "rescheduled",
        "cancelled",
    ]
    assert Notification.objects.filter(appointment=appointment, kind="cancelled").count() == 1


def test_two_patients_moving_into_one_time_at_once_one_moves_the_other_keeps_theirs(
    physician, houston
):
    patients = [PatientFactory() for _ in range(2)]
    ids = [
        book_over_api(api_client(p), physician, start=start).json()["id"]
        for p, start in zip(patients, (NINE, TEN), strict=True)
    ]
    eleven = "2026-10-06T16:00:00+00:00"
    responses = race(
        [
            lambda p=p, pk=pk: api_client(p).post(
                f"{APPOINTMENTS}{pk}/reschedule/", {"start": eleven}, format="json"
            )
            for p, pk in zip(patients, ids, strict=True)
        ]
    )
    assert sorted(r.status_code for r in responses) == [200, 409]
    assert {r.json()["code"] for r in responses if r.status_code == 409} == {"slot_unavailable"}
    before = dict(zip(ids, (at(houston, DAY, time(9)), at(houston, DAY, time(10))), strict=True))
    for pk, response in zip(ids, responses, strict=True):
        expected = at(houston, DAY, time(11)) if response.status_code == 200 else before[pk]
        assert Appointment.objects.get(pk=pk).start == expected


def test_the_beat_task_releases_lapsed_holds_and_the_time_is_offered_again(
    frozen, patient, physician
):
    hold_on_the_web(web_client(patient), physician)
    frozen.shift(timedelta(minutes=4))
    assert release_expired_holds.delay().get() == 0
    frozen.shift(timedelta(minutes=1))
    assert release_expired_holds.delay().get() == 1
    assert Appointment.objects.count() == 0
    slots = APIClient().get(
        "/api/v1/locations/houston-tx/availability/",
        {"type": "new-consultation", "start": "2026-10-06", "end": "2026-10-06"},
    )
    assert slots.json()["slots"][0]["start"] == "2026-10-06T09:00:00-05:00"


def test_a_booking_clears_a_lapsed_hold_in_its_way(frozen, patient, physician):
    hold_on_the_web(web_client(patient), physician)
    frozen.shift(timedelta(minutes=6))
    other = PatientFactory()
    response = book_over_api(api_client(other), physician)
    assert response.status_code == 201
    assert list(Appointment.objects.values_list("patient", "status")) == [(other.pk, "confirmed")]


@pytest.fixture
def lapsed_hold(frozen, patient, physician, houston, consultation):
    hold = appointment_hold(
        patient=patient,
        provider=physician,
        location=houston,
        kind=consultation,
        start=at(houston, DAY, time(9)),
    )
    frozen.shift(timedelta(minutes=6))
    return hold


def test_a_booking_waits_for_a_lapsed_hold_being_confirmed_and_leaves_it_booked(
    lapsed_hold, patient, physician, houston, consultation
):
    """The patient confirms a hold that lapsed but was still in place (nobody needed the time)
    while another patient books that time: the booking must not delete the confirmation."""
    other = PatientFactory()
    with transaction.atomic():
        appointment_confirm(appointment=lapsed_hold, actor=patient)
        booking = Background(
            lambda: appointment_book(
                patient=other,
                provider=physician,
                location=houston,
                kind=consultation,
                start=lapsed_hold.start,
            )
        )
        until_blocked()
    with pytest.raises(SlotUnavailable):
        booking.result()
    assert list(Appointment.objects.values_list("pk", "status")) == [(lapsed_hold.pk, "confirmed")]
    assert outbox_rows(lapsed_hold) == [("booked", "sent"), ("reminder", "pending")]


def test_the_beat_task_leaves_a_lapsed_hold_being_confirmed_alone(lapsed_hold, patient):
    with transaction.atomic():
        appointment_confirm(appointment=lapsed_hold, actor=patient)
        release = Background(lambda: release_expired_holds.delay().get())
        until_blocked()
    assert release.result() == 0
    assert list(Appointment.objects.values_list("pk", "status")) == [(lapsed_hold.pk, "confirmed")]


def test_a_lapsed_hold_released_first_cannot_be_confirmed_afterwards(lapsed_hold, patient):
    assert release_expired_holds.delay().get() == 1
    with pytest.raises(HoldExpired):
        appointment_confirm(appointment=lapsed_hold, actor=patient)
    assert Appointment.objects.count() == 0
