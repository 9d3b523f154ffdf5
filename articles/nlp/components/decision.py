"""The ``stance_decision`` component: the trained model turns candidates into records.

An actor holds a stance when at least one of its candidates does: the probability is a
noisy-or over its candidates, ``1 - prod(P(none))``. Its label is the one with the most
probability summed over its candidates (each candidate's P(stance) * P(label | stance)),
so that one sentence sure of its label outweighs a likelier stance sentence unsure of
it; the candidate most likely to hold that label gives the evidence. Another candidate
of the same actor that is sure of its own (``second_occasion``) and dated to another
month, or to another day that its sentence names, or habitual beside a dated one, is a
second occasion (see ``_same_occasion``); a record dated only vaguely or by the
publication takes the date its holder's other statements name. The raw score is the
stance probability times that label's share of the evidence candidate's stance
probability; the model's calibration turns it into the confidence. An actor whose surest
candidate is an explicitly non-committal phrase of the lexicon in its own clause ("would
not be drawn on") is neutral, the label scheme's definition of it. A government's
record is dropped where a person of its country holds the same stance in the article.
"""

from __future__ import annotations

import math
from dataclasses import replace

from spacy.language import Language

from ..decision import NONE, DecisionModel, _row
from ..entries import LABELS, Proposal
from .candidates import ArticleCandidates, Candidate

SECOND_OCCASION = 0.8
NEUTRAL = "neutral"
DEFAULT_THRESHOLD = 0.65  # as in :mod:`articles.nlp.extractor`, for a model without one


def decide(
    article: ArticleCandidates,
    model: DecisionModel,
    threshold: float,
    *,
    second_occasion: float = SECOND_OCCASION,
) -> list[tuple[float, Proposal]]:
    """The proposals of one article (dated candidates), each with the model's raw score."""
    cands = article.candidates
    stance = model.stance([c.features for c in cands])
    by_group: dict[str, list[int]] = {}
    for i, cand in enumerate(cands):
        by_group.setdefault(cand.group, []).append(i)
    # the label stage runs only for the groups that hold a stance
    passing = [
        members
        for members in by_group.values()
        if 1.0 - math.prod(1.0 - stance[i] for i in members) >= threshold
    ]
    needed = sorted(i for members in passing for i in members)
    shares = dict(zip(needed, model.label_shares([cands[i].features for i in needed]), strict=True))
    out = []
    for indices in passing:
        members = [(cands[i], _row(stance[i], shares[i])) for i in indices]
        none_all = math.prod(probs.get(NONE, 0.0) for _c, probs in members)
        label = max(LABELS, key=lambda name: sum(probs[name] for _c, probs in members))
        best, top = max(members, key=lambda item: item[1][label])
        score = (1.0 - none_all) * top[label] / ((1.0 - top.get(NONE, 0.0)) or 1.0)
        surest = max(members, key=lambda item: 1.0 - item[1].get(NONE, 0.0))[0]
        if label != NEUTRAL and _non_committal(surest):
            # the label scheme's neutral is an explicitly non-committal statement, which
            # the lexicon names ("declined to comment", "would not be drawn on") and the
            # label stage, with a handful of neutral examples to learn from, cannot
            best, label, score = surest, NEUTRAL, 1.0 - none_all
        records = [(score, label, best)]
        for cand, probs in members:
            other = max(LABELS, key=lambda name: probs.get(name, 0.0))
            if cand is not best and probs[other] >= second_occasion:
                records.append((probs[other], other, cand))
        kept: list[tuple[Candidate, int]] = []  # each record's candidate, its place in out
        for score, label, cand in records:
            same = next(((k, at) for k, at in kept if _same_occasion(cand, k)), None)
            if same is not None:
                first, at = same
                if (
                    first.date_source in ("vague", "published")
                    and cand.date_source == "own"
                    and cand.stated_on
                ):
                    # "recently" or a summary beside "Macron's December statement": its date
                    told = replace(out[at][1], stated_on=cand.stated_on, precision=cand.precision)
                    out[at] = (out[at][0], told)
                continue
            kept.append((cand, len(out)))
            confidence = model.calibration(score)
            proposal = _proposal(article, cand, label, confidence)
            if proposal.stated_on is not None and (
                proposal.precision == "month" or cand.date_source == "published"
            ):
                stances = [c for c, probs in members if probs[NONE] < 0.5]
                proposal = _take_the_day(proposal, stances, cand.date_source == "published")
            out.append((score, proposal))
    out = _without_governments_beside_their_people(out, {c.actor: c.kind for c in cands})
    out.sort(key=lambda item: item[1].start)
    return out


