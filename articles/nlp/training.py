"""Training and evaluating the decision step on annotated articles (no Django).

Annotated sets are in the scorer's format: a folder of ``*.txt`` articles and a JSONL
file of gold records (``file``, ``actor``, ``aliases``, ``label``, ``also_accept``,
``stated_on``, ``quote``). A candidate becomes a training example labelled with the gold
record of its actor whose quote overlaps its sentence, else ``none``. Editor decisions
from the app arrive as the same :class:`Annotated` articles.

Cross-validation folds by article: a fold's articles are never seen while training
the model (or its calibration) that scores them.
"""

from __future__ import annotations

import json
import random
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .components.candidates import ArticleCandidates
from .decision import DEFAULT_SETTINGS, NONE, Calibration, DecisionModel, TrainSettings


@dataclass
class GoldRecord:
    actor: str
    label: str
    aliases: tuple[str, ...] = ()
    also_accept: tuple[str, ...] = ()
    stated_on: str | None = None
    quote: str = ""


@dataclass
class Annotated:
    """One article with its gold records (which may be none: a distractor)."""

    name: str
    text: str
    published: date | None
    gold: list[GoldRecord] = field(default_factory=list)
    source: str = ""


# ------------------------------------------------------------------ reading
def read_gold_set(gold_path: str | Path, files_dir: str | Path, parse) -> list[Annotated]:
    """Every ``*.txt`` article of ``files_dir`` (parsed with ``parse``) with its records."""
    records: dict[str, list[GoldRecord]] = {}
    with open(gold_path, encoding="utf-8") as handle:
        for line in handle:
            if not line.strip():
                continue
            row = json.loads(line)
            records.setdefault(row["file"], []).append(
                GoldRecord(
                    actor=row["actor"],
                    label=row["label"],
                    aliases=tuple(row.get("aliases") or ()),
                    also_accept=tuple(row.get("also_accept") or ()),
                    stated_on=row.get("stated_on"),
                    quote=row.get("quote") or "",
                )
            )
    out = []
    for path in sorted(Path(files_dir).glob("*.txt")):
        parsed = parse(path.read_text(encoding="utf-8-sig"))
        out.append(
            Annotated(
                name=path.name,
                text=parsed.body,
                published=parsed.published,
                gold=records.get(path.name, []),
                source=str(files_dir),
            )
        )
    return out


# ------------------------------------------------------------------ matching
def fold_name(name: str) -> str:
    text = unicodedata.normalize("NFKD", name or "")
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"\(.*?\)", " ", text)
    text = re.sub(r"[^a-z0-9 ]+", " ", text)
    text = re.sub(r"\b(?:the|president|prime|minister|chancellor)\b", " ", text)
    return " ".join(text.split())


def actor_matches(actor: str, gold: GoldRecord) -> bool:
    """The scorer's notion: same name, a listed alias, or a person's surname."""
    pred = fold_name(actor)
    if not pred:
        return False
    names = {fold_name(gold.actor), *(fold_name(a) for a in gold.aliases)}
    if pred in names:
        return True
    gold_tokens = fold_name(gold.actor).split()
    pred_tokens = pred.split()
    return (
        len(gold_tokens) >= 2
        and pred_tokens[-1] == gold_tokens[-1]
        and set(pred_tokens) <= set(gold_tokens)
    )


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u2019", "'").replace("\u2018", "'")).strip()


def locate_quote(text: str, quote: str) -> tuple[int, int] | None:
    """Character span of a gold quote in the article body, tolerant of spacing and quotes."""
    if not quote:
        return None
    exact = text.find(quote)
    if exact >= 0:
        return exact, exact + len(quote)
    plain = text.replace("\u2019", "'").replace("\u2018", "'")
    kept: list[int] = []  # offsets in ``text`` of the characters of the squashed text
    chars: list[str] = []
    for i, ch in enumerate(plain):
        if ch.isspace():
            if not chars or chars[-1] == " ":
                continue
            ch = " "
        kept.append(i)
        chars.append(ch)
    squashed = "".join(chars)
    q = _squash(quote)
    at = squashed.find(q)
    if at >= 0:
        return kept[at], kept[at + len(q) - 1] + 1
    at = squashed.find(q[:60])
    if at >= 0:
        return kept[at], min(len(text), kept[at] + len(quote))
    at = squashed.find(q[-60:])
    if at >= 0:
        end = kept[at + len(q[-60:]) - 1] + 1
        return max(0, end - len(quote)), end
    return None


