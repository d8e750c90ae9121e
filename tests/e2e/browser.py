"""A person's browser session in the journeys: steps, the checks every page gets, artefacts.

Every step ends on one page, which is checked before the journey goes on: axe-core finds no
violation of any impact (every rule axe enables by default: WCAG 2.x A and AA and its best
practices), the page does not scroll sideways, and on a phone the portal's header stays
compact. A step that fails leaves a screenshot and the page's HTML under
``tests/e2e/artifacts/<test>/``.
"""

import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation
from playwright.sync_api import BrowserContext, Page

HERE = Path(__file__).resolve().parent
ARTIFACTS = HERE / "artifacts"
AXE_SOURCE = HERE / "node_modules" / "axe-core" / "axe.min.js"

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
# (language, screen): the patients' journeys in English on a desktop, in Spanish on a phone.
EN_DESKTOP_ES_PHONE = [
    pytest.param("en", "desktop", id="en-desktop"),
    pytest.param("es", "phone", id="es-phone"),
]
# The portal's header on a phone leaves the screen to the page: about 100 px (two rows of
# links), 128 px for a Spanish visitor (three); it took 195 px before.
PHONE_HEADER_MAX = 130
# E2E_SCREENSHOTS=1 keeps a screenshot of every step (under <test>/steps/), to look at pages.
SCREENSHOT_EVERY_STEP = os.environ.get("E2E_SCREENSHOTS") == "1"

_RUN_AXE = """async () => {
  const results = await axe.run(document, {resultTypes: ["violations"]});
  return results.violations.map((rule) => ({
    id: rule.id,
    impact: rule.impact,
    help: rule.help,
    nodes: rule.nodes.map((node) => ({target: node.target.join(" "), html: node.html})),
  }));
}"""


class PageProblem(AssertionError):
    """What a page shows breaks the accessibility or layout rules of the suite."""


@cache
def axe_source() -> str:
    if not AXE_SOURCE.exists():
        raise RuntimeError(f"{AXE_SOURCE} is missing: `make e2e` installs axe-core with npm")
    return AXE_SOURCE.read_text()


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's violations on the page. The source is evaluated through the DevTools
    protocol, which the page's Content Security Policy does not govern."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_source())
    return page.evaluate(_RUN_AXE)


def describe_violations(violations: list[dict[str, Any]]) -> str:
    lines = []
    for rule in violations:
        lines.append(f"{rule['id']} ({rule['impact']}): {rule['help']}")
        lines += [f"    {node['target']}: {node['html'][:200]}" for node in rule["nodes"]]
    return "\n".join(lines)


def horizontal_overflow(page: Page) -> int:
    """How many CSS pixels the page is wider than the window (0: no sideways scrolling).

    The window is the layout viewport (``clientWidth``) as well as ``innerWidth``: a phone
    browser zooms out to show a page wider than the screen, and ``innerWidth`` then grows with
    the page, so it alone would never see the overflow."""
    return page.evaluate(
        """() => {
          const root = document.documentElement;
          return Math.max(0, root.scrollWidth - Math.min(window.innerWidth, root.clientWidth));
        }"""
    )


def check_page(page: Page) -> None:
    overflow = horizontal_overflow(page)
    if overflow:
        raise PageProblem(
            f"{page.url} scrolls sideways: {overflow} px wider than the "
            f"{page.viewport_size['width']} px window"
        )
    header = page.locator("body > .site-header")
    if page.viewport_size["width"] <= PHONE["width"] and header.count():
        height = header.bounding_box()["height"]
        if height > PHONE_HEADER_MAX:
            raise PageProblem(f"{page.url}: the header takes {height:.0f} px of a phone's screen")
    violations = axe_violations(page)
    if violations:
        raise PageProblem(f"axe-core on {page.url}:\n{describe_violations(violations)}")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60]


@dataclass
class Person:
    """One person at one browser (their own cookies), in a language and on a screen size."""

    name: str
    context: BrowserContext
    page: Page
    base_url: str
    language: str
    folder: Path
    steps: list[str] = field(default_factory=list)
    navigations: int = 0
    failed_steps: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.page.on("framenavigated", self._navigated)

    def _navigated(self, frame) -> None:
        if frame == self.page.main_frame:
            self.navigations += 1

    @contextmanager
    def step(self, title: str) -> Iterator[Page]:
        """One thing the person does and what they then see, on one page. The page is checked
        at the end; on any failure its screenshot and HTML are kept."""
        self.steps.append(title)
        self.navigations = 0
        try:
            yield self.page
            if self.navigations > 1:
                raise PageProblem(
                    f"step {title!r} went through {self.navigations} pages; "
                    "give each page its own step so that each is checked"
                )
            self.page.wait_for_load_state()
            check_page(self.page)
        except BaseException:
            self.keep_artefacts(title)
            raise
        if SCREENSHOT_EVERY_STEP:
            self.folder.mkdir(parents=True, exist_ok=True)
            stem = f"{len(self.steps):02d}-{self.name}-{_slug(title)}"
            self.page.screenshot(path=self.folder / "steps" / f"{stem}.png", full_page=True)

    def keep_artefacts(self, title: str) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        stem = self.folder / f"{len(self.steps):02d}-{self.name}-{_slug(title)}"
        self.failed_steps.append(title)
        try:
            self.page.screenshot(path=f"{stem}.png", full_page=True)
            stem.with_suffix(".html").write_text(self.page.content())
        except Exception as exc:  # the page may be gone: keep what can be kept
            stem.with_suffix(".txt").write_text(f"{self.page.url}\n{type(exc).__name__}: {exc}")

    def url(self, path: str) -> str:
        return f"{self.base_url}{path}"

    def t(self, message: Any, **values: Any) -> str:
        """``message`` (a msgid or a lazy translation, such as a choice's label) as this person
        reads it: the portal's own translation."""
        with translation.override(self.language):
            text = translation.gettext(message) if isinstance(message, str) else str(message)
        return text % values if values else text

    def shown(self, render: Callable[..., str], *args: Any) -> str:
        """What ``render(*args)`` (a display helper of the portal) shows in this language."""
        with translation.override(self.language):
            return render(*args)
