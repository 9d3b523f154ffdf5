"""Train a new decision model from the built-in data and every editor decision.

    python manage.py train_extractor [--gold FILE --files DIR ...] [--activate]
    python manage.py train_extractor --evaluate [--gold FILE --files DIR ...] [--folds 5]

The built-in training data are the examples the current model was trained on. Every
article whose proposals editors have all decided adds its candidates, labelled by the
approved stances (approvals, relabellings, corrected actors, stances added by hand).
The new version is listed on the models page; ``--activate`` makes it current at once.
``--evaluate`` prints figures cross-validated by article over the articles it has texts
of (editor-reviewed ones and the ``--gold``/``--files`` sets) and stores no model.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.models import ExtractorModel
from articles.nlp.decision import TrainSettings
from articles.nlp.extractor import DEFAULT_THRESHOLD
from articles.nlp.train import EXAMPLES_FILE, evaluate, read_examples
from articles.nlp.training import prepare, read_gold_set
from articles.parsing import parse_article
from articles.selectors import reviewed_articles_for_training
from articles.services import (
    extractor_get,
    extractor_model_activate,
    extractor_model_path,
    extractor_model_train,
    unknown_people_extractor,
)


class Command(BaseCommand):
    help = "Train the extractor's decision model on built-in data plus editor decisions."

    def add_arguments(self, parser):
        parser.add_argument("--gold", action="append", default=[], metavar="FILE")
        parser.add_argument("--files", action="append", default=[], metavar="DIR")
        parser.add_argument("--evaluate", action="store_true", help="print figures, store nothing")
        parser.add_argument("--folds", type=int, default=5)
        parser.add_argument("--repeats", type=int, default=1, help="shuffles into folds")
        parser.add_argument("--activate", action="store_true", help="make the new model current")

    def handle(self, *args, gold, files, folds, repeats, activate, **options):
        if len(gold) != len(files):
            raise CommandError("Give --gold FILE and --files DIR in pairs.")
        sets = list(zip(gold, files, strict=True))
        for gold_file, folder in sets:
            if not Path(gold_file).is_file() or not Path(folder).is_dir():
                raise CommandError(f"No such gold file or folder: {gold_file} {folder}")
        if options["evaluate"]:
            self.stdout.write(json.dumps(self._evaluate(sets, folds, repeats), indent=2))
            return
        model = ExtractorModel.objects.create()
        try:
            model = extractor_model_train(
                model=model, sets=sets, progress=lambda text: self.stderr.write(text)
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        if activate:
            extractor_model_activate(model=model)
        self.stdout.write(
            f"Trained {model.version} on {model.meta['articles']} articles and "
            f"{model.examples} examples{' (now current)' if activate else ''}: {model.path}"
        )

    def _evaluate(self, sets, folds: int, repeats: int) -> dict:
        articles = reviewed_articles_for_training()
        for gold_file, folder in sets:
            articles += read_gold_set(gold_file, folder, parse_article)
        if len(articles) < folds:
            raise CommandError(
                f"{len(articles)} annotated articles: cross-validation needs at least {folds}."
            )
        path, _version = extractor_model_path()
        report = evaluate(
            prepare(extractor_get(), articles, unknown=unknown_people_extractor(articles)),
            folds=folds,
            threshold=DEFAULT_THRESHOLD,
            settings=TrainSettings(),
            extra=read_examples(path / EXAMPLES_FILE),
            repeats=repeats,
        )
        report.pop("predictions")
        return report
