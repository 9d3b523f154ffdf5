"""Search at scale: a stored, indexed vector on PostgreSQL, matches only, and a count that
stops where ranking every match would cost as much as the matches are many."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from actors.models import Stance
from articles import views
from articles.models import Article
from articles.selectors import (
    _postgres_query,
    _quote_vector,
    article_matches,
    article_search,
    stance_search,
)
from tests.factories import ArticleFactory, StanceFactory

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the stored vector is PostgreSQL's"
)


def search(client, query, **params):
    return client.get(reverse("articles:search"), {"q": query, **params}).content.decode()


def test_only_matching_articles_and_quotes_are_found_when_hits_are_few(client, analyst):
    hit = ArticleFactory(title="Envoys meet", body="The zeppelin envoy met his counterpart.")
    others = ArticleFactory.create_batch(3)
    StanceFactory.create_batch(3)
    assert [a.pk for a in article_search(query="zeppelin")] == [hit.pk]
    assert list(stance_search(query="zeppelin", statuses=["approved"])) == []
    client.force_login(analyst)
    page = search(client, "zeppelin")
    assert hit.get_absolute_url() in page
    assert all(other.get_absolute_url() not in page for other in others)
    assert "1 article matches" in page


@on_postgresql
def test_the_stored_vector_follows_the_text_however_it_is_written():
    article = ArticleFactory(title="Quiet week", body="Nothing about airships.")
    assert list(article_search(query="zeppelin")) == []
    article.body = "A zeppelin was seen over the capital."
    article.save()
    assert [a.pk for a in article_search(query="zeppelin")] == [article.pk]
    Article.objects.filter(pk=article.pk).update(title="Balloons", body="Only balloons.")
    assert list(article_search(query="zeppelin")) == []
    assert [a.pk for a in article_search(query="balloon")] == [article.pk]  # title, a word form


@on_postgresql
def test_search_uses_the_indexes():
    ArticleFactory.create_batch(3)
    with connection.cursor() as cursor:
        # with so few rows any plan is cheap: leave the planner only bitmap scans to pick from
        cursor.execute("SET enable_seqscan = off")
        cursor.execute("SET enable_indexscan = off")
        plans = []
        for queryset in (
            article_matches(query="zeppelin").values("pk"),
            # the expression stance_matches filters on (the status it also filters on has an
            # index of its own, which a table this small would rather use)
            Stance.objects.annotate(document=_quote_vector())
            .filter(document=_postgres_query("zeppelin"))
            .values("pk"),
        ):
            sql, params = queryset.query.sql_with_params()
            cursor.execute(f"EXPLAIN {sql}", params)
            plans.append("\n".join(row[0] for row in cursor.fetchall()))
        cursor.execute("RESET enable_seqscan")
        cursor.execute("RESET enable_indexscan")
    assert "article_search_vector_idx" in plans[0]
    assert "stance_quote_search_idx" in plans[1]


def test_past_the_cap_the_count_says_more_and_paging_still_reaches_every_match(
    client, analyst, monkeypatch
):
    monkeypatch.setattr(views, "SEARCH_RANKED_MAX", 3)
    monkeypatch.setattr(views, "SEARCH_PAGE_SIZE", 2)
    articles = ArticleFactory.create_batch(5)
    client.force_login(analyst)
    page = search(client, "Moscow")
    assert "More than 3 articles match" in page
    seen = set()
    for number in range(1, 5):
        page = search(client, "Moscow", articles_page=number)
        seen |= {a.pk for a in articles if a.get_absolute_url() in page}
    assert seen == {a.pk for a in articles}
    assert "next articles" not in search(client, "Moscow", articles_page=3)


def test_under_the_cap_the_count_is_exact(client, analyst, monkeypatch):
    monkeypatch.setattr(views, "SEARCH_RANKED_MAX", 3)
    ArticleFactory.create_batch(3)
    client.force_login(analyst)
    page = search(client, "Moscow")
    assert "3 articles match" in page
    assert "More than" not in page
