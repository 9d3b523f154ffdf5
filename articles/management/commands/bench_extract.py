"""Throughput of the full stance extraction next to bare spaCy, on the same text.

    python manage.py bench_extract [PATH ...] [--words 100000] [--rounds 3]

The corpus is the article bodies of the given files or folders (default: the
seed files), repeated until it holds at least --words words. Both runs use the
same spaCy model and batch size, taking turns; the best of --rounds (CPU time) of each
is reported.
"""

from __future__ import annotations

import time

import spacy
from django.core.management.base import BaseCommand

from articles.management.commands.extract_stances import article_paths
from articles.nlp import get_nlp
from articles.nlp.rules import MODEL_NAME
from articles.parsing import parse_article
from articles.services import extractor_get

BATCH_SIZE = 32


def corpus(paths: list[str], min_words: int) -> tuple[list[tuple[str, object]], int]:
    articles = []
    for path in article_paths(paths):
        parsed = parse_article(path.read_text(encoding="utf-8-sig"))
        articles.append((parsed.body, parsed.published))
    items, words = [], 0
    while words < min_words:
        for body, published in articles:
            items.append((body, published))
            words += len(body.split())
    return items, words


def best_of(rounds: int, *runs) -> list[float]:
    """The least CPU time of each run over ``rounds``, the runs taking turns, so that a
    machine slower for a while weighs on both alike."""
    best = [float("inf")] * len(runs)
    for _ in range(rounds):
        for i, run in enumerate(runs):
            start = time.process_time()
            run()
            best[i] = min(best[i], time.process_time() - start)
    return best


class Command(BaseCommand):
    help = "Print words per second of the full extraction and of bare nlp.pipe on the same text."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", metavar="PATH", default=["seeds"])
        parser.add_argument("--words", type=int, default=100_000)
        parser.add_argument("--rounds", type=int, default=3)

    def handle(self, *args, paths, words, rounds, **options):
        items, total = corpus(paths, words)
        texts = [text for text, _ in items]
        bare_nlp = spacy.load(MODEL_NAME)
        get_nlp()
        extractor = extractor_get()
        # Warm both up (first batches pay for lazy initialisation).
        list(bare_nlp.pipe(texts[:BATCH_SIZE], batch_size=BATCH_SIZE))
        list(extractor.extract_many(items[:BATCH_SIZE], batch_size=BATCH_SIZE))

        proposals = 0

        def full() -> None:
            nonlocal proposals
            proposals = sum(
                len(found) for found in extractor.extract_many(items, batch_size=BATCH_SIZE)
            )

        bare, extraction = best_of(
            rounds, lambda: list(bare_nlp.pipe(texts, batch_size=BATCH_SIZE)), full
        )
        self.stdout.write(f"corpus: {len(texts)} articles, {total} words, batch size {BATCH_SIZE}")
        self.stdout.write(
            f"bare nlp.pipe ({MODEL_NAME}): {total / bare:,.0f} words/s ({bare:.1f} s)"
        )
        self.stdout.write(
            f"full extraction: {total / extraction:,.0f} words/s ({extraction:.1f} s), "
            f"{proposals} proposals"
        )
        self.stdout.write(f"full / bare: {bare / extraction:.0%}")
