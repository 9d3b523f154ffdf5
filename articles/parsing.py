"""Turning a raw article file into title, cleaned body and publication date.

No Django here: the extractor and its dev runner use this module on their own.

The cleaner is conservative. It removes only lines that are recognisably page
furniture (navigation words, bylines, date lines, photo credits and the
captions around them, share buttons, comment boxes) and keeps every other
line. Paragraphs are separated by a blank line ("\\n\\n") in ``body``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from articles.nlp.dates import MONTH_PATTERN, parse_date

__all__ = ["ParsedArticle", "date_from_url", "parse_article", "parse_date_line"]


@dataclass(frozen=True)
class ParsedArticle:
    title: str
    body: str  # cleaned article text; all quote offsets refer to this string
    published: date | None
    published_source: str  # "header" | "dateline" | "url" | "given" | "none"
    outlet: str = ""
    subtitle: str = ""


_MONTH_RE = rf"{MONTH_PATTERN}\.?"
_WEEKDAY_RE = (
    r"(?:Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun)(?:day|nesday|sday|urday|rsday)?\.?,?"
)
_TIME_RE = (
    r"(?:\s*(?:,|at|-|\u2013|\|)?\s*\d{1,2}[:.]\d{2}(?:\s*[AaPp]\.?[Mm]\.?)?(?:\s*[A-Z]{2,4})?)?"
)
_LEAD_RE = r"(?:(?:Published|Updated|Posted|Date|Last updated)\s*(?:on)?\s*:?\s*)?"

_HEADER_RE = re.compile(r"^\s*date\s+(\d{4})-(\d{2})-(\d{2})\b\s*(.*)$", re.IGNORECASE)
_DATE_LINE_RES = [
    # Fri Jan 16 2026 / Friday, January 16, 2026 / January 16, 2026
    re.compile(
        rf"^{_LEAD_RE}(?:{_WEEKDAY_RE}\s*)?(?P<mon>{_MONTH_RE})\s+(?P<day>\d{{1,2}})(?:st|nd|rd"
        rf"|th)?"
        rf",?\s+(?P<year>\d{{4}}){_TIME_RE}$",
        re.IGNORECASE,
    ),
    # 16 January 2026 / Friday 16 January 2026
    re.compile(
        rf"^{_LEAD_RE}(?:{_WEEKDAY_RE}\s*)?(?P<day>\d{{1,2}})(?:st|nd|rd"
        rf"|th)?\s+(?P<mon>{_MONTH_RE}),?"
        rf"\s+(?P<year>\d{{4}}){_TIME_RE}$",
        re.IGNORECASE,
    ),
    # 2026-01-16
    re.compile(
        rf"^{_LEAD_RE}(?P<year>\d{{4}})-(?P<mon>\d{{2}})-(?P<day>\d{{2}})(?:[T"
        rf" ]\d{{2}}:\d{{2}}\S*)?$",
        re.IGNORECASE,
    ),
]

# Words of a site's navigation bar. A run of two or more of them (or a line of
# nothing else) is navigation, not a title.
_NAV_WORDS = {
    "home",
    "news",
    "world",
    "russia",
    "europe",
    "society",
    "opinion",
    "opinions",
    "science",
    "sport",
    "sports",
    "incidents",
    "business",
    "politics",
    "economy",
    "culture",
    "tech",
    "technology",
    "health",
    "lifestyle",
    "entertainment",
    "video",
    "videos",
    "photos",
    "analysis",
    "latest",
    "local",
    "national",
    "international",
    "features",
    "travel",
    "markets",
    "defense",
    "defence",
    "security",
    "ukraine",
    "eu",
    "diplomacy",
    "environment",
    "climate",
    "military",
    "menu",
    "search",
    "more",
    "live",
    "podcasts",
    "columns",
    "region",
    "regions",
    "asia",
    "africa",
    "americas",
    "middle",
    "east",
    "us",
    "uk",
    "education",
    "media",
    "science&tech",
}

_BYLINE_RE = re.compile(
    r"^(?i:by|written by|author:?|posted by)\s+[A-Z][\w.'\u2019-]*(?:\s+(?:[A-Z][\w.'\u2019-]*"
    r"|and|&|de|van|von|der))"
    r"{0,5}(?:\s*[,|]\s*[A-Z][\w. ]{0,40})?$"
)
_PHOTO_RE = re.compile(
    r"^(?:photo|photos|image|images|picture|credit|credits|photo credit|source of the photo"
    r"|illustrative photo|illustration|file photo|video)\s*(?::|by\b|\u00a9|\||-)",
    re.IGNORECASE,
)
_SHARE_RE = re.compile(r"^(?:(?:icon-[\w-]+|share|tweet|email|print)\s*)+$", re.IGNORECASE)
_JUNK_LINE_RE = re.compile(
    r"^(?:leave a (?:comment|reply)|you may also like|you might also like|related(?: articles|"
    r" posts"
    r"| stories| news)?|read (?:more|also|next)|also read|recommended(?: for you)?|more from"
    r" .{1,40}"
    r"|share(?: this)?(?: article| story| post)?|follow us.{0,60}|advertisement|sponsored"
    r"|comments?|\d+ comments?|add comment|post comment|subscribe|sign up.{0,60}"
    r"|newsletter|tags?:.{0,200}|print this page|back to top)[.:!]?$",
    re.IGNORECASE,
)
_ENGAGEMENT_RE = re.compile(
    r"share your thoughts|let us know (?:what you think|in the comments)|in the comments below"
    r"|subscribe to our (?:weekly |daily )?newsletter|join the conversation",
    re.IGNORECASE,
)
_TERMINAL = ".!?:;\"\u201d\u2019')\u2026"


def _date_from_match(match: re.Match) -> date | None:
    year, mon, day = match.group("year", "mon", "day")
    # The regexes only say the line is shaped like a date; the dates module reads it.
    return parse_date(f"{year}-{mon}-{day}" if mon.isdigit() else f"{day} {mon} {year}")


def parse_date_line(line: str) -> date | None:
    """The date when the whole line is a date (a dateline), else None."""
    text = line.strip()
    if not text or len(text) > 60:
        return None
    for regex in _DATE_LINE_RES:
        match = regex.match(text)
        if match:
            return _date_from_match(match)
    return None


def _words(line: str) -> list[str]:
    return re.findall(r"[\w&'\u2019-]+", line)


def _is_nav_line(line: str) -> bool:
    words = _words(line)
    return bool(words) and len(words) <= 12 and all(w.lower() in _NAV_WORDS for w in words)


def _strip_nav_prefix(text: str) -> str:
    """Drop a leading run of >= 2 navigation words (a lone word may start the title)."""
    tokens = text.split()
    n = 0
    while n < len(tokens) and tokens[n].lower().strip(",|") in _NAV_WORDS:
        n += 1
    if n >= 2 or n == len(tokens):
        return " ".join(tokens[n:])
    return text.strip()


def _is_photo_line(line: str) -> bool:
    return bool(_PHOTO_RE.match(line))


def _is_junk(line: str) -> bool:
    s = line.strip()
    return bool(_SHARE_RE.match(s) or _JUNK_LINE_RE.match(s) or _ENGAGEMENT_RE.search(s))


def _is_caption_like(line: str) -> bool:
    s = line.strip()
    return 0 < len(s.split()) <= 8 and s[-1] not in '.!?:\u201d"'


def _looks_like_heading(line: str) -> bool:
    s = line.strip()
    return 0 < len(s) <= 200 and s[-1] not in ".:;,"


def _is_title_case_heading(line: str) -> bool:
    if not _looks_like_heading(line) or len(line.split()) < 4:
        return False
    words = [w for w in re.findall(r"[^\W\d_]+", line) if len(w) > 3]
    return bool(words) and sum(w[0].isupper() for w in words) / len(words) >= 0.6


def _first_sentence(line: str, limit: int = 160) -> str:
    match = re.match(r"(.+?[.!?])(?:\s|$)", line.strip())
    sentence = match.group(1) if match else line.strip()
    if len(sentence) > limit:
        sentence = sentence[:limit].rsplit(" ", 1)[0] + "\u2026"
    return sentence


def _join_wrapped(lines: list[str]) -> list[str]:
    """Join hard-wrapped lines: a line not ending a sentence followed by a lowercase start.

    Parts are collected and joined once, so the work stays linear in the text however
    many short lines it has.
    """
    paragraphs: list[list[str]] = []
    for line in lines:
        last = paragraphs[-1] if paragraphs else None
        if (
            last
            and last[-1]
            and last[-1][-1] not in _TERMINAL
            and line[:1].islower()
            and not last[0].lstrip().startswith(("\u2022", "-", "*"))
        ):
            last.append(line.strip())
        else:
            paragraphs.append([line])
    return [" ".join(parts) for parts in paragraphs]


def _header_date(lines: list[str]) -> date | None:
    """The date of a leading " date YYYY-MM-DD [nav words] [title]" header line, if any;
    the line is left holding only its title."""
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        return None
    match = _HEADER_RE.match(lines[first])
    if not match:
        return None
    try:
        published = date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        published = None
    lines[first] = _strip_nav_prefix(match.group(4))
    return published


_PHOTO = "\x00PHOTO"


# two sentences run together where a scraper lost the space: "when it should occur.Russia has"
_RUN_ON = re.compile(r"(?<=[a-z]{2}[.!?])(?=[A-Z][a-z])")


def _without_furniture(lines: list[str]) -> list[str | None]:
    """Lines without junk, photo credits and the captions around them; None marks a
    paragraph break."""
    kept: list[str | None] = []
    photo_idx: list[int] = []
    for line in lines:
        s = line.strip()
        if not s:
            kept.append(None)
            continue
        if _is_junk(s):
            continue
        if _is_photo_line(s):
            photo_idx.append(len(kept))
            kept.append(_PHOTO)
            continue
        kept.append(_RUN_ON.sub(" ", re.sub(r"[ \t]+", " ", s)))

    # Captions: short heading-like lines right before/after a photo credit.
    drop: set[int] = set()
    for idx in photo_idx:
        drop.add(idx)
        for step in (-1, 1):
            j = idx + step
            while 0 <= j < len(kept) and kept[j] is None:
                j += step
            if 0 <= j < len(kept) and kept[j] and kept[j] != _PHOTO and _is_caption_like(kept[j]):
                # a caption repeated on both sides, or a short label line
                drop.add(j)
    return [line for i, line in enumerate(kept) if i not in drop]


@dataclass
class _Head:
    title: str = ""
    subtitle: str = ""
    dateline: date | None = None


def _split_head(kept: list[str | None]) -> tuple[_Head, list[str | None]]:
    """Title, subtitle and dateline from the top (bylines and navigation lines dropped),
    and the body's lines."""
    head = _Head()
    body_lines: list[str | None] = []
    seen_text = False
    in_head = True
    for line in kept:
        if line is None:
            body_lines.append(None)
            continue
        if in_head:
            d = parse_date_line(line)
            if d is not None:
                head.dateline = head.dateline or d
                continue
            if _BYLINE_RE.match(line) or _is_nav_line(line):
                continue
            if not head.title and not seen_text:
                if _looks_like_heading(line):
                    head.title = line.strip()
                    continue
                # The file starts with article text: keep it, borrow a title from it.
                head.title = _first_sentence(line)
                in_head = False
                seen_text = True
                body_lines.append(line)
                continue
            if not head.subtitle and not seen_text and _is_title_case_heading(line):
                head.subtitle = line.strip()
                continue
            in_head = False
        seen_text = True
        body_lines.append(line)
    return head, body_lines