def _gap(cand, span: tuple[int, int]) -> int:
    """Characters between a candidate's sentence and a quote (0 when they overlap)."""
    return max(cand.sent_start - span[1], span[0] - cand.sent_end, 0)


def candidate_labels(
    article: ArticleCandidates, gold: Sequence[GoldRecord], *, reach: int = 600
) -> list[str]:
    """The training label of each candidate: its gold record's label, or ``none``.

    A gold record labels every candidate of its actor whose sentence overlaps the quote;
    when none does (a quote continued from the sentence that names the speaker), the
    candidate of that actor nearest to the quote, within ``reach`` characters.
    """
    labels = [NONE] * len(article.candidates)
    for g in gold:
        span = locate_quote(article.text, g.quote)
        if span is None:
            continue
        mine = [
            i
            for i, cand in enumerate(article.candidates)
            if actor_matches(cand.actor, g) or actor_matches(cand.group, g)
        ]
        overlapping = [
            i
            for i in mine
            if span[0] < article.candidates[i].sent_end
            and span[1] > article.candidates[i].sent_start
        ]
        if not overlapping and mine:
            gaps = {i: _gap(article.candidates[i], span) for i in mine}
            nearest = min(mine, key=gaps.__getitem__)
            if gaps[nearest] <= reach:
                overlapping = [nearest]
        for i in overlapping:
            labels[i] = g.label
    return labels


# ------------------------------------------------------------------ training
def examples_of(
    articles: Iterable[tuple[ArticleCandidates, Sequence[GoldRecord]]],
) -> list[tuple[list[str], str]]:
    """(features, label) of every candidate, except the unlinked candidates of an actor
    who holds a stance in the article: whether such a sentence states the stance again
    (a repeat counts once, so its quote is elsewhere) or not is unknown, and calling it
    ``none`` teaches the model that stance-like sentences are none. The decision is made
    per actor (a noisy-or over its candidates), so the linked candidates suffice. A sentence
    on neither talks nor Russia (``bare_sentence``: "urged more aid for Ukraine") states no
    such stance again, and is a ``none`` example whoever it names."""
    out = []
    for cands, gold in articles:
        for cand, label in zip(cands.candidates, candidate_labels(cands, gold), strict=True):
            if (
                label == NONE
                and "bare_sentence" not in cand.features
                and any(actor_matches(cand.actor, g) or actor_matches(cand.group, g) for g in gold)
            ):
                continue
            out.append((cand.features, label))
    return out


def folds_of(names: Sequence[str], k: int, seed: int = 13) -> list[list[str]]:
    order = sorted(names)
    random.Random(seed).shuffle(order)
    return [order[i::k] for i in range(k)]


def training_examples(prepared: Iterable[Prepared]) -> list[tuple[list[str], str]]:
    """The examples of annotated articles: every candidate's (:func:`examples_of`), and
    the stances of the gold records' people met as people the actor list does not know
    (:func:`unknown_people_examples`), where the article was also prepared that way."""
    out = []
    for item in prepared:
        out += examples_of([(item.candidates, item.article.gold)])
        if item.unknown is not None:
            out += unknown_people_examples(item.unknown, item.article.gold)
    return out


def unknown_people_examples(
    article: ArticleCandidates, gold: Sequence[GoldRecord]
) -> list[tuple[list[str], str]]:
    """The stance examples of an article's candidates made with the people of its gold
    records left out of the actor list: the same statements, by people the extractor meets
    as new names. Trained on the listed people alone, the model sees a new name only on
    people who hold no stance and learns to pass over every new name, while articles from
    other outlets quote people the list has never heard of. Only the stances are taken:
    the none examples of new names are in the article's own examples already."""
    return [
        (features, label)
        for features, label in examples_of([(article, gold)])
        if label != NONE and "new_actor" in features
    ]


