"""The fetcher against a real local HTTP server: politeness and every way a fetch fails."""

from __future__ import annotations

import threading
import time

import pytest

from articles.sources.fetching import Fetcher, FetchError, FetchSettings, LocalHostGate
from articles.sources.services import DatabaseHostGate, fetcher_build

UA = "StanceTracker-test/1.0 (tests)"


def fetcher(**options) -> Fetcher:
    settings = {"user_agent": UA, "timeout": 0.5, "max_bytes": 10_000, "max_redirects": 3}
    return Fetcher(FetchSettings(**(settings | options)), gate=LocalHostGate(delay=0))


def test_requests_name_the_app_and_ask_robots_txt_once_per_host(site):
    site.route("/robots.txt", "User-agent: *\nAllow: /\n")
    a = site.route("/a", "first")
    b = site.route("/b", "second")
    with fetcher() as client:
        assert client.get(a).content == b"first"
        assert client.get(b).text() == "second"
    assert site.paths() == ["/robots.txt", "/a", "/b"]
    assert {hit.headers["User-Agent"] for hit in site.hits} == {UA}


def test_a_conditional_get_of_an_unchanged_page_is_answered_not_modified(site):
    def feed(request):
        if request.headers.get("If-None-Match") == '"v1"':
            return 304, {"ETag": '"v1"'}, b""
        return 200, {"ETag": '"v1"', "Last-Modified": "Tue, 01 Dec 2026 10:00:00 GMT"}, b"<rss/>"

    url = site.route("/feed.xml", handler=feed)
    with fetcher() as client:
        first = client.get(url)
        again = client.get(url, etag=first.etag, last_modified=first.last_modified)
    assert (first.status, first.etag, first.not_modified) == (200, '"v1"', False)
    assert again.not_modified and again.content == b""
    assert site.hits[-1].headers["If-Modified-Since"] == "Tue, 01 Dec 2026 10:00:00 GMT"


def test_a_page_that_does_not_answer_in_time_fails_with_the_timeout(site):
    url = site.route("/slow", "too late", delay=2)
    with fetcher(timeout=0.3) as client, pytest.raises(FetchError, match=r"within 0.3 s"):
        client.get(url)


def test_a_redirect_loop_is_named_and_abandoned(site):
    site.route("/a", status=302, headers={"Location": "/b"})
    site.route("/b", status=302, headers={"Location": "/a"})
    with (
        fetcher() as client,
        pytest.raises(FetchError, match=r"Redirect loop: .*/a -> .*/b -> .*/a"),
    ):
        client.get(site.url + "/a")


def test_redirects_are_followed_within_the_limit_only(site):
    for n in range(6):
        site.route(f"/hop{n}", status=301, headers={"Location": f"/hop{n + 1}"})
    site.route("/hop6", "arrived")
    site.route("/near", status=307, headers={"Location": "/hop6"})
    with fetcher(max_redirects=3) as client:
        assert client.get(site.url + "/near").url == site.url + "/hop6"
        with pytest.raises(FetchError, match="More than 3 redirects"):
            client.get(site.url + "/hop0")


def test_a_page_over_the_size_cap_is_refused(site):
    url = site.route("/huge", b"x" * 20_001)
    with fetcher(max_bytes=20_000) as client, pytest.raises(FetchError, match="larger than"):
        client.get(url)


def test_robots_txt_that_disallows_a_path_is_obeyed(site):
    site.route("/robots.txt", "User-agent: *\nDisallow: /private/\n")
    allowed = site.route("/public/1", "fine")
    forbidden = site.route("/private/1", "secret")
    with fetcher() as client:
        assert client.get(allowed).content == b"fine"
        with pytest.raises(FetchError, match="robots.txt .* does not allow"):
            client.get(forbidden)
    assert "/private/1" not in site.paths()


def test_a_host_whose_robots_txt_fails_is_not_crawled(site):
    site.route("/robots.txt", "oops", status=503)
    url = site.route("/page", "content")
    with fetcher() as client, pytest.raises(FetchError, match="HTTP 503"):
        client.get(url)
    assert "/page" not in site.paths()


def test_an_error_status_is_reported_with_its_code(site):
    with fetcher() as client, pytest.raises(FetchError, match="HTTP 404"):
        client.get(site.url + "/missing")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_take_turns_at_one_host_with_the_delay_between(site, settings):
    settings.STANCETRACKER_SOURCES = {
        **settings.STANCETRACKER_SOURCES,
        "host_delay": 0.3,
        "timeout": 2,
    }
    for n in range(3):
        site.route(f"/p{n}", f"page {n}", delay=0.1)
    errors = []

    def worker():
        try:
            with fetcher_build() as client:
                for n in range(3):
                    client.get(f"{site.url}/p{n}")
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors
    assert site.most_at_once == 1
    hits = sorted(site.hits, key=lambda hit: hit.started)
    assert sorted(hit.path for hit in hits if hit.path != "/robots.txt") == sorted(
        [f"/p{n}" for n in range(3)] * 2
    )
    gaps = [later.started - earlier.ended for earlier, later in zip(hits, hits[1:], strict=False)]
    assert min(gaps) >= 0.25, gaps


@pytest.mark.django_db
def test_the_database_gate_waits_for_the_hosts_delay():
    gate = DatabaseHostGate(delay=0.3, hold=5)
    gate.wait("example.test")
    gate.done("example.test")
    started = time.monotonic()
    gate.wait("example.test")
    assert time.monotonic() - started >= 0.25
    gate.done("example.test")
