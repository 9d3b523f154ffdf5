from __future__ import annotations

import csv
import io
import json
from datetime import date
from xml.etree import ElementTree

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from actors.analysis.selectors import (
    ChangesShown,
    NetworkMode,
    StanceFilters,
    alignment_network,
    changes_shown,
    corroboration,
    monthly_balance,
    stance_changes,
    stances_for_analysis,
)
from actors.models import Actor, Stance
from actors.review.services import stances_merge
from actors.selectors import default_topic
from articles.services import article_create
from stancetracker.management.commands import vendor_assets

pytestmark = pytest.mark.django_db

GRAPHML = "{http://graphml.graphdrawing.org/xmlns}"

# (actor, label, stated_on, precision, article, status): the known data set. Its shape:
# Tusk opposes in January, turns conditional on 1 March (reported by two articles);
# Kallas first appears in March; Macron's March support is only proposed; Orbán's
# rejected oppose never shows; one of Sánchez's stances has no date.
KNOWN = [
    ("Donald Tusk", "oppose", (1, 10), "day", 1, "approved"),
    ("Pedro Sánchez", "support", (1, 10), "day", 1, "approved"),
    ("Viktor Orbán", "support", (1, 15), "day", 2, "approved"),
    ("Donald Tusk", "oppose", (1, 15), "day", 2, "approved"),
    ("Vladimir Putin", "support", (2, 1), "month", 3, "approved"),
    ("Emmanuel Macron", "conditional", (2, 5), "day", 3, "approved"),
    ("Donald Tusk", "conditional", (3, 1), "day", 4, "approved"),
    ("Donald Tusk", "conditional", (3, 1), "day", 5, "approved"),
    ("Kaja Kallas", "oppose", (3, 3), "day", 5, "approved"),
    ("Pedro Sánchez", "support", None, "unknown", 4, "approved"),
    ("Emmanuel Macron", "support", (3, 10), "day", 5, "proposed"),
    ("Viktor Orbán", "oppose", (3, 1), "month", 4, "rejected"),
]
EXTRA_ACTORS = ["Friedrich Merz", "Giorgia Meloni", "Robert Fico", "Alexander Stubb"]


def _reviewer():
    user, _ = get_user_model().objects.get_or_create(username="reviewer-for-analysis")
    return user


def _article(key: str, published: date):
    raw = (
        f" date {published.isoformat()} World Politics\n"
        f"Article {key} on talks with Moscow\n\n"
        f"Leaders spoke about dialogue with Russia ({key}).\n"
    )
    article, _ = article_create(raw=raw, name=f"{key}.txt")
    return article


def make_stance(*, actor, label, stated_on, precision, article, status, position):
    reviewed = status != Stance.Status.PROPOSED
    return Stance.objects.create(
        actor=actor,
        topic=default_topic(),
        label=label,
        stated_on=stated_on,
        stated_on_precision=precision,
        article=article,
        quote=f"{actor.name} on dialogue with Russia, {label} ({position})",
        quote_start=position * 10,
        quote_end=position * 10 + 5,
        confidence=0.9,
        status=status,
        reviewed_by=_reviewer() if reviewed else None,
        reviewed_at=timezone.now() if reviewed else None,
    )


def build_known_dataset(*, year: int = 2026) -> list[Stance]:
    """The data set the browser tests count on; another year gives a disjoint copy."""
    actors = {actor.name: actor for actor in Actor.objects.filter(name__in={r[0] for r in KNOWN})}
    articles = {
        n: _article(f"{year}-{n}", date(year, min(n, 3), 10 + n)) for n in {r[4] for r in KNOWN}
    }
    return [
        make_stance(
            actor=actors[name],
            label=label,
            stated_on=date(year, *day) if day else None,
            precision=precision,
            article=articles[article],
            status=status,
            position=position,
        )
        for position, (name, label, day, precision, article, status) in enumerate(KNOWN)
    ]


