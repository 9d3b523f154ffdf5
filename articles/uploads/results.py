"""What reading an upload gives back, the limits it is read under, and the size sentences."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.template.defaultfilters import filesizeformat

__all__ = [
    "Defaults",
    "IncomingArticle",
    "Outcome",
    "Rejection",
    "UploadError",
    "UploadLimits",
    "UploadResult",
    "human_size",
    "too_large",
    "too_long",
]


@dataclass(frozen=True)
class UploadLimits:
    max_file_bytes: int = 5 * 1024 * 1024  # one uploaded file, or one archive member
    max_files: int = 500  # files in one upload, archive members included
    max_archive_members: int = 500
    max_expanded_bytes: int = 50 * 1024 * 1024  # total uncompressed size of an archive
    max_rows: int = 5000  # rows in one CSV/JSONL file
    max_article_chars: int = 200_000  # one article's text; longer ones are refused


@dataclass(frozen=True)
class IncomingArticle:
    name: str
    raw: str  # what the article parser receives: "<title>\n\n<body>", or the text as uploaded
    default_published: date | None = None
    outlet: str = ""
    source_url: str = ""
    note: str = ""  # what the admin should know though the file was accepted


@dataclass(frozen=True)
class Rejection:
    name: str
    reason: str


@dataclass
class UploadResult:
    articles: list[IncomingArticle]
    rejections: list[Rejection]


class UploadError(Exception):
    """A file or value that cannot be used; ``str(error)`` is the reason shown to the admin."""


Outcome = IncomingArticle | Rejection


@dataclass(frozen=True)
class Defaults:
    """The upload form's values, for files and rows that do not give their own."""

    published: date | None = None
    outlet: str = ""


def too_long(chars: int, limit: int) -> str:
    return (
        f"The article is too long ({chars:,} characters of text, the limit is {limit:,}). "
        "Split it, or raise UPLOAD_MAX_ARTICLE_CHARS."
    )


_WHOLE_TENTHS_RE = re.compile(r"[.,]0(?=\s)")


def human_size(size: int | float) -> str:
    """``filesizeformat`` without a trailing ".0" ("5 MB", "1.5 KB") and with a plain space,
    since the reason is a stored sentence, read in exports as well as on the page."""
    text = str(filesizeformat(size)).replace("\xa0", " ")
    return _WHOLE_TENTHS_RE.sub("", text)


def too_large(size: int, limit: int) -> str:
    size_text, limit_text = human_size(size), human_size(limit)
    if size_text == limit_text:
        # Rounding would otherwise print "5 MB, the limit is 5 MB".
        size_text = f"just over {limit_text}"
    return f"The file is too large ({size_text}, the limit is {limit_text})."
