"""An editor corrects an article's publication date in the browser; proposals follow."""

from __future__ import annotations

import pytest

from actors.models import Stance
from articles.services import article_create, article_extract
from tests.browser.conftest import log_in, screenshot
from tests.conftest import ARTICLE_TEXT

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_an_editor_sets_the_publication_date_and_the_proposal_dates_follow(
    page, live_server, editor
):
    article, _ = article_create(raw=ARTICLE_TEXT.replace(" date 2026-03-10 ", ""), name="x.txt")
    article_extract(article=article)
    log_in(page, live_server, editor.username)
    page.goto(f"{live_server.url}{article.get_absolute_url()}")
    assert "no publication date" in page.locator(".article .muted").inner_text()
    page.click("details.publication summary")
    page.fill("#id_published", "2026-03-17")
    page.fill("#id_outlet", "El País")
    page.click("details.publication button[type=submit]")
    page.wait_for_selector(".messages li")
    assert "Publication saved" in page.locator(".messages").inner_text()
    assert "El País" in page.locator(".article .muted").inner_text()
    sanchez = Stance.objects.get(article=article, actor__name="Pedro Sánchez")
    assert str(sanchez.stated_on) == "2026-03-16"
    assert "16 Mar 2026" in page.locator(".stance-list").inner_text()
    screenshot(page, "article-publication-date")