def _paragraphs(body_lines: list[str | None]) -> list[str]:
    """Every kept line is a paragraph, except hard-wrapped lines."""
    blocks: list[list[str]] = [[]]
    for line in body_lines:
        if line is None:
            if blocks[-1]:
                blocks.append([])
        else:
            blocks[-1].append(line)
    paragraphs: list[str] = []
    for block in blocks:
        paragraphs.extend(p for p in _join_wrapped(block) if p.strip())
    return paragraphs


# web pages carry spaces of every width (no-break, narrow no-break before French
# punctuation, thin in numbers) and invisible characters (zero-width spaces, joiners,
# soft hyphens) that split a word or a phrase for the parser and the cue lists alike
_LINE_BREAKS = re.compile("[\r\x0b\x0c\x85\u2028]")
_SPACES = re.compile(r"[^\S\n\t]")  # every other whitespace but tabs
_INVISIBLE = re.compile("[\u00ad\u180e\u200b\u200c\u200d\u2060\ufeff]")


def parse_article(raw: str, *, default_published: date | None = None) -> ParsedArticle:
    text = raw.replace("\r\n", "\n").replace("\u2029", "\n\n")
    text = _LINE_BREAKS.sub("\n", text)
    text = _SPACES.sub(" ", _INVISIBLE.sub("", text))
    lines = [line.rstrip() for line in text.split("\n")]

    published, source = _header_date(lines), "header"
    head, body_lines = _split_head(_without_furniture(lines))
    if published is None and head.dateline is not None:
        published, source = head.dateline, "dateline"
    body = "\n\n".join(_paragraphs(body_lines))
    if not body and head.title:
        body = head.title  # a text of one heading-like line: that line is the article

    if published is None and default_published is not None:
        published, source = default_published, "given"
    if published is None:
        source = "none"
    return ParsedArticle(
        title=head.title,
        body=body,
        published=published,
        published_source=source,
        subtitle=head.subtitle,
    )


_URL_DATE_RE = re.compile(
    r"(?<!\d)(?P<y>(?:19|20)\d\d)(?P<sep>[/_-]?)(?P<m>[01]\d)(?P=sep)(?P<d>[0-3]\d)(?!\d)"
)


def date_from_url(url: str) -> date | None:
    """A publication date written in an article's URL path: /2024/06/25/, /20240625/,
    -2024-06-25-. Query strings and host names are not read."""
    path = re.sub(r"^[a-z]+://[^/]*", "", url or "", flags=re.I).split("?", 1)[0]
    for match in _URL_DATE_RE.finditer(path):
        try:
            found = date(int(match["y"]), int(match["m"]), int(match["d"]))
        except ValueError:
            continue
        if found.year >= 1990 and found <= date.today():
            return found
    return None
