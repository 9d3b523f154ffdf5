"""Polling sources end to end on a local server, through the same ingestion as uploads."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta
from unittest import mock

import pytest
from django.db import connections
from django.utils import timezone

from actors.models import Stance
from articles.models import Article, IngestItem, IngestJob, Source, SourceEntry, SourcePoll
from articles.sources.services import entry_key, source_create, source_poll, source_set_enabled
from articles.sources.tasks import sources_poll_due
from tests.articles.sources.conftest import HTML, XML, article_page, rss

pytestmark = pytest.mark.django_db

TUSK = [
    "Polish Prime Minister Donald Tusk rejected any talks with Moscow for now, speaking in "
    "Warsaw on Monday after a meeting of the cabinet.",
    "He said that sanctions must stay in place and that Europe should keep its distance.",
]
SANCHEZ = [
    "Spanish Prime Minister Pedro Sánchez said that Europe should open talks with Russia, "
    "in an interview published on Tuesday.",
    "He argued that diplomacy had to start before the end of the war, not after it.",
]
MICHAL = [
    "Estonian Prime Minister Kristen Michal ruled out any contact with the Kremlin this "
    "year, telling parliament that talks would reward aggression.",
    "Members of the opposition asked the government to explain its plans in more detail.",
]


def feed_source(site, **fields) -> Source:
    return source_create(
        name="Baltic Wire",
        kind=Source.Kind.FEED,
        url=site.url + "/feed.xml",
        outlet="Baltic Wire",
        interval_minutes=30,
        **fields,
    )


def serve_articles(site, *pages):
    items = []
    for slug, title, paragraphs, extra in pages:
        site.route(f"/news/{slug}", article_page(title, paragraphs, **extra), headers=HTML)
        items.append({"title": title, "link": f"{site.url}/news/{slug}"})
    return items


def test_a_feed_that_changes_between_polls_gives_each_entry_one_article(
    site, fast_sources, ingest_queue
):
    first = serve_articles(
        site,
        ("tusk", "Tusk says no", TUSK, {"published": "2026-03-09T08:00:00Z"}),
        ("sanchez", "Sánchez wants talks", SANCHEZ, {}),
    )
    site.route("/feed.xml", rss(first), headers=XML)
    source = feed_source(site)

    poll = source_poll(source_id=source.pk)
    ingest_queue.run()
    assert poll.outcome == SourcePoll.Outcome.OK and poll.entries_new == 2
    assert poll.job.kind == IngestJob.Kind.SOURCE
    assert Article.objects.count() == 2
    tusk = Article.objects.get(source_url=f"{site.url}/news/tusk")
    assert (tusk.title, tusk.outlet, tusk.published) == (
        "Tusk says no",
        "Baltic Wire",
        date(2026, 3, 9),
    )
    assert tusk.body.startswith("Polish Prime Minister Donald Tusk")
    sanchez = Article.objects.get(source_url=f"{site.url}/news/sanchez")
    # proposals reach the review queue as with an upload
    assert Stance.objects.filter(
        article=sanchez, actor__name="Pedro Sánchez", status="proposed"
    ).exists()

    second = first + serve_articles(site, ("michal", "Michal rules out contact", MICHAL, {}))
    site.route("/feed.xml", rss(second), headers=XML)
    poll = source_poll(source_id=source.pk)
    ingest_queue.run()
    assert poll.entries_new == 1
    assert Article.objects.count() == 3
    assert site.paths().count("/news/tusk") == 1

    # a poll after a restart: nothing is kept in memory, the database knows the entries
    again = source_poll(source_id=source.pk)
    assert (again.outcome, again.entries_new, again.job) == (SourcePoll.Outcome.OK, 0, None)
    assert again.message == "No new entries."
    assert Article.objects.count() == 3
    assert SourceEntry.objects.filter(source=source).count() == 3


def test_an_unchanged_feed_costs_one_small_request(site, fast_sources, ingest_queue):
    items = serve_articles(site, ("tusk", "Tusk says no", TUSK, {}))

    def feed(request):
        if request.headers.get("If-None-Match") == '"feed-1"':
            return 304, {"ETag": '"feed-1"'}, b""
        return 200, {**XML, "ETag": '"feed-1"'}, rss(items).encode()

    site.route("/feed.xml", handler=feed)
    source = feed_source(site)
    source_poll(source_id=source.pk)
    before = len(site.hits)

    poll = source_poll(source_id=source.pk)
    assert poll.outcome == SourcePoll.Outcome.UNCHANGED
    assert poll.message == "The feed has not changed."
    assert site.paths()[before:] == ["/feed.xml"]
    assert site.hits[-1].headers["If-None-Match"] == '"feed-1"'
    source.refresh_from_db()
    assert source.consecutive_failures == 0
    assert source.next_poll_at > timezone.now() + timedelta(minutes=29)


def test_the_date_comes_from_the_page_else_from_the_feed_entry(site, fast_sources, ingest_queue):
    site.route("/news/a", article_page("Tusk says no", TUSK, published="2026-02-01"), headers=HTML)
    site.route(
        "/news/b", article_page("Sánchez wants talks", SANCHEZ, author="Ana Ruiz"), headers=HTML
    )
    items = [
        {"title": "A", "link": f"{site.url}/news/a", "date": datetime(2026, 2, 5, tzinfo=UTC)},
        {"title": "B", "link": f"{site.url}/news/b", "date": datetime(2026, 2, 6, 9, tzinfo=UTC)},
    ]
    site.route("/feed.xml", rss(items), headers=XML)
    source = feed_source(site)
    source_poll(source_id=source.pk)
    ingest_queue.run()

    a = Article.objects.get(source_url=f"{site.url}/news/a")
    b = Article.objects.get(source_url=f"{site.url}/news/b")
    assert (a.published, a.published_source) == (date(2026, 2, 1), "header")
    assert (b.published, b.published_source) == (date(2026, 2, 6), "given")
    entry = SourceEntry.objects.get(source=source, url=f"{site.url}/news/b")
    assert (entry.title, entry.author) == ("Sánchez wants talks", "Ana Ruiz")
    assert "by Ana Ruiz" in entry.item.note


def test_a_page_without_a_charset_header_is_read_in_its_own_encoding(
    site, fast_sources, ingest_queue
):
    page = article_page("Sánchez wants talks", SANCHEZ).replace(
        "<head>", '<head><meta charset="iso-8859-1">'
    )
    site.route("/news/s", page.encode("latin-1"), headers={"Content-Type": "text/html"})
    source = source_create(
        name="L", kind=Source.Kind.URLS, article_urls=f"{site.url}/news/s", outlet="L"
    )
    source_poll(source_id=source.pk)
    ingest_queue.run()
    article = Article.objects.get()
    assert article.title == "Sánchez wants talks"
    assert "Pedro Sánchez said" in article.body


def test_the_same_article_from_two_sources_is_linked_not_created_again(
    site, fast_sources, ingest_queue
):
    site.route("/news/tusk", article_page("Tusk says no", TUSK), headers=HTML)
    site.route("/copy/tusk", article_page("Tusk says no (copy)", TUSK), headers=HTML)
    site.route("/feed.xml", rss([{"title": "T", "link": f"{site.url}/news/tusk"}]), headers=XML)
    feed = feed_source(site)
    urls = source_create(
        name="Copies",
        kind=Source.Kind.URLS,
        article_urls=f"{site.url}/copy/tusk\n",
        outlet="Copy Desk",
    )
    source_poll(source_id=feed.pk)
    ingest_queue.run()
    poll = source_poll(source_id=urls.pk)
    ingest_queue.run()

    assert Article.objects.count() == 1
    poll.job.refresh_from_db()
    assert (poll.job.articles_created, poll.job.duplicates) == (0, 1)
    item = IngestItem.objects.get(job=poll.job)
    assert item.status == IngestItem.Status.DUPLICATE and item.article == Article.objects.get()


def test_pages_that_cannot_be_fetched_fail_with_their_reasons_and_the_rest_go_on(
    site, fast_sources, ingest_queue
):
    site.route("/robots.txt", "User-agent: *\nDisallow: /private/\n")
    good = serve_articles(site, ("tusk", "Tusk says no", TUSK, {}))
    site.route("/news/slow", article_page("Slow", SANCHEZ), headers=HTML, delay=2)
    site.route("/news/loop", status=302, headers={"Location": "/news/loop"})
    site.route("/news/huge", "<p>" + "word " * 30_000 + "</p>", headers=HTML)
    site.route("/private/memo", article_page("Memo", MICHAL), headers=HTML)
    site.route("/news/empty", "<html><body><nav>Home</nav></body></html>", headers=HTML)
    bad = [
        {"title": name, "link": f"{site.url}{path}"}
        for name, path in [
            ("Slow", "/news/slow"),
            ("Loop", "/news/loop"),
            ("Huge", "/news/huge"),
            ("Memo", "/private/memo"),
            ("Empty", "/news/empty"),
        ]
    ]
    site.route("/feed.xml", rss(good + bad), headers=XML)
    source = feed_source(site)

    poll = source_poll(source_id=source.pk)
    ingest_queue.run()
    assert (poll.outcome, poll.entries_new, poll.entries_failed) == ("ok", 6, 5)
    reasons = dict(SourceEntry.objects.filter(status="failed").values_list("title", "error"))
    assert "within 0.5 s" in reasons["Slow"]
    assert "Redirect loop" in reasons["Loop"]
    assert "larger than the limit of 100,000 bytes" in reasons["Huge"]
    assert "robots.txt" in reasons["Memo"] and "/private/memo" not in site.paths()
    assert "No article text" in reasons["Empty"]
    poll.job.refresh_from_db()
    assert (poll.job.articles_created, poll.job.failures) == (1, 5)
    assert set(poll.job.items.filter(status="failed").values_list("error", flat=True)) == set(
        reasons.values()
    )

    # retried at the next poll, then left alone after the last attempt
    site.route("/news/slow", article_page("Slow", SANCHEZ), headers=HTML)
    retry = source_poll(source_id=source.pk)
    ingest_queue.run()
    assert retry.entries_new == 0 and retry.entries_failed == 4
    assert SourceEntry.objects.get(title="Slow").status == "ingested"
    assert set(SourceEntry.objects.filter(status="failed").values_list("attempts", flat=True)) == {
        2
    }
    assert Article.objects.count() == 2
    hits = len(site.hits)
    last = source_poll(source_id=source.pk)
    assert (last.entries_failed, last.job) == (0, None)
    assert site.paths()[hits:] == ["/feed.xml"]


def test_a_malformed_feed_fails_with_its_reason_backs_off_and_pauses(site, fast_sources):
    site.route("/feed.xml", "<html><body>This is not a feed <p>at all", headers=HTML)
    source = feed_source(site)
    nexts = []
    for _ in range(2):
        poll = source_poll(source_id=source.pk)
        assert poll.outcome == SourcePoll.Outcome.FAILED
        assert poll.message.startswith("Not ")
        source.refresh_from_db()
        nexts.append(source.next_poll_at - timezone.now())
    assert source.enabled and source.consecutive_failures == 2
    assert timedelta(minutes=59) < nexts[0] < timedelta(minutes=61)
    assert timedelta(minutes=119) < nexts[1] < timedelta(minutes=121)

    source_poll(source_id=source.pk)
    source.refresh_from_db()
    assert not source.enabled and source.next_poll_at is None
    assert source.paused_reason.startswith(
        "Paused after 3 failed polls in a row. The last one: Not"
    )
    assert sources_poll_due() == []

    site.route("/feed.xml", rss([]), headers=XML)
    source_set_enabled(source=source, enabled=True)
    source.refresh_from_db()
    assert (source.paused_reason, source.consecutive_failures) == ("", 0)
    assert source_poll(source_id=source.pk).outcome == SourcePoll.Outcome.OK


def test_a_feed_that_cannot_be_reached_is_a_failed_poll(site, fast_sources):
    source = feed_source(site)
    site.route("/feed.xml", "gone", status=410)
    poll = source_poll(source_id=source.pk)
    assert (poll.outcome, poll.message) == ("failed", f"HTTP 410 from {site.url}/feed.xml")


def test_a_list_of_urls_is_fetched_once(site, fast_sources, ingest_queue):
    serve_articles(site, ("tusk", "Tusk says no", TUSK, {}), ("michal", "Michal", MICHAL, {}))
    source = source_create(
        name="Picked by hand",
        kind=Source.Kind.URLS,
        article_urls=f"{site.url}/news/tusk\n{site.url}/news/michal\n",
        outlet="Various",
    )
    assert source_poll(source_id=source.pk).entries_new == 2
    ingest_queue.run()
    assert source_poll(source_id=source.pk).entries_new == 0
    assert Article.objects.count() == 2


def test_a_source_being_polled_is_left_to_its_worker(site, fast_sources):
    site.route("/feed.xml", rss([]), headers=XML)
    source = feed_source(site)
    Source.objects.filter(pk=source.pk).update(
        polling_since=timezone.now(), queued_at=timezone.now()
    )
    assert source_poll(source_id=source.pk) is None
    assert site.hits == []
    assert Source.objects.get(pk=source.pk).queued_at is None  # the row says "Polling…"
    # a lease older than the limit belongs to a worker that died
    Source.objects.filter(pk=source.pk).update(polling_since=timezone.now() - timedelta(hours=1))
    assert source_poll(source_id=source.pk).outcome == "ok"
    source.refresh_from_db()
    assert source.polling_since is None


def test_a_switched_off_source_is_polled_only_when_asked(site, fast_sources):
    site.route("/feed.xml", rss([]), headers=XML)
    source = feed_source(site, enabled=False)
    assert source_poll(source_id=source.pk) is None
    assert source_poll(source_id=source.pk, requested=True).outcome == "ok"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_polling_one_source_ingest_each_entry_once(site, fast_sources, ingest_queue):
    items = serve_articles(site, ("tusk", "Tusk says no", TUSK, {}))
    site.route("/feed.xml", rss(items), headers=XML, delay=0.3)
    source = feed_source(site)
    results = []

    def worker():
        try:
            results.append(source_poll(source_id=source.pk))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(result is None for result in results) == [False, True]
    assert site.paths().count("/feed.xml") == 1
    assert SourceEntry.objects.count() == 1 and IngestItem.objects.count() == 1


def test_the_scheduler_sends_due_sources_once(site, fast_sources):
    due = feed_source(site)
    later = source_create(
        name="Later", kind=Source.Kind.FEED, url=site.url + "/other.xml", outlet="L"
    )
    Source.objects.filter(pk=later.pk).update(next_poll_at=timezone.now() + timedelta(minutes=5))
    off = source_create(
        name="Off", kind=Source.Kind.URLS, article_urls="http://127.0.0.1:9/x", outlet="O"
    )
    source_set_enabled(source=off, enabled=False)
    with mock.patch("articles.sources.tasks.source_poll_task.apply_async") as send:
        assert sources_poll_due() == [due.pk]
        assert sources_poll_due() == []  # waiting in the queue already
    send.assert_called_once_with((due.pk,), {"requested": False}, retry=False)


def test_entry_keys_are_the_entry_ids(site, fast_sources, ingest_queue):
    site.route("/news/tusk", article_page("Tusk says no", TUSK), headers=HTML)
    items = [{"title": "T", "link": f"{site.url}/news/tusk", "guid": "urn:baltic:1"}]
    site.route("/feed.xml", rss(items), headers=XML)
    source = feed_source(site)
    source_poll(source_id=source.pk)
    assert SourceEntry.objects.get().key == entry_key("urn:baltic:1")


def test_a_source_keeps_only_its_recent_polls(site, fast_sources, monkeypatch):
    monkeypatch.setattr("articles.sources.services.POLLS_KEPT", 2)
    site.route("/feed.xml", rss([]), headers=XML)
    source = feed_source(site)
    polls = [source_poll(source_id=source.pk) for _ in range(3)]
    assert list(SourcePoll.objects.filter(source=source)) == polls[:0:-1]
    source.refresh_from_db()
    assert source.last_poll == polls[-1]
