from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from actors.review.services import stance_approve

pytestmark = pytest.mark.django_db


def search(client, query, **params):
    return client.get(reverse("articles:search"), {"q": query, **params}).content.decode()


def test_search_finds_articles_and_approved_quotes_with_the_words_marked(
    client, analyst, editor, article_with_proposals
):
    article, (tusk, sanchez) = article_with_proposals
    stance_approve(stance=tusk, editor=editor)
    client.force_login(analyst)
    page = search(client, "Moscow rejected")
    assert article.get_absolute_url() in page
    assert "<mark>" in page
    assert f"“{tusk.quote}”" in page
    assert f"“{sanchez.quote}”" not in page  # not approved: analysts never see it


def test_editors_can_include_proposed_quotes_marked_as_such(client, editor, article_with_proposals):
    _, (_, sanchez) = article_with_proposals
    client.force_login(editor)
    assert f"“{sanchez.quote}”" not in search(client, "open talks")
    page = search(client, "open talks", include_proposed="on")
    assert f"“{sanchez.quote}”" in page
    assert "proposed" in page


def test_a_search_without_matches_says_so(client, analyst, article_with_proposals):
    client.force_login(analyst)
    page = search(client, "zeppelin")
    assert "No article matches." in page
    assert "No quote matches." in page


def test_full_text_search_matches_word_forms_on_postgresql(
    client, analyst, editor, article_with_proposals
):
    article, (tusk, _) = article_with_proposals
    stance_approve(stance=tusk, editor=editor)
    client.force_login(analyst)
    page = search(client, "rejecting talk")
    if connection.vendor == "postgresql":
        assert article.get_absolute_url() in page  # "rejecting" ~ "rejected", "talk" ~ "talks"
    else:
        assert "No article matches." in page  # the fallback matches words as typed


def test_search_needs_a_login(client):
    response = client.get(reverse("articles:search"), {"q": "talks"})
    assert response.status_code == 302


def test_search_uses_a_constant_number_of_queries(
    client, analyst, article_with_proposals, query_count
):
    from tests.factories import StanceFactory

    client.force_login(analyst)
    url = reverse("articles:search")
    StanceFactory()  # a quote and an article that match
    # session, user, two permission reads, topics, and a count and a page for each list
    small = query_count(url, budget=9, q="channel Moscow")
    StanceFactory.create_batch(12)
    assert query_count(url, budget=9, q="channel Moscow") == small


def test_search_counts_every_match_and_pages_through_them(client, analyst):
    from articles.selectors import SEARCH_PAGE_SIZE
    from articles.services import article_create

    total = SEARCH_PAGE_SIZE + 3
    for i in range(total):
        article_create(raw=f"Envoy {i}\n\nThe envoy number {i} flew to Moscow for talks.\n")
    client.force_login(analyst)
    first = client.get(reverse("articles:search"), {"q": "envoy"}).content.decode()
    assert f"{total} articles match" in first and "page 1 of 2" in first
    second = client.get(reverse("articles:search"), {"q": "envoy", "articles_page": 2})
    assert len(second.context["articles"]) == 3
