"""The analysis pages at scale: bounded charts, paged lists, the network counted from daily
counts, streamed exports. Limits are lowered so that a few stances stand for many."""

from __future__ import annotations

import csv
import io
import json
import random
from datetime import date, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from actors.analysis import exports, selectors
from actors.analysis.selectors import NetworkMode, StanceFilters, alignment_network
from actors.models import Actor, Stance
from tests.actors.analysis.test_views import _article, build_known_dataset, grow, make_stance

pytestmark = pytest.mark.django_db


@pytest.fixture
def analyst_client(client, analyst):
    client.force_login(analyst)
    return client


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def _tusk_url(**query) -> str:
    return reverse("analysis:actor", kwargs={"slug": "donald-tusk"})


def test_a_chart_past_the_limit_counts_stances_per_period_and_label(analyst_client, monkeypatch):
    grow(n=24)  # two stances of Tusk a month, of changing labels, through 2024
    monkeypatch.setattr(selectors, "POINTS_LIMIT", 5)
    response = analyst_client.get(_tusk_url())
    points = response.context["data"]["points"]
    dated = Stance.objects.filter(actor__slug="donald-tusk", status="approved").count()
    assert response.context["chart"].unit == "year"  # 12 months x 4 labels would pass 5
    assert sum(point["count"] for point in points) == dated
    assert len({(p["value"][0], p["stance"]) for p in points}) == len(points)
    assert "too many to draw one by one" in response.content.decode()


def test_an_aggregated_point_leads_to_the_list_of_its_stances(analyst_client, monkeypatch):
    grow(n=24)
    monkeypatch.setattr(selectors, "POINTS_LIMIT", 5)
    point = analyst_client.get(_tusk_url()).context["data"]["points"][0]
    link = urlsplit(point["url"])
    query = parse_qs(link.query)
    assert query["label"] == [point["stance"]]
    listed = analyst_client.get(link.path, query).context["lists"].approved
    assert listed.paginator.count == point["count"]
    start, end = date.fromisoformat(query["date_from"][0]), date.fromisoformat(query["date_to"][0])
    assert start.isoformat() == point["value"][0]
    for stance in listed.object_list:
        assert stance.label == point["stance"]
        assert start <= stance.stated_on <= end


@pytest.mark.parametrize(
    ("last", "unit"),
    [(date(2024, 3, 31), "week"), (date(2025, 6, 30), "month"), (date(2030, 1, 1), "quarter")],
)
def test_the_finest_period_that_keeps_the_points_within_the_limit(monkeypatch, last, unit):
    monkeypatch.setattr(selectors, "POINTS_LIMIT", 100)
    extent = selectors.Extent(total=500, dated=500, first=date(2024, 1, 1), last=last)
    assert extent.unit(series=4) == unit
    assert extent.unit(series=400) == "year"


@pytest.mark.parametrize(
    ("unit", "day", "start", "end"),
    [
        ("week", date(2024, 3, 7), date(2024, 3, 4), date(2024, 3, 10)),
        ("month", date(2024, 2, 7), date(2024, 2, 1), date(2024, 2, 29)),
        ("quarter", date(2024, 11, 7), date(2024, 10, 1), date(2024, 12, 31)),
        ("year", date(2024, 11, 7), date(2024, 1, 1), date(2024, 12, 31)),
    ],
)
def test_a_period_holds_its_days(unit, day, start, end):
    period = selectors.Period.of(unit, day)
    assert (period.start, period.end) == (start, end)


def test_a_short_span_is_counted_per_week(analyst_client, monkeypatch):
    tusk = Actor.objects.get(slug="donald-tusk")
    article = _article("busy-fortnight", date(2024, 3, 20))
    for position in range(40):
        make_stance(
            actor=tusk,
            label=["support", "oppose"][position % 2],
            stated_on=date(2024, 3, 4) + timedelta(days=position % 14),
            precision="day",
            article=article,
            status="approved",
            position=position,
        )
    monkeypatch.setattr(selectors, "POINTS_LIMIT", 30)
    response = analyst_client.get(_tusk_url())
    assert response.context["chart"].unit == "week"
    points = response.context["data"]["points"]
    assert {p["value"][0] for p in points} == {"2024-03-04", "2024-03-11"}  # Mondays
    assert sum(p["count"] for p in points) == 40


