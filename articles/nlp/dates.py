"""Date expressions in news text, and written dates, on top of dateparser.

``find_dates(text)`` returns raw matches with character offsets; ``resolve`` turns
one into (date, precision, strength) where precision is "day" or "month" and
strength says how explicit the expression is (3 explicit, 2 relative, 1 vague).
``parse_date`` reads one written date ("16 January 2026", "2026-01-16T09:30") and
``month_number`` one month name; both leave the reading of names to dateparser.

No Django here: the spaCy pipeline imports this module. dateparser costs milliseconds
per call, so the per-sentence path finds expressions with the regular expressions
below and asks dateparser only about month names, which are few and cached.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date, timedelta

__all__ = [
    "MONTH_PATTERN",
    "DateMatch",
    "find_dates",
    "is_ambiguous_numeric",
    "month_number",
    "parse_date",
    "resolve",
]

WEEKDAYS = {
    "monday": 0,
    "tuesday": 1,
    "wednesday": 2,
    "thursday": 3,
    "friday": 4,
    "saturday": 5,
    "sunday": 6,
}

# English month names and the abbreviations newsrooms print, as one regex alternative;
# what each one means is dateparser's business (``month_number``).
MONTH_PATTERN = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November"
    r"|December|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)"
)

_MON = rf"(?P<mon>{MONTH_PATTERN})"

_PART = (
    r"(?:(?P<part>early|mid|late|the (?:start|beginning|middle|end) of"
    r"|the first half of|the second half of)[\s-]+)?"
)
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d{2})"

_PATTERNS: list[tuple[str, re.Pattern]] = [
    ("iso", re.compile(r"\b(?P<year>(?:19|20)\d{2})-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b")),
    ("mdy", re.compile(rf"\b{_MON}\s+{_DAY}\b(?:,?\s+{_YEAR}\b)?")),
    ("dmy", re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MON}\b(?:,?\s+{_YEAR}\b)?")),
    (
        "my",
        re.compile(
            rf"(?i:\b(?P<prep>in|since|during|from|by|until|later in|earlier in|early in|late"
            rf" in)\s+)?"
            rf"{_PART}{_MON}(?:\s+{_YEAR})?\b"
        ),
    ),
    (
        "weekday",
        re.compile(
            r"\b(?P<pre>(?i:on|last|this|earlier on|late on|early on)\s+)?"
            r"(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
        ),
    ),
    (
        "rel",
        re.compile(
            r"(?i)\b(?P<rel>yesterday|today|earlier today|this week|last week|earlier this week"
            r"|this month"
            r"|earlier this month|last month|earlier this year|this year|last year|recently|in"
            r" recent days"
            r"|in recent weeks|over the weekend|last weekend|(?:on|at) (?:the )?weekend"
            r"|the day before"
            r"|a week ago|two weeks ago|a month ago|days ago|last night|this morning|tonight)\b"
        ),
    ),
    ("year", re.compile(rf"\b(?i:in|since|during)\s+{_YEAR}\b")),
]


@dataclass(frozen=True)
class DateMatch:
    start: int
    end: int
    kind: str
    groups: dict


# every pattern above needs a digit, a month, or one of these words: text without any is
# passed over at once
_ANY_DATE = re.compile(
    r"\d|Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec"
    r"|(?i:day|week|month|year|recent|night|morning)"
)


def find_dates(text: str) -> list[DateMatch]:
    """Non-overlapping date expressions, longest first, in text order."""
    if not _ANY_DATE.search(text):
        return []
    found: list[DateMatch] = []
    for kind, regex in _PATTERNS:
        for m in regex.finditer(text):
            if (
                kind == "my"
                and m.group("mon") == "May"
                and not (m.group("prep") or m.group("year"))
            ):
                continue  # "May" the modal verb at a sentence start
            if (
                kind == "my"
                and len(m.group("mon").rstrip(".")) <= 4
                and m.group("mon").lower().rstrip(".") not in ("june", "july")
                and not (m.group("prep") or m.group("year") or m.group("part"))
            ):
                continue  # "Jan Lipavsky", "Dec" without a day: a name, not a month
            if kind in ("mdy", "dmy") and not (1 <= int(m.group("day")) <= 31):
                continue
            if (
                kind == "mdy"
                and m.group("mon").startswith("May")
                and not m.group("year")
                and int(m.group("day")) > 31
            ):
                continue
            if any(not (m.end() <= f.start or m.start() >= f.end) for f in found):
                continue
            found.append(DateMatch(m.start(), m.end(), kind, m.groupdict()))
    found.sort(key=lambda d: d.start)
    return found


def _month_num(name: str) -> int:
    number = month_number(name)
    if number is None:
        raise ValueError(f"not a month: {name!r}")
    return number


def _not_future(d: date, published: date, *, month: bool = False) -> date:
    """A date without a year lies in the publication year, or the year before if later."""
    if month:
        return (
            d
            if (d.year, d.month) <= (published.year, published.month)
            else d.replace(year=d.year - 1)
        )
    if d > published:
        try:
            return d.replace(year=d.year - 1)
        except ValueError:
            return d - timedelta(days=365)
    return d


def resolve(m: DateMatch, published: date | None) -> tuple[date, str, int] | None:
    """(date, precision, strength) or None when the expression cannot be placed."""
    if m.kind in ("iso", "mdy", "dmy", "my"):
        try:
            return _resolve_calendar(m, published)
        except ValueError:
            return None
    if published is None:
        return None
    if m.kind == "weekday":
        wd = WEEKDAYS[m.groups["wd"].lower()]
        delta = (published.weekday() - wd) % 7
        pre = (m.groups.get("pre") or "").strip().lower()
        if pre == "last" and delta == 0:
            delta = 7
        return published - timedelta(days=delta), "day", 3
    if m.kind == "rel":
        return _resolve_relative(m.groups["rel"].lower(), published)
    return None


def _resolve_calendar(m: DateMatch, published: date | None) -> tuple[date, str, int] | None:
    """A date named by its month (and day); without a year it lies in the publication year,
    or the year before. ValueError for a day the month does not have."""
    g = m.groups
    if m.kind == "iso":
        return date(int(g["year"]), int(g["m"]), int(g["d"])), "day", 3
    month = _month_num(g["mon"])
    if m.kind in ("mdy", "dmy"):
        day = int(g["day"])
        if g.get("year"):
            return date(int(g["year"]), month, day), "day", 3
        if published is None:
            return None
        return _not_future(date(published.year, month, day), published), "day", 3
    if g.get("year"):
        return date(int(g["year"]), month, 1), "month", 3
    if published is None:
        return None
    return _not_future(date(published.year, month, 1), published, month=True), "month", 3


def _resolve_relative(rel: str, published: date) -> tuple[date, str, int] | None:
    if rel in ("today", "earlier today", "this morning", "tonight"):
        return published, "day", 3
    if rel in ("yesterday", "last night", "the day before"):
        return published - timedelta(days=1), "day", 3
    if rel in ("last week", "a week ago"):
        d = published - timedelta(days=7)
        return d.replace(day=1), "month", 2
    if rel == "two weeks ago":
        return (published - timedelta(days=14)).replace(day=1), "month", 2
    if rel in ("last month", "a month ago"):
        first = published.replace(day=1) - timedelta(days=1)
        return first.replace(day=1), "month", 2
    if rel.endswith("weekend"):  # over, last, on, at (British) the weekend
        delta = (published.weekday() - 6) % 7
        return published - timedelta(days=delta), "day", 2
    if rel in ("recently", "in recent days", "in recent weeks", "days ago"):
        return published.replace(day=1), "month", 1
    if rel in ("this week", "earlier this week", "this month", "earlier this month"):
        return published.replace(day=1), "month", 2
    return None  # "this year", "last year": no month to give


# --- written dates, read by dateparser ------------------------------------------------------

# Quick signs that a string may be a whole written date with a year: an ISO date, or a month
# name and a four-digit year. Anything else is refused before dateparser is asked.
_ISO_START_RE = re.compile(r"\s*\d{4}-\d{2}-\d{2}(?:[T ]|\s*$)", re.ASCII)
_NAMED_DATE_RE = re.compile(
    rf"(?i:{MONTH_PATTERN})(?!\w).*\b\d{{4}}\b|\b\d{{4}}\b.*(?i:{MONTH_PATTERN})"
)
_NUMERIC_DATE_RE = re.compile(r"\s*\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\s*", re.ASCII)


@functools.cache
def _parser(kind: str):
    """One dateparser parser per use, built once: building one loads its language data.

    "date" reads whole dates and needs the day, month and year; "month" reads a lone
    month name. Relative phrases ("yesterday", "next Tuesday") are left to ``resolve``,
    which places them against the publication date.
    """
    from dateparser.date import DateDataParser

    settings = {
        "PARSERS": ["absolute-time"],
        "RETURN_AS_TIMEZONE_AWARE": False,
        "PREFER_DAY_OF_MONTH": "first",
    }
    if kind == "date":
        settings |= {"STRICT_PARSING": True, "REQUIRE_PARTS": ["day", "month", "year"]}
    return DateDataParser(languages=["en"], settings=settings)


def is_ambiguous_numeric(text: str) -> bool:
    """True for "16/01/2026" and "01.02.26": the day and month could be either way round."""
    return bool(_NUMERIC_DATE_RE.fullmatch(text))


@functools.lru_cache(maxsize=2048)
def parse_date(text: str) -> date | None:
    """The day a written date names, as written (a time and time zone are ignored), or None.

    Needs the year, the month and the day: ISO dates ("2026-01-16", "2026-01-16T09:30") and
    named months ("16 January 2026", "Friday, January 16, 2026 10:45", "Jan. 16 2026").
    Day/month numbers such as "16/01/2026" are refused as ambiguous.
    """
    text = text.strip()
    if len(text) > 80 or is_ambiguous_numeric(text):
        return None
    if not (_ISO_START_RE.match(text) or _NAMED_DATE_RE.search(text)):
        return None
    found = _parser("date").get_date_data(text)
    if found.date_obj is None or found.period != "day":
        return None
    return found.date_obj.date()


@functools.lru_cache(maxsize=256)
def month_number(name: str) -> int | None:
    """1-12 for an English month name or abbreviation ("Sept.", "march"), else None."""
    if not re.fullmatch(MONTH_PATTERN, name.strip(), re.IGNORECASE):
        return None
    found = _parser("month").get_date_data(name.strip())
    return found.date_obj.month if found.date_obj is not None else None
