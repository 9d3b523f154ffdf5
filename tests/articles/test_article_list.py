"""The article list counts stances for the articles of its page only."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.factories import ArticleFactory, StanceFactory

pytestmark = pytest.mark.django_db


def rows(page: str) -> dict[str, list[str]]:
    """Title -> the cells after it, from the list's table."""
    found = {}
    for row in re.findall(r"<tr><td><a [^>]*>([^<]+)</a></td>(.*?)</tr>", page):
        found[row[0]] = re.findall(r"<td>(.*?)</td>", row[1])
    return found


def test_each_article_shows_its_own_counts_of_open_and_approved_stances(client, editor):
    busy, quiet = ArticleFactory(), ArticleFactory()
    StanceFactory.create_batch(2, article=busy)
    StanceFactory(article=busy, proposed=True)
    StanceFactory(article=busy, status="rejected", reviewed_at=busy.created_at)
    client.force_login(editor)
    page = rows(client.get(reverse("articles:list")).content.decode())
    # published, outlet, proposed, approved
    assert page[busy.title][2:] == ["1", "2"]
    assert page[quiet.title][2:] == ["0", "0"]


def test_paging_reaches_every_article(client, editor):
    articles = ArticleFactory.create_batch(51)
    client.force_login(editor)
    first = client.get(reverse("articles:list")).content.decode()
    second = client.get(reverse("articles:list"), {"page": 2}).content.decode()
    assert "Page 1 of 2" in first
    assert len(rows(first)) == 50
    assert len(rows(second)) == 1
    assert set(rows(first)) | set(rows(second)) == {a.title for a in articles}
