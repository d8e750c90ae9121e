"""The waitlist as patients use it: joining, the order freed times are offered in (triage
urgency first, then joining time), the e-mailed claim link, claiming, declining, lapsed offers
passed on, a time taken meanwhile, and the link's security."""

from datetime import date, time, timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from scheduling.errors import (
    InvalidBooking,
    SlotUnavailable,
    WaitlistEntryExists,
    WaitlistOfferClosed,
)
from scheduling.frontdesk_services import appointment_request_decline
from scheduling.models import Appointment, Notification, WaitlistEntry, WaitlistOffer
from scheduling.notifications import notification_deliver
from scheduling.services import appointment_cancel, appointment_reschedule, holds_release_expired
from scheduling.waitlist import links
from scheduling.waitlist.messages import offer_sms
from scheduling.waitlist.selectors import waitlist_queue
from scheduling.waitlist.services import (
    waitlist_join,
    waitlist_leave,
    waitlist_offer_claim,
    waitlist_offer_missed,
    waitlist_offer_next,
    waitlist_offers_expire,
)
from tests.factories import PatientFactory, StaffFactory
from tests.scheduling.conftest import NOW
from tests.scheduling.factories import working_physician
from tests.scheduling.helpers import at, book
from tests.triage.conftest import published  # noqa: F401 - fixture
from tests.triage.factories import AssessmentFactory
from tests.triage.vignettes import BENIGN, answers

pytestmark = pytest.mark.usefixtures("frozen", "published")
DAY = date(2026, 10, 6)  # a Tuesday; Houston is on CDT (UTC-5)
EMERGENCY = answers(cannot_walk_stand=True)
URGENT = answers(cancer_history=True)
SOON = answers(foot_drop=True, motor_onset="2_12w")


def join(patient, houston, kind, provider=None, first=DAY, last=DAY + timedelta(days=7)):
    return waitlist_join(
        patient=patient, location=houston, kind=kind, provider=provider, first=first, last=last
    )


def cancel_nine(appointment, callbacks):
    """The booked patient cancels; the freed time's task runs after the commit."""
    with callbacks(execute=True):
        appointment_cancel(appointment=appointment, actor=appointment.patient)


@pytest.fixture
def nine(physician, houston, consultation):
    """9:00 AM on DAY, booked by someone who will cancel."""
    return book(
        patient=PatientFactory(),
        provider=physician,
        location=houston,
        kind=consultation,
        day=DAY,
        clock=time(9),
    )


def offer_of(patient) -> WaitlistOffer:
    return WaitlistOffer.objects.get(entry__patient=patient)


def test_the_queue_is_triage_urgency_first_then_joining_time(
    frozen, physician, houston, consultation
):
    routine_first = PatientFactory(email="routine-first@example.com")
    no_check = PatientFactory(email="no-check@example.com")
    soon = PatientFactory(email="soon@example.com")
    urgent = PatientFactory(email="urgent@example.com")
    routine_later = PatientFactory(email="routine-later@example.com")
    calmer_now = PatientFactory(email="calmer-now@example.com")
    AssessmentFactory(patient=routine_first, answers=BENIGN)
    AssessmentFactory(patient=soon, answers=SOON)
    AssessmentFactory(patient=urgent, answers=URGENT)
    AssessmentFactory(patient=routine_later, answers=BENIGN)
    AssessmentFactory(patient=calmer_now, answers=EMERGENCY)
    frozen.shift(60)
    AssessmentFactory(patient=calmer_now, answers=BENIGN)  # the latest check is what counts
    for patient in (routine_first, no_check, soon, urgent, routine_later, calmer_now):
        join(patient, houston, consultation)
        frozen.shift(60)

    start = at(houston, DAY, time(9))
    queue = waitlist_queue(location=houston, provider=physician, start=start, day=DAY)
    assert [entry.patient.email for entry in queue] == [
        "urgent@example.com",
        "soon@example.com",
        "routine-first@example.com",
        "routine-later@example.com",
        "calmer-now@example.com",
        "no-check@example.com",
    ]


