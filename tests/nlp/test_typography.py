"""The same article in another outlet's typography gives the same proposals.

Outlets differ in characters a reader does not notice: curly or straight apostrophes,
no-break and narrow no-break spaces, zero-width spaces and soft hyphens left by web
pages. Read on the real development articles, with the shipped model.
"""

from __future__ import annotations

import re

import pytest

from actors.data import ACTOR_FILE
from articles.nlp import Extractor, load_actor_file
from articles.parsing import parse_article
from tests.conftest import ROOT, SHARED_EVAL

SETS = [ROOT.parent / "shared" / "seeds", SHARED_EVAL / "corpus"]


def web_typography(raw: str) -> str:
    """Curly apostrophes, a narrow no-break space between every other pair of words, a
    zero-width space after each comma and soft hyphens inside long words."""
    text = raw.replace("'", "\u2019")
    text = re.sub(r"(\w) (\w)", lambda m: f"{m.group(1)}\u202f{m.group(2)}", text)
    text = text.replace(", ", ",\u200b ")
    return re.sub(r"\b(\w{5})(\w{5,})", "\\1\u00ad\\2", text)


@pytest.mark.skipif(not SHARED_EVAL.exists(), reason="../shared/eval is absent")
def test_web_typography_changes_no_proposal_on_the_real_articles():
    actors, countries = load_actor_file(ACTOR_FILE)
    extractor = Extractor(actors, countries)
    raws = [path.read_text(encoding="utf-8-sig") for d in SETS for path in sorted(d.glob("*.txt"))]
    assert len(raws) > 40

    def proposals(texts):
        parsed = [parse_article(raw) for raw in texts]
        found = extractor.extract_many([(p.body, p.published) for p in parsed])
        return [{(x.actor, x.label, x.stated_on) for x in props} for props in found]

    assert proposals(web_typography(raw) for raw in raws) == proposals(raws)
