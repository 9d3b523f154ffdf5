from __future__ import annotations

import pytest

from actors.models import Stance
from tests.browser.conftest import log_in

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
