"""Turning uploaded bytes into incoming articles, and every bad file or row into a reason.

Nothing here touches the database: ``read_uploads`` takes ``(name, bytes)`` pairs and returns the
articles it could read plus one ``Rejection`` per file or row it could not, each with a sentence
an admin can act on. A bad file never stops the others.

Accepted formats: ``.txt`` (the text as is), ``.md`` (heading marks dropped),
``.html`` / ``.htm`` (readable text),
``.csv`` and ``.jsonl`` / ``.ndjson`` (one article per row or line, columns or keys ``body``
(required), ``title``, ``published``, ``url``, ``outlet``), and ``.zip`` archives of any of these.

Names in results:

* a plain file keeps its upload name: ``"a.txt"``;
* an archive member is ``"<archive>/<path inside it>"``: ``"batch.zip/folder/b.html"``;
* a CSV row is ``"<file>#row N"``, where N is the row number a spreadsheet shows for it: the
  header is row 1, so the first article is row 2. Blank rows count, as they do in a
  spreadsheet. A quoted cell that spans several lines keeps its row one row, so N equals the
  file's line number only while no cell spans lines;
* a JSON Lines record is ``"<file>#line N"``, N being the line number in the file (from 1,
  blank lines counted).
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import logging
import math
import re
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from html.parser import HTMLParser
from pathlib import PurePosixPath
from typing import IO

import charset_normalizer
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

__all__ = [
    "IncomingArticle",
    "Rejection",
    "UploadError",
    "UploadLimits",
    "UploadResult",
    "decode_text",
    "html_to_text",
    "read_uploads",
]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class UploadLimits:
    max_file_bytes: int = 5 * 1024 * 1024  # one uploaded file, or one archive member
    max_files: int = 500  # files in one upload, archive members included
    max_archive_members: int = 500
    max_expanded_bytes: int = 50 * 1024 * 1024  # total uncompressed size of an archive
    max_rows: int = 5000  # rows in one CSV/JSONL file
    max_article_chars: int = 200_000  # one article's text; longer ones are refused


def too_long(chars: int, limit: int) -> str:
    return (
        f"The article is too long ({chars:,} characters of text, the limit is {limit:,}). "
        "Split it, or raise UPLOAD_MAX_ARTICLE_CHARS."
    )


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


_Outcome = IncomingArticle | Rejection

_TEXT_EXTENSIONS = {".txt", ".md"}
_MARKDOWN_HEADING_RE = re.compile(r"^[ ]{0,3}#{1,6}[ \t]+|[ \t]+#+[ \t]*$", re.MULTILINE)
_HTML_EXTENSIONS = {".html", ".htm"}
_CSV_EXTENSIONS = {".csv"}
_JSONL_EXTENSIONS = {".jsonl", ".ndjson"}
_ZIP_EXTENSIONS = {".zip"}
_OTHER_ARCHIVE_EXTENSIONS = {".gz", ".tgz", ".tar", ".7z", ".rar", ".bz2", ".xz", ".zst"}
_ACCEPTED = "Accepted files: .txt, .md, .html, .csv, .jsonl and .zip."

# Files that operating systems leave in folders; nobody means to upload them.
_OS_JUNK_NAMES = {"thumbs.db", "desktop.ini"}

_EMPTY = "The file is empty."
_BINARY = "Not a text file (it contains binary data)."
_UNKNOWN_ENCODING = (
    "Could not read the text: it is not in a known encoding (UTF-8, UTF-16 or Windows-1252)."
)
_NO_READABLE_TEXT = "The page has no readable article text."
_UNEXPECTED = "The file could not be read because of an unexpected problem; please report it."


# --- sizes -----------------------------------------------------------------------------------


def _human_size(size: int) -> str:
    if size < 1024:
        return "1 byte" if size == 1 else f"{size} bytes"
    value = size / 1024
    unit = "KB"
    for bigger in ("MB", "GB"):
        if value < 1024:
            break
        value /= 1024
        unit = bigger
    return f"{value:.1f}".removesuffix(".0") + f" {unit}"


def _too_large(size: int, limit: int) -> str:
    size_text, limit_text = _human_size(size), _human_size(limit)
    if size_text == limit_text:
        # Rounding would otherwise print "5 MB, the limit is 5 MB".
        size_text = f"just over {limit_text}"
    return f"The file is too large ({size_text}, the limit is {limit_text})."


# --- bytes to text ---------------------------------------------------------------------------

_MAGIC: list[tuple[bytes, str]] = [
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"%PDF-", "a PDF document"),
    (b"{\\rtf", "an RTF document; save it as plain text"),
    (b"PK\x03\x04", "a ZIP archive or a Word/Excel document"),
    (b"PK\x05\x06", "a ZIP archive or a Word/Excel document"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old-style Word or Excel document"),
    (b"\x7fELF", "a Linux program"),
    (b"\xcf\xfa\xed\xfe", "a macOS program"),
    (b"\xfe\xed\xfa\xcf", "a macOS program"),
    (b"\xca\xfe\xba\xbe", "a macOS program"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"BZh", "a bzip2 archive"),
    (b"\xfd7zXZ\x00", "an XZ archive"),
    (b"SQLite format 3\x00", "a database file"),
    (b"OggS", "an audio file"),
]


def _looks_like(data: bytes) -> str | None:
    """What well-known binary format ``data`` starts like, in words, or None."""
    for magic, what in _MAGIC:
        if data.startswith(magic):
            return what
    # Short or common prefixes need a second sign so that text starting "MZ" or "ID3" passes.
    if data.startswith(b"MZ") and b"\x00" in data[:64]:
        return "a Windows program"
    if data.startswith(b"RIFF") and data[8:12] == b"WEBP":
        return "a WebP image"
    if data[4:8] == b"ftyp":
        return "a video or audio file"
    if data.startswith(b"ID3") and data[3:4] in (b"\x02", b"\x03", b"\x04"):
        return "an MP3 audio file"
    return None


def _utf16_codec_from_nuls(data: bytes) -> str | None:
    """``utf-16-le``/``-be`` when NUL bytes sit in every other position, as in BOM-less UTF-16."""
    if len(data) % 2:
        return None
    sample = data[:4096]
    pairs = len(sample) // 2
    if pairs < 2:
        return None
    even_nuls, odd_nuls = sample[0::2].count(0), sample[1::2].count(0)
    if odd_nuls >= pairs * 0.4 and even_nuls <= pairs * 0.05:
        return "utf-16-le"
    if even_nuls >= pairs * 0.4 and odd_nuls <= pairs * 0.05:
        return "utf-16-be"
    return None


def _decode_with(data: bytes, codec: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        raise UploadError(_UNKNOWN_ENCODING) from None


def _decode_legacy(data: bytes) -> str:
    # Almost any byte string decodes as cp1252, so a successful decode proves nothing: a Russian
    # cp1251 file would turn into accented gibberish. charset_normalizer measures how garbled
    # the cp1252 reading looks and returns no match when it is implausible.
    match = charset_normalizer.from_bytes(data, cp_isolation=["cp1252"]).best()
    if match is None:
        raise UploadError(_UNKNOWN_ENCODING)
    return _decode_with(data, "cp1252")


_BOMS: list[tuple[bytes, str]] = [
    # UTF-32 before UTF-16: the UTF-32-LE BOM begins with the UTF-16-LE one.
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
]


def _decode(data: bytes) -> tuple[str, int]:
    """The text and how many invalid bytes were replaced in it."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return _decode_with(data[len(bom) :], codec), 0
    if b"\x00" in data:
        codec = _utf16_codec_from_nuls(data)
        if codec is None:
            raise UploadError(_BINARY)
        try:
            return data.decode(codec), 0
        except UnicodeDecodeError:
            raise UploadError(_BINARY) from None
    try:
        return data.decode("utf-8"), 0
    except UnicodeDecodeError:
        pass
    return _utf8_with_strays(data) or (_decode_legacy(data), 0)


