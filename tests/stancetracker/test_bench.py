from __future__ import annotations

import pytest

from stancetracker.bench import Measure, growth, measure


class FakeBrowser:
    """Answers from a script: (status, bytes, milliseconds) or an exception to raise."""

    timeout = 60

    def __init__(self, answers):
        self.answers = list(answers)
        self.restarts = 0

    def get(self, path, timeout=None):
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    def wait_until_up(self):
        self.restarts += 1


def test_the_warm_up_request_is_not_counted_and_p95_is_the_nearest_rank():
    browser = FakeBrowser([(200, 10, 999.0)] + [(200, 10, float(ms)) for ms in range(1, 21)])
    result = measure(browser, Measure("page", "/page/"), requests=20, budget=60)
    assert result.samples_ms == [float(ms) for ms in range(1, 21)]
    assert result.median_ms == 10.5
    assert result.p95_ms == 19.0
    assert result.as_dict(trivial_p95=2.0)["ratio"] == 9.5


@pytest.mark.django_db
def test_a_page_that_times_out_is_reported_as_timed_out_and_not_asked_again():
    browser = FakeBrowser([(200, 10, 5.0), TimeoutError("timed out"), (200, 10, 5.0)])
    result = measure(browser, Measure("slow", "/slow/"), requests=20, budget=60)
    assert result.status == "timed out (> 60 s)"
    assert result.samples_ms == [] and result.as_dict(trivial_p95=1.0)["p95_ms"] is None
    assert browser.restarts == 1 and len(browser.answers) == 1


def test_an_error_answer_is_reported_with_its_status():
    browser = FakeBrowser([(500, 145, 30.0)])
    result = measure(browser, Measure("broken", "/broken/"), requests=5, budget=60)
    assert result.status == "HTTP 500" and result.samples_ms == []


def test_growth_compares_each_page_with_itself_at_the_other_size():
    def size(stances, last_page, ratios):
        return {
            "stances": stances,
            "pages": [
                {"page": "article page", "ratio": ratios[0], "status": "ok"},
                {"page": f"review queue, page {last_page}", "ratio": ratios[1], "status": "ok"},
                {"page": "what changed", "ratio": ratios[2], "status": ratios[3]},
            ],
        }

    rows = growth(
        [
            size(10_000, 38, (2.0, 20.0, 600.0, "ok")),
            size(10**6, 3689, (3.0, 80.0, None, "timed out")),
        ]
    )
    assert rows == [
        {
            "page": "article page",
            "ratio_small": 2.0,
            "ratio_large": 3.0,
            "status_large": "ok",
            "growth": 1.5,
        },
        {
            "page": "review queue, last page",
            "ratio_small": 20.0,
            "ratio_large": 80.0,
            "status_large": "ok",
            "growth": 4.0,
        },
        {
            "page": "what changed",
            "ratio_small": 600.0,
            "ratio_large": None,
            "status_large": "timed out",
            "growth": None,
        },
    ]


@pytest.mark.django_db
def test_every_page_the_bench_measures_has_an_address():
    from django.core.management import call_command

    from stancetracker.bench import pages

    call_command("generate_demo_data", "--articles", "10", "--stances", "60", verbosity=0)
    found = pages()
    assert len(found) > 20
    assert [name for name, url in found if not url.startswith("/")] == []


def test_a_profile_splits_a_page_into_queries_template_and_the_rest():
    from stancetracker.bench import _profile_row, _Split

    splits = [
        _Split(total=30.0, queries=8.0, queries_n=4, render=20.0, render_queries=2.0),
        _Split(total=40.0, queries=10.0, queries_n=4, render=24.0, render_queries=4.0),
        _Split(total=50.0, queries=12.0, queries_n=4, render=28.0, render_queries=6.0),
    ]
    row = _profile_row("page", "/page/", splits, 1000)
    assert (row["median_ms"], row["queries_ms"], row["render_ms"]) == (40.0, 10.0, 24.0)
    # the queries the template ran are counted once, in the template's time
    assert row["rest_ms"] == 40.0 - 24.0 - (10.0 - 4.0)
    assert row["queries"] == 4
