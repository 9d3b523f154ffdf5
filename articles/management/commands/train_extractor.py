"""Train a new decision model from the built-in data and every editor decision.

    python manage.py train_extractor [--gold FILE --files DIR ...] [--evaluate] [--out DIR]

The built-in training data are the examples the shipped model was trained on. Every
article whose proposals editors have all decided adds its candidates, labelled by the
approved stances (approvals, relabellings, corrected actors, stances added by hand).
``--evaluate`` prints figures cross-validated by article over the articles it has texts
of (editor-reviewed ones and ``--gold``/``--files`` sets) and writes no model.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from articles.nlp.decision import TrainSettings
from articles.nlp.extractor import DEFAULT_MODEL_PATH, DEFAULT_THRESHOLD
from articles.nlp.train import EXAMPLES_FILE, read_examples, save
from articles.nlp.train import evaluate as evaluate_figures
from articles.nlp.training import prepare, read_gold_set
from articles.parsing import parse_article
from articles.selectors import reviewed_articles_for_training
from articles.services import extractor_get


class Command(BaseCommand):
    help = "Train the extractor's decision model on built-in data plus editor decisions."

    def add_arguments(self, parser):
        parser.add_argument("--gold", action="append", default=[], metavar="FILE")
        parser.add_argument("--files", action="append", default=[], metavar="DIR")
        parser.add_argument("--evaluate", action="store_true")
        parser.add_argument("--folds", type=int, default=5)
        parser.add_argument("--out", type=Path, help="model folder (default var/models/VERSION)")

    def handle(self, *args, gold, files, evaluate: bool, folds: int, out, **options):
        if len(gold) != len(files):
            raise CommandError("Give --gold FILE and --files DIR in pairs.")
        articles = reviewed_articles_for_training()
        sources = [{"set": "editor decisions", "articles": len(articles)}]
        for gold_file, folder in zip(gold, files, strict=True):
            if not Path(gold_file).is_file() or not Path(folder).is_dir():
                raise CommandError(f"No such gold file or folder: {gold_file} {folder}")
            found = read_gold_set(gold_file, folder, parse_article)
            articles += found
            sources.append({"set": Path(folder).name, "articles": len(found)})
        current = Path(settings.EXTRACTOR_MODEL_PATH or DEFAULT_MODEL_PATH)
        extra = read_examples(current / EXAMPLES_FILE)
        sources.append({"set": f"built-in examples of {current.name}", "examples": len(extra)})
        prepared = prepare(extractor_get(), articles)
        training = TrainSettings()
        if evaluate:
            if len(prepared) < folds:
                raise CommandError(
                    f"{len(prepared)} annotated articles: cross-validation needs at least {folds}."
                )
            report = evaluate_figures(
                prepared, folds=folds, threshold=DEFAULT_THRESHOLD, settings=training, extra=extra
            )
            report.pop("predictions")
            self.stdout.write(json.dumps(report, indent=2))
            return
        if not prepared and not extra:
            raise CommandError("Nothing to train on: no built-in examples and no decisions.")
        target = out or Path(settings.VAR_DIR) / "models" / "next"
        meta = save(
            prepared,
            target,
            threshold=DEFAULT_THRESHOLD,
            settings=training,
            sources=sources,
            extra=extra,
        )
        if out is None:
            final = target.with_name(meta["version"])
            if final.exists():
                raise CommandError(f"{final} exists already: the same data trained it.")
            target.rename(final)
            target = final
        self.stdout.write(
            f"Trained {meta['version']} on {meta['articles']} articles and "
            f"{sum(meta['examples'].values())} examples: {target}\n"
            f"Set EXTRACTOR_MODEL_PATH={target} to make it current."
        )