def _utf8_with_strays(data: bytes) -> tuple[str, int] | None:
    """UTF-8 with a few invalid bytes stays UTF-8 (the bad ones replaced), rather than the
    whole text turning into Windows-1252 mojibake. It is UTF-8 when it holds valid
    multi-byte sequences and the invalid ones are a handful."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.count("\ufffd".encode())
    has_multibyte = any(ord(ch) > 127 and ch != "\ufffd" for ch in text)
    if not has_multibyte or bad > max(3, len(data) // 2000):
        return None
    return text, bad


_CONTROL_RE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def _has_binary_characters(text: str) -> bool:
    if "\x00" in text:
        return True
    # A stray control character happens in real files (a DOS end-of-file mark); many do not.
    return len(_CONTROL_RE.findall(text)) > max(1, len(text) // 100)


def _stray_note(bad: int) -> str:
    if not bad:
        return ""
    return (
        f"Read as UTF-8; {bad} invalid byte{'s' if bad > 1 else ''} replaced by \ufffd. "
        "Check the source file."
    )


def decode_text(data: bytes) -> str:
    """:func:`decode_text_noting` without the note."""
    return decode_text_noting(data)[0]


def decode_text_noting(data: bytes) -> tuple[str, str]:
    """The text in ``data``, BOM removed and newlines as "\\n", and a note for the admin
    (empty when there is nothing to say); UploadError if it is not text.

    UTF-8 (with or without BOM) and UTF-16 (with a BOM, or without one when NUL bytes give it
    away) are read directly; other bytes are read as Windows-1252 when that reading is
    plausible. Well-known binary formats are named in the reason.
    """
    what = _looks_like(data)
    if what is not None:
        raise UploadError(f"Not a text file (it looks like {what}).")
    text, bad = _decode(data)
    if _has_binary_characters(text):
        raise UploadError(_BINARY)
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return text, _stray_note(bad)


# --- HTML ------------------------------------------------------------------------------------

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


def _collapse(text: str) -> str:
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
            self.title = self.title or _collapse("".join(self._title_parts))
        elif tag == "h1" and self._in_h1:
            self._in_h1 = False
            self.first_h1 = _collapse("".join(self._h1_parts))
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
        lines = (_collapse(line) for line in "".join(self._parts).split("\n"))
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


def html_to_text(html: str) -> tuple[str, str]:
    """``(title, text)`` of a web page: the readable paragraphs, separated by blank lines.

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
    paragraphs = _readable_paragraphs(html) or parser.paragraphs
    if title and paragraphs and paragraphs[0] == title:
        paragraphs = paragraphs[1:]
    return title, "\n\n".join(paragraphs)


