"""OPML in and out: what feed readers export becomes sources, and back."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from articles.models import Source
from articles.sources.opml import OpmlError, OpmlFeed, opml_read, opml_write
from articles.sources.services import source_create, sources_import_opml, sources_opml_feeds

READER_EXPORT = b"""<?xml version="1.0" encoding="UTF-8"?>
<opml version="1.0">
  <head><title>My subscriptions</title></head>
  <body>
    <outline text="Baltic Wire" title="Baltic Wire">
      <outline type="rss" text="Baltic Wire: politics"
        xmlUrl="https://baltic.example/politics.rss" language="en"/>
      <outline type="rss" text="Baltic Wire: world" xmlUrl="https://baltic.example/world.rss"/>
    </outline>
    <outline type="rss" title="Iberian Daily" text="ID" xmlUrl="https://iberian.example/feed"/>
    <outline type="link" text="Just a link" url="https://example.org/"/>
    <outline type="rss" text="Old gopher" xmlUrl="gopher://old.example/feed"/>
  </body>
</opml>
"""


def test_a_feed_readers_export_is_read_with_folders_as_outlets():
    feeds, problems = opml_read(READER_EXPORT)
    assert feeds == [
        OpmlFeed(
            "https://baltic.example/politics.rss", "Baltic Wire: politics", "Baltic Wire", "en"
        ),
        OpmlFeed("https://baltic.example/world.rss", "Baltic Wire: world", "Baltic Wire", ""),
        OpmlFeed("https://iberian.example/feed", "Iberian Daily", "Iberian Daily", ""),
    ]
    assert problems == ["Old gopher: not a web address (gopher://old.example/feed)"]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"not xml at all", "Not an XML file"),
        (b"<rss><channel/></rss>", "Not an OPML file"),
        (
            b'<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY a "aaaa">]><opml><body/></opml>',
            "DOCTYPE",
        ),
    ],
)
def test_what_is_not_opml_is_refused_with_the_reason(content, reason):
    with pytest.raises(OpmlError, match=reason):
        opml_read(content)


@pytest.mark.django_db
def test_import_adds_the_new_feeds_and_skips_known_ones_and_export_gives_them_back():
    source_create(
        name="Known", kind=Source.Kind.FEED, url="https://iberian.example/feed", outlet="ID"
    )
    result = sources_import_opml(content=READER_EXPORT, interval_minutes=15, enabled=False)
    assert [s.name for s in result["created"]] == ["Baltic Wire: politics", "Baltic Wire: world"]
    assert result["skipped"] == ["https://iberian.example/feed"]
    added = Source.objects.get(url="https://baltic.example/politics.rss")
    assert (added.outlet, added.language, added.interval_minutes, added.enabled) == (
        "Baltic Wire",
        "en",
        15,
        False,
    )

    exported = opml_write(
        sources_opml_feeds(), title="t", created=datetime(2026, 12, 1, tzinfo=UTC)
    )
    assert b"<dateCreated>Tue, 01 Dec 2026 00:00:00 +0000</dateCreated>" in exported
    again, problems = opml_read(exported)
    assert {(f.url, f.name, f.outlet, f.language) for f in again} == {
        ("https://baltic.example/politics.rss", "Baltic Wire: politics", "Baltic Wire", "en"),
        ("https://baltic.example/world.rss", "Baltic Wire: world", "Baltic Wire", ""),
        ("https://iberian.example/feed", "Known", "ID", ""),
    }
    assert problems == []
    assert sources_import_opml(content=exported)["created"] == []
