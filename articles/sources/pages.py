"""An article page's text, title, date and author, read with trafilatura; no Django."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import trafilatura

__all__ = ["PageArticle", "PageError", "page_article", "page_raw_text"]

# Fewer words than this is a menu, a teaser or a paywall notice, not an article.
MIN_WORDS = 25


class PageError(Exception):
    """A page that holds no article text."""


@dataclass(frozen=True)
class PageArticle:
    title: str
    text: str  # paragraphs separated by a blank line
    author: str = ""
    published: date | None = None  # from the page's own metadata, else None


def page_article(html: str | bytes, *, url: str) -> PageArticle:
    document = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        # the page's metadata (and its URL), not a guess from dates in the text
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    text = (document.text or "").strip() if document is not None else ""
    if not text:
        raise PageError(f"No article text found at {url}")
    title = (document.title or "").strip()
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if title and lines and lines[0] == title:
        lines = lines[1:]  # the headline repeated as the first line of the text
    words = sum(len(line.split()) for line in lines)
    if words < MIN_WORDS:
        raise PageError(
            f"No article text found at {url}: {words} words besides the headline "
            f"(an article has at least {MIN_WORDS})"
        )
    published = None
    if document.date:
        try:
            published = date.fromisoformat(document.date[:10])
        except ValueError:
            published = None
    return PageArticle(
        title=title,
        text="\n\n".join(lines),
        author=(document.author or "").strip(),
        published=published,
    )


def page_raw_text(article: PageArticle, *, fallback_title: str = "") -> str:
    """The article as the text ingestion reads (``articles.parsing.parse_article``): a
    ``date`` header line when the page gives a date, the title, then the paragraphs.

    A title line is always written, so that the first paragraph is never taken for one."""
    header = f" date {article.published.isoformat()}\n" if article.published else ""
    title = article.title or fallback_title or "Untitled"
    return f"{header}{title}\n\n{article.text}\n"
