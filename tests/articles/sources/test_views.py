"""The Sources pages with the Django client: who may do what, and what the admin sees."""

from __future__ import annotations

from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from kombu.exceptions import OperationalError as BrokerDown

from articles.models import Source
from articles.sources.services import source_create, source_poll
from tests.articles.sources.conftest import XML, rss

pytestmark = pytest.mark.django_db

LIST = reverse("articles:sources")


def feed_fields(**extra) -> dict:
    return {
        "name": "Baltic Wire",
        "kind": "feed",
        "url": "https://baltic.example/feed.rss",
        "outlet": "Baltic Wire",
        "language": "en",
        "interval_minutes": "30",
        "enabled": "on",
        **extra,
    }


@pytest.fixture
def sent():
    with mock.patch("articles.sources.tasks.source_poll_task.apply_async") as apply_async:
        yield apply_async


@pytest.fixture
def source(db):
    return source_create(
        name="Iberian Daily", kind=Source.Kind.FEED, url="https://iberian.example/feed", outlet="ID"
    )


@pytest.mark.parametrize("who", ["analyst", "editor", "no_role_user"])
def test_only_admins_see_and_manage_sources(client, request, who, source, sent):
    client.force_login(request.getfixturevalue(who))
    assert client.get(LIST).status_code == 403
    assert client.get(source.get_absolute_url()).status_code == 403
    assert client.post(reverse("articles:source-add"), feed_fields()).status_code == 403
    assert client.post(reverse("articles:source-poll", args=[source.pk])).status_code == 403
    assert client.post(reverse("articles:source-toggle", args=[source.pk])).status_code == 403
    assert client.post(reverse("articles:source-remove", args=[source.pk])).status_code == 403
    assert client.get(reverse("articles:sources-opml")).status_code == 403
    assert Source.objects.get().enabled and Source.objects.count() == 1
    sent.assert_not_called()
    assert 'href="/articles/sources/"' not in client.get("/").content.decode()


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(LIST)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_an_admin_adds_a_feed_and_finds_it_listed(client, admin_user_role):
    client.force_login(admin_user_role)
    assert 'href="/articles/sources/"' in client.get("/").content.decode()
    response = client.post(reverse("articles:source-add"), feed_fields(), follow=True)
    source = Source.objects.get()
    assert (source.kind, source.url, source.language, source.interval_minutes) == (
        "feed",
        "https://baltic.example/feed.rss",
        "en",
        30,
    )
    assert source.enabled and source.created_by == admin_user_role and source.next_poll_at
    page = response.content.decode()
    assert (
        "Added “Baltic Wire”: the worker polls it within a minute, then every 30 minutes." in page
    )
    assert f'id="source-{source.pk}"' in page and "Not polled yet" not in page
    assert "never" in page


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"url": ""}, "A feed source needs the feed&#x27;s address."),
        ({"url": "ftp://baltic.example/feed"}, "Enter a valid URL."),
        ({"interval_minutes": "1"}, "Poll between every 5 minutes and once a week"),
        (
            {"kind": "urls", "article_urls": "https://a.example/1\nnot a url\n"},
            "Not web addresses: line 2: not a url",
        ),
        ({"kind": "urls", "article_urls": ""}, "Give at least one article URL."),
        ({"url": "https://iberian.example/feed"}, "A source with this feed URL exists already."),
    ],
)
def test_a_bad_source_is_refused_with_the_reason(client, admin_user_role, source, fields, message):
    client.force_login(admin_user_role)
    response = client.post(reverse("articles:source-add"), feed_fields(**fields))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Source.objects.count() == 1


def test_article_urls_come_pasted_or_in_a_text_file(client, admin_user_role):
    client.force_login(admin_user_role)
    upload = SimpleUploadedFile(
        "urls.txt", b"\xef\xbb\xbfhttps://a.example/2\n# a comment\nhttps://a.example/1\n"
    )
    fields = feed_fields(kind="urls", url="", article_urls="https://a.example/1\n")
    response = client.post(reverse("articles:source-add"), {**fields, "urls_file": upload})
    assert response.status_code == 302
    assert Source.objects.get().url_list() == ["https://a.example/1", "https://a.example/2"]


def test_poll_now_sends_the_source_to_the_worker_and_the_row_says_so(
    client, admin_user_role, source, sent
):
    client.force_login(admin_user_role)
    url = reverse("articles:source-poll", args=[source.pk])
    response = client.post(url, headers={"HX-Request": "true"})
    sent.assert_called_once_with((source.pk,), {"requested": True}, retry=False)
    fragment = response.content.decode()
    assert fragment.lstrip().startswith(f'<tr id="source-{source.pk}"')
    assert "Poll queued…" in fragment and 'hx-trigger="every 2s"' in fragment
    assert "<html" not in fragment


