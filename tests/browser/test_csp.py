"""Under the Content-Security-Policy every page works and nothing is refused: the app's own
scripts and styles only, no inline code, charts and their tooltips included."""

from __future__ import annotations

import pytest

from tests.actors.analysis.test_views import build_known_dataset
from tests.browser.conftest import log_in
from tests.browser.test_analysis_charts import CHART, vendored_assets  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# Collects what the browser refused, from the page's first script on.
WATCH_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(event.violatedDirective + " " + (event.blockedURI || "inline")
    + " " + (event.sourceFile || "") + ":" + event.lineNumber);
});
"""

CHART_PAGES = [
    "/analysis/actors/donald-tusk/",
    "/analysis/countries/PL/",
    "/analysis/europe/",
    "/analysis/compare/?actors=donald-tusk&actors=kaja-kallas",
    "/analysis/network/?window=30&mode=congruence",
]


@pytest.fixture
def watched(page):
    console = []
    page.add_init_script(WATCH_VIOLATIONS)
    page.on(
        "console",
        lambda message: (
            console.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return page, console


def _visit(page, console, url: str) -> list[str]:
    response = page.goto(url)
    assert response.status < 400, url
    assert "'self'" in response.headers["content-security-policy"]
    page.wait_for_load_state("load")
    return page.evaluate("() => window.__cspViolations") + console


def _show_a_tooltip(page) -> None:
    """ECharts writes its tooltip as HTML: it must show, with its classes' styles."""
    page.evaluate(
        f"""() => {CHART}.dispatchAction({{type: "showTip", seriesIndex: 0, dataIndex: 0}})"""
    )
    page.wait_for_timeout(300)


def test_an_editor_walks_the_pages_with_nothing_refused(watched, live_server, editor):
    page, console = watched
    stances = build_known_dataset()
    log_in(page, live_server, editor.username)
    refused = {}
    for path in ["/", "/review/", f"/articles/{stances[0].article_id}/", "/analysis/"]:
        refused[path] = _visit(page, console, f"{live_server.url}{path}")
        console.clear()
    for path in CHART_PAGES:
        refused[path] = _visit(page, console, f"{live_server.url}{path}")
        page.wait_for_function(f"() => window.echarts && {CHART}")
        drawn = page.evaluate(
            f"""() => {{
                const canvas = document.querySelector("#chart canvas");
                return {CHART}.getOption().series.length > 0
                    && canvas !== null && canvas.width > 0 && canvas.height > 0;
            }}"""
        )
        assert drawn, path
        _show_a_tooltip(page)
        refused[path] += page.evaluate("() => window.__cspViolations")
        console.clear()
    assert refused == {path: [] for path in refused}


def test_the_country_chart_keeps_its_computed_height(watched, live_server, analyst):
    page, console = watched
    build_known_dataset()
    log_in(page, live_server, analyst.username)
    assert _visit(page, console, f"{live_server.url}/analysis/countries/PL/") == []
    page.wait_for_function(f"() => window.echarts && {CHART}")
    wanted = page.get_attribute("#chart", "data-height")
    assert page.evaluate("() => getComputedStyle(document.getElementById('chart')).height") == (
        f"{wanted}px"
    )
    assert int(wanted) != 420  # the style sheet's height for other charts


def test_an_admin_walks_the_admin_pages_with_nothing_refused(
    watched, live_server, django_user_model
):
    page, console = watched
    build_known_dataset()
    django_user_model.objects.create_superuser(
        username="root", password="pw-for-tests-only", email="root@example.org"
    )
    log_in(page, live_server, "root")
    refused = {}
    user_id = django_user_model.objects.get(username="root").pk
    for path in [
        "/articles/upload/",
        "/articles/models/",
        "/articles/sources/",
        "/articles/jobs/",
        "/admin/",
        "/admin/auth/user/",
        f"/admin/auth/user/{user_id}/change/",
        "/admin/auth/group/add/",
        "/admin/actors/stance/",
    ]:
        refused[path] = _visit(page, console, f"{live_server.url}{path}")
        console.clear()
    assert refused == {path: [] for path in refused}
    # the admin's own scripts still run: the user list's select-all box ticks every row
    page.goto(f"{live_server.url}/admin/auth/user/")
    page.check("#action-toggle")
    assert page.locator("input.action-select:checked").count() >= 1
