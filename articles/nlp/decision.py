"""The trained decision step: is a candidate a stance of its actor, and which label?

A spaCy ``textcat`` (a bag-of-features linear model, ``spacy.TextCatBOW``) reads each
candidate's sparse features as the words of a small ``Doc`` and gives a probability for
``none`` and for each stance label. The pipeline is defined by ``data/decision.cfg``,
trained with ``nlp.update`` and stored with ``nlp.to_disk``; a one-dimensional Platt
scaling, fitted on out-of-fold scores, turns the model's probability into the
confidence shown to editors.
"""

from __future__ import annotations

import json
import math
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from .entries import LABELS

NONE = "none"
STANCE = "stance"
CLASSES = (NONE, *LABELS)
CONFIG_PATH = Path(__file__).resolve().parent / "data" / "decision.cfg"
MAX_REMEMBERED_FEATURES = 200_000  # string ids a model keeps between calls


@dataclass(frozen=True)
class TrainSettings:
    # cross-validated strict F1 (ten shuffles) 0.659, 0.666, 0.668, 0.665 after 20, 30, 40, 60
    epochs: int = 30
    batch_size: int = 16
    learn_rate: float = 0.002
    # TextCatBOW has no dropout layer: 0.0, 0.1 and 0.3 give the same model
    dropout: float = 0.1
    # Adam's weight decay, per step times the learn rate: 0.0001 to 0.01 change nothing
    # measurable, 0.3, 1 and 3 lower cross-validated strict F1 (0.674, 0.670, 0.657)
    l2: float = 0.001
    seed: int = 7
    none_weight: float = 1.0  # share of the "none" examples seen in each epoch (<= 1)
    # the label stage sees only the stances, a tenth of the examples: larger steps
    label_learn_rate: float = 0.002
    # the label stage sees each label's examples (top / count) ** label_balance times, so
    # that the many supports do not make every unsure candidate a support (0: as found);
    # with 2 neutral records among 95, cross-validated strict F1 (ten shuffles) is 0.748,
    # 0.754, 0.764, 0.765 and 0.758 at 0.5, 1, 1.25, 1.5 and 2 (label accuracy 0.905 ->
    # 0.925 at 1.5), and 0.692 -> 0.706 with the gold people unlisted
    label_balance: float = 1.5
    calibration: str = "platt"  # or "isotonic"


DEFAULT_SETTINGS = TrainSettings()
# the pull of Platt scaling towards the identity: enough to keep a handful of proposals
# from an extreme map, too little to matter with a hundred (cross-validated ECE 0.057 at
# 0.01, 0.042 at 0.001 and at 0)
PLATT_PRIOR = 0.001


@dataclass
class Calibration:
    """Platt scaling of a raw probability, sigmoid(a * logit(p) + b), or, when ``points``
    are given, an isotonic (monotone, piecewise linear) map through them."""

    a: float = 1.0
    b: float = 0.0
    points: tuple[tuple[float, float], ...] = ()  # (raw score, share right), increasing

    def __post_init__(self):
        self.points = tuple((float(x), float(y)) for x, y in self.points)

    def __call__(self, p: float) -> float:
        if self.points:
            return _interpolate(self.points, p)
        p = min(max(p, 1e-6), 1 - 1e-6)
        z = self.a * math.log(p / (1 - p)) + self.b
        return 1 / (1 + math.exp(-z))

    def as_dict(self) -> dict:
        return {"a": self.a, "b": self.b, "points": [list(xy) for xy in self.points]}

    @classmethod
    def fit(
        cls,
        scores: Sequence[float],
        outcomes: Sequence[bool],
        *,
        method: str = "platt",
        steps: int = 2000,
    ):
        """Platt: maximum likelihood by gradient descent, with a weak prior towards
        identity. Isotonic: pool-adjacent-violators, once there are enough proposals
        (``ISOTONIC_MIN``) to trust the steps; else Platt."""
        if len(scores) < 5 or len(set(outcomes)) < 2:
            return cls()
        if method == "isotonic" and len(scores) >= ISOTONIC_MIN:
            return cls(points=_isotonic(scores, outcomes))
        xs = [
            math.log(min(max(p, 1e-6), 1 - 1e-6) / (1 - min(max(p, 1e-6), 1 - 1e-6)))
            for p in scores
        ]
        a, b = 1.0, 0.0
        rate = 0.05
        n = len(xs)
        for _ in range(steps):
            ga = gb = 0.0
            for x, y in zip(xs, outcomes, strict=True):
                q = 1 / (1 + math.exp(-(a * x + b)))
                ga += (q - y) * x
                gb += q - y
            ga = ga / n + PLATT_PRIOR * (a - 1.0)
            gb = gb / n + PLATT_PRIOR * b
            a -= rate * ga
            b -= rate * gb
        return cls(a=a, b=b)


