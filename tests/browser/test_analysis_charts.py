from __future__ import annotations

import os

import pytest
from django.conf import settings
from django.core.management import call_command

from tests.actors.analysis.test_views import build_known_dataset
from tests.browser.conftest import log_in, screenshot

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

CHART = "echarts.getInstanceByDom(document.getElementById('chart'))"


@pytest.fixture(scope="session", autouse=True)
def vendored_assets():
    """static/vendor/ is built from node_modules; CI must have it, a laptop may lack npm."""
    vendor = settings.BASE_DIR / "static" / "vendor"
    if (vendor / "echarts.min.js").is_file() and (vendor / "europe.geo.json").is_file():
        return
    if not (settings.BASE_DIR / "node_modules").is_dir():
        message = "node_modules/ is missing: run `npm ci --no-audit --no-fund` first"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    call_command("vendor_assets")


def _open(page, live_server, username: str, path: str) -> None:
    log_in(page, live_server, username)
    page.goto(f"{live_server.url}{path}")
    page.wait_for_function(f"() => window.echarts && {CHART}")


def test_actor_chart_has_a_point_per_dated_stance_and_a_point_opens_the_stance(
    page, live_server, analyst
):
    stances = build_known_dataset()
    _open(page, live_server, analyst.username, "/analysis/actors/donald-tusk/")
    assert page.evaluate(f"() => {CHART}.getOption().series[0].data.length") == 4
    # Hollow markers only for proposals, which an analyst does not see.
    assert (
        page.evaluate(f"() => {CHART}.getOption().series[0].data.filter(p => p.proposed).length")
        == 0
    )

    x, y = page.evaluate(
        f"""() => {{
            const chart = {CHART};
            const point = chart.getOption().series[0].data[0];
            return chart.convertToPixel({{seriesIndex: 0}}, point.value);
        }}"""
    )
    box = page.locator("#chart").bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)
    page.wait_for_url(f"{live_server.url}/stances/*/")
    first_tusk = next(s for s in stances if s.actor.name == "Donald Tusk")
    assert page.url == f"{live_server.url}/stances/{first_tusk.pk}/"


def test_europe_map_colours_countries_as_of_the_slider_month(page, live_server, analyst):
    build_known_dataset()
    _open(page, live_server, analyst.username, "/analysis/europe/")
    page.wait_for_selector("#chart[data-ready='true']")
    # ECharts lists every region in the option; the coloured ones carry a stance.
    coloured = f"() => {CHART}.getOption().series[0].data.filter(d => d.stance).length"
    # March 2026: Poland, Spain, Hungary, Russia, France; the EU has no region on the map.
    assert page.evaluate(coloured) == 5
    page.evaluate(
        """() => {
            const slider = document.getElementById('as-of');
            slider.value = '0';
            slider.dispatchEvent(new Event('input', {bubbles: true}));
        }"""
    )
    assert page.evaluate(coloured) == 3  # January: Poland, Spain, Hungary
    assert page.locator("#as-of-label").inner_text() == "2026-01"
    assert page.url.endswith("as_of=2026-01")
    assert page.locator("tr[data-code='PL'] td.as-of").inner_text() == "O"


def test_network_has_the_expected_nodes_and_links(page, live_server, analyst):
    build_known_dataset()
    _open(page, live_server, analyst.username, "/analysis/network/?window=30&mode=congruence")
    series = f"{CHART}.getOption().series[0]"
    assert page.evaluate(f"() => {series}.data.length") == 5
    assert page.evaluate(f"() => {series}.links.length") == 4
    # node colours come from the style sheet, the palette's one home, and match the legend
    colours = page.evaluate(f"() => {series}.categories.map(c => c.itemStyle.color)")
    legend = page.evaluate(
        """() => [...document.querySelectorAll('.chart-legend .swatch')]
            .map(s => getComputedStyle(s).backgroundColor)"""
    )
    assert len(colours) == len(legend) == 6 and all(colours)
    assert len(set(colours)) == 6


def test_the_map_paints_labels_in_the_style_sheets_colours(page, live_server, analyst):
    build_known_dataset()
    _open(page, live_server, analyst.username, "/analysis/europe/")
    page.wait_for_selector("#chart[data-ready='true']")
    pieces = page.evaluate(f"() => {CHART}.getOption().visualMap[0].pieces.map(p => p.color)")
    assert pieces == ["#0072b2", "#e69f00", "#6b6b6b", "#d55e00"]


def test_compare_and_country_charts_draw(page, live_server, analyst):
    build_known_dataset()
    _open(
        page,
        live_server,
        analyst.username,
        "/analysis/compare/?actors=donald-tusk&actors=pedro-sanchez",
    )
    assert page.evaluate(f"() => {CHART}.getOption().series.map(s => s.data.length)") == [4, 1]
    page.goto(f"{live_server.url}/analysis/countries/PL/")
    page.wait_for_function(f"() => window.echarts && {CHART}")
    assert page.evaluate(f"() => {CHART}.getOption().series.map(s => s.data.length)") == [4, 2]


def test_the_map_names_its_colours_once(page, live_server, analyst):
    build_known_dataset()
    _open(page, live_server, analyst.username, "/analysis/europe/")
    page.wait_for_selector("#chart[data-ready='true']")
    assert page.evaluate(f"() => {CHART}.getOption().visualMap[0].show") is False
    assert page.locator(".chart-legend").count() == 1
    assert page.locator(".chart-legend li").all_inner_texts() == [
        "Support",
        "Conditional",
        "Neutral",
        "Oppose",
    ]
    screenshot(page, "europe-map")


def test_a_dense_network_names_only_its_busiest_actors(page, live_server, analyst):
    from datetime import date

    from tests.factories import ActorFactory, ArticleFactory, StanceFactory

    article = ArticleFactory(published=date(2026, 3, 2))
    for n in range(20):
        StanceFactory(actor=ActorFactory(name=f"Minister Number {n:02d}"), article=article)
    _open(page, live_server, analyst.username, "/analysis/network/?window=30&mode=congruence")
    series = f"{CHART}.getOption().series[0]"
    page.wait_for_function(f"() => window.echarts && {CHART}")
    assert page.evaluate(f"() => {series}.data.length") == 20
    labelled = page.evaluate(f"() => {series}.data.filter(n => n.label.show).length")
    assert labelled == 12
    assert page.evaluate(f"() => {series}.emphasis.label.show") is True
    screenshot(page, "network-dense")
