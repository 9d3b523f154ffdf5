"""One record per occasion, quote offsets, confidence, public API and the dev-set regression."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import FrozenInstanceError
from datetime import date
from pathlib import Path

import pytest

from articles.nlp import (
    LABELS,
    ActorEntry,
    Extractor,
    Proposal,
    RuleExtractor,
    get_nlp,
    load_actor_file,
)

ROOT = Path(__file__).resolve().parents[2]
SHARED_EVAL = ROOT.parent / "shared" / "eval"


def test_same_statement_repeated_counts_once(extract):
    text = (
        "Key Points:\n\n"
        "\u2022 Meloni said Europe should talk to Russia.\n\n"
        "Italian Prime Minister Giorgia Meloni said on Monday that Europe should talk to"
        " Russia.\n\n"
        "\u201cEurope should talk to Russia,\u201d Meloni said on Monday."
    )
    proposals = extract(text)
    assert len(proposals) == 1
    assert proposals[0].stated_on_str() == "2026-01-19"


def test_two_occasions_count_twice(extract):
    text = (
        "In December 2025, Macron called for talks with Russia.\n\n"
        "On January 7, Macron said he intended to speak with Putin in the coming weeks."
    )
    proposals = extract(text)
    assert [(p.actor, p.stated_on_str()) for p in proposals] == [
        ("Emmanuel Macron", "2025-12"),
        ("Emmanuel Macron", "2026-01-07"),
    ]


def test_quote_offsets_point_into_the_text(extract):
    text = (
        "  Intro line.\n\n"
        "In mid-December, Macron urged the EU to prepare for negotiations with Russia.\n\n"
        "\u201cWe are open to dialogue with the Europeans,\u201d Peskov told reporters."
    )
    proposals = extract(text)
    assert len(proposals) == 2
    for p in proposals:
        assert text[p.start : p.end] == p.quote
        assert p.sentence_start <= p.start < p.end <= p.sentence_end
        assert p.quote.strip() == p.quote


def test_confidence_is_high_for_named_explicit_and_lower_for_weak_evidence(extract):
    strong = extract("Meloni urged the European Union to open a dialogue with Russia.")[0]
    weak = extract("Meloni met reporters. She said it was time to talk to Russia.")[0]
    assert strong.confidence >= 0.8
    assert weak.confidence < strong.confidence
    assert all(0.0 <= p.confidence <= 1.0 for p in (strong, weak))


def test_extract_many_matches_extract(extractor):
    items = [
        ("Macron said Europe must resume talks with Russia.", date(2026, 1, 20)),
        ("Macron said the EU should impose new sanctions on Russia.", None),
        ("Merz refuses any negotiations with Moscow.", None),
    ]
    batched = list(extractor.extract_many(items, batch_size=2))
    single = [extractor.extract(text, published) for text, published in items]
    assert batched == single
    assert [len(x) for x in batched] == [1, 0, 1]


def test_empty_text_gives_no_proposals(extractor):
    assert extractor.extract("", None) == []
    assert extractor.extract("   \n\n ", date(2026, 1, 1)) == []


def test_proposal_as_dict_is_json_ready():
    p = Proposal(
        "Emmanuel Macron", "FR", "support", date(2025, 12, 1), "month", "q", 0, 1, 0, 5, 0.9
    )
    d = p.as_dict()
    assert json.loads(json.dumps(d)) == d
    assert d["stated_on"] == "2025-12"
    assert set(d) == {
        "actor",
        "country",
        "label",
        "stated_on",
        "precision",
        "quote",
        "start",
        "end",
        "confidence",
        "is_new_actor",
    }
    with pytest.raises(FrozenInstanceError):
        p.label = "oppose"  # type: ignore[misc]


def test_public_constants():
    assert LABELS == ("support", "oppose", "conditional", "neutral")


def test_the_extractor_names_the_shipped_model_it_uses(nlp):
    extractor = Extractor([], nlp=nlp)
    assert extractor.version.startswith("model-")
    assert extractor.model.meta["sources"], "the shipped model records its training data"


def test_get_nlp_is_cached_and_splits_paragraphs():
    nlp = get_nlp()
    assert get_nlp() is nlp
    doc = nlp("A Headline Without A Stop\n\nThe next paragraph starts here.")
    assert [s.text.strip() for s in doc.sents][-1] == "The next paragraph starts here."


def test_no_sentence_starts_inside_a_line_right_after_a_word():
    """The small parser cut a name in two ("Kaja | Kallas, ...") and a quote at a bracket;
    either split loses the speaker of the sentence."""
    nlp = get_nlp()
    doc = nlp(
        "Kaja Kallas called for a change in approach in negotiations with Russia\n\n"
        "Kaja Kallas, the EU's top diplomat, spoke on Monday."
    )
    assert [s.text.strip() for s in doc.sents][-1] == (
        "Kaja Kallas, the EU's top diplomat, spoke on Monday."
    )
    doc = nlp(
        "\"And this is why when I hear Macron's words [in an interview with The Economist last "
        "week], that 'we must reconsider our position', I can only hope,\" Tusk said. He left."
    )
    assert len(list(doc.sents)) == 2


def test_load_actor_file_reads_the_actors_json_format(tmp_path):
    path = tmp_path / "actors.json"
    path.write_text(
        json.dumps(
            {
                "version": 1,
                "countries": [
                    {
                        "code": "FR",
                        "name": "France",
                        "group": "eu_member",
                        "adjectives": ["French"],
                        "capital": "Paris",
                    }
                ],
                "actors": [
                    {
                        "name": "France",
                        "kind": "government",
                        "country": "FR",
                        "role": "",
                        "aliases": ["Paris"],
                        "titles": [],
                        "speaks_for": None,
                    },
                    {
                        "name": "Jane Roe",
                        "kind": "person",
                        "country": "FR",
                        "role": "spokesperson",
                        "aliases": [],
                        "titles": ["French government spokesperson"],
                        "speaks_for": "France",
                    },
                ],
            }
        ),
        encoding="utf-8",
    )
    actors, countries = load_actor_file(path)
    assert countries[0].capital == "Paris"
    assert countries[0].adjectives == ("French",)
    assert actors[1] == ActorEntry(
        "Jane Roe",
        "FR",
        "person",
        "spokesperson",
        (),
        ("French government spokesperson",),
        "France",
    )


def test_extractor_accepts_an_empty_actor_list(nlp):
    extractor = RuleExtractor([], nlp=nlp)
    proposals = extractor.extract(
        "Latvian Prime Minister Evika Example said Europe should talk to Russia.", None
    )
    assert all(p.is_new_actor for p in proposals)


@pytest.mark.skipif(not (SHARED_EVAL / "score.py").exists(), reason="../shared/eval is absent")
def test_dev_set_strict_f1_stays_above_the_floor(tmp_path):
    actors_file = ROOT / "actors" / "data" / "actors.json"
    if not actors_file.exists():
        pytest.skip("actors/data/actors.json is not there yet")
    seeds = ROOT / "seeds"
    predictions = tmp_path / "pred.jsonl"
    run = subprocess.run(
        [sys.executable, "-m", "articles.nlp", str(seeds), "--actors", str(actors_file)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    predictions.write_text(run.stdout, encoding="utf-8")
    for line in run.stdout.splitlines():
        row = json.loads(line)
        body_ok = row["quote"] and row["end"] > row["start"]
        assert body_ok
    scored = subprocess.run(
        [
            sys.executable,
            str(SHARED_EVAL / "score.py"),
            str(SHARED_EVAL / "dev-gold.jsonl"),
            str(predictions),
            "--files",
            str(seeds),
            "--json",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    figures = json.loads(scored.stdout.strip().splitlines()[-1])
    assert figures["strict_f1"] >= 0.85
    assert figures["date_accuracy"] >= 0.85