def test_poll_now_with_the_broker_down_says_it_will_poll_later(client, admin_user_role, source):
    client.force_login(admin_user_role)
    with mock.patch(
        "articles.sources.tasks.source_poll_task.apply_async", side_effect=BrokerDown("refused")
    ):
        response = client.post(reverse("articles:source-poll", args=[source.pk]), follow=True)
    assert "The task queue is not reachable right now" in response.content.decode()
    source.refresh_from_db()
    assert source.queued_at is None and source.next_poll_at is not None


def test_the_page_shows_the_last_poll_its_counts_and_failures(
    client, admin_user_role, site, fast_sources, ingest_queue
):
    site.route("/feed.xml", rss([{"title": "Gone", "link": f"{site.url}/news/gone"}]), headers=XML)
    source = source_create(
        name="Wire", kind=Source.Kind.FEED, url=site.url + "/feed.xml", outlet="Wire"
    )
    source_poll(source_id=source.pk)
    ingest_queue.run()
    client.force_login(admin_user_role)
    listing = client.get(LIST).content.decode()
    assert "Failed" in listing and "Every page failed: HTTP 404 from" in listing
    assert "new articles 0 · duplicates 0 · failed 1" in listing
    detail = client.get(source.get_absolute_url()).content.decode()
    assert f"HTTP 404 from {site.url}/news/gone" in detail
    assert "Failed (1 attempt)" in detail


def test_a_source_is_switched_off_and_on_and_removed(client, admin_user_role, source):
    client.force_login(admin_user_role)
    client.post(reverse("articles:source-toggle", args=[source.pk]))
    source.refresh_from_db()
    assert not source.enabled
    Source.objects.filter(pk=source.pk).update(paused_reason="Paused after 5 failed polls")
    response = client.post(
        reverse("articles:source-toggle", args=[source.pk]), headers={"HX-Request": "true"}
    )
    source.refresh_from_db()
    assert source.enabled and source.paused_reason == ""
    assert "Switch off" in response.content.decode()
    response = client.post(reverse("articles:source-remove", args=[source.pk]), follow=True)
    assert "Removed “Iberian Daily”; its articles stay." in response.content.decode()
    assert not Source.objects.exists()


def test_an_admin_edits_a_source(client, admin_user_role, source):
    client.force_login(admin_user_role)
    response = client.post(
        reverse("articles:source-edit", args=[source.pk]),
        feed_fields(name="Iberian Daily (politics)", url="https://iberian.example/politics"),
    )
    assert response.status_code == 302
    source.refresh_from_db()
    assert (source.name, source.url, source.interval_minutes) == (
        "Iberian Daily (politics)",
        "https://iberian.example/politics",
        30,
    )


def test_opml_import_and_export_from_the_page(client, admin_user_role, source):
    client.force_login(admin_user_role)
    opml = (
        b'<opml version="2.0"><body><outline type="rss" text="Wire" '
        b'xmlUrl="https://wire.example/rss"/></body></opml>'
    )
    response = client.post(
        reverse("articles:sources-opml-import"),
        {"file": SimpleUploadedFile("feeds.opml", opml), "interval_minutes": "20", "enabled": "on"},
        follow=True,
    )
    assert "1 sources added; 0 were sources already." in response.content.decode()
    assert Source.objects.get(url="https://wire.example/rss").interval_minutes == 20
    bad = client.post(
        reverse("articles:sources-opml-import"),
        {"file": SimpleUploadedFile("x.opml", b"nope"), "interval_minutes": "20"},
    )
    assert bad.status_code == 400 and "Not an XML file" in bad.content.decode()

    exported = client.get(reverse("articles:sources-opml"))
    assert exported["Content-Type"].startswith("text/x-opml")
    assert b'xmlUrl="https://wire.example/rss"' in exported.content
    assert b'xmlUrl="https://iberian.example/feed"' in exported.content


def test_the_list_page_costs_a_fixed_number_of_queries(
    client, admin_user_role, django_assert_max_num_queries
):
    for n in range(15):
        source_create(
            name=f"Feed {n}", kind=Source.Kind.FEED, url=f"https://f{n}.example/rss", outlet="F"
        )
    client.force_login(admin_user_role)
    with django_assert_max_num_queries(8):
        assert client.get(LIST).status_code == 200


def test_the_source_page_costs_a_fixed_number_of_queries_and_its_row_refreshes_alone(
    client, admin_user_role, site, fast_sources, ingest_queue, django_assert_max_num_queries
):
    links = [{"title": f"Missing {n}", "link": f"{site.url}/news/{n}"} for n in range(12)]
    site.route("/feed.xml", rss(links), headers=XML)
    source = source_create(name="W", kind=Source.Kind.FEED, url=site.url + "/feed.xml", outlet="W")
    for _ in range(3):
        source_poll(source_id=source.pk)
    ingest_queue.run()
    client.force_login(admin_user_role)
    with django_assert_max_num_queries(12):
        page = client.get(source.get_absolute_url()).content.decode()
    assert page.count("Failed (2 attempts): HTTP 404") == 12
    row = client.get(f"{source.get_absolute_url()}?part=row", headers={"HX-Request": "true"})
    assert row.content.decode().lstrip().startswith(f'<tr id="source-{source.pk}"')