def grow(*, n: int, year: int = 2024) -> None:
    """More of everything: articles, months, actors and countries."""
    actors = list(Actor.objects.filter(name__in=EXTRA_ACTORS + ["Donald Tusk", "Kaja Kallas"]))
    labels = ["support", "oppose", "conditional", "neutral"]
    for i in range(n):
        article = _article(f"grow-{year}-{i}", date(year, 1 + i % 12, 1 + i % 27))
        for j, actor in enumerate(actors):
            make_stance(
                actor=actor,
                label=labels[(i + j) % 4],
                stated_on=date(year, 1 + (i + j) % 12, 1 + (3 * i + j) % 27),
                precision="day",
                article=article,
                status="approved",
                position=j,
            )


@pytest.fixture
def known(db) -> list[Stance]:
    return build_known_dataset()


@pytest.fixture
def analyst_client(client, analyst):
    client.force_login(analyst)
    return client


def _url(name: str, **kwargs) -> str:
    return reverse(f"analysis:{name}", kwargs=kwargs or None)


PAGES = [
    ("index", {}, ""),
    ("actor", {"slug": "donald-tusk"}, ""),
    ("country", {"code": "PL"}, ""),
    ("europe", {}, ""),
    ("compare", {}, "?actors=donald-tusk&actors=pedro-sanchez&actors=kaja-kallas"),
    ("changes", {}, "?from=2026-03-01&to=2026-03-31"),
    ("network", {}, "?window=30&mode=conflict"),
    ("export-csv", {}, ""),
    ("export-json", {}, ""),
    ("export-graphml", {}, "?window=30&mode=congruence"),
]


def _body(response) -> bytes:
    """The whole answer, streamed or not."""
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def _slug(name: str) -> str:
    return Actor.objects.get(name=name).slug


# Access


@pytest.mark.parametrize(("name", "kwargs", "query"), PAGES)
def test_anonymous_user_is_sent_to_login(client, known, name, kwargs, query):
    response = client.get(_url(name, **kwargs) + query)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(("name", "kwargs", "query"), PAGES)
def test_user_without_a_role_is_refused(client, no_role_user, known, name, kwargs, query):
    client.force_login(no_role_user)
    assert client.get(_url(name, **kwargs) + query).status_code == 403


def test_analysis_pages_answer_only_get(analyst_client, known):
    assert analyst_client.post(_url("europe")).status_code == 405


# Selectors


def test_corroboration_counts_the_reports_merged_into_a_statement(known, editor):
    tusk_march = [s for s in known if s.actor.name == "Donald Tusk" and s.label == "conditional"]
    stances_merge(primary=tusk_march[0], others=tusk_march[1:], editor=editor)
    shown = list(stances_for_analysis(filters=StanceFilters()))
    sizes = corroboration(stances=shown)
    assert sizes[tusk_march[0].pk] == 2
    assert tusk_march[1].pk not in sizes  # shown once, as its primary's second source
    assert sizes[known[0].pk] == 1


def test_monthly_balance_is_support_share_minus_oppose_share():
    def stance(label, month):
        return Stance(label=label, stated_on=date(2026, month, 1), stated_on_precision="day")

    balance = monthly_balance(
        stances=[
            stance("support", 1),
            stance("support", 1),
            stance("oppose", 1),
            stance("neutral", 1),
            stance("oppose", 2),
        ]
    )
    assert balance == [
        {"month": "2026-01", "value": 0.25, "n": 4},
        {"month": "2026-02", "value": -1.0, "n": 1},
    ]


def _changes(*, date_from: date, date_to: date) -> ChangesShown:
    """Both lists of what changed whole, with their stances."""
    found = stance_changes(date_from=date_from, date_to=date_to, filters=StanceFilters())
    return changes_shown(changed=found.changed, new=found.new)


def test_what_changed_finds_the_turn_and_the_newcomer(known):
    changes = _changes(date_from=date(2026, 3, 1), date_to=date(2026, 3, 31))
    assert [(c.actor.name, c.previous.label, c.latest.label) for c in changes.changed] == [
        ("Donald Tusk", "oppose", "conditional")
    ]
    assert [c.actor.name for c in changes.new] == ["Kaja Kallas"]


