"""What changed, paged: each list shows a page of its newest actors, says how many there are
in all and links to the rest with the filters and the period kept."""

from __future__ import annotations

import re
from datetime import date, timedelta
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actors.analysis import selectors
from actors.models import Actor, Stance
from tests.factories import ActorFactory, StanceFactory

pytestmark = pytest.mark.django_db

URL = reverse("analysis:changes")
PERIOD = {"from": "2025-03-01", "to": "2025-05-31"}


@pytest.fixture
def analyst_client(client, analyst):
    client.force_login(analyst)
    return client


def stance(actor: Actor, label: str, day: date) -> Stance:
    return StanceFactory(actor=actor, label=label, stated_on=day)


def turned(n: int, *, label: str = Stance.Label.SUPPORT) -> list[Actor]:
    """``n`` actors who opposed in January and took ``label`` in the period, the i-th on
    the i-th day of March: the last one is the newest."""
    actors = []
    for i in range(n):
        actor = ActorFactory()
        stance(actor, Stance.Label.OPPOSE, date(2025, 1, 10))
        stance(actor, label, date(2025, 3, 1) + timedelta(days=i))
        actors.append(actor)
    return actors


def newcomers(n: int) -> list[Actor]:
    """``n`` actors whose one stance is in the period, the i-th on the i-th day of April."""
    actors = []
    for i in range(n):
        actor = ActorFactory()
        stance(actor, Stance.Label.NEUTRAL, date(2025, 4, 1) + timedelta(days=i))
        actors.append(actor)
    return actors


def section(html: str, anchor: str) -> str:
    """One list's part of the page: from its heading to the next heading."""
    start = html.index(f'<h2 id="{anchor}">')
    end = html.find("<h2", start + 1)
    return html[start : end if end != -1 else len(html)]


def listed(html: str, anchor: str) -> list[str]:
    """The slugs of the actors a list shows, in its order."""
    return re.findall(r'href="/analysis/actors/([^/"]+)/"', section(html, anchor))


def link(html: str, anchor: str, text: str) -> str | None:
    """The address of a pager link of one list (First, Previous, Next or Last)."""
    found = re.search(rf'<a href="([^"]+)"[^>]*>{text}</a>', section(html, anchor))
    return unescape(found.group(1)) if found else None


def newest_first(actors: list[Actor]) -> list[str]:
    return [actor.slug for actor in reversed(actors)]


def test_each_list_shows_a_page_of_its_newest_actors_and_counts_them_all(analyst_client):
    actors = turned(30)
    page = analyst_client.get(URL, PERIOD).content.decode()
    assert listed(page, "changed") == newest_first(actors)[:25]
    assert "30 actors" in section(page, "changed")
    assert "Showing 1 to 25 of 30." in page
    assert "Page 1 of 2" in page
    assert link(page, "changed", "Previous") is None

    # the second page, read with the first one's answers still cached
    second = analyst_client.get(URL + link(page, "changed", "Next")).content.decode()
    assert listed(second, "changed") == newest_first(actors)[25:]
    assert "Showing 26 to 30 of 30." in second
    assert "Page 2 of 2" in second
    assert link(second, "changed", "Next") is None
    assert (
        listed(
            analyst_client.get(URL + link(second, "changed", "Previous")).content.decode(),
            "changed",
        )
        == newest_first(actors)[:25]
    )


def test_a_list_of_one_page_has_no_pager(analyst_client):
    actors = turned(3)
    page = analyst_client.get(URL, PERIOD).content.decode()
    assert listed(page, "changed") == newest_first(actors)
    assert "3 actors" in page and "Showing" not in page and "Page 1 of" not in page


