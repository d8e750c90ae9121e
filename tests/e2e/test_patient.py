"""A patient checks their symptoms, books from the result, then moves, saves to their calendar
and cancels the appointment: in English on a desktop, and in Spanish on a 390x844 phone."""

from datetime import UTC, datetime
from pathlib import Path

import pytest
from icalendar import Calendar
from playwright.sync_api import expect

from clinic.timefmt import format_date, format_time_range
from scheduling.models import Appointment
from tests.e2e import people
from tests.e2e.browser import EN_DESKTOP_ES_PHONE
from tests.e2e.steps import BENIGN_FORM, field, main_button, patient_log_in, symptom_check
from triage.models import Assessment, Urgency
from triage.presentation import urgency_heading


def choose_time(page, person, *, physician: str, day) -> None:
    """Fill the search form (physician, first day) and show the times."""
    field(page, person.t("Physician")).select_option(label=physician)
    field(page, person.t("From")).fill(day.isoformat())
    main_button(page, person.t("Show free times")).click()


@pytest.mark.parametrize(("language", "screen"), EN_DESKTOP_ES_PHONE)
def test_symptom_check_then_book_reschedule_calendar_and_cancel(
    person, stack, orm, language, screen
):
    patient = people.patient(language=language)
    office = people.location()
    days = people.Days(office)
    first_day, later_day = days.weekday(after=3), days.weekday(after=8)
    you = person("patient", language=language, screen=screen)

    patient_log_in(you, patient)
    symptom_check(you, BENIGN_FORM)

    with you.step("the result: no warning sign, book a consultation") as page:
        expect(page.locator("h1")).to_have_text(you.shown(urgency_heading, Urgency.ROUTINE))
        expect(page.locator("main")).to_contain_text(
            you.t(
                "None of your answers point to a warning sign or to a problem that needs to be "
                "seen quickly."
            )
        )
        expect(page.locator(".triage-emergency")).to_have_count(0)
    assert Assessment.objects.get(patient=patient).urgency == Urgency.ROUTINE

    with you.step("book from the result") as page:
        page.locator("main").get_by_role("link", name=you.t("Book a consultation")).click()
        expect(page.locator("h1")).to_have_text(you.t("Book a consultation"))

    with you.step("show Dr. Marsh's free times from a weekday ahead") as page:
        choose_time(page, you, physician="Dr. Elena Marsh", day=first_day)
        expect(page.locator("main h3").first).to_have_text(you.shown(format_date, first_day))
        times = page.locator(".slot-picker .time-button")
        expect(times.first).to_be_visible()

    with you.step("pick the first time: it is held while the patient confirms") as page:
        times.first.click()
        expect(page.locator("h1")).to_have_text(you.t("Confirm your appointment"))
        held = Appointment.objects.get(patient=patient, status=Appointment.Status.HELD)
        expect(page.locator("dl.facts")).to_contain_text(
            you.shown(format_date, held.start, office)
            + ", "
            + you.shown(format_time_range, held.start, held.end, office)
        )
        expect(page.locator("dl.facts")).to_contain_text("Dr. Elena Marsh")

    with you.step("confirm: the appointment is booked") as page:
        main_button(page, you.t("Confirm booking")).click()
        expect(page.locator("h1")).to_have_text(you.t("Your appointment"))
        expect(page.locator(".messages")).to_contain_text(
            you.t("Your appointment is booked. We have e-mailed you the details.")
        )
    appointment = Appointment.objects.get(patient=patient)
    assert appointment.status == Appointment.Status.CONFIRMED
    booked = stack.mailbox.wait_for(to=patient.email)
    assert booked.get_body(("plain",)) is not None

    with you.step("the dashboard lists the appointment") as page:
        page.get_by_role("link", name=you.t("Back to my dashboard")).click()
        upcoming = page.locator(".appointment-list li")
        expect(upcoming).to_have_count(1)
        expect(upcoming).to_contain_text("Dr. Elena Marsh")

    with you.step("reschedule: the same picker at the same office") as page:
        upcoming.get_by_role("link", name=you.t("Reschedule")).click()
        expect(page.locator("h1")).to_be_visible()
        expect(page.locator(".slot-picker")).to_be_visible()

    with you.step("show the times of a later weekday") as page:
        field(page, you.t("From")).fill(later_day.isoformat())
        main_button(page, you.t("Show free times")).click()
        expect(page.locator("main h3").first).to_have_text(you.shown(format_date, later_day))
        later_time = page.locator(".slot-picker .time-button").first

    with you.step("move the appointment to the later day") as page:
        later_time.click()
        expect(page.locator(".messages")).to_contain_text(
            you.t("Your appointment has moved. We have e-mailed you.")
        )
    appointment.refresh_from_db()
    assert appointment.start.astimezone(office.zone).date() == later_day
    assert appointment.sequence == 1

    with you.step("download the appointment for the calendar") as page:
        with page.expect_download() as download:
            page.get_by_role("link", name=you.t("Add to my calendar (.ics)")).click()
        content = Path(download.value.path()).read_bytes()
    calendar = Calendar.from_ical(content)
    [event] = calendar.walk("VEVENT")
    assert event.decoded("dtstart") == appointment.start.astimezone(UTC)
    assert event.decoded("dtend") == appointment.end.astimezone(UTC)
    assert event["sequence"] == 1
    assert office.street in str(event["location"])
    assert "Dr. Elena Marsh" in str(event["summary"]) + str(event.get("description", ""))

    with you.step("cancel: asked to confirm") as page:
        page.get_by_role("link", name=you.t("Cancel appointment")).click()
        expect(page.locator("h1")).to_have_text(you.t("Cancel this appointment?"))

    with you.step("cancel it: back on the dashboard, listed as cancelled") as page:
        main_button(page, you.t("Yes, cancel it")).click()
        expect(page.locator(".messages")).to_contain_text(you.t("Your appointment is cancelled."))
        expect(page.locator(".appointment-list")).to_have_count(0)
        past = page.locator("table", has_text=you.t("Physician"))
        expect(past).to_contain_text(you.t(Appointment.Status.CANCELLED.label))
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.CANCELLED
    assert datetime.now(UTC) < appointment.start
