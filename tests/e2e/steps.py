"""Steps several journeys share: logging in, two-step verification, the symptom check."""

import re
from typing import Any

from playwright.sync_api import Page, expect

from clinic.models import User
from tests.e2e.browser import Person
from tests.e2e.people import PASSWORD, totp_code
from tests.triage.vignettes import BENIGN, answers

# The questions' inputs of a step (not the CSRF token, the step's name or the buttons).
_FIELDS = """() => Array.from(document.querySelectorAll("form.triage-step [name]"))
  .filter((element) => !["csrfmiddlewaretoken", "step", "action"].includes(element.name))
  .map((element) => ({name: element.name, type: element.type, value: element.value}))"""


def main_button(page: Page, name: str):
    return page.locator("main").get_by_role("button", name=name, exact=True)


def field(page: Page, label: str):
    """The form field labelled ``label`` (Django adds a colon to its labels)."""
    return page.get_by_label(re.compile(rf"^{re.escape(label)}:?$"))


def open_log_in(person: Person, path: str = "/accounts/login/") -> None:
    """Open ``path``, which is (or sends the person to) the log-in page."""
    with person.step("open the log-in page") as page:
        page.goto(person.url(path))
        expect(page.locator("h1")).to_have_text(person.t("Log in"))


def fill_log_in(page: Page, person: Person, email: str, password: str = PASSWORD) -> None:
    field(page, person.t("E-mail address")).fill(email)
    field(page, person.t("Password")).fill(password)
    main_button(page, person.t("Log in")).click()


def staff_log_in(person: Person, user: User, *, path: str, password: str = PASSWORD) -> None:
    """Open ``path`` (a staff page), log in with the password, then the authenticator code:
    the person ends on ``path``."""
    open_log_in(person, path)
    with person.step("log in with the password: asked for a code") as page:
        fill_log_in(page, person, user.email, password)
        expect(page.locator("h1")).to_have_text(person.t("Enter your verification code"))
    with person.step("enter the code from the authenticator") as page:
        field(page, person.t("Code")).fill(totp_code(user))
        main_button(page, person.t("Verify")).click()
        expect(page).to_have_url(person.url(path))


def form_answers(answers_given: dict[str, Any]) -> dict[str, Any]:
    """Questionnaire answers as the web form takes them (yes/no, codes, numbers as text)."""
    values: dict[str, Any] = {}
    for link_id, value in answers_given.items():
        if isinstance(value, bool):
            values[link_id] = "yes" if value else "no"
        elif isinstance(value, int):
            values[link_id] = str(value)
        else:
            values[link_id] = value
    return values


BENIGN_FORM = form_answers(BENIGN)
EMERGENCY_FORM = form_answers(answers(cannot_walk_stand=True))


def _fill_step(page: Page, wanted: dict[str, Any]) -> None:
    fields: dict[str, list[dict]] = {}
    for element in page.evaluate(_FIELDS):
        fields.setdefault(element["name"], []).append(element)
    for name, elements in fields.items():
        kind = elements[0]["type"]
        values = [element["value"] for element in elements]
        if kind == "radio":
            value = wanted.get(name) or ("no" if "no" in values else values[0])
            page.locator(f"input[name='{name}'][value='{value}']").check()
        elif kind == "checkbox":
            chosen = wanted.get(name) or (["none"] if "none" in values else [])
            for value in chosen:
                page.locator(f"input[name='{name}'][value='{value}']").check()
        elif name in wanted:
            page.locator(f"[name='{name}']").fill(wanted[name])
        elif kind == "number":
            raise AssertionError(f"the questionnaire asks for the number {name!r}: add it")


def patient_log_in(person: Person, patient: User) -> None:
    """Log in on the log-in page: the dashboard greets the patient."""
    open_log_in(person)
    with person.step("log in: the dashboard greets the patient") as page:
        fill_log_in(page, person, patient.email)
        expect(page.locator("h1")).to_have_text(
            person.t("Hello, %(name)s", name=patient.first_name)
        )


def symptom_check(person: Person, wanted: dict[str, Any]) -> int:
    """From the dashboard, open the symptom check and answer every step it shows (the
    questions it asks depend on the answers) until the result page; returns how many steps it
    took. Questions not in ``wanted`` get "No" (or "none of these"), so a question added later
    keeps the journey on its path."""
    with person.step("open the symptom check from the dashboard") as page:
        page.locator("main").get_by_role("link", name=person.t("Check your symptoms")).click()
        expect(page.locator("h1")).to_have_text(person.t("Back and leg pain symptom check"))
    with person.step("start the symptom check") as page:
        page.locator("main").get_by_role("link", name=person.t("Start the symptom check")).click()
        expect(page.locator(".triage-progress")).to_be_visible()
    for number in range(1, 30):
        with person.step(f"answer the questions of step {number}") as page:
            heading = page.locator("h1").inner_text()
            _fill_step(page, wanted)
            main_button(page, _continue_label(page, person)).click()
            expect(page.locator("h1")).not_to_have_text(heading)
            if "/triage/results/" in page.url:
                return number
    raise AssertionError("the symptom check never ended on a result")


def _continue_label(page: Page, person: Person) -> str:
    last = person.t("See my result")
    return last if main_button(page, last).count() else person.t("Continue")
