from __future__ import annotations

import pytest

from actors.models import Stance
from tests.browser.conftest import log_in, screenshot

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SELECT_SECOND_PRIME_MINISTER = """
() => {
  const spans = [...document.querySelectorAll('.article-body [data-start]')]
    .filter((el) => el.textContent.includes('Prime Minister'));
  const span = spans[spans.length - 1];
  const node = span.firstChild;
  const at = node.textContent.indexOf('Prime Minister');
  const range = document.createRange();
  range.setStart(node, at);
  range.setEnd(node, at + 'Prime Minister'.length);
  const selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
  document.dispatchEvent(new MouseEvent('mouseup', { bubbles: true }));
}
"""


def test_selecting_evidence_fills_the_form_and_adds_the_stance(
    page, live_server, editor, article_with_proposals
):
    article, _ = article_with_proposals
    log_in(page, live_server, editor.username)
    page.goto(f"{live_server.url}{article.get_absolute_url()}")
    page.evaluate(SELECT_SECOND_PRIME_MINISTER)
    assert page.input_value("#add-stance [name=quote]") == "Prime Minister"
    page.fill("#add-stance [name=actor_name]", "Donald Tusk")
    page.select_option("#add-stance [name=label]", "neutral")
    page.click("#add-stance button[type=submit]")
    page.wait_for_url(f"**{article.get_absolute_url()}#stance-*")

    stance = Stance.objects.get(label="neutral")
    second = article.body.index("Prime Minister", article.body.index("Prime Minister") + 1)
    assert (stance.quote_start, stance.actor.name) == (second, "Donald Tusk")


def test_the_article_page_uses_its_width_and_names_its_highlight_colours(
    page, live_server, editor, article_with_proposals
):
    article, _ = article_with_proposals
    log_in(page, live_server, editor.username)
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(f"{live_server.url}{article.get_absolute_url()}")
    body = page.locator(".article-body").bounding_box()
    aside = page.locator(".article-page aside").bounding_box()
    assert aside["x"] >= body["x"] + body["width"]  # beside the text, not below it
    assert aside["y"] < body["y"] + body["height"]
    legend = page.locator(".highlight-legend mark")
    assert legend.all_inner_texts() == ["Support", "Oppose", "Conditional", "Neutral"]
    for style in (
        "el => getComputedStyle(el).boxShadow",
        "el => getComputedStyle(el).backgroundColor",
    ):
        assert page.locator(".article-body mark.label-oppose").first.evaluate(style) == (
            page.locator(".highlight-legend mark.label-oppose").evaluate(style)
        )
    tints = {
        label: page.locator(f".highlight-legend mark.label-{label}").evaluate(
            "el => getComputedStyle(el).backgroundColor"
        )
        for label in ("support", "oppose", "conditional", "neutral")
    }
    assert len(set(tints.values())) == 4  # each label its own tint
    assert "---------" not in page.content()
    screenshot(page, "article-page")


def test_a_selection_brings_the_filled_form_into_view(
    page, live_server, editor, article_with_proposals
):
    article, _ = article_with_proposals
    log_in(page, live_server, editor.username)
    page.set_viewport_size({"width": 1280, "height": 260})
    page.goto(f"{live_server.url}{article.get_absolute_url()}")
    form = page.locator("#add-stance")
    assert not form.evaluate("el => el.getBoundingClientRect().top < window.innerHeight")
    page.evaluate(SELECT_SECOND_PRIME_MINISTER)
    page.wait_for_function(
        """() => { const r = document.querySelector('#add-stance').getBoundingClientRect();
                   return r.top < window.innerHeight && r.bottom > 0; }"""
    )
    assert page.evaluate("document.activeElement.name") == "actor_name"