def _readable_paragraphs(html: str) -> list[str]:
    """The article's paragraphs and headings as trafilatura finds them (menus, related
    links, forms and comments left out); empty when it finds no article, e.g. on a bare
    page, where the plain parser's paragraphs serve instead."""
    import xml.etree.ElementTree as ElementTree

    import trafilatura

    document = trafilatura.extract(
        html,
        output_format="xml",
        favor_precision=True,
        include_comments=False,
        include_tables=False,
        include_images=False,
    )
    if not document:
        return []
    main = ElementTree.fromstring(document).find("main")
    paragraphs = []
    for block in main.iter() if main is not None else ():
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
        text = "\n".join(_collapse(line) for line in lines if line.strip())
        if text:
            paragraphs.append(text)
    return paragraphs


# --- one record (CSV row or JSON line) -------------------------------------------------------

_FIELDS = ("title", "body", "published", "url", "outlet")
_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_ISO_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
_ISO_DATETIME_RE = re.compile(r"\d{4}-\d{2}-\d{2}[T ].+", re.ASCII)
_MONTH_FIRST_RE = re.compile(r"([A-Za-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})", re.ASCII)
_DAY_FIRST_RE = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]+)\.?,?\s+(\d{4})", re.ASCII)
_NUMERIC_DATE_RE = re.compile(r"\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}", re.ASCII)
_ACCEPTED_DATES = (
    "Use YYYY-MM-DD (2026-01-16), '16 January 2026', 'January 16, 2026' or 'Jan 16 2026'; "
    "a date with a time such as 2026-01-16T09:30 also works."
)
_URL_VALIDATOR = URLValidator(schemes=["http", "https"])


def _named_date(year: str, month: str, day: str) -> date | None:
    number = _MONTHS.get(month.lower())
    if number is None:
        return None
    try:
        return date(int(year), number, int(day))
    except ValueError:
        return None


def _parse_date(value: str) -> date | None:
    """The date ``value`` names in one of the accepted formats, or None."""
    try:
        if _ISO_DATE_RE.fullmatch(value):
            return date.fromisoformat(value)
        if _ISO_DATETIME_RE.fullmatch(value):
            # The date as written, not converted to another time zone.
            return datetime.fromisoformat(value).date()
    except ValueError:
        return None
    if match := _MONTH_FIRST_RE.fullmatch(value):
        month, day, year = match.groups()
        return _named_date(year, month, day)
    if match := _DAY_FIRST_RE.fullmatch(value):
        day, month, year = match.groups()
        return _named_date(year, month, day)
    return None


