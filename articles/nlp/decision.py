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
from dataclasses import dataclass
from pathlib import Path

from .entries import LABELS

NONE = "none"
CLASSES = (NONE, *LABELS)
CONFIG_PATH = Path(__file__).resolve().parent / "data" / "decision.cfg"


@dataclass(frozen=True)
class TrainSettings:
    epochs: int = 20
    batch_size: int = 16
    learn_rate: float = 0.002
    dropout: float = 0.1
    l2: float = 0.001
    seed: int = 7
    none_weight: float = 1.0  # how many times a "none" example is seen per epoch (<= 1)


DEFAULT_SETTINGS = TrainSettings()


@dataclass
class Calibration:
    """Platt scaling of a raw probability: sigmoid(a * logit(p) + b)."""

    a: float = 1.0
    b: float = 0.0

    def __call__(self, p: float) -> float:
        p = min(max(p, 1e-6), 1 - 1e-6)
        z = self.a * math.log(p / (1 - p)) + self.b
        return 1 / (1 + math.exp(-z))

    @classmethod
    def fit(cls, scores: Sequence[float], outcomes: Sequence[bool], *, steps: int = 2000):
        """Maximum likelihood by gradient descent, with a weak prior towards identity."""
        if len(scores) < 5 or len(set(outcomes)) < 2:
            return cls()
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
            ga = ga / n + 0.01 * (a - 1.0)
            gb = gb / n + 0.01 * b
            a -= rate * ga
            b -= rate * gb
        return cls(a=a, b=b)


class DecisionModel:
    """A trained textcat over candidate features, plus its calibration."""

    def __init__(self, nlp, calibration: Calibration | None = None, meta: dict | None = None):
        self.nlp = nlp
        self.textcat = nlp.get_pipe("textcat")
        self.calibration = calibration or Calibration()
        self.meta = meta or {}

    # ------------------------------------------------------------ building
    @staticmethod
    def blank():
        import spacy
        from spacy.util import load_config

        return spacy.util.load_model_from_config(load_config(CONFIG_PATH), auto_fill=True)

    def _doc(self, features: Sequence[str]):
        from spacy.tokens import Doc

        return Doc(self.nlp.vocab, words=list(features) or ["<empty>"])

    @classmethod
    def train(
        cls,
        examples: Sequence[tuple[Sequence[str], str]],
        settings: TrainSettings = DEFAULT_SETTINGS,
    ) -> DecisionModel:
        from spacy.training import Example
        from spacy.util import fix_random_seed, minibatch
        from thinc.api import Adam

        fix_random_seed(settings.seed)
        rng = random.Random(settings.seed)
        model = cls(cls.blank())
        data = [
            Example.from_dict(model._doc(feats), {"cats": {c: float(c == label) for c in CLASSES}})
            for feats, label in examples
        ]
        model.nlp.initialize(lambda: data)
        optimizer = Adam(learn_rate=settings.learn_rate, L2=settings.l2, L2_is_weight_decay=True)
        for _epoch in range(settings.epochs):
            pool = [
                ex
                for ex, (_f, label) in zip(data, examples, strict=True)
                if label != NONE or rng.random() < settings.none_weight
            ]
            rng.shuffle(pool)
            for batch in minibatch(pool, size=settings.batch_size):
                model.nlp.update(batch, sgd=optimizer, drop=settings.dropout)
        return model

    # ------------------------------------------------------------ using
    def predict(self, feature_lists: Iterable[Sequence[str]]) -> list[dict[str, float]]:
        docs = [self._doc(f) for f in feature_lists]
        if not docs:
            return []
        scores = self.textcat.model.predict(docs)
        out = []
        for row in scores.tolist():
            out.append({c: float(v) for c, v in zip(self.textcat.labels, row, strict=True)})
        return out

    # ------------------------------------------------------------ storing
    def to_disk(self, path: str | Path) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        self.nlp.to_disk(path / "textcat")
        meta = dict(self.meta)
        meta["calibration"] = {"a": self.calibration.a, "b": self.calibration.b}
        (path / "meta.json").write_text(
            json.dumps(meta, indent=2, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8"
        )

    @classmethod
    def from_disk(cls, path: str | Path) -> DecisionModel:
        import spacy

        path = Path(path)
        meta = json.loads((path / "meta.json").read_text(encoding="utf-8"))
        calibration = Calibration(**meta.get("calibration", {}))
        return cls(spacy.load(path / "textcat"), calibration, meta)
