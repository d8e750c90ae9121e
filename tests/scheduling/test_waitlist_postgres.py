"""The waitlist on PostgreSQL with no wrapping test transaction: a cancellation on the web
offers the freed time after its commit (e-mail with the claim link), the claim books it; two
workers offering one time at once make one offer; a claim racing another patient's booking of
the same time leaves exactly one appointment, and the loser on the list."""

from datetime import date, time, timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse

from scheduling.errors import SlotUnavailable
from scheduling.models import Appointment, Notification, WaitlistEntry, WaitlistOffer
from scheduling.services import appointment_book, holds_release_expired
from scheduling.waitlist import links
from scheduling.waitlist.services import (
    waitlist_join,
    waitlist_leave,
    waitlist_offer_claim,
    waitlist_offer_next,
    waitlist_offers_expire,
)
from tests.concurrency import race
from tests.factories import PatientFactory
from tests.scheduling.helpers import at, book

pytestmark = [
    pytest.mark.requires_postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("frozen"),
]
DAY = date(2026, 10, 6)  # a Tuesday; Houston is on CDT (UTC-5)


def join(patient, houston, kind):
    return waitlist_join(
        patient=patient, location=houston, kind=kind, first=DAY, last=DAY + timedelta(days=3)
    )


def booked_nine(physician, houston, kind):
    return book(
        patient=PatientFactory(),
        provider=physician,
        location=houston,
        kind=kind,
        day=DAY,
        clock=time(9),
    )


def logged_in(patient) -> Client:
    client = Client()
    client.force_login(patient)
    return client


def test_a_cancellation_on_the_web_offers_the_time_after_commit_and_the_claim_books_it(
    physician, houston, consultation, frozen
):
    nine = booked_nine(physician, houston, consultation)
    waiting = PatientFactory()
    entry = join(waiting, houston, consultation)
    mail.outbox.clear()

    cancelled = logged_in(nine.patient).post(reverse("scheduling:cancel", args=[nine.pk]))
    assert cancelled.status_code == 302

    offer = WaitlistOffer.objects.get()
    assert (offer.entry_id, offer.start, offer.status) == (
        entry.pk,
        at(houston, DAY, time(9)),
        WaitlistOffer.Status.OFFERED,
    )
    (offer_mail,) = [m for m in mail.outbox if m.to == [waiting.email]]
    link = links.offer_link(offer.pk)
    assert link in offer_mail.body
    assert Notification.objects.get(offer=offer).status == Notification.Status.SENT

    claimed = logged_in(waiting).post(link.removeprefix(settings.SITE_URL), {"action": "claim"})
    appointment = Appointment.objects.get(patient=waiting)
    assert claimed.status_code == 302
    assert (appointment.status, appointment.start) == (
        Appointment.Status.CONFIRMED,
        at(houston, DAY, time(9)),
    )
    entry.refresh_from_db()
    assert entry.status == WaitlistEntry.Status.BOOKED
    assert [m.subject for m in mail.outbox if m.to == [waiting.email]] == [
        "A time has opened up: Tuesday, October 6, 2026, 9:00 AM Central Time (Houston)",
        "Your appointment is booked: Tuesday, October 6, 2026, 9:00 AM Central Time (Houston)",
    ]


def test_two_workers_offering_one_freed_time_at_once_make_one_offer(
    physician, houston, consultation
):
    nine = booked_nine(physician, houston, consultation)
    for _ in range(2):
        join(PatientFactory(), houston, consultation)
    Appointment.objects.filter(pk=nine.pk).update(status=Appointment.Status.CANCELLED)
    start = at(houston, DAY, time(9))

    outcomes = race(
        [
            lambda: waitlist_offer_next(
                provider_id=physician.pk, location_id=houston.pk, start=start
            )
            for _ in range(3)
        ]
    )

    made = [o for o in outcomes if isinstance(o, WaitlistOffer)]
    assert len(made) == 1, outcomes
    assert [o for o in outcomes if not isinstance(o, WaitlistOffer)] == [None, None]
    assert WaitlistOffer.objects.filter(status=WaitlistOffer.Status.OFFERED).count() == 1
    assert Notification.objects.filter(kind=Notification.Kind.WAITLIST_OFFER).count() == 1


def test_a_claim_racing_another_booking_of_the_time_leaves_one_appointment(
    physician, houston, consultation
):
    nine = booked_nine(physician, houston, consultation)
    waiting = PatientFactory()
    entry = join(waiting, houston, consultation)
    Appointment.objects.filter(pk=nine.pk).update(status=Appointment.Status.CANCELLED)
    start = at(houston, DAY, time(9))
    offer = waitlist_offer_next(provider_id=physician.pk, location_id=houston.pk, start=start)
    rival = PatientFactory()

    claim, direct = race(
        [
            lambda: waitlist_offer_claim(offer_id=offer.pk, patient=waiting),
            lambda: appointment_book(
                patient=rival,
                provider=physician,
                location=houston,
                kind=consultation,
                start=start,
            ),
        ]
    )

    active = Appointment.objects.filter(start=start, status=Appointment.Status.CONFIRMED)
    assert active.count() == 1
    offer.refresh_from_db()
    entry.refresh_from_db()
    if isinstance(claim, Appointment):
        assert isinstance(direct, SlotUnavailable)
        assert active.get().patient == waiting
        assert (offer.status, entry.status) == ("claimed", "booked")
    else:
        assert isinstance(claim, SlotUnavailable), (claim, direct)
        assert isinstance(direct, Appointment)
        assert active.get().patient == rival
        assert (offer.status, entry.status) == ("superseded", "waiting")


def test_lapsed_offers_leaving_and_released_holds_pass_the_time_on(
    physician, houston, consultation, frozen
):
    first, second, third = PatientFactory(), PatientFactory(), PatientFactory()
    join(first, houston, consultation)
    frozen.shift(60)
    join(second, houston, consultation)
    frozen.shift(60)
    join(third, houston, consultation)
    from scheduling.services import appointment_hold

    appointment_hold(
        patient=PatientFactory(),
        provider=physician,
        location=houston,
        kind=consultation,
        start=at(houston, DAY, time(9)),
    )
    frozen.shift(6 * 60)
    assert holds_release_expired() == 1
    assert WaitlistOffer.objects.get().entry.patient == first

    frozen.shift(61 * 60)
    assert waitlist_offers_expire() == 1
    assert WaitlistOffer.objects.get(status="offered").entry.patient == second

    waitlist_leave(patient=second, entry_id=WaitlistEntry.objects.get(patient=second).pk)
    assert WaitlistOffer.objects.get(status="offered").entry.patient == third


def test_a_double_submitted_join_makes_one_entry(houston, consultation, physician):
    patient = PatientFactory()

    outcomes = race([lambda: join(patient, houston, consultation) for _ in range(2)])

    entry = WaitlistEntry.objects.get(patient=patient)
    assert sorted(type(o).__name__ for o in outcomes) == ["WaitlistEntry", "WaitlistEntryExists"]
    assert entry.status == WaitlistEntry.Status.WAITING
