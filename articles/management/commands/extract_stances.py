"""Print the stances the extractor proposes for article files, one JSON object a line.

    python manage.py extract_stances PATH [PATH ...] --format jsonl

Reads the actor list from the database and writes nothing to it.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.parsing import parse_article
from articles.services import extractor_get


def article_paths(paths: list[str]) -> list[Path]:
    found = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(sorted(path.glob("*.txt")))
        elif path.is_file():
            found.append(path)
        else:
            raise CommandError(f"No such file or folder: {raw}")
    return found


class Command(BaseCommand):
    help = "Print proposed stances for article files (or folders of *.txt) as JSON lines."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument("--format", choices=["jsonl"], default="jsonl")

    def handle(self, *args, paths, **options):
        files = article_paths(paths)
        extractor = extractor_get()
        texts = []
        for path in files:
            try:
                raw = path.read_text(encoding="utf-8-sig")
            except UnicodeDecodeError as error:
                raise CommandError(f"{path}: not UTF-8 text ({error})") from error
            texts.append(parse_article(raw))
        batches = extractor.extract_many((parsed.body, parsed.published) for parsed in texts)
        for path, proposals in zip(files, batches, strict=True):
            for proposal in proposals:
                record = {"file": path.name, **proposal.as_dict()}
                self.stdout.write(json.dumps(record, ensure_ascii=False))