def _non_committal(cand: Candidate) -> bool:
    """Whether the candidate's own statement is a non-committal phrase of the lexicon."""
    feats = set(cand.features)
    return "rule_label=neutral" in feats or (
        "pol_clause=neutral" in feats and "holder=none" not in feats
    )


def _without_governments_beside_their_people(
    found: list[tuple[float, Proposal]], kinds: dict[str, str]
) -> list[tuple[float, Proposal]]:
    """A government's record is left out where a person of its country holds the same
    stance in the article ("Austria backs the envoy idea", said its foreign minister): one
    position, voiced by the person, not two records of it."""
    voiced = {(p.country, p.label) for _s, p in found if kinds.get(p.actor) == "person"}
    return [
        (score, p)
        for score, p in found
        if kinds.get(p.actor) != "government" or (p.country, p.label) not in voiced
    ]


def _take_the_day(proposal: Proposal, stances: list[Candidate], published: bool) -> Proposal:
    """A statement dated to a month only ("in recent days") takes the day that another
    sentence of the same holder names in that month ("on Friday"): the same occasion,
    told more precisely. One dated by the publication alone takes the day another names
    in the week before it ("has said he has no plans", "spoke to journalists on Sunday")."""
    day = proposal.stated_on
    days = {
        c.stated_on
        for c in stances
        if c.precision == "day"
        and c.date_source == "own"
        and (
            0 <= (day - c.stated_on).days <= 7
            if published
            else (c.stated_on.year, c.stated_on.month) == (day.year, day.month)
        )
    }
    if len(days) == 1:
        return replace(proposal, stated_on=days.pop(), precision="day")
    return proposal


def _same_occasion(a: Candidate, b: Candidate) -> bool:
    """Whether two statements of one actor may be one occasion. A habitual one ("has long
    called for") is apart from any dated one; one undated, vaguely dated ("recently") or
    dated by the publication alone ("Macron supports re-engaging", in a summary) may be
    any, a publication date being no evidence of another occasion; two in different
    months are not; within a month only two days that each sentence names for itself
    ("on Monday", "On June 19") tell occasions apart."""
    if (a.date_source == "habitual") != (b.date_source == "habitual"):
        return False  # "has long called for talks" beside a dated statement
    if (
        a.stated_on is None
        or b.stated_on is None
        or {"vague", "published"} & {a.date_source, b.date_source}
    ):
        return True
    if (a.stated_on.year, a.stated_on.month) != (b.stated_on.year, b.stated_on.month):
        return False
    named = all(c.precision == "day" and c.date_source == "own" for c in (a, b))
    return not named or a.stated_on == b.stated_on


def _proposal(article: ArticleCandidates, cand: Candidate, label: str, confidence) -> Proposal:
    return Proposal(
        actor=cand.actor,
        country=cand.country,
        label=label,
        stated_on=cand.stated_on,
        precision=cand.precision if cand.stated_on is not None else "unknown",
        quote=article.text[cand.quote_start : cand.quote_end],
        start=cand.quote_start,
        end=cand.quote_end,
        sentence_start=cand.sent_start,
        sentence_end=cand.sent_end,
        confidence=round(confidence, 3),
        is_new_actor=cand.is_new,
    )


class Decision:
    """Sets ``doc._.stance_proposals``; the model is given by ``attach`` (it is trained and
    versioned apart from the code, see :mod:`articles.nlp.train`)."""

    def __init__(self, nlp, name: str, threshold: float | None):
        self.name = name
        self.threshold = threshold
        self.model: DecisionModel | None = None

    def attach(self, model: DecisionModel) -> None:
        self.model = model

    def __call__(self, doc):
        article = doc._.stance_candidates
        threshold = self.threshold
        if threshold is None:
            threshold = float(self.model.meta.get("threshold", DEFAULT_THRESHOLD))
        found = decide(article, self.model, threshold) if article is not None else []
        doc._.stance_proposals = [proposal for _score, proposal in found]
        return doc


@Language.factory("stance_decision", default_config={"threshold": None})
def make_decision(nlp, name: str, threshold: float | None) -> Decision:
    return Decision(nlp, name, threshold)
