"""Attribution: who speaks in a sentence where no actor is named as the speaker.

Reported speech often names the speaker once and then goes on with "he said", "she
stressed", or a quotation in the first person ("I have no plans to call him", "we
will neither confirm nor deny"). Those sentences carry the stance, not the one with
the name. Each such sentence gets a speaker: a third-person pronoun subject is the
person last named before it; a first-person subject, or a sentence inside quotation
marks, is the speaker of the quotation, the subject of a reporting verb in the
sentence, just after it or just before it.

The speaker is returned as a mention on the pronoun (or on the first token of the
sentence when there is none), so the candidate generator can read its place in the
parse like that of any name.

Which of the three ways to find a speaker are used is the component's ``speakers``
setting. By default only the first-person one: cross-validated (``make evaluate``, six
shuffles) it raised strict F1 from 0.636 to 0.658, while third-person pronouns, which the
rules already resolve in their own way, lowered it (0.622 with pronouns alone).
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import replace

from spacy.language import Language

from ..rules import REPORT_VERBS, SUBJ_DEPS, _Mention, parse_arrays

SPEAKER_KINDS = ("pronoun", "first_person", "quotation")
DEFAULT_SPEAKERS = ("first_person",)
THIRD_PERSON = frozenset({"he", "she"})
FIRST_PERSON = frozenset({"i", "we"})
QUOTE_MARKS = '\u201c\u201d\u00ab\u00bb\u201e"'
LOOK_BACK = 3  # sentences searched for the antecedent of "he"/"she"


def _lemma(tok) -> str:
    return (tok.lemma_ or tok.text).lower()


def _is_reporter(doc, m: _Mention) -> bool:
    """The mention is the subject of a reporting verb ("Lavrov said", "the Kremlin noted")."""
    root = doc[m.start : m.end].root
    while root.dep_ in ("conj", "appos") and root.head.i != root.i:
        root = root.head
    return root.dep_ in SUBJ_DEPS and _lemma(root.head) in REPORT_VERBS


def _quoted(doc, s: int, e: int) -> bool:
    """The sentence opens or closes a quotation."""
    text = doc[s:e].text.strip()
    return bool(text) and (text[0] in QUOTE_MARKS or text[-1] in QUOTE_MARKS)


def speakers(
    doc,
    sents,
    by_sentence: dict[int, list[_Mention]],
    kinds: tuple[str, ...] = SPEAKER_KINDS,
) -> dict[int, list[_Mention]]:
    """Speaker mentions of sentences whose speaker is not named in them.

    ``sents`` are (token start, token end, ...) tuples; ``by_sentence`` the named
    mentions of each sentence; ``kinds`` which of ``SPEAKER_KINDS`` to look for. Only
    actors named somewhere nearby are ever returned.
    """
    _heads, deps = parse_arrays(doc)
    out: dict[int, list[_Mention]] = {}
    known = {si: list(found) for si, found in by_sentence.items()}  # grows with speakers
    for si, bounds in enumerate(sents):
        s, e = bounds[0], bounds[1]
        named = by_sentence.get(si, [])
        if any(_is_reporter(doc, m) for m in named):
            continue  # the sentence names its speaker
        found: list[_Mention] = []
        for i in range(s, e):
            if deps[i] not in SUBJ_DEPS:
                continue
            tok = doc[i]
            low = tok.lower_
            target = None
            via = None
            if low in THIRD_PERSON and "pronoun" in kinds:
                target = _antecedent(doc, tok, si, known)
                via = "pronoun"
            elif low in FIRST_PERSON and "first_person" in kinds:
                target = _quote_speaker(doc, si, sents, known)
                via = "first_person"
            if target is not None and all(f.actor != target.actor for f in found):
                found.append(replace(target, start=tok.i, end=tok.i + 1, via=via))
        if not found and "quotation" in kinds and _quoted(doc, s, e):
            target = _quote_speaker(doc, si, sents, known)
            if target is not None:
                found.append(replace(target, start=s, end=s + 1, via="quotation"))
        found = [f for f in found if all(m.actor != f.actor for m in named)]
        if found:
            out[si] = found
            known.setdefault(si, []).extend(found)
    return out


def _antecedent(doc, tok, si: int, by_sentence) -> _Mention | None:
    """The person last named before ``tok``: in its sentence, else up to LOOK_BACK before,
    a reporting subject preferred within each sentence."""
    here = [m for m in by_sentence.get(si, []) if m.end <= tok.i and m.kind == "person"]
    if here:
        return max(here, key=lambda m: m.start)
    for back in range(si - 1, max(-1, si - 1 - LOOK_BACK), -1):
        people = [m for m in by_sentence.get(back, []) if m.kind == "person"]
        if people:
            reporters = [m for m in people if _is_reporter(doc, m)]
            return (reporters or people)[-1]
    return None


def _quote_speaker(doc, si: int, sents, by_sentence) -> _Mention | None:
    """The reporting subject of the sentence itself, else of the next one, else of the
    previous two ('"...," Peskov said.' / 'Peskov said: "..."')."""
    for other in (si, si + 1, si - 1, si - 2):
        if 0 <= other < len(sents):
            reporters = [m for m in by_sentence.get(other, []) if _is_reporter(doc, m)]
            if reporters:
                return reporters[0]
    return None


def mentions_by_sentence(rules, doc, sents) -> dict[int, list[_Mention]]:
    """The named actor mentions of each sentence (index into ``sents``)."""
    starts = [bounds[0] for bounds in sents]
    out: dict[int, list[_Mention]] = {}
    for m in rules.find_mentions(doc):
        si = bisect_right(starts, m.start) - 1
        if si >= 0 and m.start < sents[si][1]:
            out.setdefault(si, []).append(m)
    return out


class Attribution:
    """The ``stance_attribution`` component: named mentions and speakers by sentence."""

    def __init__(self, nlp, name: str, speakers: list[str]):
        unknown = set(speakers) - set(SPEAKER_KINDS)
        if unknown:
            raise ValueError(f"unknown speaker kinds {sorted(unknown)}; known: {SPEAKER_KINDS}")
        self.name = name
        self.speakers = tuple(speakers)
        self.rules = None  # the RuleExtractor, given by ``attach``

    def attach(self, rules) -> None:
        self.rules = rules

    def __call__(self, doc):
        sents = self.rules.sentence_bounds(doc)
        found = mentions_by_sentence(self.rules, doc, sents)
        if self.speakers:
            for si, extra in speakers(doc, sents, found, self.speakers).items():
                found.setdefault(si, []).extend(extra)
        doc._.stance_mentions = found
        return doc


@Language.factory("stance_attribution", default_config={"speakers": list(DEFAULT_SPEAKERS)})
def make_attribution(nlp, name: str, speakers: list[str]) -> Attribution:
    return Attribution(nlp, name, speakers)
