"""Fixtures of the browser suite: the live stack, Chromium, and people at their browsers.

Run with ``make e2e`` (it installs axe-core); ``make test`` does not collect this folder.
"""

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

from tests.e2e.browser import ARTIFACTS, DESKTOP, PHONE, Person
from tests.e2e.stack import Mailbox, Stack, free_port

# Playwright's synchronous API keeps an event loop in the test thread; the ORM calls of the
# fixtures run between its calls, never inside it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENS = {"desktop": DESKTOP, "phone": PHONE}


def pytest_collection_modifyitems(items):
    for item in items:
        if "stack" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.requires_postgres)
            item.add_marker(pytest.mark.requires_redis)


def pytest_sessionstart(session):
    shutil.rmtree(ARTIFACTS, ignore_errors=True)


def pytest_terminal_summary(terminalreporter):
    if any(path.parent.name != "steps" for path in ARTIFACTS.rglob("*.png")):
        terminalreporter.write_sep("-", f"browser artefacts of failed steps: {ARTIFACTS}")


@pytest.fixture(autouse=True)
def _clean_cache():
    """The live server owns its cache; the suite leaves it alone (overrides tests/conftest)."""


@pytest.fixture(scope="session")
def orm(django_test_environment, django_db_blocker):
    """A new test database (``test_<name>`` of ``DATABASE_URL``, migrated, dropped at the end)
    and access to it for the suite's own process: outside any transaction, as the servers see
    it. pytest-django's ``django_db_setup`` would make it only for tests marked ``django_db``,
    whose mark would also wrap each test in a transaction the servers cannot see into."""
    from django.test.utils import setup_databases, teardown_databases

    with django_db_blocker.unblock():
        databases = setup_databases(
            verbosity=0, interactive=False, aliases={"default"}, serialized_aliases=set()
        )
        try:
            yield
        finally:
            teardown_databases(databases, verbosity=0)


@pytest.fixture(scope="session")
def stack(orm, tmp_path_factory) -> Iterator[Stack]:
    from django.db import connection

    if os.environ.get("PYTEST_XDIST_WORKER"):
        pytest.fail("run the browser suite in one process (no -n): its stacks would share a queue")
    if connection.vendor != "postgresql":
        pytest.fail("the browser suite needs PostgreSQL: set DATABASE_URL=postgres://...")
    missing = [name for name in ("REDIS_URL", "CELERY_BROKER_URL") if not os.environ.get(name)]
    if missing:
        pytest.fail(
            f"the browser suite needs Redis as cache and broker: set {' and '.join(missing)}"
        )
    port = free_port()
    mail = tmp_path_factory.mktemp("mail")
    logs = ARTIFACTS / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    live = Stack(
        base_url=f"http://127.0.0.1:{port}",
        env=Stack.environment(port=port, mail=mail, db=connection.settings_dict),
        mailbox=Mailbox(mail),
        logs=logs,
    )
    try:
        live.start()
        yield live
    finally:
        live.stop()
        connection.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"no Chromium at {CHROMIUM}: apt-get install -y chromium")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def person(request, browser, stack) -> Iterator[Callable[..., Person]]:
    """``person("patient", language="es", screen="phone")``: someone at their own browser."""
    opened: list[Person] = []
    folder = ARTIFACTS / request.node.name.replace("/", "_")

    def open_browser(name: str, *, language: str = "en", screen: str = "desktop") -> Person:
        context = browser.new_context(
            viewport=SCREENS[screen],
            is_mobile=screen == "phone",
            has_touch=screen == "phone",
            locale={"en": "en-US", "es": "es-ES"}[language],
            timezone_id="America/New_York",
            accept_downloads=True,
        )
        context.set_default_timeout(15_000)
        someone = Person(
            name=name,
            context=context,
            page=context.new_page(),
            base_url=stack.base_url,
            language=language,
            folder=folder,
        )
        opened.append(someone)
        return someone

    yield open_browser
    outcome = getattr(request.node, "rep_call", None)
    for someone in opened:
        if outcome is not None and outcome.failed and not someone.failed_steps:
            someone.keep_artefacts("after the last step")
        someone.context.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report
