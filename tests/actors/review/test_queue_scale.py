"""The review queue at scale: its page costs the same however long the queue is; the whole
queue's count and facets come from the cached tallies, a filtered queue's count stops at a
cap; every proposal stays reachable by paging."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from actors.review import views
from actors.review.selectors import review_facets, review_queue, review_queue_facets
from actors.review.services import stance_approve, stance_flag
from actors.selectors import queue_tallies
from tests.factories import ActorFactory, CountryFactory, StanceFactory

pytestmark = pytest.mark.django_db


def queue(client, **params) -> str:
    return client.get(reverse("review:queue"), params).content.decode()


def listed(page: str) -> list[int]:
    return [
        int(pk) for pk in re.findall(r'<article class="review-item[^"]*" id="stance-(\d+)"', page)
    ]


def test_the_whole_queues_facets_from_the_tallies_are_the_live_ones(editor):
    elsewhere = ActorFactory(country=CountryFactory(code="XE", name="Elsewhere"))
    StanceFactory.create_batch(3, proposed=True)
    StanceFactory.create_batch(2, proposed=True, actor=elsewhere, label="oppose")
    StanceFactory(proposed=True, actor=ActorFactory(country=None), label="neutral")
    StanceFactory.create_batch(2)  # approved: not in the queue
    flagged = StanceFactory(proposed=True, label="conditional")
    stance_flag(stance=flagged, editor=editor, reason="Which minister?")
    tallies = queue_tallies()
    for is_flagged in (False, True):
        live = review_facets(queryset=review_queue(flagged=is_flagged))
        assert review_queue_facets(tallies=tallies, flagged=is_flagged) == live
    assert tallies.queue_count(flagged=False) == 6
    assert tallies.queue_count(flagged=True) == 1


def test_the_whole_queue_shows_its_exact_count_and_pages_reach_every_proposal(
    client, editor, settings
):
    settings.STANCETRACKER_REVIEW_PAGE_SIZE = 4
    proposals = StanceFactory.create_batch(10, proposed=True)
    client.force_login(editor)
    first = queue(client)
    assert "10 proposals match." in first
    assert "Page 1 of 3" in first
    seen = listed(first) + listed(queue(client, page=2)) + listed(queue(client, page=3))
    assert seen == sorted(
        seen,
        key=lambda pk: next((s.article_id, s.quote_start, s.pk) for s in proposals if s.pk == pk),
    )
    assert sorted(seen) == sorted(s.pk for s in proposals)


def test_a_filtered_queue_past_the_cap_says_more_and_still_pages_to_its_end(
    client, editor, settings, monkeypatch
):
    settings.STANCETRACKER_REVIEW_PAGE_SIZE = 2
    monkeypatch.setattr(views, "REVIEW_COUNT_CAP", 3)
    opposing = StanceFactory.create_batch(5, proposed=True, label="oppose")
    StanceFactory.create_batch(2, proposed=True)
    client.force_login(editor)
    first = queue(client, label="oppose")
    assert "More than 3 proposals match." in first
    seen = []
    for number in range(1, 6):
        page = queue(client, label="oppose", page=number)
        seen += listed(page)
        if "data-next-page" not in page:
            break
    assert sorted(seen) == sorted(s.pk for s in opposing)
    assert number == 3


def test_a_decision_shows_in_the_queues_count_at_once(client, editor, article_with_proposals):
    _, (tusk, _sanchez) = article_with_proposals
    client.force_login(editor)
    assert "2 proposals match." in queue(client)
    stance_approve(stance=tusk, editor=editor)
    assert "1 proposal matches." in queue(client)


@pytest.mark.parametrize("params", [{}, {"label": "support"}, {"order": "uncertain", "page": 2}])
def test_queue_pages_cost_the_same_queries_with_a_longer_queue(
    client, editor, query_count, params, settings
):
    settings.STANCETRACKER_REVIEW_PAGE_SIZE = 3
    StanceFactory.create_batch(7, proposed=True)
    client.force_login(editor)
    small = query_count(reverse("review:queue"), budget=13, **params)
    StanceFactory.create_batch(20, proposed=True, actor=ActorFactory())
    assert query_count(reverse("review:queue"), budget=13, **params) == small
