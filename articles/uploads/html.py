"""Web pages to article text: title, readable paragraphs and the publication date.

trafilatura finds the article in the page (menus, related links and comments left out) and
reads its metadata; a small HTML parser gives the title and, for bare pages where
trafilatura finds no article, the paragraphs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from html.parser import HTMLParser

__all__ = ["Page", "collapse", "html_to_text", "read_page"]

_SKIPPED_TAGS = {
    "script",
    "style",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "noscript",
    "iframe",
    "svg",
    "template",
}
_BLOCK_TAGS = {
    "address",
    "article",
    "blockquote",
    "caption",
    "dd",
    "details",
    "div",
    "dl",
    "dt",
    "figcaption",
    "figure",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "li",
    "main",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "td",
    "th",
    "tr",
    "ul",
}
_SPACES_RE = re.compile(r"\s+")


def collapse(text: str) -> str:
    return _SPACES_RE.sub(" ", text).strip()


class _ReadableText(HTMLParser):
    """Collects paragraphs of visible text, the <title> and the first <h1>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[str] = []
        self.title = ""
        self.first_h1 = ""
        self._skipping: list[str] = []  # open elements whose content is dropped
        self._article_depth = 0
        self._in_title = False
        self._in_h1 = False
        self._title_parts: list[str] = []
        self._h1_parts: list[str] = []
        self._parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._skipping:
            if tag in _SKIPPED_TAGS:
                self._skipping.append(tag)
            return
        # An <article>'s own <header> holds its headline, unlike the site header.
        if tag in _SKIPPED_TAGS and not (tag == "header" and self._article_depth):
            self._flush()
            self._skipping.append(tag)
        elif tag in ("article", "main"):
            self._article_depth += 1
        if tag == "title":
            self._in_title = True
        elif tag == "h1" and not self.first_h1:
            self._in_h1 = True
        if tag == "br":
            self._parts.append("\n")
        elif tag in _BLOCK_TAGS:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in self._skipping:
            # Closing an outer element also closes any inner one left open by sloppy markup.
            while self._skipping.pop() != tag:
                pass
            return
        if self._skipping:
            return
        if tag in ("article", "main") and self._article_depth:
            self._article_depth -= 1
        if tag == "title" and self._in_title:
            self._in_title = False
            self.title = self.title or collapse("".join(self._title_parts))
        elif tag == "h1" and self._in_h1:
            self._in_h1 = False
            self.first_h1 = collapse("".join(self._h1_parts))
        if tag in _BLOCK_TAGS:
            self._flush()

    def handle_data(self, data: str) -> None:
        if self._skipping:
            return
        if self._in_title:
            self._title_parts.append(data)
            return
        if self._in_h1:
            self._h1_parts.append(data)
        # Source line breaks are layout; only <br> (added as "\n") breaks a line of text.
        self._parts.append(_SPACES_RE.sub(" ", data))

    def close(self) -> None:
        super().close()
        self._flush()

    def _flush(self) -> None:
        lines = (collapse(line) for line in "".join(self._parts).split("\n"))
        paragraph = "\n".join(line for line in lines if line)
        if paragraph:
            self.paragraphs.append(paragraph)
        self._parts = []


_TITLE_SEPARATORS = frozenset("|-\u2013\u2014:\u00b7\u2022\u00bb")


def _is_headline_plus_site(title: str, headline: str) -> bool:
    """True for titles like "Headline | Site" or "Site - Headline"."""
    if title.startswith(headline):
        return title.removeprefix(headline).strip()[:1] in _TITLE_SEPARATORS
    if title.endswith(headline):
        return title.removesuffix(headline).strip()[-1:] in _TITLE_SEPARATORS
    return False


@dataclass(frozen=True)
class Page:
    title: str
    text: str  # readable paragraphs separated by blank lines, without the title
    published: date | None  # from the page's metadata (meta tags, JSON-LD, <time>)


def read_page(html: str) -> Page:
    """The page's title, readable text and publication date.

    Scripts, styles, navigation, page header and footer, asides, forms and embeds are dropped.
    The title is the page <title>, or the first <h1> when there is no <title> or when the
    <title> is the <h1> with the site name added. The text does not repeat the title.
    """
    parser = _ReadableText()
    parser.feed(html)
    parser.close()
    title = parser.title
    if parser.first_h1 and (not title or _is_headline_plus_site(title, parser.first_h1)):
        title = parser.first_h1
    found_paragraphs, published = _trafilatura_reading(html)
    paragraphs = found_paragraphs or parser.paragraphs
    if title and paragraphs and paragraphs[0] == title:
        paragraphs = paragraphs[1:]
    return Page(title=title, text="\n\n".join(paragraphs), published=published)


def html_to_text(html: str) -> tuple[str, str]:
    """``(title, text)`` of a web page, as :func:`read_page` reads them."""
    page = read_page(html)
    return page.title, page.text


# Only the page's own statements of its date: a guess from the words of the page (a
# "Copyright 2026" footer, a date quoted in the story) would be worse than no date.
_DATE_PARAMS = {"extensive_search": False, "original_date": True}


def _trafilatura_reading(html: str) -> tuple[list[str], date | None]:
    """The article's paragraphs and headings as trafilatura finds them, and the publication
    date from the page's metadata. The paragraphs are empty when it finds no article, e.g.
    on a bare page, where the plain parser's paragraphs serve instead."""
    import trafilatura

    document = trafilatura.bare_extraction(
        html,
        favor_precision=True,
        include_comments=False,
        include_tables=False,
        include_images=False,
        with_metadata=True,
        date_extraction_params=_DATE_PARAMS,
    )
    if document is None:
        metadata = trafilatura.extract_metadata(html, date_config=_DATE_PARAMS, extensive=False)
        return [], _iso_date(metadata.date if metadata is not None else None)
    body = document.body
    paragraphs = [] if body is None else _block_texts(body)
    return paragraphs, _iso_date(document.date)


def _iso_date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _block_texts(body) -> list[str]:
    paragraphs = []
    for block in body.iter():
        if block.tag not in ("p", "head", "item", "quote"):
            continue
        # <lb/> is a line break inside a paragraph: keep it as one.
        lines, current = [], [block.text or ""]
        for child in block:
            if child.tag == "lb":
                lines.append("".join(current))
                current = [child.tail or ""]
            else:
                current.append("".join(child.itertext()) + (child.tail or ""))
        lines.append("".join(current))
        text = "\n".join(collapse(line) for line in lines if line.strip())
        if text:
            paragraphs.append(text)
    return paragraphs
