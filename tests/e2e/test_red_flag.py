"""Red-flag answers: the patient sees emergency advice before anything else, and the alert
reaches the staff through the Celery worker (e-mail sent, delivery row sent) and shows in the
queue of a responder: in English on a desktop, in Spanish on a phone."""

import pytest
from playwright.sync_api import expect

from tests.e2e import people
from tests.e2e.browser import EN_DESKTOP_ES_PHONE
from tests.e2e.stack import wait_for
from tests.e2e.steps import EMERGENCY_FORM, patient_log_in, staff_log_in, symptom_check
from triage.models import AlertDelivery, Assessment, StaffAlert, Urgency
from triage.presentation import urgency_heading


@pytest.mark.parametrize(("language", "screen"), EN_DESKTOP_ES_PHONE)
def test_emergency_advice_comes_first_and_the_alert_reaches_the_staff_queue(
    person, stack, orm, language, screen
):
    patient = people.patient(language=language)
    responder = people.alert_responder()
    you = person("patient", language=language, screen=screen)

    patient_log_in(you, patient)
    steps = symptom_check(you, EMERGENCY_FORM)
    [assessment] = Assessment.objects.filter(patient=patient)
    # The check stops at the first red flag that makes it an emergency: the warning-sign steps
    # come first, and the rest of the questionnaire is never asked.
    assert (assessment.urgency, assessment.complete) == (Urgency.EMERGENCY, False)
    assert steps < 4

    with you.step("the result opens on the emergency advice") as page:
        first = page.locator("main .wrap > *").first
        expect(first).to_have_class(r"callout callout-danger triage-emergency")
        expect(first.locator("h1")).to_have_text(you.shown(urgency_heading, Urgency.EMERGENCY))
        expect(first).to_contain_text(
            you.t(
                "Go to the nearest emergency department now. If you cannot get there quickly "
                "and safely, call %(number)s.",
                number="911",
            )
        )
        call = first.get_by_role("link", name=you.t("Call %(number)s", number="911"))
        expect(call).to_have_attribute("href", "tel:911")
        expect(first).to_contain_text(
            you.t(
                "We have told our clinic team about your result. Do not wait for us to call "
                "you: go now."
            )
        )

    alert = StaffAlert.objects.get(patient=patient)
    notice = stack.mailbox.wait_for(to=responder.email, subject=f"Critical alert {alert.pk}")
    link = next(
        line for line in notice.get_content().splitlines() if "/admin/triage/staffalert/" in line
    )
    assert link == stack.base_url + f"/admin/triage/staffalert/{alert.pk}/change/"
    assert patient.last_name not in notice.get_content()
    delivery = wait_for(
        lambda: AlertDelivery.objects.filter(alert=alert, status=AlertDelivery.Status.SENT).first(),
        timeout=30,
        what="the worker to mark the alert's delivery sent",
    )
    assert responder.email in delivery.recipients

    staff = person("responder")
    staff_log_in(staff, responder, path="/admin/triage/staffalert/")
    with staff.step("the queue lists the new critical alert") as page:
        row = page.locator("#result_list tbody tr", has_text=patient.last_name)
        expect(row).to_have_count(1)
        expect(row).to_contain_text(str(alert.pk))
        expect(row).to_contain_text("Critical")

    with staff.step("open the alert from the e-mail's link: the notice was sent") as page:
        page.goto(link)
        expect(page.locator("#content h2", has_text="Notifications sent to staff")).to_be_visible()
        deliveries = page.locator("fieldset", has_text="Notifications sent to staff")
        expect(deliveries).to_contain_text("sent")
        expect(deliveries).to_contain_text(responder.email)
