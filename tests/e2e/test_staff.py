"""Staff at the clinic: the demo staff member signs in with the password and the authenticator
code, acknowledges and resolves a red-flag alert, and looks at a physician's day."""

from playwright.sync_api import expect

from clinic.demo import DEMO_PASSWORD
from clinic.models import Provider, User
from scheduling.availability import availability_for
from scheduling.models import AppointmentType
from scheduling.services import appointment_book
from tests.e2e import people
from tests.e2e.steps import field, staff_log_in
from tests.triage.alerting import EMERGENCY
from tests.triage.factories import AssessmentFactory
from triage.models import AlertOutcome, AlertStatus, StaffAlert


def test_staff_work_an_alert_from_acknowledge_to_resolved_and_see_the_day(person, stack, orm):
    staff_member = User.objects.get(email="staff@example.com")
    patient = people.patient()
    alert = AssessmentFactory(patient=patient, answers=EMERGENCY).staff_alert
    office = people.location()
    physician = Provider.objects.get(slug="elena-marsh")
    day = people.Days(office).weekday(after=5)
    kind = AppointmentType.objects.get(slug="new-consultation")
    [slot, *_] = availability_for(
        location=office, kind=kind, first=day, last=day, provider=physician
    )
    appointment_book(
        patient=patient, provider=physician, location=office, kind=kind, start=slot.start
    )
    you = person("staff")

    staff_log_in(you, staff_member, path="/admin/", password=DEMO_PASSWORD)
    with you.step("the admin opens on the open critical alerts") as page:
        expect(page.locator("#content")).to_contain_text("Staff alerts")

    with you.step("the alert queue") as page:
        page.get_by_role("link", name="Staff alerts").first.click()
        row = page.locator("#result_list tbody tr", has_text=patient.last_name)
        expect(row).to_contain_text("Critical")
        expect(row).to_contain_text("New")

    with you.step("open the alert") as page:
        row.get_by_role("link").first.click()
        expect(page.get_by_role("button", name="Acknowledge")).to_be_visible()

    with you.step("acknowledge it") as page:
        page.get_by_role("button", name="Acknowledge").click()
        expect(page.locator(".messagelist")).to_be_visible()
        expect(page.get_by_role("button", name="Acknowledge")).to_have_count(0)
        expect(page.locator(".inline-group tbody tr")).not_to_have_count(0)
        expect(page.locator(".inline-deletelink")).to_have_count(0)
    alert.refresh_from_db()
    assert (alert.status, alert.acknowledged_by) == (AlertStatus.ACKNOWLEDGED, staff_member)

    with you.step("resolve: outcome and note") as page:
        page.get_by_role("link", name="Resolve…").click()
        expect(page.get_by_role("group", name="Outcome")).to_be_visible()

    with you.step("resolved with the outcome") as page:
        page.get_by_label(str(AlertOutcome.SENT_TO_EMERGENCY.label)).check()
        field(page, "Note").fill("Called the patient; advised the emergency department now.")
        page.locator("#content-main").get_by_role("button", name="Resolve").click()
        expect(page.locator(".messagelist")).to_be_visible()
    alert = StaffAlert.objects.get(pk=alert.pk)
    assert (alert.status, alert.outcome) == (AlertStatus.RESOLVED, AlertOutcome.SENT_TO_EMERGENCY)
    assert alert.note == "Called the patient; advised the emergency department now."

    with you.step("the appointments' day view") as page:
        page.goto(you.url("/admin/scheduling/appointment/day/"))
        expect(page.locator("h1")).to_be_visible()

    with you.step("Dr. Marsh's day at Lawrenceville") as page:
        page.get_by_label("Location").select_option(office.slug)
        page.get_by_label("Physician").select_option(physician.slug)
        page.get_by_label("Date").fill(day.isoformat())
        page.get_by_role("button", name="Show").click()
        row = page.locator("#content table tbody tr", has_text=patient.last_name)
        expect(row).to_have_count(1)
        expect(row).to_contain_text("New consultation")