def test_the_stance_list_is_paged_and_keeps_the_filters(analyst_client, monkeypatch):
    grow(n=12)
    monkeypatch.setattr(selectors, "STANCES_PER_PAGE", 2)
    first = analyst_client.get(_tusk_url(), {"label": "support"})
    page = first.context["lists"].approved
    total = Stance.objects.filter(
        actor__slug="donald-tusk", status="approved", label="support"
    ).count()
    assert total == 3
    assert page.paginator.count == total and len(page.object_list) == 2
    assert "label=support&amp;page=2" in first.content.decode()
    second = analyst_client.get(_tusk_url(), {"label": "support", "page": 2})
    seen = {s.pk for s in page.object_list} | {
        s.pk for s in second.context["lists"].approved.object_list
    }
    assert len(seen) == total


def test_compare_aggregates_only_the_actors_past_their_share(analyst_client, monkeypatch):
    build_known_dataset()
    grow(n=24)
    monkeypatch.setattr(selectors, "POINTS_LIMIT", 20)  # ten points each for two actors
    response = analyst_client.get(
        reverse("analysis:compare"), {"actors": ["donald-tusk", "pedro-sanchez"]}
    )
    tusk, sanchez = response.context["compared"]
    assert tusk.unit is not None and sanchez.unit is None
    assert sum(p["count"] for p in tusk.points) == tusk.dated
    assert len(sanchez.points) == sanchez.dated == 1


def test_country_chart_past_the_limit_keeps_a_lane_per_actor(analyst_client, monkeypatch):
    grow(n=24)
    monkeypatch.setattr(selectors, "POINTS_LIMIT", 5)
    response = analyst_client.get(reverse("analysis:country", kwargs={"code": "PL"}))
    data = response.context["data"]
    assert data["lanes"] == ["Donald Tusk"]
    assert all(p["url"].startswith(_tusk_url()) for p in data["points"])
    assert sum(month["n"] for month in data["balance"]) == sum(p["count"] for p in data["points"])


@pytest.mark.parametrize("name", ["actor", "country", "compare"])
def test_aggregated_charts_run_a_constant_number_of_queries(
    client, editor, django_assert_max_num_queries, monkeypatch, name
):
    monkeypatch.setattr(selectors, "POINTS_LIMIT", 3)
    client.force_login(editor)
    url = {
        "actor": _tusk_url(),
        "country": reverse("analysis:country", kwargs={"code": "PL"}),
        "compare": reverse("analysis:compare") + "?actors=donald-tusk&actors=kaja-kallas",
    }[name]
    url += ("&" if "?" in url else "?") + "include_proposed=on"

    def queries() -> int:
        with django_assert_max_num_queries(14) as captured:
            assert client.get(url).status_code == 200
        return len(captured.captured_queries)

    grow(n=6)
    small = queries()
    grow(n=30, year=2023)
    assert queries() == small


# The network, against the definition: every pair of stances, one by one.


def _pairs_by_hand(stances: list[Stance], window: int, mode: str) -> dict:
    related = (
        (lambda a, b: {a, b} == {"support", "oppose"})
        if mode == NetworkMode.CONFLICT
        else (lambda a, b: a == b)
    )
    ties: dict[tuple[int, int], list[date]] = {}
    for i, one in enumerate(stances):
        for other in stances[i + 1 :]:
            if one.actor_id == other.actor_id or not related(one.label, other.label):
                continue
            if abs((one.stated_on - other.stated_on).days) > window:
                continue
            pair = tuple(sorted((one.actor_id, other.actor_id)))
            ties.setdefault(pair, []).append(max(one.stated_on, other.stated_on))
    return ties


