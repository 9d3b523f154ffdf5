"""Train or evaluate the decision step on annotated sets (``score.py`` format; no Django).

    python -m articles.nlp.train --set GOLD.jsonl DIR [--set ...] [--hold-out FILE ...]
        [--evaluate [--cue-folds]] [--folds 5] [--out articles/nlp/data/model]

``--evaluate`` prints k-fold cross-validated figures (folds by article; every fold's
model and calibration trained without its articles) and, with ``--hold-out``, the
figures of a model trained on everything else scored on the held-out articles.
``--cue-folds`` adds the figures of each fold read with cue lists that lack the entries
only its articles match (the lists were written beside these articles). Without
``--no-save`` a model trained on every article is written to ``--out`` with its
provenance and its training examples (the built-in training data of ``train_extractor``).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
from datetime import UTC, datetime
from pathlib import Path

from actors.data import ACTOR_FILE
from articles.parsing import parse_article

from .decision import TrainSettings
from .entries import load_actor_file
from .extractor import DEFAULT_MODEL_PATH, DEFAULT_THRESHOLD, Extractor
from .training import (
    Annotated,
    Prepared,
    cross_validate,
    cross_validate_cue_folds,
    figures,
    folds_of,
    gold_rows,
    predictions_of,
    prepare,
    read_gold_set,
    reliability,
    train_model,
    training_examples,
    unlisted_people,
)

EXAMPLES_FILE = "examples.jsonl"


def evaluate(
    prepared: list[Prepared],
    *,
    folds: int,
    threshold: float,
    settings: TrainSettings,
    hold_out: set[str] = frozenset(),
    extra=(),
    repeats: int = 3,
    extractor=None,
) -> dict:
    """Cross-validated figures (mean of ``repeats`` shuffles into folds, and per set),
    the pooled reliability table, with a hold-out the fresh figures, and with the
    ``extractor`` the figures of each fold read by cue lists written without it."""
    dev = [p for p in prepared if p.article.name not in hold_out]
    gold = gold_rows(dev)
    sets: dict[str, list[str]] = {}
    for p in dev:
        sets.setdefault(p.article.source, []).append(p.article.name)
    names = [p.article.name for p in dev]
    with_unknown = all(p.unknown is not None for p in dev)
    runs = []
    unknown_runs = []
    pairs: list[tuple[float, bool]] = []
    for seed in range(repeats):
        rows, found, unknown_rows = cross_validate(
            dev, k=folds, settings=settings, threshold=threshold, extra=extra, seed=seed
        )
        pairs += found
        runs.append((rows, figures(gold, rows, names)))
        if with_unknown:
            unknown_runs.append(figures(gold, unknown_rows, names))
    table, ece = reliability(pairs)
    high = [ok for c, ok in pairs if c >= 0.8]
    report = {
        "cross_validated": _mean([f for _rows, f in runs]),
        "strict_f1_per_repeat": [f["strict_f1"] for _rows, f in runs],
        "per_set": {
            Path(source).name or source: _mean([figures(gold, rows, files) for rows, _f in runs])
            for source, files in sets.items()
        },
        "folds": folds,
        "repeats": repeats,
        "calibration": {
            "ece": round(ece, 3),
            "table": table,
            "at_least_0.8": {"n": len(high), "right": sum(high)},
        },
        "predictions": runs[0][0],
    }
    if unknown_runs:
        # the same models where the gold records' people are names the list does not know
        report["unknown_people"] = _mean(unknown_runs)
    if extractor is not None:
        # each fold read with cue lists that lack the entries only its articles use
        cue_runs, dropped = [], []
        for seed in range(repeats):
            rows, left_out = cross_validate_cue_folds(
                dev, extractor, k=folds, settings=settings, threshold=threshold, seed=seed
            )
            cue_runs.append(figures(gold, rows, names))
            dropped += left_out
        report["cue_lists_from_training_folds"] = {
            **_mean(cue_runs),
            "strict_f1_per_repeat": [f["strict_f1"] for f in cue_runs],
            "entries_left_out_per_fold": round(sum(dropped) / len(dropped), 1),
        }
    fresh = [p for p in prepared if p.article.name in hold_out]
    if fresh:
        model = train_model(dev, settings, threshold=threshold, extra=extra)
        fresh_rows = [row for item in fresh for row in predictions_of(model, item, threshold)]
        report["fresh"] = figures(gold_rows(fresh), fresh_rows, [p.article.name for p in fresh])
    return report


def learning_curve(
    prepared: list[Prepared],
    *,
    steps: tuple[int, ...] = (0, 10, 20, 30),
    folds: int = 5,
    threshold: float,
    settings: TrainSettings,
    seed: int = 0,
) -> list[dict]:
    """Editors simulated fold by fold: the model after ``n`` articles they reviewed.

    Each fold's articles are scored by a model trained on the first ``n`` articles (in a
    shuffled order) of the other folds, whose gold records stand for the editors'
    decisions. With none reviewed, the proposals are the rules' alone.
    """
    gold = gold_rows(prepared)
    names = [p.article.name for p in prepared]
    by_name = {p.article.name: p for p in prepared}
    curve = []
    for n in steps:
        rows: list[dict] = []
        for fold in folds_of(names, folds, seed=seed):
            pool = [by_name[name] for name in names if name not in fold]
            random.Random(seed).shuffle(pool)
            reviewed = pool[:n]
            model = (
                train_model(reviewed, settings, threshold=threshold, calibrate=False)
                if reviewed
                else None
            )
            for name in fold:
                item = by_name[name]
                if model is None:
                    rows += [{"file": name, **p.as_dict()} for p in item.candidates.rule_proposals]
                else:
                    rows += predictions_of(model, item, threshold)
        curve.append({"reviewed_articles": n, **figures(gold, rows, names)})
    return curve


def _mean(results: list[dict]) -> dict:
    """Key by key; a figure that is undefined (``None``) in a run is left out of its mean."""
    out = {}
    for key in results[0]:
        values = [r[key] for r in results if r[key] is not None]
        out[key] = round(sum(values) / len(values), 3) if values else None
    return out


def save(
    prepared: list[Prepared],
    out: Path,
    *,
    threshold: float,
    settings: TrainSettings,
    sources: list[dict],
    evaluation: dict | None = None,
    extra=(),
) -> dict:
    """Train on every article, write the model, its examples and its provenance."""
    model = train_model(prepared, settings, threshold=threshold, extra=extra)
    examples = training_examples(prepared) + list(extra)
    # the same examples trained another way are another model
    digest = hashlib.sha256(
        json.dumps([examples, settings.__dict__], sort_keys=True, ensure_ascii=False).encode()
    ).hexdigest()[:10]
    counts: dict[str, int] = {}
    for _features, label in examples:
        counts[label] = counts.get(label, 0) + 1
    model.meta = {
        "version": f"model-{digest}",
        "trained_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "threshold": threshold,
        "settings": settings.__dict__,
        "sources": sources,
        "articles": len(prepared),
        "gold_records": sum(len(p.article.gold) for p in prepared),
        "examples": counts,
        "figures": {k: v for k, v in (evaluation or {}).items() if k != "predictions"},
    }
    model.to_disk(out)
    with open(out / EXAMPLES_FILE, "w", encoding="utf-8") as handle:
        for features, label in examples:
            handle.write(json.dumps({"label": label, "features": features}, ensure_ascii=False))
            handle.write("\n")
    return model.meta


def read_examples(path: Path) -> list[tuple[list[str], str]]:
    if not path.exists():
        return []
    with open(path, encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    return [(row["features"], row["label"]) for row in rows if row.get("label")]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m articles.nlp.train", description=__doc__)
    parser.add_argument("--set", nargs=2, action="append", metavar=("GOLD", "DIR"), default=[])
    parser.add_argument("--hold-out", nargs="*", default=[], metavar="FILE")
    parser.add_argument("--evaluate", action="store_true")
    parser.add_argument("--no-save", action="store_true")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=3, help="shuffles into folds")
    parser.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD)
    parser.add_argument("--out", type=Path, default=DEFAULT_MODEL_PATH)
    parser.add_argument("--actors", type=Path, default=ACTOR_FILE)
    parser.add_argument("--predictions", type=Path, help="write out-of-fold predictions here")
    parser.add_argument(
        "--learning-curve", action="store_true", help="F1 after 0, 10, 20, 30 reviewed articles"
    )
    parser.add_argument(
        "--cue-folds",
        action="store_true",
        help="with --evaluate, also score each fold with cue lists that lack the entries only "
        "its articles use, as if the lists had been written from the other folds",
    )
    parser.add_argument(
        "--unlisted-people",
        action="store_true",
        help="leave every person of the gold records out of the actor list, as people the "
        "extractor has never heard of (with --no-save: the figures for unknown people)",
    )
    args = parser.parse_args(argv)
    if not args.set:
        parser.error("give at least one --set GOLD DIR")
    if args.unlisted_people and not args.no_save:
        parser.error("--unlisted-people measures, it does not make a model: add --no-save")
    articles: list[Annotated] = []
    sources = []
    for gold, folder in args.set:
        found = read_gold_set(gold, folder, parse_article)
        articles += found
        sources.append(
            {
                "set": Path(folder).name,
                "articles": len(found),
                "gold_records": sum(len(a.gold) for a in found),
            }
        )
    actors, countries = load_actor_file(args.actors)
    if args.unlisted_people:
        actors = unlisted_people(actors, articles)
    extractor = Extractor(actors, countries)
    # the gold records' people met again as unknown names (with --unlisted-people they are)
    unknown = None
    if not args.unlisted_people:
        unknown = Extractor(unlisted_people(actors, articles), countries)
    prepared = prepare(extractor, articles, unknown=unknown)
    settings = TrainSettings()
    evaluation = None
    if args.evaluate:
        evaluation = evaluate(
            prepared,
            folds=args.folds,
            threshold=args.threshold,
            settings=settings,
            hold_out=set(args.hold_out),
            repeats=args.repeats,
            extractor=extractor if args.cue_folds else None,
        )
        if args.predictions:
            with open(args.predictions, "w", encoding="utf-8") as handle:
                for row in evaluation["predictions"]:
                    handle.write(json.dumps(row, ensure_ascii=False) + "\n")
        shown = {k: v for k, v in evaluation.items() if k != "predictions"}
        sys.stdout.write(json.dumps(shown, indent=2) + "\n")
    if args.learning_curve:
        dev = [p for p in prepared if p.article.name not in set(args.hold_out)]
        curve = learning_curve(dev, folds=args.folds, threshold=args.threshold, settings=settings)
        sys.stdout.write(json.dumps({"learning_curve": curve}, indent=2) + "\n")
    if not args.no_save:
        meta = save(
            prepared,
            args.out,
            threshold=args.threshold,
            settings=settings,
            sources=sources,
            evaluation=evaluation,
        )
        sys.stderr.write(f"wrote {args.out} ({meta['version']}, examples {meta['examples']})\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