def test_an_emergency_check_goes_before_an_earlier_urgent_one(
    nine, physician, houston, consultation, django_capture_on_commit_callbacks, frozen
):
    urgent, emergency = PatientFactory(), PatientFactory()
    AssessmentFactory(patient=urgent, answers=URGENT)
    join(urgent, houston, consultation)
    frozen.shift(60)
    AssessmentFactory(patient=emergency, answers=EMERGENCY)
    join(emergency, houston, consultation)

    cancel_nine(nine, django_capture_on_commit_callbacks)

    (offer,) = WaitlistOffer.objects.all()
    assert offer.entry.patient == emergency
    assert offer.start == at(houston, DAY, time(9))
    assert offer.provider == physician
    assert offer.status == WaitlistOffer.Status.OFFERED
    assert offer.expires_at == NOW + timedelta(minutes=60) + timedelta(minutes=1)


def test_offer_e_mail_then_claim_books_the_time_and_ends_the_entry(
    nine, physician, houston, consultation, django_capture_on_commit_callbacks, client
):
    patient = PatientFactory()
    entry = join(patient, houston, consultation)

    cancel_nine(nine, django_capture_on_commit_callbacks)

    offer = offer_of(patient)
    sent = [m for m in mail.outbox if m.to == [patient.email]]
    (message,) = sent
    assert message.subject == (
        "A time has opened up: Tuesday, October 6, 2026, 9:00 AM Central Time (Houston)"
    )
    link = links.offer_link(offer.pk)
    assert link in message.body
    assert "Thursday, October 1, 2026, 8:00 AM Central Time (Houston)" in message.body  # until
    assert not message.attachments
    notification = Notification.objects.get(offer=offer)
    assert (notification.kind, notification.status, notification.appointment) == (
        Notification.Kind.WAITLIST_OFFER,
        Notification.Status.SENT,
        None,
    )
    assert offer_sms(notification) == (
        f"{settings.CLINIC_NAME}: a time opened up on Tuesday, October 6, 2026, 9:00 AM "
        "Central Time (Houston). Take it before Thursday, October 1, 2026, 8:00 AM Central "
        f"Time (Houston): {link}"
    )

    client.force_login(patient)
    url = reverse("scheduling:waitlist-offer", kwargs={"token": links.offer_token(offer.pk)})
    page = client.get(url)
    assert page.status_code == 200
    assert "Tuesday, October 6, 2026, 9:00 AM Central Time (Houston)" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"action": "claim"})

    appointment = Appointment.objects.get(patient=patient)
    assert response.status_code == 302
    assert response.url == reverse("scheduling:detail", kwargs={"appointment_id": appointment.pk})
    assert (appointment.status, appointment.start, appointment.provider) == (
        Appointment.Status.CONFIRMED,
        at(houston, DAY, time(9)),
        physician,
    )
    offer.refresh_from_db()
    entry.refresh_from_db()
    assert (offer.status, offer.appointment) == (WaitlistOffer.Status.CLAIMED, appointment)
    assert entry.status == WaitlistEntry.Status.BOOKED
    assert Notification.objects.filter(
        appointment=appointment, kind=Notification.Kind.BOOKED
    ).exists()
    # The link again (a second click) shows the booking, and books nothing more.
    assert client.post(url, {"action": "claim"}).status_code == 302
    assert Appointment.objects.filter(patient=patient).count() == 1


def test_a_lapsed_offer_goes_to_the_next_entry(
    nine, houston, consultation, django_capture_on_commit_callbacks, frozen
):
    first, second = PatientFactory(), PatientFactory()
    join(first, houston, consultation)
    frozen.shift(60)
    join(second, houston, consultation)
    cancel_nine(nine, django_capture_on_commit_callbacks)
    assert offer_of(first).status == WaitlistOffer.Status.OFFERED

    frozen.shift(30 * 60)
    with django_capture_on_commit_callbacks(execute=True):
        assert waitlist_offers_expire() == 0
    frozen.shift(31 * 60)
    with django_capture_on_commit_callbacks(execute=True):
        assert waitlist_offers_expire() == 1

    assert offer_of(first).status == WaitlistOffer.Status.EXPIRED
    assert offer_of(second).status == WaitlistOffer.Status.OFFERED
    assert WaitlistEntry.objects.get(patient=first).status == WaitlistEntry.Status.WAITING
    with pytest.raises(WaitlistOfferClosed):
        waitlist_offer_claim(offer_id=offer_of(first).pk, patient=first)


