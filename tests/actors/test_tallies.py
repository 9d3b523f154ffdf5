"""Counts over all stances (home, actor list, country list) are cached, and renewed as soon
as a stance or an actor changes."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
from django.urls import reverse

from actors import selectors
from actors.models import Actor
from actors.review.services import stance_approve, stance_reject
from actors.selectors import stance_tallies
from tests.factories import ActorFactory, CountryFactory, StanceFactory

pytestmark = pytest.mark.django_db


def home_stats(client) -> list[int]:
    page = client.get(reverse("home")).content.decode()
    return [int(n) for n in re.findall(r"<div><strong>(\d+)</strong>", page)]


def test_home_counts_follow_each_decision_at_once(
    client, editor, article_with_proposals, monkeypatch
):
    monkeypatch.setattr(selectors, "TALLIES_MIN_AGE", 0)
    _, (tusk, sanchez) = article_with_proposals
    client.force_login(editor)
    # articles, proposed, approved, actors with approved stances
    assert home_stats(client) == [1, 2, 0, 0]
    stance_approve(stance=tusk, editor=editor)
    assert home_stats(client) == [1, 1, 1, 1]
    stance_reject(stance=sanchez, editor=editor)
    assert home_stats(client) == [1, 0, 1, 1]


def test_a_second_view_reads_the_counts_from_the_cache(django_assert_num_queries):
    StanceFactory.create_batch(3)
    assert stance_tallies().approved == 3
    with django_assert_num_queries(1):
        # nothing changed: the fingerprint matches, nothing is counted again
        assert stance_tallies().approved == 3


def test_approved_counts_are_counted_again_at_most_once_in_their_shortest_age(
    client, editor, article_with_proposals, monkeypatch
):
    _, (tusk, _sanchez) = article_with_proposals
    client.force_login(editor)
    assert home_stats(client) == [1, 2, 0, 0]
    counted = stance_tallies().counted_at
    stance_approve(stance=tusk, editor=editor)
    # open proposals are counted again at once; approved ones once the shortest age is over
    assert home_stats(client) == [1, 1, 0, 0]
    assert f"Counts as of {counted:%H:%M:%S}" in client.get(reverse("home")).content.decode()
    later = counted + timedelta(seconds=selectors.TALLIES_MIN_AGE + 1)
    monkeypatch.setattr(selectors.timezone, "now", lambda: later)
    assert home_stats(client) == [1, 1, 1, 1]


def test_cached_counts_are_renewed_after_their_longest_age(monkeypatch):
    older, _newer = StanceFactory.create_batch(2)
    counted = stance_tallies()
    older.delete()  # neither the newest id nor the newest change: the fingerprint cannot see it
    assert stance_tallies().approved == 2
    later = counted.counted_at + timedelta(seconds=selectors.TALLIES_MAX_AGE + 1)
    monkeypatch.setattr(selectors.timezone, "now", lambda: later)
    assert stance_tallies().approved == 1


def test_actor_list_orders_by_approved_stances_and_pages_reach_every_actor(client, analyst):
    busy, middling = ActorFactory(name="Zed Busy"), ActorFactory(name="Yan Middling")
    StanceFactory.create_batch(3, actor=busy)
    StanceFactory(actor=middling)
    StanceFactory(actor=middling, proposed=True)  # open proposals do not count
    client.force_login(analyst)
    seen = []
    for number in range(1, 20):
        page = client.get(reverse("actors:actor-list"), {"page": number}).content.decode()
        names = re.findall(r'<td><a href="/actors/[^"]+">([^<]+)</a>', page)
        seen += [html.unescape(name) for name in names]
        if "Next" not in page:
            break
    assert seen[:2] == ["Zed Busy", "Yan Middling"]
    assert sorted(seen) == sorted(Actor.objects.values_list("name", flat=True))
    assert len(seen) == len(set(seen))
    first = client.get(reverse("actors:actor-list")).content.decode()
    assert re.search(r"Zed Busy</a>.*?<td>3</td>", first, re.S)
    assert re.search(r"Yan Middling</a>.*?<td>1</td>", first, re.S)
    assert "Counts as of" in first


def test_an_actor_moved_to_another_country_moves_its_count_at_once(client, analyst, monkeypatch):
    monkeypatch.setattr(selectors, "TALLIES_MIN_AGE", 0)
    actor = ActorFactory()
    StanceFactory.create_batch(2, actor=actor)
    elsewhere = CountryFactory(name="Elsewhere")
    client.force_login(analyst)

    def count_of(name):
        page = client.get(reverse("actors:country-list")).content.decode()
        return re.search(rf">{name}</a> <span[^>]*>(\d+) actors, (\d+) approved", page).groups()

    assert count_of("Elsewhere") == ("0", "0")
    before = count_of("Poland")
    actor.country = elsewhere
    actor.save()
    assert count_of("Elsewhere") == ("1", "2")
    assert int(count_of("Poland")[1]) == int(before[1]) - 2
