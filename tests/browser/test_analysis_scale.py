from __future__ import annotations

import pytest

from actors.analysis import selectors
from tests.actors.analysis.test_views import grow
from tests.browser.conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

CHART = "echarts.getInstanceByDom(document.getElementById('chart'))"


def test_a_point_of_an_aggregated_chart_opens_the_list_of_its_stances(
    page, live_server, analyst, monkeypatch
):
    grow(n=24)
    monkeypatch.setattr(selectors, "POINTS_LIMIT", 5)
    log_in(page, live_server, analyst.username)
    page.goto(f"{live_server.url}/analysis/actors/donald-tusk/")
    page.wait_for_function(f"() => window.echarts && {CHART}")
    point = page.evaluate(f"() => {CHART}.getOption().series[0].data[0]")
    assert point["count"] >= 1
    x, y = page.evaluate(
        f"""() => {{
            const chart = {CHART};
            const first = chart.getOption().series[0].data[0];
            return chart.convertToPixel({{seriesIndex: 0}}, first.value);
        }}"""
    )
    box = page.locator("#chart").bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)
    page.wait_for_url("**date_from=*")
    assert f"label={point['stance']}" in page.url
    listed = page.locator("ol.timeline > li.timeline-item")
    assert listed.count() == point["count"]
