"""Dev runner: ``python -m articles.nlp PATH [PATH ...] --actors actors/data/actors.json``.

Prints one JSON line per proposal: {"file": basename, **proposal.as_dict()}.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from articles.parsing import parse_article

from . import Extractor, load_actor_file


def _files(paths: list[str]) -> list[Path]:
    out: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            out.extend(sorted(path.glob("*.txt")))
        else:
            out.append(path)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m articles.nlp", description=__doc__)
    parser.add_argument("paths", nargs="+", help=".txt files or folders of *.txt files")
    parser.add_argument("--actors", required=True, help="actors.json file")
    args = parser.parse_args(argv)
    actors, countries = load_actor_file(args.actors)
    extractor = Extractor(actors, countries)
    files = _files(args.paths)
    parsed = [parse_article(path.read_text(encoding="utf-8")) for path in files]
    results = extractor.extract_many((p.body, p.published) for p in parsed)
    for path, proposals in zip(files, results, strict=True):
        for proposal in proposals:
            sys.stdout.write(
                json.dumps({"file": path.name, **proposal.as_dict()}, ensure_ascii=False)
            )
            sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
