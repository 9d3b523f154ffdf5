"""Reading a fetched RSS or Atom feed with feedparser, no Django."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import UTC, date, datetime

import feedparser

__all__ = ["FeedEntry", "FeedError", "parse_feed"]


class FeedError(Exception):
    """A document that is not a feed; the message says why."""


@dataclass(frozen=True)
class FeedEntry:
    key: str  # the entry's id, else its link: what makes it the same entry next time
    url: str
    title: str = ""
    author: str = ""
    published: date | None = None


def parse_feed(content: bytes, *, url: str, content_type: str = "") -> list[FeedEntry]:
    """The entries of a feed, newest first as the feed gives them.

    feedparser reads a feed with small faults (it sets ``bozo``) and still finds its
    entries; a document where it finds no feed at all is refused with its complaint.
    """
    headers = {"content-location": url}
    if content_type:
        headers["content-type"] = content_type
    # A stream, never a string: feedparser would fetch a string that looks like a URL.
    parsed = feedparser.parse(io.BytesIO(content), response_headers=headers)
    if parsed.bozo and not parsed.entries and not parsed.feed.get("title"):
        reason = parsed.get("bozo_exception") or "no feed found"
        raise FeedError(f"Not a readable RSS or Atom feed: {reason}")
    if not parsed.version and not parsed.entries:
        raise FeedError("Not an RSS or Atom feed: no channel and no entries")
    entries = []
    for entry in parsed.entries:
        link = (entry.get("link") or "").strip()
        key = (entry.get("id") or "").strip() or link
        if not key:
            continue  # nothing to follow and nothing to recognise it by next time
        entries.append(
            FeedEntry(
                key=key,
                url=link,
                title=(entry.get("title") or "").strip(),
                author=(entry.get("author") or "").strip(),
                published=_entry_date(entry),
            )
        )
    return entries


def _entry_date(entry) -> date | None:
    for field in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(field)
        if value:
            return datetime(*value[:6], tzinfo=UTC).date()
    return None