def _shown(value: str, limit: int = 60) -> str:
    value = _collapse(value)
    return f"'{value}'" if len(value) <= limit else f"'{value[: limit - 1]}…'"


def _date_problem(label: str, value: str) -> str:
    if _NUMERIC_DATE_RE.fullmatch(value):
        return (
            f"{label} has the date {_shown(value)}, which is ambiguous (the day and month could "
            f"be either way round). {_ACCEPTED_DATES}"
        )
    return f"{label} has a date that cannot be read: {_shown(value)}. {_ACCEPTED_DATES}"


def _is_web_url(value: str) -> bool:
    try:
        _URL_VALIDATOR(value)
    except ValidationError:
        return False
    return True


@dataclass(frozen=True)
class _Defaults:
    published: date | None
    outlet: str


def _record_outcome(
    fields: Mapping[str, str], *, name: str, label: str, defaults: _Defaults
) -> _Outcome:
    """One article from a row's fields, or one rejection listing everything wrong with it."""
    problems: list[str] = []
    # JSON escapes can still carry "\r\n" after the file's own newlines were normalised.
    body = fields.get("body", "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if not body:
        problems.append(f"{label} has no body.")
    published = defaults.published
    if value := fields.get("published", "").strip():
        published = _parse_date(value)
        if published is None:
            problems.append(_date_problem(label, value))
    url = fields.get("url", "").strip()
    if url and not _is_web_url(url):
        problems.append(
            f"{label} has a link that is not a web address: {_shown(url)}. "
            "Only links starting with http:// or https:// are accepted."
        )
    if problems:
        return Rejection(name, " ".join(problems))
    # The parser takes the first line as the title, so the title must be a single line.
    title = _collapse(fields.get("title", ""))
    return IncomingArticle(
        name=name,
        raw=f"{title}\n\n{body}" if title else body,
        default_published=published,
        outlet=_collapse(fields.get("outlet", "")) or defaults.outlet,
        source_url=url,
    )


def _too_many_rows(limit: int) -> str:
    return f"The file has more than {limit} rows, the limit per file. Split it into smaller files."


# --- CSV -------------------------------------------------------------------------------------

_DELIMITERS = (",", ";", "\t", "|")


def _sniff_delimiter(header_line: str) -> str:
    """The delimiter the header row uses most, outside quotes; a comma when it has none."""
    counts = dict.fromkeys(_DELIMITERS, 0)
    quoted = False
    for char in header_line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(_DELIMITERS, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ","


def _csv_columns(header: list[str]) -> dict[str, int]:
    columns: dict[str, int] = {}
    for index, cell in enumerate(header):
        key = cell.strip().lower()
        if key in _FIELDS:
            columns.setdefault(key, index)
    return columns


def _no_body_column(header: list[str]) -> str:
    found = ", ".join(_shown(cell, 30) for cell in header if cell.strip()) or "nothing"
    return (
        f"The CSV file has no 'body' column (its first row has {found}). The first row must "
        "name the columns: 'body' is required; 'title', 'published', 'url' and 'outlet' are "
        "optional."
    )


def _csv_problem(error: csv.Error) -> str:
    message = str(error)
    if "end of data" in message:
        return 'a quoted cell is never closed (a closing " is missing).'
    if "expected after" in message:
        return 'a cell has text after its closing quote mark (write "" for a quote inside one).'
    if "field larger" in message:
        return f"a cell is longer than {csv.field_size_limit():,} characters."
    return f"the file is not valid CSV ({message})."


def _read_csv(name: str, text: str, *, limits: UploadLimits, defaults: _Defaults) -> list[_Outcome]:
    delimiter = _sniff_delimiter(text.split("\n", 1)[0])
    # strict: an unclosed quote would otherwise swallow every later row into one body.
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    outcomes: list[_Outcome] = []
    columns: dict[str, int] | None = None
    data_rows = 0
    row_number = 0
    try:
        for row_number, row in enumerate(rows, start=1):
            if not any(cell.strip() for cell in row):
                continue
            if columns is None:
                columns = _csv_columns(row)
                if "body" not in columns:
                    return [Rejection(name, _no_body_column(row))]
                continue
            data_rows += 1
            if data_rows > limits.max_rows:
                return [Rejection(name, _too_many_rows(limits.max_rows))]
            fields = {key: row[index] if index < len(row) else "" for key, index in columns.items()}
            outcomes.append(
                _record_outcome(
                    fields,
                    name=f"{name}#row {row_number}",
                    label=f"Row {row_number}",
                    defaults=defaults,
                )
            )
    except csv.Error as error:
        outcomes.append(
            Rejection(
                name,
                f"Row {row_number + 1} and the rows after it could not be read: "
                f"{_csv_problem(error)}",
            )
        )
    if columns is None:
        # Either every row is blank or the header row itself could not be read.
        return outcomes or [Rejection(name, _no_body_column([]))]
    if not data_rows and not outcomes:
        return [Rejection(name, "The CSV file has a header row but no articles.")]
    return outcomes


# --- JSON Lines ------------------------------------------------------------------------------


def _json_kind(value: object) -> str:
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "text"
    if isinstance(value, bool):
        return "true/false"
    if value is None:
        return "null"
    return "a number"


def _jsonl_fields(record: dict, label: str) -> tuple[dict[str, str], list[str]]:
    fields: dict[str, str] = {}
    problems: list[str] = []
    for key, value in record.items():
        field = str(key).strip().lower()
        if field not in _FIELDS or field in fields:
            continue
        if value is None:
            fields[field] = ""
        elif isinstance(value, str):
            fields[field] = value
        elif isinstance(value, float) and not math.isfinite(value):
            problems.append(f"{label} has a '{field}' that is not a number: {value}.")
        elif isinstance(value, int | float) and not isinstance(value, bool):
            fields[field] = str(value)
        else:
            problems.append(
                f"{label} has a '{field}' that is not text (it is {_json_kind(value)})."
            )
    return fields, problems


def _jsonl_line_outcome(line: str, *, name: str, label: str, defaults: _Defaults) -> _Outcome:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        return Rejection(name, f"{label} is not valid JSON ({error.msg} at column {error.colno}).")
    except RecursionError:
        return Rejection(name, f"{label} is nested too deeply to read.")
    if not isinstance(record, dict):
        return Rejection(name, f"{label} is not a JSON object (it is {_json_kind(record)}).")
    fields, problems = _jsonl_fields(record, label)
    if problems:
        return Rejection(name, " ".join(problems))
    return _record_outcome(fields, name=name, label=label, defaults=defaults)


def _read_jsonl(
    name: str, text: str, *, limits: UploadLimits, defaults: _Defaults
) -> list[_Outcome]:
    outcomes: list[_Outcome] = []
    # Split on "\n" only: JSON strings may hold U+2028 and friends, which splitlines() splits on.
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        if len(outcomes) >= limits.max_rows:
            return [Rejection(name, _too_many_rows(limits.max_rows))]
        outcomes.append(
            _jsonl_line_outcome(
                line, name=f"{name}#line {number}", label=f"Line {number}", defaults=defaults
            )
        )
    return outcomes


# --- ZIP -------------------------------------------------------------------------------------


def _member_path(info: zipfile.ZipInfo) -> str:
    return info.filename.replace("\\", "/")


def _leaves_archive(path: str) -> bool:
    return path.startswith("/") or bool(re.match(r"[A-Za-z]:", path)) or ".." in path.split("/")


def _is_ignored_member(info: zipfile.ZipInfo) -> bool:
    path = _member_path(info)
    parts = [part for part in path.split("/") if part]
    return (
        info.is_dir()
        or not parts
        or parts[0] == "__MACOSX"
        or any(part.startswith(".") for part in parts)
        or parts[-1].lower() in _OS_JUNK_NAMES
    )


def _archive_problem(
    archive: zipfile.ZipFile, members: list[zipfile.ZipInfo], limits: UploadLimits
) -> str | None:
    """Why the whole archive must be refused before anything in it is read, or None."""
    for info in archive.infolist():
        if _leaves_archive(_member_path(info)):
            return (
                f"The archive contains a path that leads outside it ({_shown(info.filename)}), "
                "so it was not opened."
            )
    if any(info.flag_bits & 0x1 for info in archive.infolist()):
        return "The archive is protected by a password, so its files cannot be read."
    # Only files that would be read count: folders and macOS resource forks are free, or a
    # Mac-made archive of 300 articles (600 entries) would be refused.
    if len(members) > limits.max_archive_members:
        return (
            f"The archive holds {len(members)} files, the limit is "
            f"{limits.max_archive_members}. Split it into smaller archives."
        )
    declared = sum(info.file_size for info in members)
    if declared > limits.max_expanded_bytes:
        return (
            f"The archive would unpack to {_human_size(declared)}, the limit is "
            f"{_human_size(limits.max_expanded_bytes)}."
        )
    return None


def _read_capped(stream: IO[bytes], cap: int) -> bytes | None:
    """At most ``cap`` bytes of ``stream``; None when it holds more, whatever its header said."""
    chunks: list[bytes] = []
    total = 0
    while chunk := stream.read(min(64 * 1024, cap + 1 - total)):
        chunks.append(chunk)
        total += len(chunk)
        if total > cap:
            return None
    return b"".join(chunks)


class _ArchiveTooBig(Exception):
    pass


# --- the reader ------------------------------------------------------------------------------


def _extension(name: str) -> str:
    return PurePosixPath(name.replace("\\", "/")).suffix.lower()


def _unsupported(name: str, data: bytes) -> str:
    what = _looks_like(data)
    if what is not None:
        return f"This type of file is not supported (it looks like {what}). {_ACCEPTED}"
    extension = _extension(name)
    if extension:
        return f"Files ending in {extension} are not supported. {_ACCEPTED}"
    return f"The file name has no extension, so its type is unknown. {_ACCEPTED}"


class _Reader:
    """Reads uploads one by one, counting files against ``max_files`` across the whole upload."""

    def __init__(self, *, limits: UploadLimits, defaults: _Defaults) -> None:
        self.limits = limits
        self.defaults = defaults
        self.files_seen = 0

    def read(self, name: str, data: bytes) -> list[_Outcome]:
        try:
            if _extension(name) in _ZIP_EXTENSIONS:
                return self._read_archive(name, data)
            if not self._take_slot():
                return [Rejection(name, self._too_many_files())]
            return self._read_file(name, data)
        except Exception:
            # One file's surprise must not cost the admin the rest of the upload.
            logger.exception("Unexpected error reading upload %r", name)
            return [Rejection(name, _UNEXPECTED)]

    def _take_slot(self) -> bool:
        self.files_seen += 1
        return self.files_seen <= self.limits.max_files

    def _too_many_files(self) -> str:
        return (
            f"Too many files in one upload (the limit is {self.limits.max_files}). "
            "Upload this file in another batch."
        )

    def _read_file(self, name: str, data: bytes, *, in_archive: bool = False) -> list[_Outcome]:
        if len(data) > self.limits.max_file_bytes:
            return [Rejection(name, _too_large(len(data), self.limits.max_file_bytes))]
        if not data.strip():
            return [Rejection(name, _EMPTY)]
        extension = _extension(name)
        if extension in _ZIP_EXTENSIONS | _OTHER_ARCHIVE_EXTENSIONS:
            if in_archive:
                return [
                    Rejection(
                        name,
                        "Archives inside archives are not opened. Upload this archive on its own.",
                    )
                ]
            return [Rejection(name, f"Only ZIP archives can be opened, not {extension} files.")]
        if extension not in _TEXT_EXTENSIONS | _HTML_EXTENSIONS | _CSV_EXTENSIONS | (
            _JSONL_EXTENSIONS
        ):
            return [Rejection(name, _unsupported(name, data))]
        try:
            text, note = decode_text_noting(data)
        except UploadError as error:
            return [Rejection(name, str(error))]
        if not text.strip():
            return [Rejection(name, _EMPTY)]
        return self._read_text(name, extension, text, note=note)

    def _read_text(self, name: str, extension: str, text: str, *, note: str = "") -> list[_Outcome]:
        if extension in _CSV_EXTENSIONS:
            return _read_csv(name, text, limits=self.limits, defaults=self.defaults)
        if extension in _JSONL_EXTENSIONS:
            return _read_jsonl(name, text, limits=self.limits, defaults=self.defaults)
        raw = _MARKDOWN_HEADING_RE.sub("", text) if extension == ".md" else text
        if extension in _HTML_EXTENSIONS:
            title, readable = html_to_text(text)
            if not readable.strip():
                return [Rejection(name, _NO_READABLE_TEXT)]
            raw = f"{title}\n\n{readable}" if title else readable
        if len(raw) > self.limits.max_article_chars:
            return [Rejection(name, too_long(len(raw), self.limits.max_article_chars))]
        return [
            IncomingArticle(
                name=name,
                raw=raw,
                default_published=self.defaults.published,
                outlet=self.defaults.outlet,
                note=note,
            )
        ]

    def _read_archive(self, name: str, data: bytes) -> list[_Outcome]:
        if len(data) > self.limits.max_file_bytes:
            return [Rejection(name, _too_large(len(data), self.limits.max_file_bytes))]
        if not data:
            return [Rejection(name, _EMPTY)]
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
            what = _looks_like(data)
            if what is not None and not what.startswith("a ZIP"):
                return [Rejection(name, f"Not a ZIP archive (it looks like {what}).")]
            return [Rejection(name, "Not a valid ZIP archive (it may be damaged or incomplete).")]
        with archive:
            members = [info for info in archive.infolist() if not _is_ignored_member(info)]
            problem = _archive_problem(archive, members, self.limits)
            if problem is not None:
                return [Rejection(name, problem)]
            if not members:
                return [Rejection(name, "The archive has no files in it.")]
            files_seen_before = self.files_seen
            try:
                return self._read_members(name, archive, members)
            except _ArchiveTooBig:
                # The archive is refused as a whole, so its members take no upload slots.
                self.files_seen = files_seen_before
                return [
                    Rejection(
                        name,
                        "The archive unpacks to more than "
                        f"{_human_size(self.limits.max_expanded_bytes)}, the limit.",
                    )
                ]

    def _read_members(
        self, archive_name: str, archive: zipfile.ZipFile, members: list[zipfile.ZipInfo]
    ) -> list[_Outcome]:
        outcomes: list[_Outcome] = []
        expanded = 0
        for info in members:
            name = f"{archive_name}/{_member_path(info).lstrip('/')}"
            if not self._take_slot():
                outcomes.append(Rejection(name, self._too_many_files()))
                continue
            data, reason = self._member_bytes(archive, info)
            if data is None:
                outcomes.append(Rejection(name, reason))
                continue
            # Declared sizes were checked already; the real ones count too, headers can lie.
            expanded += len(data)
            if expanded > self.limits.max_expanded_bytes:
                raise _ArchiveTooBig
            try:
                outcomes.extend(self._read_file(name, data, in_archive=True))
            except Exception:
                logger.exception("Unexpected error reading archive member %r", name)
                outcomes.append(Rejection(name, _UNEXPECTED))
        return outcomes

    def _member_bytes(
        self, archive: zipfile.ZipFile, info: zipfile.ZipInfo
    ) -> tuple[bytes | None, str]:
        limit = self.limits.max_file_bytes
        if info.file_size > limit:
            return None, _too_large(info.file_size, limit)
        try:
            with archive.open(info) as stream:
                data = _read_capped(stream, limit)
        except NotImplementedError:
            return None, (
                "This file in the archive uses a compression method that cannot be read. "
                "Create the archive again with standard ZIP compression."
            )
        except (zipfile.BadZipFile, OSError, EOFError, ValueError):
            return None, "This file in the archive is damaged and could not be unpacked."
        if data is None:
            return None, (
                f"The file is too large (it unpacks to more than {_human_size(limit)}, the limit)."
            )
        return data, ""


def read_uploads(
    files: Iterable[tuple[str, bytes]],
    *,
    limits: UploadLimits = UploadLimits(),
    default_published: date | None = None,
    default_outlet: str = "",
) -> UploadResult:
    """Every readable article in ``files`` and one rejection per unreadable file or row.

    ``default_published`` and ``default_outlet`` (the upload form's values) apply to every
    file and row that does not give its own. Results keep the upload order.
    """
    reader = _Reader(
        limits=limits, defaults=_Defaults(published=default_published, outlet=default_outlet)
    )
    result = UploadResult(articles=[], rejections=[])
    for name, data in files:
        for outcome in reader.read(name, data):
            if isinstance(outcome, IncomingArticle):
                result.articles.append(outcome)
            else:
                result.rejections.append(outcome)
    return result