def test_a_declined_offer_goes_to_the_next_entry_and_the_patient_stays(
    nine, houston, consultation, django_capture_on_commit_callbacks, frozen, client
):
    first, second = PatientFactory(), PatientFactory()
    join(first, houston, consultation)
    frozen.shift(60)
    join(second, houston, consultation)
    cancel_nine(nine, django_capture_on_commit_callbacks)

    client.force_login(first)
    url = reverse(
        "scheduling:waitlist-offer", kwargs={"token": links.offer_token(offer_of(first).pk)}
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"action": "decline"}).status_code == 302

    assert offer_of(first).status == WaitlistOffer.Status.DECLINED
    assert offer_of(second).status == WaitlistOffer.Status.OFFERED
    assert WaitlistEntry.objects.get(patient=first).status == WaitlistEntry.Status.WAITING


def test_a_time_taken_meanwhile_is_said_and_the_patient_stays_on_the_list(
    nine, physician, houston, consultation, django_capture_on_commit_callbacks, client
):
    patient = PatientFactory()
    entry = join(patient, houston, consultation)
    cancel_nine(nine, django_capture_on_commit_callbacks)
    offer = offer_of(patient)
    book(
        patient=PatientFactory(),
        provider=physician,
        location=houston,
        kind=consultation,
        day=DAY,
        clock=time(9),
    )

    client.force_login(patient)
    url = reverse("scheduling:waitlist-offer", kwargs={"token": links.offer_token(offer.pk)})
    response = client.post(url, {"action": "claim"})

    assert response.status_code == 409
    text = response.content.decode()
    assert str(SlotUnavailable.default_detail) in text
    assert "You are still on the waitlist" in text
    offer.refresh_from_db()
    entry.refresh_from_db()
    assert offer.status == WaitlistOffer.Status.SUPERSEDED
    assert entry.status == WaitlistEntry.Status.WAITING
    assert not Appointment.objects.filter(patient=patient).exists()


def test_reschedule_away_and_a_released_hold_offer_the_time(
    physician, houston, consultation, django_capture_on_commit_callbacks, frozen
):
    waiting = PatientFactory()
    join(waiting, houston, consultation)
    moved = book(
        patient=PatientFactory(),
        provider=physician,
        location=houston,
        kind=consultation,
        day=DAY,
        clock=time(10),
    )
    with django_capture_on_commit_callbacks(execute=True):
        appointment_reschedule(
            appointment=moved, start=at(houston, DAY, time(11)), actor=moved.patient
        )
    assert offer_of(waiting).start == at(houston, DAY, time(10))

    other = PatientFactory()
    join(other, houston, consultation)
    from scheduling.services import appointment_hold

    appointment_hold(
        patient=PatientFactory(),
        provider=physician,
        location=houston,
        kind=consultation,
        start=at(houston, DAY, time(14)),
    )
    frozen.shift(6 * 60)
    with django_capture_on_commit_callbacks(execute=True):
        assert holds_release_expired() == 1
    assert offer_of(other).start == at(houston, DAY, time(14))


def test_an_entry_is_offered_only_times_that_suit_it(
    nine, physician, houston, consultation, follow_up, django_capture_on_commit_callbacks
):
    other_days, other_physician, other_type = PatientFactory(), PatientFactory(), PatientFactory()
    join(other_days, houston, consultation, first=DAY + timedelta(days=1))
    join(other_physician, houston, consultation, provider=_second_physician(houston, consultation))
    join(other_type, houston, follow_up)  # a follow-up fits 9:00 too: it is offered
    cancel_nine(nine, django_capture_on_commit_callbacks)

    (offer,) = WaitlistOffer.objects.all()
    assert offer.entry.patient == other_type


def _second_physician(houston, kind):
    return working_physician(location=houston, kinds=[kind], slug="second-physician")


def test_no_offer_for_a_time_the_engine_no_longer_offers(physician, houston, consultation, frozen):
    join(PatientFactory(), houston, consultation, first=date(2026, 10, 1), last=DAY)
    too_soon = NOW + timedelta(minutes=60)  # inside the two hours' minimum notice
    assert (
        waitlist_offer_next(provider_id=physician.pk, location_id=houston.pk, start=too_soon)
        is None
    )
    assert not WaitlistOffer.objects.exists()