MIN_CALIBRATION_FOLDS = 4


def fit(
    train: Sequence[Prepared],
    settings: TrainSettings = DEFAULT_SETTINGS,
    *,
    calibrate_with,
    inner_folds: int = 8,
    extra: Sequence[tuple[list[str], str]] = (),
) -> DecisionModel:
    """Train on ``train``; fit the calibration on inner out-of-fold proposals.

    ``calibrate_with(model, article_candidates) -> list[(score, proposal)]`` is the
    extractor's own decision function, so the calibration sees what editors will see.
    Up to ``inner_folds`` folds, at least two articles each, and at least four: the more
    folds, the nearer the inner models come to the one calibrated (cross-validated, eight
    folds instead of four took the expected calibration error from 0.067 to 0.044).
    """
    outcomes: list[bool] = []
    scores: list[float] = []
    inner_folds = min(inner_folds, len(train) // 2)
    if inner_folds >= MIN_CALIBRATION_FOLDS:
        names = [item.candidates.text[:80] + str(i) for i, item in enumerate(train)]
        by_name = dict(zip(names, train, strict=True))
        for fold in folds_of(names, inner_folds, seed=settings.seed):
            held = set(fold)
            inner = DecisionModel.train(
                training_examples(v for n, v in by_name.items() if n not in held) + list(extra),
                settings,
            )
            for name in fold:
                item = by_name[name]
                gold = item.article.gold
                for score, proposal in calibrate_with(inner, item.candidates):
                    scores.append(score)
                    outcomes.append(proposal_right(proposal.actor, proposal.label, gold))
    model = DecisionModel.train(training_examples(train) + list(extra), settings)
    model.calibration = Calibration.fit(scores, outcomes, method=settings.calibration)
    return model


def proposal_right(actor: str, label: str, gold: Sequence[GoldRecord]) -> bool:
    return any(actor_matches(actor, g) and label in (g.label, *g.also_accept) for g in gold)


# ------------------------------------------------------------------ figures
def reliability(pairs: Sequence[tuple[float, bool]], bins: int = 10) -> tuple[list[dict], float]:
    """Reliability table (10 equal-width bins) and expected calibration error."""
    table = []
    ece = 0.0
    n = len(pairs) or 1
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        inside = [(c, ok) for c, ok in pairs if lo <= c < hi or (b == bins - 1 and c == 1.0)]
        if not inside:
            continue
        mean_conf = sum(c for c, _ in inside) / len(inside)
        accuracy = sum(ok for _, ok in inside) / len(inside)
        ece += len(inside) / n * abs(mean_conf - accuracy)
        table.append(
            {
                "bin": f"{lo:.1f}-{hi:.1f}",
                "n": len(inside),
                "confidence": mean_conf,
                "right": accuracy,
            }
        )
    return table, ece


# ------------------------------------------------------------------ the whole run
@dataclass
class Prepared:
    """An annotated article and its candidates, parsed once for every fold."""

    article: Annotated
    candidates: ArticleCandidates
    # the candidates made with the people of the gold records off the actor list
    unknown: ArticleCandidates | None = None


def prepare(extractor, articles: Sequence[Annotated], *, unknown=None) -> list[Prepared]:
    """Each article's candidates by ``extractor``, and by ``unknown`` (an extractor whose
    actor list leaves out the gold records' people, see :func:`unlisted_people`) if given."""
    items = [(a.text, a.published) for a in articles]
    found = list(extractor.candidates_many(items))
    others = list(unknown.candidates_many(items)) if unknown is not None else [None] * len(found)
    return [
        Prepared(article, cands, other)
        for article, cands, other in zip(articles, found, others, strict=True)
    ]


def unlisted_people(actors: Sequence, articles: Sequence[Annotated]) -> list:
    """The actor list without the people that the articles' gold records name: the actor
    list was filled in from these articles, while articles from other outlets name people
    it does not know, whom the extractor must find by itself."""
    gold = [g for article in articles for g in article.gold]
    return [
        actor
        for actor in actors
        if actor.kind != "person" or not any(actor_matches(actor.name, g) for g in gold)
    ]


def _decide(threshold: float):
    from .components.decision import decide

    def run(model, cands):
        return decide(cands, model, threshold)

    return run


def train_model(
    prepared: Sequence[Prepared],
    settings: TrainSettings = DEFAULT_SETTINGS,
    *,
    threshold: float,
    calibrate: bool = True,
    extra: Sequence[tuple[list[str], str]] = (),
) -> DecisionModel:
    return fit(
        prepared,
        settings,
        calibrate_with=_decide(threshold),
        inner_folds=8 if calibrate else 0,
        extra=extra,
    )


def cross_validate(
    prepared: Sequence[Prepared],
    *,
    k: int = 5,
    settings: TrainSettings = DEFAULT_SETTINGS,
    threshold: float,
    calibrate: bool = True,
    extra: Sequence[tuple[list[str], str]] = (),
    seed: int = 13,
) -> tuple[list[dict], list[tuple[float, bool]], list[dict]]:
    """Out-of-fold predictions (scorer rows), (confidence, right) pairs, and the same
    models' predictions on the articles' ``unknown`` candidates (the gold records' people
    off the actor list), where they were prepared.

    ``extra`` examples (built-in training data) join every fold's training set;
    ``seed`` shuffles the articles into folds.
    """
    by_name = {p.article.name: p for p in prepared}
    rows: list[dict] = []
    unknown_rows: list[dict] = []
    pairs: list[tuple[float, bool]] = []
    for fold in folds_of(list(by_name), k, seed=seed):
        held = set(fold)
        train = [p for n, p in by_name.items() if n not in held]
        model = train_model(train, settings, threshold=threshold, calibrate=calibrate, extra=extra)
        for name in fold:
            item = by_name[name]
            found = predictions_of(model, item, threshold)
            rows += found
            pairs += [
                (row["confidence"], proposal_right(row["actor"], row["label"], item.article.gold))
                for row in found
            ]
            if item.unknown is not None:
                unknown_rows += predictions_of(model, item, threshold, unknown=True)
    return rows, pairs, unknown_rows


def cue_list_users(articles: Sequence[Annotated]) -> dict[str, list[tuple[str, set[str]]]]:
    """Each entry of the cue lists of talks and labels, and the articles it matches."""
    from . import rules

    lows = {a.name: a.text.lower().replace("\u2019", "'") for a in articles}
    return {
        name: [
            (entry, {n for n, low in lows.items() if rules._cue_re([entry]).search(low)})
            for entry in rules.LEX[name]
        ]
        for name in rules.CUE_LISTS
    }


def cross_validate_cue_folds(
    prepared: Sequence[Prepared],
    extractor,
    *,
    k: int = 5,
    settings: TrainSettings = DEFAULT_SETTINGS,
    threshold: float,
    seed: int = 13,
) -> tuple[list[dict], list[int]]:
    """Out-of-fold predictions where each fold's articles are read with cue lists that lack
    the entries only they match, as if the lists had been written from the other folds'
    articles (the lists were written beside all of them), and the number of entries left
    out for each fold. The training articles' candidates are the same either way: no entry
    they match is left out."""
    from . import rules

    by_name = {p.article.name: p for p in prepared}
    users = cue_list_users([p.article for p in prepared])
    rows: list[dict] = []
    dropped: list[int] = []
    for fold in folds_of(list(by_name), k, seed=seed):
        held = set(fold)
        train = [p for n, p in by_name.items() if n not in held]
        model = train_model(train, settings, threshold=threshold, calibrate=False)
        lists = {
            name: [entry for entry, names in found if not names or not names <= held]
            for name, found in users.items()
        }
        dropped.append(sum(len(users[n]) - len(kept) for n, kept in lists.items()))
        rules.compile_cue_lists(lists)
        try:
            test = prepare(extractor, [by_name[name].article for name in fold])
        finally:
            rules.compile_cue_lists()
        for item in test:
            rows += predictions_of(model, item, threshold)
    return rows, dropped


def predictions_of(
    model: DecisionModel, item: Prepared, threshold: float, *, unknown: bool = False
) -> list[dict]:
    """Scorer rows of the model's proposals for one article (``unknown``: from its
    candidates made with the gold records' people off the actor list)."""
    from .components.decision import decide

    cands = item.unknown if unknown else item.candidates
    return [
        {"file": item.article.name, **proposal.as_dict()}
        for _score, proposal in decide(cands, model, threshold)
    ]


def gold_rows(prepared: Sequence[Prepared]) -> list[dict]:
    return [
        {
            "file": p.article.name,
            "actor": g.actor,
            "aliases": list(g.aliases),
            "label": g.label,
            "also_accept": list(g.also_accept),
            "stated_on": g.stated_on,
            "quote": g.quote,
        }
        for p in prepared
        for g in p.article.gold
    ]


# ------------------------------------------------------------------ scoring
def figures(gold: Sequence[dict], predicted: Sequence[dict], files: Iterable[str]) -> dict:
    """Strict and actor-only P/R/F1, label and date accuracy, as ``score.py`` defines them.

    Within a file, each gold record and each prediction pairs at most once; pairs that
    also agree on label, then on date, are taken first. Date accuracy is over the
    ``dated_pairs`` (matched pairs whose gold has a date) and ``None`` when there are none,
    which ``score.py`` would print as 0.0. ``on_distractors`` counts the proposals on
    files without any gold record.
    """
    universe = set(files)
    strict = matched = labels = dated = dates = 0
    n_gold = sum(g["file"] in universe for g in gold)
    n_pred = sum(p["file"] in universe for p in predicted)
    with_gold = {g["file"] for g in gold}
    on_distractors = sum(p["file"] in universe - with_gold for p in predicted)
    for name in universe:
        gs = [
            GoldRecord(
                g["actor"],
                g["label"],
                tuple(g.get("aliases") or ()),
                tuple(g.get("also_accept") or ()),
                g.get("stated_on"),
            )
            for g in gold
            if g["file"] == name
        ]
        ps = [p for p in predicted if p["file"] == name]
        options = []
        for i, p in enumerate(ps):
            for j, g in enumerate(gs):
                if actor_matches(p["actor"], g):
                    label_ok = p["label"] in (g.label, *g.also_accept)
                    options.append((-label_ok, -_date_ok(p, g), i, j, label_ok))
        used_p: set[int] = set()
        used_g: set[int] = set()
        for _l, _d, i, j, label_ok in sorted(options):
            if i in used_p or j in used_g:
                continue
            used_p.add(i)
            used_g.add(j)
            matched += 1
            strict += label_ok
            labels += label_ok
            if gs[j].stated_on:
                dated += 1
                dates += _date_ok(ps[i], gs[j])

    def prf(hit: int) -> tuple[float, float, float]:
        p = hit / n_pred if n_pred else 0.0
        r = hit / n_gold if n_gold else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    sp, sr, sf = prf(strict)
    ap, ar, af = prf(matched)
    return {
        "files": len(universe),
        "gold": n_gold,
        "predicted": n_pred,
        "strict_precision": round(sp, 3),
        "strict_recall": round(sr, 3),
        "strict_f1": round(sf, 3),
        "actor_f1": round(af, 3),
        "label_accuracy": round(labels / matched, 3) if matched else 0.0,
        "date_accuracy": round(dates / dated, 3) if dated else None,
        "dated_pairs": dated,
        "on_distractors": on_distractors,
    }


def _date_ok(pred: dict, gold: GoldRecord) -> bool:
    if not gold.stated_on:
        return False
    got = pred.get("stated_on") or ""
    return len(got) >= len(gold.stated_on) and got[: len(gold.stated_on)] == gold.stated_on
