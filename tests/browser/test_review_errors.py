"""Every error answer of the review desk shows in the card, with the card's current state."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from actors.models import Stance
from tests.browser.conftest import log_in, screenshot

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _open_queue(page, live_server, editor, stance):
    log_in(page, live_server, editor.username)
    page.goto(f"{live_server.url}/review/")
    page.wait_for_selector(f"#stance-{stance.pk}.current")


def test_a_conflict_shows_in_the_card_with_the_other_editors_decision(
    page, live_server, editor, article_with_proposals
):
    _, stances = article_with_proposals
    first = min(stances, key=lambda stance: stance.quote_start)
    _open_queue(page, live_server, editor, first)
    # another editor approves it meanwhile
    Stance.objects.filter(pk=first.pk).update(
        status="approved", version=first.version + 1, reviewed_at=timezone.now()
    )
    page.keyboard.press("r")
    card = page.locator(f"#stance-{first.pk}")
    page.wait_for_selector(f"#stance-{first.pk}.status-approved .conflict")
    assert "changed" in card.locator(".conflict").inner_text().lower()
    screenshot(page, "review-conflict-in-the-card")
    first.refresh_from_db()
    assert first.status == Stance.Status.APPROVED


def test_an_invalid_edit_shows_its_error_in_the_form(
    page, live_server, editor, article_with_proposals
):
    _, stances = article_with_proposals
    first = min(stances, key=lambda stance: stance.quote_start)
    _open_queue(page, live_server, editor, first)
    page.keyboard.press("e")
    page.wait_for_selector(f"#stance-{first.pk}.editing")
    page.fill(f"#edit-{first.pk}-quote", "words that are nowhere in the article")
    page.press(f"#edit-{first.pk}-stated_on", "Enter")
    page.wait_for_selector(f"#stance-{first.pk}.editing .errorlist")
    assert page.locator(f"#stance-{first.pk} .errorlist").is_visible()


def test_undo_with_nothing_to_undo_says_so_in_the_card(
    page, live_server, editor, article_with_proposals
):
    _, stances = article_with_proposals
    first = min(stances, key=lambda stance: stance.quote_start)
    _open_queue(page, live_server, editor, first)
    # what "u" sends for a card: an undo, which the server refuses (nothing of this editor's)
    page.evaluate(
        """([url, pk]) => htmx.ajax('POST', url,
            {target: `#stance-${pk}`, swap: 'outerHTML', values: {action: 'undo'}})""",
        [reverse("review:stance-review", kwargs={"pk": first.pk}), first.pk],
    )
    page.wait_for_selector(f"#stance-{first.pk} .conflict")
    assert "no change of yours" in page.locator(f"#stance-{first.pk} .conflict").inner_text()


def test_a_refused_permission_shows_in_the_card(page, live_server, editor, article_with_proposals):
    _, stances = article_with_proposals
    first = min(stances, key=lambda stance: stance.quote_start)
    _open_queue(page, live_server, editor, first)
    editor.groups.remove(Group.objects.get(name="Editor"))  # the role is taken away meanwhile
    page.keyboard.press("a")
    page.wait_for_selector(f"#stance-{first.pk} .request-error")
    assert "role" in page.locator(f"#stance-{first.pk} .request-error").inner_text()
    first.refresh_from_db()
    assert first.status == Stance.Status.PROPOSED