def test_one_open_offer_per_time(nine, physician, houston, consultation):
    join(PatientFactory(), houston, consultation)
    join(PatientFactory(), houston, consultation)
    appointment_cancel(appointment=nine, actor=nine.patient)
    start = at(houston, DAY, time(9))
    assert waitlist_offer_next(provider_id=physician.pk, location_id=houston.pk, start=start)
    assert (
        waitlist_offer_next(provider_id=physician.pk, location_id=houston.pk, start=start) is None
    )
    assert WaitlistOffer.objects.count() == 1


def test_another_patients_link_is_a_404_and_a_forged_one_too(
    nine, houston, consultation, django_capture_on_commit_callbacks, client
):
    owner = PatientFactory()
    join(owner, houston, consultation)
    cancel_nine(nine, django_capture_on_commit_callbacks)
    offer = offer_of(owner)
    url = reverse("scheduling:waitlist-offer", kwargs={"token": links.offer_token(offer.pk)})

    client.force_login(PatientFactory())
    assert client.get(url).status_code == 404
    assert client.post(url, {"action": "claim"}).status_code == 404
    assert client.post(url, {"action": "decline"}).status_code == 404
    offer.refresh_from_db()
    assert offer.status == WaitlistOffer.Status.OFFERED

    client.force_login(owner)
    token = links.offer_token(offer.pk)
    value, signature = token.rsplit(":", 1)
    forged_signature = f"{value}:{signature[:-1]}{'A' if signature[-1] != 'A' else 'B'}"
    other_offer = links.offer_token(offer.pk + 1).rsplit(":", 1)[0] + f":{signature}"
    for forged in (forged_signature, other_offer, "not-a-token", str(offer.pk)):
        forged_url = reverse("scheduling:waitlist-offer", kwargs={"token": forged})
        assert client.get(forged_url).status_code == 404, forged
    offer.refresh_from_db()
    assert offer.status == WaitlistOffer.Status.OFFERED


def test_an_expired_link_shows_a_friendly_page(
    nine, houston, consultation, django_capture_on_commit_callbacks, client, frozen
):
    owner = PatientFactory()
    join(owner, houston, consultation)
    cancel_nine(nine, django_capture_on_commit_callbacks)
    url = reverse(
        "scheduling:waitlist-offer", kwargs={"token": links.offer_token(offer_of(owner).pk)}
    )
    client.force_login(owner)
    frozen.shift(61 * 60)
    response = client.get(url)
    assert response.status_code == 410
    assert "This offer has ended" in response.content.decode()
    assert "You are still on the waitlist" in response.content.decode()


def test_anonymous_visitor_is_sent_to_sign_in(nine, houston, consultation, client):
    response = client.get(reverse("scheduling:waitlist-offer", kwargs={"token": "x"}))
    assert response.status_code == 302
    assert response.url.startswith(reverse("clinic:login"))


def test_join_leave_and_see_entries_on_the_pages(
    web, patient, physician, houston, consultation, django_capture_on_commit_callbacks
):
    page = web.get(reverse("scheduling:waitlist"), {"location": "houston-tx"})
    assert page.status_code == 200
    response = web.post(
        reverse("scheduling:waitlist"),
        {
            "location": "houston-tx",
            "type": "new-consultation",
            "provider": physician.slug,
            "day": "2026-10-05",
            "last": "2026-10-09",
        },
    )
    assert response.status_code == 302
    entry = WaitlistEntry.objects.get(patient=patient)
    assert (entry.location, entry.appointment_type, entry.provider) == (
        houston,
        consultation,
        physician,
    )
    assert (entry.first, entry.last) == (date(2026, 10, 5), date(2026, 10, 9))
    listing = web.get(reverse("scheduling:waitlist")).content.decode()
    assert "October 5, 2026 to October 9, 2026" in listing
    dashboard = web.get(reverse("clinic:dashboard")).content.decode()
    assert "October 5, 2026 to October 9, 2026" in dashboard

    again = web.post(
        reverse("scheduling:waitlist"),
        {"location": "houston-tx", "type": "new-consultation", "day": "2026-10-05",
         "last": "2026-10-06"},
    )  # fmt: skip
    assert again.status_code == 400
    assert str(WaitlistEntryExists.default_detail) in again.content.decode()

    stranger = PatientFactory()
    strangers_entry = join(stranger, houston, consultation)
    assert (
        web.post(reverse("scheduling:waitlist-leave", args=[strangers_entry.pk])).status_code == 404
    )
    assert web.post(reverse("scheduling:waitlist-leave", args=[entry.pk])).status_code == 302
    entry.refresh_from_db()
    assert entry.status == WaitlistEntry.Status.LEFT
    assert (
        "October 5, 2026 to October 9, 2026"
        not in web.get(reverse("scheduling:waitlist")).content.decode()
    )


