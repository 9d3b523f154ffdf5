"""The ``stance_dating`` component: when each candidate's statement was made.

In order: the date the rules attached to the holder's predicate; a date in the
candidate's own sentence; with ``carry_over``, the date of the nearest earlier
sentence where the same actor (or the institution its spokesperson speaks for) is a
candidate with a date of its own ("On 7 January Macron said ... He added ..."); the
publication date; else unknown. A bare year is too vague to date a statement, and a
habitual one ("has long called for") with no date of its own is undated. Each candidate
says where its date came from (``date_source``): its own sentence or predicate, a vague
word there ("recently"), a sentence before, the publication, or a habit; the decision
step reads it to tell occasions apart.
"""

from __future__ import annotations

import re
from datetime import date

from spacy.language import Language

from ..dates import find_dates, resolve
from ..rules import dates_in

Dated = tuple[date | None, str]
_VAGUE = re.compile(r"\b(?:recently|in recent (?:days|weeks)|days ago)\b", re.IGNORECASE)
_HABITUAL = re.compile(
    r"\b(?:ha[sd]|have) (?:long|repeatedly|consistently|always|often|frequently|"
    r"reiterated on (?:multiple|several|many|numerous) occasions)\b"
    r"|\bon (?:multiple|several|many|numerous) occasions\b",
    re.IGNORECASE,
)


def _habitual(text: str, start: int, end: int) -> bool:
    """A habit stated of the holder between ``start`` and ``end`` ("has long called for"),
    not in a relative clause describing them ("Fico, who has repeatedly called for ...,
    said on Monday")."""
    return any(
        not text[max(start, match.start() - 8) : match.start()].rstrip().endswith(("who", "which"))
        for match in _HABITUAL.finditer(text, start, end)
    )


def sentence_date(text: str, published: date | None, *, found=find_dates) -> Dated | None:
    """The first date expression of ``text`` resolved against ``published``; a bare
    year stops the search with "unknown"; ``None`` when there is no date at all.
    ``found(text)`` gives the date expressions (a document's memo of them)."""
    for match in found(text):
        if match.kind == "year":
            return None, "unknown"
        resolved = resolve(match, published)
        if resolved is not None:
            return resolved[0], resolved[1]
    return None


def date_candidates(article, *, carry_over: bool, dates_of=find_dates) -> None:
    """Set ``stated_on``, ``precision`` and ``date_source`` of every candidate of
    ``article`` (``dates_of`` finds the date expressions of a sentence)."""
    published = article.published
    own: dict[int, Dated | None] = {}
    last: dict[str, Dated] = {}  # group -> the latest own date seen, in text order
    for cand in sorted(article.candidates, key=lambda c: c.sentence):
        if cand.sentence not in own:
            own[cand.sentence] = sentence_date(
                article.text[cand.sent_start : cand.sent_end], published, found=dates_of
            )
        found = own[cand.sentence]
        source = "own"
        if found is None and _habitual(article.text, cand.sent_start, cand.sent_end):
            # "has long called for", "on multiple occasions": many occasions, none dated
            cand.stated_on, cand.precision, cand.date_source = None, "unknown", "habitual"
            continue
        if cand.rule is not None:
            # the rules date a statement from its sentence, its paragraph or the publication
            if (
                published is not None
                and cand.rule.stated_on == published
                and (found is None or found[0] != published)
            ):
                source = "published"
            found = (cand.rule.stated_on, cand.rule.precision)
        if found is not None and found[0] is not None:
            last[cand.group] = found
        elif found is None and carry_over and cand.group in last:
            found, source = last[cand.group], "carried"
        if found is None:
            found = (published, "day") if published is not None else (None, "unknown")
            source = "published" if published is not None else "none"
        if source == "own" and _VAGUE.search(article.text, cand.sent_start, cand.sent_end):
            source = "vague"  # "recently": some time before publication, no occasion to tell
        cand.stated_on, cand.precision = found
        cand.date_source = source


class Dating:
    def __init__(self, nlp, name: str, carry_over: bool):
        self.name = name
        self.carry_over = carry_over

    def __call__(self, doc):
        if doc._.stance_candidates is not None:
            date_candidates(
                doc._.stance_candidates,
                carry_over=self.carry_over,
                dates_of=lambda text: dates_in(doc, text),
            )
        return doc


@Language.factory("stance_dating", default_config={"carry_over": False})
def make_dating(nlp, name: str, carry_over: bool) -> Dating:
    return Dating(nlp, name, carry_over)
