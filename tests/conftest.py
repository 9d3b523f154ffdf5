from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from django.contrib.auth.models import Group

from actors.models import Actor, Stance
from articles.models import Article
from articles.nlp import Proposal
from articles.services import article_create, article_propose
from stancetracker.roles import ADMIN, ANALYST, EDITOR

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SHARED_EVAL = ROOT.parent / "shared" / "eval"

ARTICLE_TEXT = """ date 2026-03-10 World Politics
Leaders weigh a new channel to Moscow

Spanish Prime Minister Pedro Sánchez said on Monday that Europe should open talks with Russia.

Polish Prime Minister Donald Tusk rejected any talks with Moscow for now.
"""


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: the tallies over all stances a previous test
    counted must not stand for this test's rows (they may be served for half a minute)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def _user(django_user_model, username: str, role: str | None):
    user = django_user_model.objects.create_user(username=username, password="pw-for-tests-only")
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def editor(django_user_model):
    return _user(django_user_model, "edith", EDITOR)


@pytest.fixture
def second_editor(django_user_model):
    return _user(django_user_model, "eric", EDITOR)


@pytest.fixture
def analyst(django_user_model):
    return _user(django_user_model, "anna", ANALYST)


@pytest.fixture
def admin_user_role(django_user_model):
    return _user(django_user_model, "adam", ADMIN)


@pytest.fixture
def no_role_user(django_user_model):
    return _user(django_user_model, "nobody", None)


def proposal_for(body: str, actor: str, quote: str, label: str, **extra) -> Proposal:
    start = body.index(quote)
    fields = {
        "actor": actor,
        "country": extra.pop("country", ""),
        "label": label,
        "stated_on": extra.pop("stated_on", None),
        "precision": extra.pop("precision", "unknown"),
        "quote": quote,
        "start": start,
        "end": start + len(quote),
        "sentence_start": start,
        "sentence_end": start + len(quote),
        "confidence": extra.pop("confidence", 0.9),
    }
    return Proposal(**fields, **extra)


@pytest.fixture
def article_with_proposals(db) -> tuple[Article, list[Stance]]:
    """An article with two proposed stances, made without running spaCy."""
    article, _ = article_create(raw=ARTICLE_TEXT, name="spain-poland.txt")
    body = article.body
    proposals = [
        proposal_for(
            body,
            "Donald Tusk",
            "Donald Tusk rejected any talks with Moscow for now",
            "oppose",
            stated_on=date(2026, 3, 10),
            precision="day",
        ),
        proposal_for(
            body,
            "Pedro Sánchez",
            "Europe should open talks with Russia",
            "support",
            country="ES",
            stated_on=date(2026, 3, 9),
            precision="day",
        ),
    ]
    return article, article_propose(article=article, proposals=proposals)


@pytest.fixture
def tusk(db) -> Actor:
    return Actor.objects.get(name="Donald Tusk")


@pytest.fixture
def query_count(client, django_assert_max_num_queries):
    """The queries one page costs, within ``budget``; the page must answer 200."""
    from django.core.cache import cache

    def count(url: str, *, budget: int, **params) -> int:
        # counted with nothing cached: the page's dearest path (cached tallies are renewed)
        cache.clear()
        with django_assert_max_num_queries(budget) as captured:
            response = client.get(url, params)
        assert response.status_code == 200, url
        return len(captured.captured_queries)

    return count