def test_what_changed_before_the_turn_shows_nothing_changed(known):
    changes = _changes(date_from=date(2026, 1, 12), date_to=date(2026, 2, 28))
    assert changes.changed == []
    assert {c.actor.name for c in changes.new} == {
        "Viktor Orbán",
        "Vladimir Putin",
        "Emmanuel Macron",
    }


def test_congruence_network_links_same_labels_within_the_window(known):
    network = alignment_network(filters=StanceFilters(), window=30, mode=NetworkMode.CONGRUENCE)
    names = {actor_id: actor.name for actor_id, actor in network.actors.items()}
    ties = {frozenset((names[t.source], names[t.target])): t.weight for t in network.ties}
    assert ties == {
        frozenset(("Pedro Sánchez", "Viktor Orbán")): 1,
        frozenset(("Pedro Sánchez", "Vladimir Putin")): 1,
        frozenset(("Viktor Orbán", "Vladimir Putin")): 1,
        frozenset(("Emmanuel Macron", "Donald Tusk")): 2,
    }


def test_conflict_network_links_support_against_oppose(known):
    network = alignment_network(filters=StanceFilters(), window=30, mode=NetworkMode.CONFLICT)
    names = {actor_id: actor.name for actor_id, actor in network.actors.items()}
    ties = {frozenset((names[t.source], names[t.target])): t.weight for t in network.ties}
    assert ties == {
        frozenset(("Donald Tusk", "Pedro Sánchez")): 2,
        frozenset(("Donald Tusk", "Viktor Orbán")): 2,
        frozenset(("Donald Tusk", "Vladimir Putin")): 2,
        frozenset(("Kaja Kallas", "Vladimir Putin")): 1,
    }
    narrow = alignment_network(filters=StanceFilters(), window=5, mode=NetworkMode.CONFLICT)
    assert len(narrow.ties) == 2  # Tusk–Sánchez and Tusk–Orbán, within five days


# Pages


def test_actor_chart_plots_dated_approved_stances_only(analyst_client, known):
    response = analyst_client.get(_url("actor", slug=_slug("Pedro Sánchez")))
    assert response.status_code == 200
    data = response.context["data"]
    assert len(data["points"]) == 1
    point = data["points"][0]
    assert point["stance"] == "support" and point["url"].startswith("/stances/")
    assert point["article"].startswith("Article 2026-1")
    content = response.content.decode()
    assert 'id="chart-data"' in content
    assert "1 stance has no known date: it is listed below but not plotted." in content
    assert "/static/vendor/echarts.min.js" in content and "cdn" not in content.lower()


def test_actor_chart_filters_by_label_and_date_in_the_url(analyst_client, known):
    url = _url("actor", slug=_slug("Donald Tusk"))
    assert len(analyst_client.get(url).context["data"]["points"]) == 4
    response = analyst_client.get(url + "?label=conditional")
    assert len(response.context["data"]["points"]) == 2
    response = analyst_client.get(url + "?date_from=2026-01-12&date_to=2026-02-28")
    assert len(response.context["data"]["points"]) == 1
    # The filter state carries over to the sub-navigation's links.
    assert "?date_from=2026-01-12&amp;date_to=2026-02-28" in response.content.decode()


def test_analysts_never_see_proposed_stances(analyst_client, known):
    url = _url("actor", slug=_slug("Emmanuel Macron"))
    response = analyst_client.get(url + "?include_proposed=on")
    assert [p["proposed"] for p in response.context["data"]["points"]] == [False]
    assert "include_proposed" not in response.context["filter"].fields


def test_editors_can_include_proposed_stances_marked_as_such(client, editor, known):
    client.force_login(editor)
    url = _url("actor", slug=_slug("Emmanuel Macron"))
    assert len(client.get(url).context["data"]["points"]) == 1
    response = client.get(url + "?include_proposed=on")
    assert [p["proposed"] for p in response.context["data"]["points"]] == [False, True]
    assert "Awaiting review" in response.content.decode()


def test_country_timeline_has_a_lane_per_actor_and_the_monthly_balance(analyst_client, known):
    response = analyst_client.get(_url("country", code="es"))
    assert response.status_code == 200
    data = response.context["data"]
    assert data["lanes"] == ["Pedro Sánchez"]
    assert data["balance"] == [{"month": "2026-01", "value": 1.0, "n": 1}]
    assert "share of that month" in response.content.decode()


