"""Training data from annotations: locating quotes, labelling candidates, folds, figures."""

from __future__ import annotations

import pytest

from articles.nlp.components.candidates import ArticleCandidates, Candidate
from articles.nlp.training import (
    GoldRecord,
    actor_matches,
    candidate_labels,
    examples_of,
    figures,
    folds_of,
    locate_quote,
    reliability,
    unknown_people_examples,
)


def _cand(actor: str, start: int, end: int, sentence: int = 0) -> Candidate:
    return Candidate(
        actor=actor,
        country="FR",
        kind="person",
        is_new=False,
        group=actor,
        sentence=sentence,
        sent_start=start,
        sent_end=end,
        quote_start=start,
        quote_end=end,
    )


def test_a_quote_is_found_despite_other_spacing_and_apostrophes():
    text = "He said:\n\n\u201cWe don\u2019t  need talks,\u201d the minister added."
    start, end = locate_quote(text, "We don't need talks")
    assert text[start:end] == "We don\u2019t  need talks"


def test_a_quote_that_is_not_in_the_text_is_not_located():
    assert locate_quote("Nothing of the kind here.", "We want talks with Moscow") is None


def test_actors_match_by_name_alias_or_surname():
    gold = GoldRecord("Emmanuel Macron", "support", aliases=("Elysee",))
    assert actor_matches("Macron", gold)
    assert actor_matches("President Emmanuel Macron", gold)
    assert actor_matches("Élysée", gold)
    assert not actor_matches("Brigitte Macron", gold)


def test_the_candidate_whose_sentence_holds_the_quote_gets_its_label():
    text = "Macron spoke first. Meloni said talks must resume. Putin listened."
    cands = [_cand("Giorgia Meloni", 20, 50, 1), _cand("Emmanuel Macron", 0, 19, 0)]
    article = ArticleCandidates(text, None, cands, [])
    gold = [GoldRecord("Giorgia Meloni", "support", quote="talks must resume")]
    assert candidate_labels(article, gold) == ["support", "none"]


def test_a_quote_continued_after_the_speakers_sentence_labels_the_nearest_candidate():
    text = 'Meloni spoke in Rome. "Europe must talk to Russia," she added.'
    cands = [_cand("Giorgia Meloni", 0, 21, 0)]
    article = ArticleCandidates(text, None, cands, [])
    gold = [GoldRecord("Giorgia Meloni", "support", quote="Europe must talk to Russia")]
    assert candidate_labels(article, gold) == ["support"]


def test_folds_cover_every_article_once():
    names = [f"{i}.txt" for i in range(23)]
    folds = folds_of(names, 5)
    assert sorted(n for fold in folds for n in fold) == sorted(names)
    assert len(folds) == 5 and all(folds)


def test_figures_count_label_and_date_agreement():
    gold = [
        {"file": "a", "actor": "Emmanuel Macron", "label": "support", "stated_on": "2026-01"},
        {"file": "a", "actor": "Giorgia Meloni", "label": "oppose", "stated_on": None},
    ]
    predicted = [
        {"file": "a", "actor": "Macron", "label": "support", "stated_on": "2026-01-07"},
        {"file": "a", "actor": "Meloni", "label": "support", "stated_on": None},
        {"file": "b", "actor": "Tusk", "label": "oppose", "stated_on": None},
    ]
    result = figures(gold, predicted, ["a", "b"])
    assert result["strict_precision"] == pytest.approx(1 / 3, abs=1e-3)
    assert result["strict_recall"] == 0.5
    assert result["label_accuracy"] == 0.5
    assert result["date_accuracy"] == 1.0
    assert result["dated_pairs"] == 1
    assert result["on_distractors"] == 1  # "b" has no gold record


def test_date_accuracy_is_undefined_without_a_dated_pair():
    gold = [{"file": "a", "actor": "Giorgia Meloni", "label": "oppose", "stated_on": None}]
    predicted = [{"file": "a", "actor": "Meloni", "label": "oppose", "stated_on": "2026-01-07"}]
    result = figures(gold, predicted, ["a"])
    assert result["strict_f1"] == 1.0
    assert result["date_accuracy"] is None and result["dated_pairs"] == 0


def test_reliability_table_and_expected_calibration_error():
    pairs = [(0.95, True)] * 9 + [(0.95, False)] + [(0.15, False)] * 10
    table, ece = reliability(pairs)
    assert [row["bin"] for row in table] == ["0.1-0.2", "0.9-1.0"]
    assert ece == pytest.approx(0.5 * 0.05 + 0.5 * 0.15)


def _meloni_then_macron(*extra: str) -> tuple[ArticleCandidates, list[GoldRecord]]:
    """Meloni's stance, another sentence of hers and one of Macron's, the candidates'
    features ``n=<index>`` and ``extra``; the gold record links the first sentence."""
    text = "Meloni said talks must resume. Meloni spoke again later. Macron listened to Russia."
    cands = [
        _cand("Giorgia Meloni", 0, 30, 0),
        _cand("Giorgia Meloni", 31, 56, 1),
        _cand("Emmanuel Macron", 57, 84, 2),
    ]
    for i, cand in enumerate(cands):
        cand.features = [f"n={i}", *extra]
    gold = [GoldRecord("Giorgia Meloni", "support", quote="talks must resume")]
    return ArticleCandidates(text, None, cands, []), gold


def test_an_unlinked_candidate_of_a_stance_holder_is_no_none_example():
    article, gold = _meloni_then_macron()
    assert examples_of([(article, gold)]) == [(["n=0"], "support"), (["n=2"], "none")]