class DecisionModel:
    """A trained textcat over candidate features, plus its calibration."""

    def __init__(
        self,
        nlp,
        calibration: Calibration | None = None,
        meta: dict | None = None,
        *,
        labeller=None,
    ):
        self.nlp = nlp
        self.textcat = nlp.get_pipe("textcat")
        self.labeller = labeller
        self.calibration = calibration or Calibration()
        self.meta = meta or {}
        # each pipeline's string id of every feature scored so far, or None when the
        # pipeline never saw it: features repeat across articles, so each is looked up once
        self._ids: dict[int, dict[str, int | None]] = {}

    def _scores(self, nlp, feature_lists: Sequence[Sequence[str]]) -> list[dict[str, float]]:
        ids = self._ids.setdefault(id(nlp), {})
        if len(ids) > MAX_REMEMBERED_FEATURES:
            ids.clear()
        return _scores(nlp, feature_lists, ids)

    # ------------------------------------------------------------ building
    @staticmethod
    def blank():
        import spacy
        from spacy.util import load_config

        return spacy.util.load_model_from_config(load_config(CONFIG_PATH), auto_fill=True)

    @classmethod
    def train(
        cls,
        examples: Sequence[tuple[Sequence[str], str]],
        settings: TrainSettings = DEFAULT_SETTINGS,
    ) -> DecisionModel:
        """Stage one learns stance against ``none`` on every example; stage two learns the
        label on the stances alone, so that the few positives are not drowned by the many
        non-stances when it comes to telling support from oppose."""
        relevance = _train_textcat(
            [(f, STANCE if label != NONE else NONE) for f, label in examples],
            (NONE, STANCE),
            settings,
        )
        positives = _balanced(
            [(f, label) for f, label in examples if label != NONE], settings.label_balance
        )
        label_settings = replace(settings, learn_rate=settings.label_learn_rate)
        labeller = _train_textcat(positives, LABELS, label_settings) if positives else None
        return cls(relevance, labeller=labeller)

    # ------------------------------------------------------------ using
    def predict(self, feature_lists: Iterable[Sequence[str]]) -> list[dict[str, float]]:
        """P(none) and, for each label, P(stance) * P(label | stance)."""
        feature_lists = list(feature_lists)
        stance = self.stance(feature_lists)
        shares = self.label_shares(feature_lists)
        return [_row(p, share) for p, share in zip(stance, shares, strict=True)]

    def stance(self, feature_lists: Sequence[Sequence[str]]) -> list[float]:
        """P(stance) of each candidate (the first stage alone)."""
        if not feature_lists:
            return []
        first = self._scores(self.nlp, feature_lists)
        if STANCE not in first[0]:  # a one-stage model of an earlier version
            return [1.0 - row.get(NONE, 0.0) for row in first]
        return [row[STANCE] for row in first]

    def label_shares(self, feature_lists: Sequence[Sequence[str]]) -> list[dict[str, float]]:
        """P(label | stance) of each candidate (the second stage alone)."""
        if not feature_lists:
            return []
        if self.labeller is None:
            first = self._scores(self.nlp, feature_lists)
            if STANCE not in first[0]:  # one stage: its label scores, renormalised
                return [
                    {
                        label: row.get(label, 0.0) / ((1.0 - row.get(NONE, 0.0)) or 1.0)
                        for label in LABELS
                    }
                    for row in first
                ]
            return [{label: 1 / len(LABELS) for label in LABELS}] * len(feature_lists)
        return self._scores(self.labeller, feature_lists)

    # ------------------------------------------------------------ storing
    def to_disk(self, path: str | Path) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        self.nlp.to_disk(path / "textcat")
        if self.labeller is not None:
            self.labeller.to_disk(path / "label")
        meta = dict(self.meta)
        meta["calibration"] = self.calibration.as_dict()
        (path / "meta.json").write_text(
            json.dumps(meta, indent=2, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8"
        )

    @classmethod
    def from_disk(cls, path: str | Path) -> DecisionModel:
        import spacy

        path = Path(path)
        meta = json.loads((path / "meta.json").read_text(encoding="utf-8"))
        calibration = Calibration(**meta.get("calibration", {}))
        labeller = spacy.load(path / "label") if (path / "label").exists() else None
        return cls(spacy.load(path / "textcat"), calibration, meta, labeller=labeller)


ISOTONIC_MIN = 30
ISOTONIC_FLOOR = 0.02  # no proposal is certain either way


def _isotonic(scores: Sequence[float], outcomes: Sequence[bool]) -> tuple[tuple[float, float], ...]:
    """Pool adjacent violators: blocks of (mean score, share right), non-decreasing."""
    tied: dict[float, list[float]] = {}  # equal scores pool first, whatever their order
    for score, ok in zip(scores, outcomes, strict=True):
        entry = tied.setdefault(score, [0.0, 0.0, 0.0])
        entry[0] += score
        entry[1] += float(ok)
        entry[2] += 1.0
    blocks: list[list[float]] = []  # [sum of scores, sum right, count]
    for score in sorted(tied):
        blocks.append(list(tied[score]))
        while len(blocks) > 1 and blocks[-2][1] / blocks[-2][2] >= blocks[-1][1] / blocks[-1][2]:
            last = blocks.pop()
            for i in range(3):
                blocks[-1][i] += last[i]
    low, high = ISOTONIC_FLOOR, 1 - ISOTONIC_FLOOR
    return tuple((s / n, min(max(r / n, low), high)) for s, r, n in blocks)


def _interpolate(points: Sequence[tuple[float, float]], p: float) -> float:
    if p <= points[0][0]:
        return points[0][1]
    for (x0, y0), (x1, y1) in zip(points, points[1:], strict=False):
        if p <= x1:
            return y0 + (y1 - y0) * (p - x0) / ((x1 - x0) or 1.0)
    return points[-1][1]


def _balanced(
    examples: Sequence[tuple[Sequence[str], str]], power: float
) -> list[tuple[Sequence[str], str]]:
    """Each example repeated about ``(largest class / its class) ** power`` times."""
    counts: dict[str, int] = {}
    for _f, label in examples:
        counts[label] = counts.get(label, 0) + 1
    if not counts or power <= 0:
        return list(examples)
    top = max(counts.values())
    out = []
    for features, label in examples:
        out += [(features, label)] * max(1, round((top / counts[label]) ** power))
    return out


def _row(stance: float, share: dict[str, float]) -> dict[str, float]:
    row = {NONE: 1.0 - stance}
    row.update({label: stance * share.get(label, 0.0) for label in LABELS})
    return row


def _doc(nlp, features: Sequence[str]):
    from spacy.tokens import Doc

    return Doc(nlp.vocab, words=list(features) or ["<empty>"])


def _scores(
    nlp, feature_lists: Sequence[Sequence[str]], ids: dict[str, int | None] | None = None
) -> list[dict[str, float]]:
    """Scores of each feature list; a feature never seen in training has no weight of its
    own (only that of whatever shares its hash bucket), so it is left out, which also
    keeps the model's vocabulary from growing with every article scored.

    The model reads each ``Doc`` as the counts of its words' ids (``extract_ngrams``);
    those are made here from the feature strings directly, without a ``Doc`` per
    candidate, and passed to the rest of the model."""
    textcat = nlp.get_pipe("textcat")
    strings = nlp.vocab.strings
    rest = _after_ngrams(textcat.model)
    if rest is None:  # a model of another shape: through Doc objects, as in training
        kept = [[f for f in feats if f in strings] for feats in feature_lists]
        scores = textcat.model.predict([_doc(nlp, feats) for feats in kept])
    else:
        linear, activation = rest
        scores = activation.predict(linear.predict(_ngram_counts(feature_lists, strings, ids)))
    return [dict(zip(textcat.labels, map(float, row), strict=True)) for row in scores.tolist()]


def _after_ngrams(model):
    """The layers of a bag-of-words textcat after its ``extract_ngrams`` (unigrams of
    ORTH): its linear layer and its activation; None for any other architecture."""
    from spacy.attrs import ORTH

    try:
        ngram_chain, activation = model.layers  # with_cpu(ngrams >> linear), softmax
        ngrams, linear = ngram_chain.layers[0].layers
    except (ValueError, IndexError):
        return None
    if ngrams.name != "extract_ngrams" or ngrams.attrs.get("ngram_size") != 1:
        return None
    if ngrams.attrs.get("attr") != ORTH:
        return None
    return linear, activation


def _ngram_counts(
    feature_lists: Sequence[Sequence[str]], strings, ids: dict[str, int | None] | None = None
):
    """What ``extract_ngrams`` makes of one Doc per feature list (of the features in
    ``strings``, the model's vocabulary): each list's distinct ids and their counts,
    concatenated, and each list's number of distinct ids."""
    import numpy
    from spacy.strings import get_string_id

    if ids is None:  # features repeat across candidates: look up each once
        ids = {}
    empty = get_string_id("<empty>")
    keys: list[int] = []
    counts: list[int] = []
    lengths: list[int] = []
    for feats in feature_lists:
        here: dict[int, int] = {}
        for f in feats:
            if f not in ids:
                ids[f] = get_string_id(f) if f in strings else None
            key = ids[f]
            if key is not None:
                here[key] = here.get(key, 0) + 1
        if not here:
            here[empty] = 1
        keys += here
        counts += here.values()
        lengths.append(len(here))
    return (
        numpy.asarray(keys, dtype="uint64"),
        numpy.asarray(counts, dtype="f"),
        numpy.asarray(lengths, dtype="int32"),
    )


def _train_textcat(
    examples: Sequence[tuple[Sequence[str], str]], classes: Sequence[str], settings: TrainSettings
):
    """One textcat from ``data/decision.cfg`` over ``classes``, trained with its own update."""
    from spacy.training import Example
    from spacy.util import fix_random_seed, minibatch
    from thinc.api import Adam

    fix_random_seed(settings.seed)
    rng = random.Random(settings.seed)
    nlp = DecisionModel.blank()
    textcat = nlp.get_pipe("textcat")
    for name in classes:
        textcat.add_label(name)
    data = [
        Example.from_dict(_doc(nlp, feats), {"cats": {c: float(c == label) for c in classes}})
        for feats, label in examples
    ]
    nlp.initialize(lambda: data)
    optimizer = Adam(learn_rate=settings.learn_rate, L2=settings.l2, L2_is_weight_decay=True)
    for _epoch in range(settings.epochs):
        pool = [
            ex
            for ex, (_f, label) in zip(data, examples, strict=True)
            if label != NONE or rng.random() < settings.none_weight
        ]
        rng.shuffle(pool)
        for batch in minibatch(pool, size=settings.batch_size):
            # the pipe's own update: Language.update would copy every example first
            textcat.update(batch, sgd=optimizer, drop=settings.dropout)
    return nlp
