from __future__ import annotations

import pytest

from actors.models import Stance
from tests.browser.conftest import log_in, screenshot

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_an_editor_reviews_proposals_with_the_keyboard_only(
    page, live_server, editor, article_with_proposals
):
    _, stances = article_with_proposals
    # The queue is in reading order.
    first_stance, second_stance = sorted(stances, key=lambda stance: stance.quote_start)
    log_in(page, live_server, editor.username)
    page.goto(f"{live_server.url}/review/")
    first = page.locator(f"#stance-{first_stance.pk}")
    second = page.locator(f"#stance-{second_stance.pk}")
    page.wait_for_selector(f"#stance-{first_stance.pk}.current")  # the script has taken over
    assert first.is_visible()

    facets = page.locator("#review-facets")
    first_label = first_stance.get_label_display()
    assert f"{first_label} 1" in facets.inner_text()
    page.keyboard.press("a")  # approve the first; the focus moves on
    page.wait_for_selector(f"#stance-{first_stance.pk}.status-approved")
    page.wait_for_selector(f"#stance-{second_stance.pk}.current")
    # the counts per label follow the decision without a reload
    page.wait_for_function(
        f"() => document.querySelector('#review-facets').innerText.includes('{first_label} 0')"
    )

    page.keyboard.press("3")  # relabel the second as conditional
    page.wait_for_selector(f"#stance-{second_stance.pk}.current .badge.label-conditional")
    page.keyboard.press("r")  # then reject it
    page.wait_for_selector(f"#stance-{second_stance.pk}.current.status-rejected")
    page.keyboard.press("u")  # undo the rejection
    page.wait_for_selector(f"#stance-{second_stance.pk}.status-proposed")

    screenshot(page, "review-queue-after-decisions")
    page.keyboard.press("?")
    assert page.locator("#help").is_visible()
    page.keyboard.press("Escape")

    first_stance.refresh_from_db()
    second_stance.refresh_from_db()
    assert (first_stance.status, first_stance.reviewed_by) == (Stance.Status.APPROVED, editor)
    assert (second_stance.status, second_stance.label) == (Stance.Status.PROPOSED, "conditional")
    assert second_stance.history.count() == 4  # proposed, relabelled, rejected, undone
    assert second.is_visible()


def test_the_edit_form_opens_with_e_and_saves_a_new_date(
    page, live_server, editor, article_with_proposals
):
    _, stances = article_with_proposals
    first_stance = min(stances, key=lambda stance: stance.quote_start)
    log_in(page, live_server, editor.username)
    page.goto(f"{live_server.url}/review/")
    page.wait_for_selector(f"#stance-{first_stance.pk}.current")
    page.keyboard.press("e")
    page.wait_for_selector(f"#stance-{first_stance.pk}.editing")
    page.fill(f"#edit-{first_stance.pk}-stated_on", "2026-03-02")
    page.select_option(f"#edit-{first_stance.pk}-precision", "day")
    page.press(f"#edit-{first_stance.pk}-stated_on", "Enter")
    page.wait_for_selector(f"#stance-{first_stance.pk}:not(.editing)")
    first_stance.refresh_from_db()
    assert str(first_stance.stated_on) == "2026-03-02"


def test_a_click_makes_a_card_current_so_the_next_key_acts_on_it(
    page, live_server, editor, article_with_proposals
):
    _, stances = article_with_proposals
    first_stance, second_stance = sorted(stances, key=lambda stance: stance.quote_start)
    log_in(page, live_server, editor.username)
    page.goto(f"{live_server.url}/review/")
    page.wait_for_selector(f"#stance-{first_stance.pk}.current")
    page.click(f"#stance-{second_stance.pk} blockquote, #stance-{second_stance.pk} p >> nth=0")
    page.wait_for_selector(f"#stance-{second_stance.pk}.current")
    page.keyboard.press("a")
    page.wait_for_selector(f"#stance-{second_stance.pk}.status-approved")
    first_stance.refresh_from_db()
    second_stance.refresh_from_db()
    assert first_stance.status == Stance.Status.PROPOSED
    assert second_stance.status == Stance.Status.APPROVED

    page.keyboard.press("u")  # the restored card is the current one
    page.wait_for_selector(f"#stance-{second_stance.pk}.current.status-proposed")

    page.reload()
    page.wait_for_selector(f"#stance-{first_stance.pk}.current")
    page.keyboard.press("u")  # the undo is spent: the page says so
    page.wait_for_selector(".review-notice")
    assert "Nothing" in page.locator(".review-notice").inner_text()


def test_the_queue_pages_by_cursor_with_j_and_with_the_plain_links(
    page, live_server, editor, settings
):
    from tests.factories import StanceFactory

    settings.STANCETRACKER_REVIEW_PAGE_SIZE = 2
    proposals = sorted(
        StanceFactory.create_batch(5, proposed=True),
        key=lambda s: (s.article_id, s.quote_start, s.pk),
    )
    log_in(page, live_server, editor.username)
    page.goto(f"{live_server.url}/review/")
    page.wait_for_selector(f"#stance-{proposals[0].pk}.current")
    page.keyboard.press("j")
    page.wait_for_selector(f"#stance-{proposals[1].pk}.current")
    page.keyboard.press("j")  # past the page's last card: the next page
    page.wait_for_selector(f"#stance-{proposals[2].pk}.current")
    assert f"after={proposals[1].pk}" in page.url
    page.click("[data-last-page]")
    page.wait_for_selector(f"#stance-{proposals[4].pk}")
    assert page.locator(".review-list .review-item").count() == 2
    assert page.locator("[data-next-page]").count() == 0
    page.click("[data-previous-page]")
    page.wait_for_selector(f"#stance-{proposals[1].pk}")
    page.click("[data-first-page]")
    page.wait_for_selector(f"#stance-{proposals[0].pk}.current")
    assert page.locator("[data-previous-page]").count() == 0
