"""OPML, the list of feeds that feed readers import and export; no Django."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime
from urllib.parse import urlsplit

__all__ = ["OpmlError", "OpmlFeed", "opml_read", "opml_write"]


class OpmlError(Exception):
    """A file that is not OPML; the message says why."""


@dataclass(frozen=True)
class OpmlFeed:
    url: str
    name: str
    outlet: str = ""
    language: str = ""


def opml_read(content: bytes) -> tuple[list[OpmlFeed], list[str]]:
    """The feeds of an OPML file (outlines with an ``xmlUrl``, at any depth, folders
    included), and one problem a line for the outlines that cannot be used."""
    if b"<!DOCTYPE" in content[:2000].upper() or b"<!ENTITY" in content.upper():
        # entity definitions are how XML bombs are built; OPML has no need for them
        raise OpmlError("The file declares a DOCTYPE or entities, which OPML does not use.")
    try:
        root = ET.fromstring(content)
    except ET.ParseError as error:
        raise OpmlError(f"Not an XML file: {error}") from error
    if root.tag.lower() != "opml" or root.find("body") is None:
        raise OpmlError("Not an OPML file: no <opml> element with a <body>.")
    feeds, problems = [], []
    for outline, folder in _outlines(root.find("body"), folder=""):
        url = (outline.get("xmlUrl") or "").strip()
        if not url:
            continue  # a folder or a plain link
        label = (outline.get("title") or outline.get("text") or "").strip()
        if urlsplit(url).scheme not in ("http", "https"):
            problems.append(f"{label or url}: not a web address ({url})")
            continue
        feeds.append(
            OpmlFeed(
                url=url,
                name=(label or urlsplit(url).netloc)[:200],
                outlet=(folder or label or urlsplit(url).netloc)[:200],
                language=(outline.get("language") or "").strip()[:20],
            )
        )
    return feeds, problems


def _outlines(parent: ET.Element, *, folder: str):
    for outline in parent.findall("outline"):
        yield outline, folder
        name = (outline.get("title") or outline.get("text") or "").strip()
        yield from _outlines(outline, folder=name if not outline.get("xmlUrl") else folder)


def opml_write(feeds: list[OpmlFeed], *, title: str, created: datetime) -> bytes:
    """OPML 2.0 with one ``rss`` outline a feed, in a folder per outlet."""
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = title
    ET.SubElement(head, "dateCreated").text = format_datetime(created)
    body = ET.SubElement(root, "body")
    folders: dict[str, ET.Element] = {}
    for feed in feeds:
        outlet = feed.outlet or feed.name
        if outlet not in folders:
            folders[outlet] = ET.SubElement(body, "outline", text=outlet, title=outlet)
        attributes = {"type": "rss", "text": feed.name, "title": feed.name, "xmlUrl": feed.url}
        if feed.language:
            attributes["language"] = feed.language
        ET.SubElement(folders[outlet], "outline", attributes)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"
