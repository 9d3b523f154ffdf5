"""The stance extractor: candidates from the rules and every actor mention, decided by a model.

1. One ``nlp.pipe`` pass parses the article (wire datelines blanked first).
2. :mod:`.rules` proposes what its hand-written rules find; :mod:`.candidates` adds every
   actor mentioned in or next to a sentence about dialogue, with sparse features.
3. :mod:`.decision`'s trained textcat scores each candidate: ``none`` or a label.
4. One record per actor and occasion: the actor's candidates together decide whether
   it holds a stance (a spokesperson counts with the institution they speak for), the
   surest one gives label and evidence; another candidate of the same actor that is
   sure of its own and dated to another month is a second occasion.
5. The date comes from the rules where they proposed the same actor there, else from
   the sentence, the paragraph before it, or the publication date.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from functools import lru_cache
from pathlib import Path

from .candidates import ArticleCandidates, Candidate, CandidateGenerator, parse_many
from .dates import find_dates, resolve
from .decision import NONE, DecisionModel
from .entries import LABELS, ActorEntry, CountryEntry, Proposal
from .rules import RuleExtractor

DEFAULT_MODEL_PATH = Path(__file__).resolve().parent / "data" / "model"
DEFAULT_THRESHOLD = 0.25
SECOND_OCCASION = 0.8  # a second record of one actor needs another month and this score


@lru_cache(maxsize=4)
def load_model(path: str | Path = DEFAULT_MODEL_PATH) -> DecisionModel:
    return DecisionModel.from_disk(path)


class Extractor:
    """Text, publication date and actor list in; stance proposals out."""

    def __init__(
        self,
        actors: Sequence[ActorEntry],
        countries: Sequence[CountryEntry] = (),
        *,
        nlp=None,
        model: DecisionModel | None = None,
    ):
        self.rules = RuleExtractor(actors, countries, nlp=nlp)
        self.nlp = self.rules.nlp
        self.generator = CandidateGenerator(self.rules)
        self._model = model

    @property
    def model(self) -> DecisionModel:
        if self._model is None:
            self._model = load_model()
        return self._model

    @property
    def version(self) -> str:
        return self.model.meta.get("version", "unversioned")

    @property
    def threshold(self) -> float:
        return float(self.model.meta.get("threshold", DEFAULT_THRESHOLD))

    def extract(self, text: str, published: date | None) -> list[Proposal]:
        return next(self.extract_many([(text, published)]))

    def extract_many(
        self, items: Iterable[tuple[str, date | None]], *, batch_size: int = 32
    ) -> Iterator[list[Proposal]]:
        for article in self.candidates_many(items, batch_size=batch_size):
            yield self.decide(article)

    def candidates_many(
        self, items: Iterable[tuple[str, date | None]], *, batch_size: int = 32
    ) -> Iterator[ArticleCandidates]:
        for doc, text, published in parse_many(self.rules, items, batch_size=batch_size):
            if not text.strip():
                yield ArticleCandidates(text, published, [], [])
                continue
            yield self.generator.article(doc, text, published)

    def decide(self, article: ArticleCandidates) -> list[Proposal]:
        return [p for _score, p in decide(article, self.model, self.threshold)]


def decide(
    article: ArticleCandidates, model: DecisionModel, threshold: float = DEFAULT_THRESHOLD
) -> list[tuple[float, Proposal]]:
    """The proposals of one article, each with the model's raw score.

    An actor holds a stance when at least one of its candidates does: the probability
    is a noisy-or over its candidates, ``1 - prod(P(none))``. The candidate most likely
    to be a stance gives the label and the evidence. The raw score is the stance
    probability times that label's share of the candidate's stance probability; the
    calibration turns it into the confidence.
    """
    cands = article.candidates
    groups: dict[str, list[tuple[Candidate, dict[str, float]]]] = {}
    for cand, probs in zip(cands, model.predict(c.features for c in cands), strict=True):
        groups.setdefault(cand.group, []).append((cand, probs))
    out = []
    for members in groups.values():
        none_all = math.prod(probs.get(NONE, 0.0) for _c, probs in members)
        if 1.0 - none_all < threshold:
            continue
        best, top = max(members, key=lambda item: 1.0 - item[1].get(NONE, 0.0))
        label = max(LABELS, key=lambda name: top.get(name, 0.0))
        score = (1.0 - none_all) * top[label] / ((1.0 - top.get(NONE, 0.0)) or 1.0)
        records = [(score, label, best)]
        # another occasion: a candidate sure of its own, dated to another month
        for cand, probs in members:
            other = max(LABELS, key=lambda name: probs.get(name, 0.0))
            if cand is not best and probs[other] >= SECOND_OCCASION:
                records.append((probs[other], other, cand))
        months: set[str | None] = set()
        for score, label, cand in records:
            stated_on, precision = _date(article, cand)
            month = stated_on.strftime("%Y-%m") if stated_on else None
            if months and (month is None or None in months or month in months):
                continue
            months.add(month)
            confidence = model.calibration(score)
            out.append((score, _proposal(article, cand, label, confidence, stated_on, precision)))
    out.sort(key=lambda item: item[1].start)
    return out


def _proposal(article, cand: Candidate, label, confidence, stated_on, precision) -> Proposal:
    text = article.text
    return Proposal(
        actor=cand.actor,
        country=cand.country,
        label=label,
        stated_on=stated_on,
        precision=precision if stated_on is not None else "unknown",
        quote=text[cand.quote_start : cand.quote_end],
        start=cand.quote_start,
        end=cand.quote_end,
        sentence_start=cand.sent_start,
        sentence_end=cand.sent_end,
        confidence=round(confidence, 3),
        is_new_actor=cand.is_new,
    )


def _date(article: ArticleCandidates, cand: Candidate) -> tuple[date | None, str]:
    if cand.rule is not None:
        return cand.rule.stated_on, cand.rule.precision
    published = article.published
    found = _first_date(article.text[cand.sent_start : cand.sent_end], published)
    if found is not None:
        return found
    if published is not None:
        return published, "day"
    return None, "unknown"


def _first_date(text: str, published: date | None) -> tuple[date | None, str] | None:
    for match in find_dates(text):
        if match.kind == "year":
            return None, "unknown"
        resolved = resolve(match, published)
        if resolved is not None:
            return resolved[0], resolved[1]
    return None
