"""The review queue at scale: its page costs the same however long the queue is; the whole
queue's count and facets come from the cached tallies, a filtered queue's count stops at a
cap; every proposal stays reachable by paging."""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qsl

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


def link(page: str, marker: str) -> dict[str, str] | None:
    """The query of the pager's link marked ``marker`` (data-next-page…), as parameters."""
    found = re.search(rf'<a href="([^"]*)" {marker}>', page)
    if found is None:
        return None
    path, _, query = html.unescape(found.group(1)).partition("?")
    assert path in ("", reverse("review:queue"))
    return dict(parse_qsl(query))


def walk(client, params: dict, marker: str, *, start: dict | None = None) -> list[list[int]]:
    """Every page met by following the link ``marker`` from the page ``start`` asks for."""
    page = queue(client, **params, **(start or {}))
    pages = [listed(page)]
    while (query := link(page, marker)) is not None:
        assert len(pages) < 50, "the pager goes round in circles"
        page = queue(client, **query)
        pages.append(listed(page))
    return pages


def reading_order(proposals):
    return sorted(proposals, key=lambda s: (s.article_id, s.quote_start, s.pk))


def test_the_whole_queue_shows_its_exact_count_and_pages_reach_every_proposal(
    client, editor, settings
):
    settings.STANCETRACKER_REVIEW_PAGE_SIZE = 4
    proposals = StanceFactory.create_batch(10, proposed=True)
    client.force_login(editor)
    first = queue(client)
    assert "10 proposals match." in first
    assert link(first, "data-previous-page") is None
    forwards = walk(client, {}, "data-next-page")
    expected = [s.pk for s in reading_order(proposals)]
    assert forwards == [expected[0:4], expected[4:8], expected[8:10]]
    # the last page is the order read backwards: its last four; Previous walks back to the
    # first page, a full one
    backwards = walk(client, {}, "data-previous-page", start={"last": "1"})
    assert backwards == [expected[6:10], expected[2:6], expected[0:4]]
    last = queue(client, last="1")
    assert link(last, "data-next-page") is None
    assert link(last, "data-first-page") == {}


@pytest.mark.parametrize("order", ["uncertain", "confidence", "-confidence"])
def test_every_order_pages_forwards_and_backwards_through_the_same_sequence(
    client, editor, settings, order
):
    settings.STANCETRACKER_REVIEW_PAGE_SIZE = 3
    # ties on confidence and on the distance to 0.5, which the id breaks
    confidences = [0.5, 0.7, 0.3, 0.7, 0.9, 0.1, 0.3, 0.55, 0.5, 0.7]
    proposals = [StanceFactory(proposed=True, confidence=c) for c in confidences]
    client.force_login(editor)
    if order == "uncertain":
        expected = sorted(proposals, key=lambda s: (abs(s.confidence - 0.5), s.pk))
    elif order == "confidence":
        expected = sorted(proposals, key=lambda s: (s.confidence, s.pk))
    else:
        expected = sorted(proposals, key=lambda s: (-s.confidence, -s.pk))
    expected_ids = [s.pk for s in expected]
    forwards = walk(client, {"order": order}, "data-next-page")
    assert [pk for page in forwards for pk in page] == expected_ids
    backwards = walk(client, {"order": order}, "data-previous-page", start={"last": "1"})
    assert backwards[0] == expected_ids[-3:]
    # each page before the last is the three before it; the walk ends on the first page,
    # full (so it overlaps the page after it)
    assert backwards[:-1] == [expected_ids[-3:], expected_ids[-6:-3], expected_ids[-9:-6]]
    assert backwards[-1] == expected_ids[:3]


def test_a_page_goes_on_from_its_cursor_when_that_proposal_was_decided_meanwhile(
    client, editor, settings
):
    settings.STANCETRACKER_REVIEW_PAGE_SIZE = 3
    proposals = reading_order(StanceFactory.create_batch(8, proposed=True))
    client.force_login(editor)
    next_query = link(queue(client), "data-next-page")
    assert next_query == {"after": str(proposals[2].pk)}
    # the editor decides the page's last proposal, then asks for the next page
    stance_approve(stance=proposals[2], editor=editor)
    second = queue(client, **next_query)
    assert listed(second) == [s.pk for s in proposals[3:6]]
    assert link(second, "data-previous-page") == {"before": str(proposals[3].pk)}
    # Previous from there: the first page, now of the two left before it and the next one
    assert listed(queue(client, before=str(proposals[3].pk))) == [
        s.pk for s in (proposals[0], proposals[1], proposals[3])
    ]


def test_odd_cursors_give_the_first_page(client, editor, settings):
    settings.STANCETRACKER_REVIEW_PAGE_SIZE = 2
    proposals = reading_order(StanceFactory.create_batch(5, proposed=True))
    client.force_login(editor)
    first = [s.pk for s in proposals[:2]]
    for params in (
        {"after": "abc"},
        {"before": "-3"},
        {"after": "999999"},
        {"after": "99999999999999999999"},  # past any id column
        {"page": "4"},
    ):
        response = client.get(reverse("review:queue"), params)
        assert response.status_code == 200
        assert listed(response.content.decode()) == first


def test_the_pager_keeps_the_filters_and_the_filters_start_from_the_first_page(
    client, editor, settings
):
    settings.STANCETRACKER_REVIEW_PAGE_SIZE = 2
    opposing = reading_order(StanceFactory.create_batch(5, proposed=True, label="oppose"))
    StanceFactory.create_batch(3, proposed=True, label="support")
    client.force_login(editor)
    pages = walk(client, {"label": "oppose"}, "data-next-page")
    assert [pk for page in pages for pk in page] == [s.pk for s in opposing]
    second = queue(client, label="oppose", after=str(opposing[1].pk))
    assert link(second, "data-next-page") == {"label": "oppose", "after": str(opposing[3].pk)}
    # a facet's link leaves the cursor behind
    assert 'href="?after=' not in second and "after=" not in re.search(
        r'<div class="facets".*?</div>', second, re.S
    ).group(0)


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
    pages = walk(client, {"label": "oppose"}, "data-next-page")
    assert sorted(pk for page in pages for pk in page) == sorted(s.pk for s in opposing)
    assert len(pages) == 3


def test_a_decision_shows_in_the_queues_count_at_once(client, editor, article_with_proposals):
    _, (tusk, _sanchez) = article_with_proposals
    client.force_login(editor)
    assert "2 proposals match." in queue(client)
    stance_approve(stance=tusk, editor=editor)
    assert "1 proposal matches." in queue(client)


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"label": "support"},
        {"order": "uncertain", "after": "cursor"},
        {"before": "cursor"},
        {"last": "1"},
        {"order": "-confidence", "last": "1"},
    ],
)
def test_queue_pages_cost_the_same_queries_with_a_longer_queue(
    client, editor, query_count, params, settings
):
    settings.STANCETRACKER_REVIEW_PAGE_SIZE = 3
    proposals = reading_order(StanceFactory.create_batch(7, proposed=True))
    # a cursor in the middle of the queue
    params = {k: str(proposals[4].pk) if v == "cursor" else v for k, v in params.items()}
    client.force_login(editor)
    small = query_count(reverse("review:queue"), budget=13, **params)
    StanceFactory.create_batch(20, proposed=True, actor=ActorFactory())
    assert query_count(reverse("review:queue"), budget=13, **params) == small