def test_joining_refuses_past_and_reversed_dates(patient, houston, consultation):
    with pytest.raises(InvalidBooking) as past:
        join(patient, houston, consultation, first=date(2026, 9, 30))
    assert past.value.field == "first"
    with pytest.raises(InvalidBooking) as reversed_:
        join(patient, houston, consultation, first=DAY, last=DAY - timedelta(days=1))
    assert reversed_.value.field == "last"


def test_leaving_passes_an_open_offer_on(
    nine, houston, consultation, django_capture_on_commit_callbacks, frozen
):
    first, second = PatientFactory(), PatientFactory()
    join(first, houston, consultation)
    frozen.shift(60)
    join(second, houston, consultation)
    cancel_nine(nine, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        waitlist_leave(patient=first, entry_id=WaitlistEntry.objects.get(patient=first).pk)
    assert offer_of(first).status == WaitlistOffer.Status.SUPERSEDED
    assert offer_of(second).status == WaitlistOffer.Status.OFFERED


def test_the_booking_page_links_to_the_waitlist(web, physician, houston, consultation):
    page = web.get(
        reverse("scheduling:book"), {"location": "houston-tx", "type": "new-consultation"}
    ).content.decode()
    assert reverse("scheduling:waitlist") + "?location=houston-tx&amp;type=new-consultation" in page


def test_a_notification_for_a_closed_offer_is_skipped(
    nine, houston, consultation, django_capture_on_commit_callbacks
):
    patient = PatientFactory()
    join(patient, houston, consultation)
    with django_capture_on_commit_callbacks(execute=False):
        appointment_cancel(appointment=nine, actor=nine.patient)
    start = at(houston, DAY, time(9))
    offer = waitlist_offer_next(provider_id=nine.provider_id, location_id=houston.pk, start=start)
    WaitlistOffer.objects.filter(pk=offer.pk).update(status=WaitlistOffer.Status.DECLINED)
    notification = Notification.objects.get(offer=offer)
    assert notification_deliver(notification_id=notification.pk) is False
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SKIPPED
    assert not [m for m in mail.outbox if m.to == [patient.email]]


def test_a_freed_time_whose_task_was_lost_is_offered_by_the_sweep(
    nine, physician, houston, consultation, django_capture_on_commit_callbacks
):
    waiting = PatientFactory()
    join(waiting, houston, consultation)
    moved = book(
        patient=PatientFactory(),
        provider=physician,
        location=houston,
        kind=consultation,
        day=DAY,
        clock=time(14),
    )
    # The broker was down at both commits: the on-commit tasks never ran.
    with django_capture_on_commit_callbacks(execute=False):
        appointment_cancel(appointment=nine, actor=nine.patient)
        appointment_reschedule(
            appointment=moved, start=at(houston, DAY, time(15)), actor=moved.patient
        )
    assert not WaitlistOffer.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        assert waitlist_offer_missed() == 1

    offer = offer_of(waiting)
    assert (offer.start, offer.status) == (at(houston, DAY, time(9)), WaitlistOffer.Status.OFFERED)
    # The 2 PM time is not offered to the same entry while it holds the 9 AM offer, and a second
    # sweep makes nothing more: every freed time now has its offer chain or nobody to go to.
    assert waitlist_offer_missed() == 0
    assert WaitlistOffer.objects.count() == 1


def test_a_declined_booking_request_offers_its_time(
    nine, physician, houston, consultation, django_capture_on_commit_callbacks
):
    staff = StaffFactory()

    patient = PatientFactory()
    join(patient, houston, consultation)
    Appointment.objects.filter(pk=nine.pk).update(status=Appointment.Status.REQUESTED)

    with django_capture_on_commit_callbacks(execute=True):
        appointment_request_decline(appointment=nine, actor=staff)

    offer = offer_of(patient)
    assert (offer.start, offer.provider) == (at(houston, DAY, time(9)), physician)
    assert offer.status == WaitlistOffer.Status.OFFERED