@pytest.mark.parametrize(
    ("mode", "window"), [("congruence", 3), ("conflict", 10), ("congruence", 40)]
)
def test_network_counts_every_pair_within_the_window(mode, window):
    rng = random.Random(window)
    actors = list(Actor.objects.order_by("pk")[:6])
    article = _article("network-check", date(2024, 1, 1))
    start = date(2024, 1, 1)
    for position in range(120):
        make_stance(
            actor=rng.choice(actors),
            label=rng.choice(["support", "oppose", "conditional", "neutral"]),
            stated_on=start + timedelta(days=rng.randrange(90)),
            precision="day",
            article=article,
            status="approved",
            position=position,
        )
    stances = list(Stance.objects.filter(status="approved", stated_on__isnull=False))
    expected = _pairs_by_hand(stances, window, mode)
    network = alignment_network(filters=StanceFilters(), window=window, mode=mode, dates=True)
    ties = list(network.ties)  # counted one at a time, as the export writes them
    found = {(t.source, t.target): t for t in ties}
    assert set(found) == set(expected)
    for pair, days in expected.items():
        tie = found[pair]
        assert tie.weight == len(days)
        assert (tie.first, tie.last) == (min(days), max(days))
        assert [day for day, n in tie.dates for _ in range(n)] == sorted(days)
    weights = [t.weight for t in ties]
    assert weights == sorted(weights, reverse=True)
    listed = alignment_network(filters=StanceFilters(), window=window, mode=mode).ties
    assert [(t.source, t.target, t.first, t.last) for t in listed] == [
        (t.source, t.target, t.first, t.last) for t in ties
    ]


def test_network_page_shows_the_strongest_ties_and_says_how_many_there_are(
    analyst_client, monkeypatch
):
    build_known_dataset()
    monkeypatch.setattr("actors.analysis.views.NETWORK_TIES_SHOWN", 2)
    response = analyst_client.get(reverse("analysis:network"), {"window": 30, "mode": "conflict"})
    graph = response.context["graph"]
    assert [t.weight for t in graph.ties] == [2, 2] and graph.total == 4
    assert "The 2 strongest of 4 links are drawn and listed" in response.content.decode()
    graphml = _body(
        analyst_client.get(reverse("analysis:export-graphml"), {"window": 30, "mode": "conflict"})
    )
    assert graphml.count(b"<edge ") == 4


# Exports


def test_csv_export_streams_every_row_in_pieces(analyst_client, monkeypatch):
    build_known_dataset()
    grow(n=10)
    monkeypatch.setattr(exports, "ROWS_PER_PIECE", 7)
    response = analyst_client.get(reverse("analysis:export-csv"))
    assert response.streaming
    pieces = list(response.streaming_content)
    rows = list(csv.DictReader(io.StringIO(b"".join(pieces).decode())))
    expected = Stance.objects.filter(status="approved", primary__isnull=True).count()
    assert len(rows) == expected and len(pieces) > expected // 7


def test_json_export_streams_one_document_with_its_count(analyst_client, monkeypatch):
    build_known_dataset()
    grow(n=10)
    monkeypatch.setattr(exports, "ROWS_PER_PIECE", 7)
    response = analyst_client.get(reverse("analysis:export-json"))
    assert response.streaming
    document = json.loads(_body(response))
    expected = Stance.objects.filter(status="approved", primary__isnull=True).count()
    assert document["count"] == len(document["stances"]) == expected
    assert len({s["id"] for s in document["stances"]}) == expected


def test_json_export_of_nothing_is_an_empty_document(analyst_client):
    response = analyst_client.get(reverse("analysis:export-json"))
    assert json.loads(_body(response)) == {"stances": [], "count": 0}


# Aggregates over every stance are cached, under the version of the data


def test_the_europe_map_is_read_once_until_a_stance_changes(
    analyst_client, django_assert_max_num_queries
):
    stances = build_known_dataset()
    url = reverse("analysis:europe")
    first = analyst_client.get(url)
    with django_assert_max_num_queries(20) as again:
        second = analyst_client.get(url)
    assert not any("ROW_NUMBER" in q["sql"].upper() for q in again.captured_queries)
    assert first.context["data"]["countries"] == second.context["data"]["countries"]
    # a stance an editor approves shows at once
    kallas = next(s for s in stances if s.actor.name == "Kaja Kallas")
    kallas.label = "support"
    kallas.save()
    rows = {row.code: row for row in analyst_client.get(url).context["overview"].rows}
    assert rows[kallas.actor.country.code].cells == {"2026-03": "support"}


def test_no_cache_when_its_lifetime_is_zero(
    analyst_client, settings, django_assert_max_num_queries
):
    build_known_dataset()
    settings.STANCETRACKER_ANALYSIS_CACHE_SECONDS = 0
    url = reverse("analysis:index")
    analyst_client.get(url)
    with django_assert_max_num_queries(20) as captured:
        analyst_client.get(url)
    assert any("GROUP BY" in q["sql"].upper() for q in captured.captured_queries)
