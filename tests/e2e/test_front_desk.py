"""The front desk in Houston: a staff member signs in (password and authenticator code), opens
the day board, checks a patient in, marks a no-show, then books a patient from the board by
finding them and picking a free time, and sees the booking on the board."""

import secrets
from datetime import datetime, time, timedelta

from django.contrib.auth.models import Group
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from clinic.demo import STAFF_GROUP
from scheduling.models import Appointment, AppointmentEvent, AppointmentType
from tests.e2e import people
from tests.e2e.steps import field, staff_log_in
from tests.factories import PatientFactory, StaffFactory
from tests.scheduling.factories import working_physician

HOUSTON = "houston-tx"
BOARD = "/admin/scheduling/frontdeskboard/?location=houston-tx"


def _front_desk_staff():
    """Houston's front desk: the demo staff group's permissions and an authenticator of their
    own (a code is accepted once)."""
    staff = StaffFactory(
        email=people.unique_email("desk"), first_name="Dana", password=people.password_hash()
    )
    staff.groups.add(Group.objects.get(name=STAFF_GROUP))
    staff.served_locations.set([people.location(HOUSTON)])
    TOTPDevice.objects.create(user=staff, name="Phone", confirmed=True)
    return staff


def _houston_patient(first_name: str, phone: str):
    return PatientFactory(
        email=people.unique_email("houston"),
        first_name=first_name,
        last_name=f"Desk{secrets.token_hex(3)}",
        profile__preferred_location=people.location(HOUSTON),
        profile__phone=phone,
    )


def _todays_visit(patient, physician, office, kind, *, minutes_ago: int) -> Appointment:
    """A confirmed visit of today (in Houston) that started ``minutes_ago`` (or at midnight
    when that was yesterday), on the journey's own physician's otherwise empty day."""
    now = timezone.now()
    midnight = datetime.combine(now.astimezone(office.zone).date(), time(0), tzinfo=office.zone)
    start = max(now - timedelta(minutes=minutes_ago), midnight + timedelta(minutes=minutes_ago))
    start = start.replace(second=0, microsecond=0)
    return Appointment.objects.create(
        patient=patient,
        provider=physician,
        location=office,
        appointment_type=kind,
        start=start,
        end=start + kind.duration,
        blocked_start=start,
        blocked_end=start + kind.duration,
        status=Appointment.Status.CONFIRMED,
        booked_by=patient,
        confirmed_at=now - timedelta(days=3),
    )


def test_front_desk_checks_in_marks_a_no_show_and_books_from_the_board(person, stack, orm):
    office = people.location(HOUSTON)
    kind = AppointmentType.objects.get(slug="new-consultation")
    physician = working_physician(
        location=office, kinds=[kind], name=f"Dr. Journey {secrets.token_hex(2)}"
    )
    arriving = _houston_patient("Quinn", "+17135550141")
    absent = _houston_patient("Morgan", "+17135550142")
    calling = _houston_patient("Avery", "+17135550143")
    arrival = _todays_visit(arriving, physician, office, kind, minutes_ago=5)
    missed = _todays_visit(absent, physician, office, kind, minutes_ago=45)
    staff = _front_desk_staff()
    day = people.Days(office).weekday(after=5)
    you = person("front desk")

    staff_log_in(you, staff, path=BOARD)
    with you.step("the Houston board: every physician side by side, times in Central Time"):
        page = you.page
        expect(page.locator(".board-heading")).to_contain_text("Houston, TX")
        expect(page.locator(".board-zone")).to_contain_text("Central Time (Houston)")
        column = page.locator(".board-column", has_text=physician.name)
        expect(column.locator("article")).to_have_count(2)

    card = column.locator("article", has_text=arriving.display_name)
    with you.step("check the arriving patient in") as page:
        expect(card).to_contain_text("(713) 555-0141")
        card.get_by_role("button", name="Check in").click()
        expect(page.locator(".messagelist")).to_contain_text("is checked in")
        expect(card.locator(".board-status")).to_have_text("Arrived")
    assert Appointment.objects.get(pk=arrival.pk).status == Appointment.Status.ARRIVED

    card = column.locator("article", has_text=absent.display_name)
    with you.step("mark the absent patient a no-show") as page:
        card.get_by_role("button", name="No-show").click()
        expect(page.locator(".messagelist")).to_contain_text("marked no-show")
        expect(card.locator(".board-status")).to_have_text("No-show")
    assert Appointment.objects.get(pk=missed.pk).status == Appointment.Status.NO_SHOW
    assert list(
        AppointmentEvent.objects.filter(actor=staff).order_by("pk").values_list("action", flat=True)
    ) == ["checked_in", "no_show"]

    with you.step("book for a patient: the search") as page:
        page.get_by_role("link", name="Book for a patient").click()
        expect(page.get_by_label("Find a patient")).to_be_visible()

    with you.step("find the patient by phone number") as page:
        page.get_by_label("Find a patient").fill("(713) 555-0143")
        page.get_by_role("button", name="Search").click()
        expect(page.locator("table.board-found tbody tr")).to_have_count(1)

    with you.step("choose the patient") as page:
        page.get_by_role("link", name=f"Book for {calling.display_name}").click()
        expect(page.locator("h2").first).to_contain_text(calling.display_name)

    with you.step("the physician's free times on the day") as page:
        field(page, "Physician").select_option(label=physician.name)
        field(page, "Type of appointment").select_option(label="New consultation")
        field(page, "Day").fill(day.isoformat())
        page.get_by_role("button", name="Show free times").click()
        expect(page.get_by_role("radio").first).to_be_visible()

    with you.step("pick the first free time and book it") as page:
        first = page.get_by_role("radio").first
        chosen = first.get_attribute("value")
        first.check()
        page.get_by_role("button", name="Book this time").click()
        expect(page.locator(".messagelist")).to_contain_text(f"Booked for {calling.display_name}")
        column = page.locator(".board-column", has_text=physician.name)
        expect(column.locator("article", has_text=calling.display_name)).to_have_count(1)

    booked = Appointment.objects.get(patient=calling)
    assert booked.start == datetime.fromisoformat(chosen)
    assert (booked.status, booked.booked_via, booked.booked_by) == ("confirmed", "staff", staff)
    assert booked.start.astimezone(office.zone).date() == day