def test_europe_overview_colours_countries_by_their_latest_stance(analyst_client, known):
    response = analyst_client.get(_url("europe"))
    assert response.status_code == 200
    data = response.context["data"]
    assert data["months"] == ["2026-01", "2026-02", "2026-03"]
    assert data["position"] == 2
    rows = {row.code: row for row in response.context["overview"].rows}
    assert rows["PL"].cells == {"2026-01": "oppose", "2026-03": "conditional"}
    assert rows["PL"].as_of == "conditional"
    assert "HU" in rows and rows["HU"].cells == {"2026-01": "support"}  # rejected ones do not count
    content = response.content.decode()
    assert f'href="{reverse("actors:country", kwargs={"code": "PL"})}"' in content
    assert 'title="Conditional">C</td>' in content


def test_europe_overview_as_of_an_earlier_month(analyst_client, known):
    response = analyst_client.get(_url("europe") + "?as_of=2026-01")
    assert response.context["position"] == 0
    rows = {row.code: row.as_of for row in response.context["overview"].rows}
    assert rows["PL"] == "oppose" and rows["RU"] is None


@pytest.mark.parametrize(
    ("as_of", "position", "shown"),
    [("2026-05", 2, "2026-03"), ("2020-01", 0, "2026-01"), ("March", 2, "2026-03")],
)
def test_europe_as_of_snaps_to_a_month_with_data(analyst_client, known, as_of, position, shown):
    response = analyst_client.get(_url("europe") + f"?as_of={as_of}")
    assert (response.context["position"], response.context["as_of"]) == (position, shown)


def test_compare_needs_two_to_five_actors(analyst_client, known):
    response = analyst_client.get(_url("compare") + "?actors=donald-tusk")
    assert response.status_code == 200
    assert "Choose between 2 and 5 actors to compare." in response.content.decode()
    assert response.context["data"]["series"] == []


def test_compare_draws_one_series_per_actor_in_the_given_order(analyst_client, known):
    slugs = [_slug("Pedro Sánchez"), _slug("Donald Tusk")]
    response = analyst_client.get(_url("compare") + f"?actors={slugs[0]}&actors={slugs[1]}")
    series = response.context["data"]["series"]
    assert [s["name"] for s in series] == ["Pedro Sánchez", "Donald Tusk"]
    assert [len(s["points"]) for s in series] == [1, 4]


def test_changes_page_shows_previous_and_latest_with_quotes(analyst_client, known):
    response = analyst_client.get(_url("changes") + "?from=2026-03-01&to=2026-03-31")
    content = response.content.decode()
    assert response.status_code == 200
    assert "Donald Tusk on dialogue with Russia, oppose" in content
    assert "Donald Tusk on dialogue with Russia, conditional" in content
    assert "Kaja Kallas" in content


def test_network_page_embeds_nodes_and_links(analyst_client, known):
    response = analyst_client.get(_url("network") + "?window=30&mode=congruence")
    data = response.context["data"]
    assert (len(data["nodes"]), len(data["links"])) == (5, 4)
    assert response.context["mode"] == "congruence"


def test_csv_export_has_the_filtered_stances(analyst_client, known):
    response = analyst_client.get(_url("export-csv") + "?label=oppose")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(_body(response).decode())))
    assert list(rows[0]) == [
        "actor",
        "country",
        "label",
        "stated_on",
        "precision",
        "quote",
        "article_title",
        "source_url",
        "sources",
        "other_source_urls",
        "status",
    ]
    assert sorted((r["actor"], r["stated_on"]) for r in rows) == [
        ("Donald Tusk", "2026-01-10"),
        ("Donald Tusk", "2026-01-15"),
        ("Kaja Kallas", "2026-03-03"),
    ]
    assert {r["status"] for r in rows} == {"approved"}


def test_only_editors_exports_name_the_reviewer(client, editor, known):
    client.force_login(editor)
    response = client.get(_url("export-csv") + "?label=oppose")
    rows = list(csv.DictReader(io.StringIO(_body(response).decode())))
    assert rows[0]["reviewer"] == "reviewer-for-analysis"


