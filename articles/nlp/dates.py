"""Date expressions in news text, resolved against the publication date.

``find_dates(text)`` returns raw matches with character offsets; ``resolve`` turns
one into (date, precision, strength) where precision is "day" or "month" and
strength says how explicit the expression is (3 explicit, 2 relative, 1 vague).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

MONTHS = {
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
WEEKDAYS = {
    "monday": 0,
    "tuesday": 1,
    "wednesday": 2,
    "thursday": 3,
    "friday": 4,
    "saturday": 5,
    "sunday": 6,
}

_MON = (
    r"(?P<mon>January|February|March|April|May|June|July|August|September|October|November"
    r"|December|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)"
)
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
            r"|in recent weeks|over the weekend|last weekend|on (?:the )?weekend|the day before"
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


def find_dates(text: str) -> list[DateMatch]:
    """Non-overlapping date expressions, longest first, in text order."""
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
    return MONTHS[name.lower().rstrip(".")]


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
    g = m.groups
    try:
        if m.kind == "iso":
            return date(int(g["year"]), int(g["m"]), int(g["d"])), "day", 3
        if m.kind in ("mdy", "dmy"):
            month, day = _month_num(g["mon"]), int(g["day"])
            if g.get("year"):
                return date(int(g["year"]), month, day), "day", 3
            if published is None:
                return None
            return _not_future(date(published.year, month, day), published), "day", 3
        if m.kind == "my":
            month = _month_num(g["mon"])
            if g.get("year"):
                return date(int(g["year"]), month, 1), "month", 3
            if published is None:
                return None
            return _not_future(date(published.year, month, 1), published, month=True), "month", 3
    except ValueError:
        return None
    if published is None:
        return None
    if m.kind == "weekday":
        wd = WEEKDAYS[g["wd"].lower()]
        delta = (published.weekday() - wd) % 7
        pre = (g.get("pre") or "").strip().lower()
        if pre == "last" and delta == 0:
            delta = 7
        return published - timedelta(days=delta), "day", 3
    if m.kind == "rel":
        rel = g["rel"].lower()
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
        if rel in ("over the weekend", "last weekend", "on weekend", "on the weekend"):
            delta = (published.weekday() - 6) % 7
            return published - timedelta(days=delta), "day", 2
        if rel in ("recently", "in recent days", "in recent weeks", "days ago"):
            return published.replace(day=1), "month", 1
        if rel in ("this week", "earlier this week", "this month", "earlier this month"):
            return published.replace(day=1), "month", 2
        return None  # "this year", "last year": no month to give
    return None
