"""A visitor reads an article, finds an office, wants to book, creates an account on the way,
confirms the address from the e-mail and lands on that office's booking page: in English on a
desktop, in Spanish on a phone."""

import re

import pytest
from playwright.sync_api import expect

from clinic.models import User
from tests.e2e import people
from tests.e2e.browser import EN_DESKTOP_ES_PHONE
from tests.e2e.steps import field, main_button

ARTICLE = "l5-s1-nerve-damage-symptoms"
CLINIC = "Larkspur Spine & Pain"


@pytest.mark.parametrize(("language", "screen"), EN_DESKTOP_ES_PHONE)
def test_article_office_book_sign_up_and_land_on_the_booking_page(
    person, stack, orm, language, screen
):
    office = people.location()
    email = people.unique_email("visitor")
    you = person("visitor", language=language, screen=screen)

    with you.step("the home page") as page:
        page.goto(you.url("/"))
        expect(page.locator("h1")).to_have_text(
            you.t("Back and leg pain care at %(CLINIC_NAME)s", CLINIC_NAME="Larkspur Spine & Pain")
        )

    with you.step("the articles") as page:
        page.locator("main").get_by_role("link", name=you.t("Read about back and leg pain")).click()
        article_link = page.locator(f"main a[href$='/education/{ARTICLE}/']").first
        expect(article_link).to_be_visible()
        title = article_link.inner_text().strip()

    with you.step("read an article") as page:
        article_link.click()
        expect(page.locator("h1")).to_have_text(title)
        expect(page.get_by_role("heading", name=you.t("Book a consultation"))).to_be_visible()

    office_title = f"Larkspur Spine & Pain — {office.name}"
    with you.step("open the office named in the article") as page:
        page.locator(".location-links").get_by_role("link", name=office_title).click()
        expect(page.locator("h1")).to_have_text(office_title)
        expect(page.locator(".location-next")).to_be_visible()

    with you.step("book: an account is needed, the log-in page says so") as page:
        page.locator(".location-booking").get_by_role(
            "link", name=you.t("Book a consultation")
        ).click()
        expect(page.locator("h1")).to_have_text(you.t("Log in to book a consultation"))

    with you.step("create an account instead") as page:
        page.locator("main").get_by_role("link", name=you.t("Create an account")).click()
        expect(page.locator("h1")).to_have_text(you.t("Create your account"))

    with you.step("sign up: check your e-mail") as page:
        field(page, you.t("E-mail address")).fill(email)
        field(page, you.t("First name")).fill("Jordan")
        field(page, you.t("Last name")).fill("Visitor")
        field(page, you.t("Date of birth")).fill("1981-04-12")
        field(page, you.t("Phone")).fill("(609) 555-0144")
        field(page, you.t("Preferred location")).select_option(office.slug)
        field(page, you.t("Password")).fill(people.PASSWORD)
        field(page, you.t("Repeat the password")).fill(people.PASSWORD)
        main_button(page, you.t("Create account")).click()
        expect(page.locator("h1")).to_have_text(you.t("Check your e-mail"))

    message = stack.mailbox.wait_for(
        to=email, subject=you.t("Confirm your e-mail address for %(clinic)s", clinic=CLINIC)
    )
    link = re.search(
        r"https?://\S+/accounts/verify-email/\S+", message.get_body(("plain",)).get_content()
    )[0]

    with you.step("the e-mail's link asks to confirm the address") as page:
        page.goto(link)
        expect(page.locator("h1")).to_have_text(you.t("E-mail confirmation"))
        expect(
            page.get_by_text(you.t("You will go straight on to booking your consultation."))
        ).to_be_visible()

    with you.step("confirm: signed in, straight on to the office's booking page") as page:
        main_button(page, you.t("Confirm my address and continue")).click()
        expect(page.locator("h1")).to_have_text(you.t("Book a consultation"))
        expect(field(page, you.t("Location"))).to_have_value(office.slug)
        expect(page.locator(".slot-picker .time-button").first).to_be_visible()

    visitor = User.objects.get(email=email)
    assert visitor.email_verified
    assert visitor.patient_profile.preferred_language == language
    assert visitor.patient_profile.preferred_location == office