def test_unlisted_people_leaves_out_the_people_of_the_gold_and_nothing_else(actor_lists):
    from articles.nlp.training import Annotated, unlisted_people

    actors, _countries = actor_lists
    article = Annotated(
        "a.txt",
        "text",
        None,
        gold=[GoldRecord("Emmanuel Macron", "support"), GoldRecord("Kremlin", "support")],
    )
    kept = {a.name for a in unlisted_people(list(actors), [article])}
    assert "Emmanuel Macron" not in kept
    assert {"Kremlin", "Giorgia Meloni", "Sergey Lavrov"} <= kept
    assert len(kept) == len(actors) - 1


def test_unlisted_people_never_writes_the_shipped_model(tmp_path, capsys):
    from articles.nlp.train import main

    with pytest.raises(SystemExit) as exit_info:
        main(["--set", "gold.jsonl", str(tmp_path), "--unlisted-people", "--out", str(tmp_path)])
    assert exit_info.value.code == 2
    assert "--no-save" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_a_stance_holders_sentence_on_neither_talks_nor_russia_is_a_none_example():
    text = "Meloni said talks must resume. Meloni backed more aid for Ukraine. Meloni met Putin."
    cands = [
        _cand("Giorgia Meloni", 0, 30, 0),
        _cand("Giorgia Meloni", 31, 66, 1),
        _cand("Giorgia Meloni", 67, 84, 2),
    ]
    cands[0].features = ["n=0"]
    cands[1].features = ["n=1", "bare_sentence"]
    cands[2].features = ["n=2", "cue=russia"]
    article = ArticleCandidates(text, None, cands, [])
    gold = [GoldRecord("Giorgia Meloni", "support", quote="talks must resume")]
    assert examples_of([(article, gold)]) == [
        (["n=0"], "support"),
        (["n=1", "bare_sentence"], "none"),
    ]


def test_only_the_stances_of_new_names_are_unknown_people_examples():
    article, gold = _meloni_then_macron("new_actor")
    assert unknown_people_examples(article, gold) == [(["n=0", "new_actor"], "support")]
    article.candidates[0].features = ["n=0"]  # a listed name: its example is the article's own
    assert unknown_people_examples(article, gold) == []


def test_the_gold_peoples_stances_are_learnt_again_as_names_the_list_does_not_know(
    nlp, actor_lists
):
    from articles.nlp.extractor import Extractor
    from articles.nlp.training import Annotated, prepare, training_examples, unlisted_people

    actors, countries = actor_lists
    text = (
        "Italian Prime Minister Giorgia Meloni said on Monday that Europe must resume talks "
        "with Russia.\n\nDonald Trump spoke to reporters about trade with Russia."
    )
    article = Annotated(
        "a.txt",
        text,
        None,
        gold=[GoldRecord("Giorgia Meloni", "support", quote="Europe must resume talks")],
    )
    listed = Extractor(list(actors), list(countries), nlp=nlp)
    unknown = Extractor(unlisted_people(list(actors), [article]), list(countries), nlp=nlp)

    [item] = prepare(listed, [article], unknown=unknown)

    meloni = [c for c in item.unknown.candidates if c.actor == "Giorgia Meloni"]
    assert meloni and all(c.is_new for c in meloni)
    own = examples_of([(item.candidates, article.gold)])
    learnt = training_examples([item])
    added = learnt[len(own) :]
    assert learnt[: len(own)] == own
    assert [label for _features, label in added] == ["support"]
    assert "new_actor" in added[0][0]
    # without the second extractor, an article teaches only what its own candidates say
    [plain] = prepare(listed, [article])
    assert plain.unknown is None and training_examples([plain]) == own


def test_cue_lists_can_be_compiled_without_entries_and_back(extract):
    from articles.nlp import rules

    refusal = "Merz refuses any negotiations with Moscow."
    assert [p.label for p in extract(refusal)] == ["oppose"]
    rules.compile_cue_lists({"oppose": []})
    try:
        assert "oppose" not in [p.label for p in extract(refusal)]
    finally:
        rules.compile_cue_lists()
    assert [p.label for p in extract(refusal)] == ["oppose"]


def test_each_fold_is_read_without_the_cue_list_entries_only_its_articles_use(nlp, actor_lists):
    from articles.nlp import Extractor, rules
    from articles.nlp.training import (
        Annotated,
        cross_validate_cue_folds,
        cue_list_users,
        prepare,
    )

    texts = {
        "a.txt": ("Meloni said Europe must resume talks with Russia.", "Giorgia Meloni", "support"),
        "b.txt": ("Merz poured cold water on talks with Moscow.", "Friedrich Merz", "oppose"),
        "c.txt": (
            "Macron said Europe must resume talks with Moscow.",
            "Emmanuel Macron",
            "support",
        ),
        "d.txt": ("Tusk said talks with Russia were off the table.", "Donald Tusk", "oppose"),
    }
    articles = [
        Annotated(name, text, None, gold=[GoldRecord(actor, label, quote=text)])
        for name, (text, actor, label) in texts.items()
    ]
    users = dict(cue_list_users(articles)["oppose"])
    assert users["off the table"] == {"d.txt"}
    assert users[r"(?:pour\w*|thr(?:ew|ow|own|ows|owing)) cold water on"] == {"b.txt"}
    extractor = Extractor(*actor_lists, nlp=nlp)
    prepared = prepare(extractor, articles)
    rows, dropped = cross_validate_cue_folds(prepared, extractor, k=2, threshold=0.5)
    # "off the table", "poured cold water on", and whatever else only one fold's articles match
    assert len(dropped) == 2 and all(n >= 1 for n in dropped)
    assert {row["file"] for row in rows} <= set(texts)
    # the lexicon's lists are back afterwards
    assert rules.RE_OPPOSE.search("talks were off the table")