def test_the_two_lists_page_apart_and_keep_the_filters_and_the_period(analyst_client, monkeypatch):
    monkeypatch.setattr(selectors, "CHANGES_PER_PAGE", 2)
    changed = turned(5)
    new = newcomers(5)
    query = {**PERIOD, "topic": "europe-russia-dialogue", "label": ["support", "neutral", "oppose"]}
    page = analyst_client.get(URL, {**query, "new_page": "2"}).content.decode()
    assert listed(page, "changed") == newest_first(changed)[:2]
    assert listed(page, "new") == newest_first(new)[2:4]
    assert "5 actors" in section(page, "changed") and "5 actors" in section(page, "new")

    following = link(page, "changed", "Next")
    asked = parse_qs(urlsplit(following).query)
    assert asked["topic"] == ["europe-russia-dialogue"]
    assert asked["label"] == ["support", "neutral", "oppose"]
    assert (asked["from"], asked["to"]) == (["2025-03-01"], ["2025-05-31"])
    assert asked["changed_page"] == ["2"] and asked["new_page"] == ["2"]
    assert urlsplit(following).fragment == "changed"

    second = analyst_client.get(URL + following).content.decode()
    assert listed(second, "changed") == newest_first(changed)[2:4]
    assert listed(second, "new") == newest_first(new)[2:4]  # the other list stays put
    assert link(second, "changed", "Last") is None  # "Next" goes there
    last = parse_qs(urlsplit(link(page, "changed", "Last")).query)
    assert last["changed_page"] == ["3"] and last["new_page"] == ["2"]
    first = parse_qs(urlsplit(link(page, "new", "Previous")).query)
    assert "new_page" not in first and first["topic"] == ["europe-russia-dialogue"]


def test_a_filter_narrows_both_lists_and_their_counts(analyst_client, monkeypatch):
    monkeypatch.setattr(selectors, "CHANGES_PER_PAGE", 2)
    supporters = turned(3)
    turned(4, label=Stance.Label.CONDITIONAL)
    page = analyst_client.get(URL, {**PERIOD, "label": ["support", "oppose"]}).content.decode()
    assert "3 actors" in section(page, "changed")
    assert listed(page, "changed") == newest_first(supporters)[:2]


def test_the_default_period_is_written_into_the_pagers_links(analyst_client, monkeypatch):
    monkeypatch.setattr(selectors, "CHANGES_PER_PAGE", 2)
    turned(3)
    page = analyst_client.get(URL).content.decode()
    asked = parse_qs(urlsplit(link(page, "changed", "Next")).query)
    # the 90 days up to the newest stance (the third actor's, 3 March)
    assert (asked["from"], asked["to"]) == (["2024-12-03"], ["2025-03-03"])


@pytest.mark.parametrize(
    ("asked", "shown"),
    [
        ("abc", 1),
        ("", 1),
        ("0", 1),
        ("-2", 1),
        ("2.0", 1),
        ("1e3", 1),
        ("9" * 5000, 1),  # past what int() reads
        ("3", 3),
        ("4", 3),  # past the end: the last page
        ("99999999999999999999", 3),
    ],
)
def test_a_page_number_that_is_not_one_of_the_lists_gives_the_first_or_the_last_page(
    analyst_client, monkeypatch, asked, shown
):
    monkeypatch.setattr(selectors, "CHANGES_PER_PAGE", 2)
    actors = turned(5)
    response = analyst_client.get(URL, {**PERIOD, "changed_page": asked, "new_page": asked})
    assert response.status_code == 200
    page = response.content.decode()
    assert f"Page {shown} of 3" in page
    assert listed(page, "changed") == newest_first(actors)[2 * (shown - 1) : 2 * shown]
    # the links carry the page shown, not the number asked for: its neighbour is page 2
    following = link(page, "changed", "Next") or link(page, "changed", "Previous")
    assert parse_qs(urlsplit(following).query)["changed_page"] == ["2"]
    assert "new_page" not in parse_qs(urlsplit(following).query)  # an empty list: page 1


@pytest.mark.parametrize("query", [PERIOD, {}, {**PERIOD, "changed_page": "2", "new_page": "2"}])
def test_what_changed_costs_the_same_queries_with_ten_times_the_actors(
    analyst_client, query_count, monkeypatch, query
):
    """Counted with nothing cached: the lists are read whole as ids, the page's stances in
    one query, so more active actors cost no more queries."""
    monkeypatch.setattr(selectors, "CHANGES_PER_PAGE", 2)
    turned(3)
    newcomers(3)
    small = query_count(URL, budget=10, **query)
    turned(27)
    newcomers(27)
    assert query_count(URL, budget=10, **query) == small


def test_only_the_shown_entries_stances_are_read_with_their_quotes(analyst_client, monkeypatch):
    monkeypatch.setattr(selectors, "CHANGES_PER_PAGE", 2)
    turned(20)
    with CaptureQueriesContext(connection) as captured:
        analyst_client.get(URL, PERIOD)
    quoted = [q["sql"] for q in captured.captured_queries if '"quote"' in q["sql"]]
    assert len(quoted) == 1
    # the latest and previous stances of two actors: four ids
    assert len(re.findall(r"\b\d+\b", quoted[0].split(" IN (")[1].split(")")[0])) == 4
