"""The suite's own checks can fail: axe-core finds violations on a deliberately bad page (even
one under the portal's strict Content Security Policy), sideways scrolling on a phone is
caught, and a failed step leaves its screenshot and HTML. No server needed."""

import json
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from tests.e2e.browser import PHONE, PageProblem, Person, axe_violations, check_page

# What the portal sends (config.settings), so the injection is shown to work under it.
PORTAL_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
BAD_PAGE = """<!doctype html>
<html><head><title>Bad page</title></head>
<body><main>
  <h1>Book</h1>
  <img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
  <form><input type="text" name="q"><button></button></form>
  <table><thead><tr><th></th><th>When</th></tr></thead>
    <tbody><tr><td>1</td><td>Monday</td></tr></tbody></table>
</main></body></html>"""
GOOD_PAGE = """<!doctype html>
<html lang="en"><head><title>Good page</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><main><h1>Book a consultation</h1>
  <form><label for="q">Search</label> <input id="q" type="text" name="q">
  <button type="submit">Search</button></form>
</main></body></html>"""
# A table as wide as its unbreakable text (no inline style: the CSP would refuse it).
WIDE_PAGE = GOOD_PAGE.replace(
    "</main>", "<table><tr><td>" + "Monday" * 20 + "</td></tr></table></main>"
)


def serve(page, html: str) -> None:
    """Open ``html`` at a made-up address with the portal's CSP header."""
    page.route(
        "http://portal.test/",
        lambda route: route.fulfill(
            body=html,
            content_type="text/html; charset=utf-8",
            headers={"Content-Security-Policy": PORTAL_CSP},
        ),
    )
    page.goto("http://portal.test/")


def test_axe_finds_the_violations_of_a_bad_page_under_the_portals_csp(browser: Browser):
    page = browser.new_page()
    serve(page, BAD_PAGE)
    found = {rule["id"] for rule in axe_violations(page)}
    pinned = json.loads((Path(__file__).parent / "package.json").read_text())
    assert page.evaluate("axe.version") == pinned["devDependencies"]["axe-core"]
    assert {"html-has-lang", "image-alt", "label", "button-name", "empty-table-header"} <= found
    with pytest.raises(PageProblem, match=r"image-alt \(critical\)"):
        check_page(page)
    page.close()


def test_a_page_that_follows_the_rules_passes(browser: Browser):
    page = browser.new_page()
    serve(page, GOOD_PAGE)
    assert axe_violations(page) == []
    check_page(page)
    page.close()


def test_a_page_wider_than_a_phone_is_caught(browser: Browser):
    """A phone browser zooms out to fit a wide page (its innerWidth grows with the page): the
    check compares with the layout viewport."""
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    serve(page, WIDE_PAGE)
    with pytest.raises(PageProblem, match=r"scrolls sideways: \d+ px wider than the 390 px"):
        check_page(page)
    serve(page, GOOD_PAGE)
    check_page(page)
    context.close()


def test_a_failed_step_keeps_its_screenshot_and_html(browser: Browser, tmp_path):
    context = browser.new_context()
    someone = Person(
        name="visitor",
        context=context,
        page=context.new_page(),
        base_url="http://portal.test",
        language="en",
        folder=tmp_path,
    )
    with pytest.raises(PageProblem), someone.step("open a bad page") as page:
        serve(page, BAD_PAGE)
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        "01-visitor-open-a-bad-page.html",
        "01-visitor-open-a-bad-page.png",
    ]
    assert "<h1>Book</h1>" in (tmp_path / "01-visitor-open-a-bad-page.html").read_text()
    assert (tmp_path / "01-visitor-open-a-bad-page.png").read_bytes()[:4] == b"\x89PNG"
    context.close()
