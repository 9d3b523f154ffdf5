from __future__ import annotations

import os

import pytest
from django.db import connections

CHROMIUM = "/usr/bin/chromium"


def pytest_collection_modifyitems(items):
    # every test in this folder drives the browser; `make test-quick` leaves them out
    for item in items:
        if "tests/browser/" in item.nodeid:
            item.add_marker(pytest.mark.browser)


@pytest.fixture
def browser():
    """Debian's Chromium driven by Playwright; never a downloaded browser.

    One per test: while Playwright's event loop runs in this thread, Django
    hands out other connection objects, without the serialized test data that
    transactional tests restore from; the loop must end with the test.
    """
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls
    # the tests make between page actions are still synchronous.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()
    # The connections the test opened while Playwright's loop ran belong to
    # that loop's context; left open, they keep the test database busy.
    connections.close_all()


def log_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw-for-tests-only")
    page.press("#id_password", "Enter")
    page.wait_for_url(f"{live_server.url}/")


def screenshot(page, name: str) -> None:
    """A picture of the page for the notes, under var/screenshots/ (never committed)."""
    from django.conf import settings

    folder = settings.VAR_DIR / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)