def test_json_export_writes_month_precision_as_a_month(analyst_client, known):
    response = analyst_client.get(_url("export-json") + "?date_from=2026-02-01&date_to=2026-02-28")
    stances = json.loads(_body(response))["stances"]
    assert [(s["actor"], s["stated_on"], s["precision"]) for s in stances] == [
        ("Emmanuel Macron", "2026-02-05", "day"),
        ("Vladimir Putin", "2026-02", "month"),
    ]


def test_graphml_export_has_nodes_edges_and_tie_dates(analyst_client, known):
    response = analyst_client.get(_url("export-graphml") + "?window=30&mode=congruence")
    assert response.status_code == 200
    root = ElementTree.fromstring(_body(response))
    graph = root.find(f"{GRAPHML}graph")
    nodes = {
        node.get("id"): {d.get("key"): d.text for d in node.findall(f"{GRAPHML}data")}
        for node in graph.findall(f"{GRAPHML}node")
    }
    edges = [
        {d.get("key"): d.text for d in edge.findall(f"{GRAPHML}data")}
        for edge in graph.findall(f"{GRAPHML}edge")
    ]
    assert len(nodes) == 5 and len(edges) == 4
    assert {"name": "Donald Tusk", "country": "PL"} in nodes.values()
    strongest = edges[0]
    assert strongest == {
        "weight": "2",
        "first_date": "2026-03-01",
        "last_date": "2026-03-01",
        "dates": "2026-03-01",
        "pairs_per_date": "2",
    }


# Query budgets: the same number of queries with three times the data.


def _queries(django_assert_max_num_queries, client, url: str, budget: int) -> int:
    with django_assert_max_num_queries(budget) as captured:
        response = client.get(url)
        _body(response)  # a streamed export reads the database while it is sent
    assert response.status_code == 200, url
    return len(captured.captured_queries)


@pytest.mark.parametrize(("name", "kwargs", "query"), PAGES)
def test_each_view_runs_a_constant_number_of_queries(
    client, editor, django_assert_max_num_queries, name, kwargs, query
):
    build_known_dataset()
    client.force_login(editor)  # an editor sees the most: proposed stances too
    query = query + ("&" if query else "?") + "include_proposed=on&topic=europe-russia-dialogue"
    url = _url(name, **kwargs) + query
    # the timelines page two lists (approved, proposed); a cached chart adds the version probe
    budget = {"actor": 14, "country": 14, "compare": 12}.get(name, 10)
    small = _queries(django_assert_max_num_queries, client, url, budget)
    grow(n=12)
    build_known_dataset(year=2025)
    large = _queries(django_assert_max_num_queries, client, url, budget)
    assert large == small


def test_csv_export_keeps_a_quote_that_looks_like_a_formula_as_text(analyst_client, known):
    stance = known[0]
    stance.quote = '=HYPERLINK("http://example.com")'
    stance.save(update_fields=["quote"])
    response = analyst_client.get(_url("export-csv") + "?label=oppose&date_to=2026-01-10")
    rows = list(csv.DictReader(io.StringIO(_body(response).decode())))
    assert rows[0]["quote"] == '\'=HYPERLINK("http://example.com")'


# The vendored map: TopoJSON decoding and the Europe frame.


def test_topojson_arcs_are_delta_decoded_and_negative_indexes_reversed():
    topology = {
        "transform": {"scale": [0.5, 2.0], "translate": [10.0, 40.0]},
        "arcs": [[[0, 0], [2, 0], [0, 2]], [[2, 2], [-2, 0], [0, -2]]],
    }
    arcs = vendor_assets.decode_arcs(topology)
    assert arcs[0] == [(10.0, 40.0), (11.0, 40.0), (11.0, 44.0)]
    assert arcs[1] == [(11.0, 44.0), (10.0, 44.0), (10.0, 40.0)]
    ring = vendor_assets.ring_from_arcs([0, 1], arcs)
    assert ring == [(10.0, 40.0), (11.0, 40.0), (11.0, 44.0), (10.0, 44.0), (10.0, 40.0)]
    assert vendor_assets.ring_from_arcs([~1], arcs)[0] == (10.0, 40.0)  # arc 1 backwards


