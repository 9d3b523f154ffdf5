"""At phone width the navigation stays on the screen."""

from __future__ import annotations

import pytest

from tests.browser.conftest import log_in, screenshot

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_the_navigation_fits_a_phone_screen(browser, live_server, admin_user_role):
    context = browser.new_context(viewport={"width": 375, "height": 740})
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        log_in(page, live_server, admin_user_role.username)
        page.goto(f"{live_server.url}/review/")
        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 1
        for link in page.locator("nav[aria-label=Main] a").all():
            box = link.bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 376
        screenshot(page, "phone-navigation")
    finally:
        context.close()