def test_europe_geojson_keeps_european_countries_with_alpha2_codes_and_clips_them():
    def square(x, y, size):
        return [[0, 0], [size, 0], [0, size], [-size, 0], [0, -size]], (x, y)

    arcs, geometries = [], []
    for numeric, name, x, y, size in [
        ("616", "Poland", 20, 52, 2),
        ("076", "Brazil", -50, -10, 5),
        ("643", "Russia", 40, 55, 40),  # reaches past the frame's east and north edges
    ]:
        arc, origin = square(x, y, size)
        arcs.append([[origin[0] + arc[0][0], origin[1] + arc[0][1]], *arc[1:]])
        geometries.append(
            {"type": "Polygon", "arcs": [[len(arcs) - 1]], "id": numeric, "properties": {}}
        )
        geometries[-1]["properties"]["name"] = name
    topology = {
        "transform": {"scale": [1, 1], "translate": [0, 0]},
        "arcs": arcs,
        "objects": {"countries": {"geometries": geometries}},
    }
    geojson, unknown = vendor_assets.europe_geojson(topology)
    assert unknown == []
    features = {f["properties"]["code"]: f for f in geojson["features"]}
    assert set(features) == {"PL", "RU"}
    russia = features["RU"]["geometry"]["coordinates"][0][0]
    assert max(x for x, _ in russia) == vendor_assets.EAST
    assert max(y for _, y in russia) == vendor_assets.NORTH


def test_vendor_assets_says_what_to_run_when_node_modules_is_missing(tmp_path):
    with pytest.raises(CommandError, match="npm ci"):
        call_command("vendor_assets", node_modules=str(tmp_path), out=str(tmp_path / "vendor"))


@pytest.mark.parametrize("page", ["europe", "network"])
def test_undated_stances_are_counted_and_listed_beside_the_chart(analyst_client, known, page):
    content = analyst_client.get(_url(page)).content.decode()
    assert "1 stance without a date" in content
    undated = Stance.objects.get(actor__name="Pedro Sánchez", stated_on__isnull=True)
    assert undated.get_absolute_url() in content


def test_what_changed_defaults_to_the_90_days_up_to_the_newest_stance(analyst_client, known):
    newest = max(
        s.stated_on for s in Stance.objects.filter(status="approved", stated_on__isnull=False)
    )
    response = analyst_client.get(_url("changes"))
    assert response.context["date_to"] == newest
    assert (newest - response.context["date_from"]).days == 90
    assert f'value="{newest.isoformat()}"' in response.content.decode()


def test_seen_for_the_first_time_shows_the_actors_first_stance_in_the_period(known):
    result = _changes(date_from=date(2025, 1, 1), date_to=date(2026, 12, 31))
    assert result.new
    for change in result.new:
        own = Stance.objects.filter(
            actor=change.actor, status="approved", stated_on__isnull=False
        ).order_by("stated_on", "pk")
        assert change.first.stated_on == own.first().stated_on


def test_json_export_is_one_document_per_statement_with_every_source(analyst_client, known):
    first, second = Stance.objects.filter(actor__name="Donald Tusk", label="conditional").order_by(
        "pk"
    )
    Stance.objects.filter(pk=second.pk).update(primary=first)  # one statement, two reports
    response = analyst_client.get(_url("export-json") + "?label=conditional")
    document = json.loads(_body(response))
    assert document["count"] == len(document["stances"])
    [tusk] = [s for s in document["stances"] if s["actor"] == "Donald Tusk"]
    assert tusk["permalink"] == f"http://testserver/stances/{tusk['id']}/"
    assert {"topic", "label", "stated_on", "precision", "confidence", "status"} <= set(tusk)
    assert "reviewer" not in tusk
    assert len(tusk["sources"]) == 2  # reported by two articles, one statement
    for source in tusk["sources"]:
        assert {"article_id", "title", "outlet", "published", "url", "quote"} == set(source)
