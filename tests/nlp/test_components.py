"""The stance components, each on invented sentences, and the pipeline they make."""

from __future__ import annotations

from datetime import date

import pytest
from spacy.language import Language

from articles.nlp import Extractor
from articles.nlp.components import PIPELINE
from articles.nlp.components.candidates import ArticleCandidates, Candidate
from articles.nlp.components.decision import decide
from articles.nlp.decision import Calibration, DecisionModel, TrainSettings

PUBLISHED = date(2026, 1, 20)


@pytest.fixture(scope="module")
def model():
    examples = (
        [(["subj_report_verb", "cue=dialogue", "cue=support"], "support")] * 20
        + [(["subj_report_verb", "cue=dialogue", "cue=oppose"], "oppose")] * 20
        + [(["prep=with", "cue=dialogue"], "none")] * 20
    )
    return DecisionModel.train(examples, TrainSettings(epochs=40, seed=5, none_weight=1.0))


@pytest.fixture(scope="module")
def stance(nlp, model, actor_lists):
    return Extractor(*actor_lists, nlp=nlp, model=model)


def _doc(stance, text: str, until: str, published: date | None = PUBLISHED):
    [doc] = list(stance.pipe([(text, published)], until=until))
    return doc


def _cand(doc, actor: str) -> Candidate:
    [found] = [c for c in doc._.stance_candidates.candidates if c.actor == actor]
    return found


def test_every_stance_component_is_a_registered_factory():
    for name in PIPELINE:
        assert Language.has_factory(name)


def test_attribution_lists_the_actors_named_in_each_sentence(stance):
    doc = _doc(stance, "Macron met Tusk at a summit.\n\nLater Meloni spoke.", "stance_attribution")
    by_sentence = {si: {m.actor for m in found} for si, found in doc._.stance_mentions.items()}
    assert by_sentence == {0: {"Emmanuel Macron", "Donald Tusk"}, 1: {"Giorgia Meloni"}}


def test_attribution_can_give_a_pronoun_sentence_its_speaker(nlp, actor_lists):
    stance = Extractor(*actor_lists, nlp=nlp)
    attribution = nlp.create_pipe("stance_attribution", config={"speakers": ["pronoun"]})
    attribution.attach(stance.rules)
    stance.components["stance_attribution"] = attribution
    text = "Meloni spoke in Rome on Monday. She said talks with Moscow must wait."
    doc = _doc(stance, text, "stance_attribution")
    [speaker] = [m for m in doc._.stance_mentions[1] if m.via != "alias"]
    assert (speaker.actor, speaker.via, doc[speaker.start].text) == (
        "Giorgia Meloni",
        "pronoun",
        "She",
    )


def test_dating_takes_the_sentence_date_else_the_publication_date(stance):
    text = (
        "On January 7, Meloni called for talks with Russia.\n\n"
        "Tusk said talks with Moscow were premature."
    )
    doc = _doc(stance, text, "stance_dating")
    assert _cand(doc, "Giorgia Meloni").stated_on == date(2026, 1, 7)
    assert _cand(doc, "Donald Tusk").stated_on == PUBLISHED
    undated = _doc(stance, text.split("\n\n")[1], "stance_dating", published=None)
    tusk = _cand(undated, "Donald Tusk")
    assert (tusk.stated_on, tusk.precision) == (None, "unknown")


def test_dating_says_whether_the_sentence_named_the_day(stance):
    text = (
        "On January 7, Meloni called for talks with Russia.\n\n"
        "Meloni said on Monday that dialogue with Moscow was overdue.\n\n"
        "Tusk said talks with Moscow were premature."
    )
    doc = _doc(stance, text, "stance_dating")
    meloni = [c for c in doc._.stance_candidates.candidates if c.actor == "Giorgia Meloni"]
    assert [(c.stated_on, c.date_source) for c in meloni] == [
        (date(2026, 1, 7), "own"),
        (date(2026, 1, 19), "own"),
    ]
    tusk = _cand(doc, "Donald Tusk")
    assert (tusk.stated_on, tusk.date_source) == (PUBLISHED, "published")


def test_dating_can_carry_a_date_over_to_the_same_actors_next_sentence(stance):
    from articles.nlp.components.dating import date_candidates

    text = (
        "On January 7, Meloni called for talks with Russia.\n\n"
        "Meloni added that dialogue with Moscow was overdue."
    )
    doc = _doc(stance, text, "stance_candidates")
    article = doc._.stance_candidates
    date_candidates(article, carry_over=False)
    second = [c for c in article.candidates if c.actor == "Giorgia Meloni"][1]
    assert second.stated_on == PUBLISHED
    date_candidates(article, carry_over=True)
    assert second.stated_on == date(2026, 1, 7)


def _sentence_candidate(actor: str, country: str, sentence: int, feats: list[str]) -> Candidate:
    """A candidate of ``actor`` in the ``sentence``-th ten-character sentence, dated."""
    return Candidate(
        actor=actor,
        country=country,
        kind="person",
        is_new=False,
        group=actor,
        sentence=sentence,
        sent_start=sentence * 10,
        sent_end=sentence * 10 + 9,
        quote_start=sentence * 10,
        quote_end=sentence * 10 + 9,
        features=feats,
        stated_on=PUBLISHED,
        precision="day",
    )


def test_decision_keeps_one_record_per_actor_and_month(model):
    def cand(sentence: int, feats: list[str]) -> Candidate:
        return _sentence_candidate("Giorgia Meloni", "IT", sentence, feats)

    stance = ["subj_report_verb", "cue=dialogue", "cue=oppose"]
    article = ArticleCandidates(
        "x" * 40, PUBLISHED, [cand(0, stance), cand(1, stance), cand(2, ["prep=with"])], []
    )
    [(score, proposal)] = decide(article, model, 0.25)
    assert (proposal.actor, proposal.label) == ("Giorgia Meloni", "oppose")
    assert 0.0 < proposal.confidence <= 1.0
    off_topic = ArticleCandidates("x" * 40, PUBLISHED, [cand(2, ["prep=with", "cue=dialogue"])], [])
    assert decide(off_topic, model, 0.25) == []


class _FixedModel:
    """Stance and label probabilities given per candidate, by its first feature."""

    def __init__(self, stance: dict[str, float], shares: dict[str, dict[str, float]]):
        self._stance, self._shares = stance, shares
        self.calibration = Calibration()

    def stance(self, feature_lists):
        return [self._stance[f[0]] for f in feature_lists]

    def label_shares(self, feature_lists):
        return [self._shares[f[0]] for f in feature_lists]


def test_a_sentence_sure_of_its_label_outweighs_a_likelier_but_unsure_one():
    def cand(sentence: int, key: str) -> Candidate:
        return _sentence_candidate("Donald Tusk", "PL", sentence, [key])

    model = _FixedModel(
        {"vague": 0.9, "refusal": 0.8},
        {
            "vague": {"support": 0.4, "oppose": 0.35, "conditional": 0.2, "neutral": 0.05},
            "refusal": {"support": 0.02, "oppose": 0.95, "conditional": 0.02, "neutral": 0.01},
        },
    )
    article = ArticleCandidates("x" * 40, PUBLISHED, [cand(0, "vague"), cand(1, "refusal")], [])
    [(score, proposal)] = decide(article, model, 0.5)
    assert (proposal.label, proposal.start) == ("oppose", 10)  # the refusal is the evidence
    # stance 1 - 0.1 * 0.2, times the refusal's oppose share
    assert score == pytest.approx(0.98 * 0.95)


def test_an_explicitly_non_committal_statement_is_neutral_whatever_the_label_stage_says():
    # "Merz would not be drawn on talks with Russia": the label stage, which has seen two
    # neutral records, reads the negation as a refusal
    refusal_like = {"support": 0.1, "oppose": 0.85, "conditional": 0.04, "neutral": 0.01}
    model = _FixedModel({"drawn": 0.9}, {"drawn": refusal_like})

    def proposals(*feats: str):
        cand = _sentence_candidate("Friedrich Merz", "DE", 0, ["drawn", *feats])
        return decide(ArticleCandidates("x" * 20, PUBLISHED, [cand], []), model, 0.5)

    [(score, proposal)] = proposals("holder=subj", "pol_clause=neutral")
    assert proposal.label == "neutral"
    assert score == pytest.approx(0.9)
    [(_score, proposal)] = proposals("rule_label=neutral")
    assert proposal.label == "neutral"
    # the phrase is in a clause that is not his ("Peskov would not comment on Merz's call")
    [(_score, proposal)] = proposals("holder=none", "pol_clause=neutral")
    assert proposal.label == "oppose"


def test_a_habitual_stance_is_undated_and_an_occasion_of_its_own(stance):
    text = (
        "On January 7, Meloni called for talks with Russia.\n\n"
        "Meloni has long called for a dialogue with Moscow."
    )
    doc = _doc(stance, text, "stance_dating")
    dated, habitual = [c for c in doc._.stance_candidates.candidates if c.actor == "Giorgia Meloni"]
    assert (dated.stated_on, dated.date_source) == (date(2026, 1, 7), "own")
    recent = _doc(stance, "Meloni recently called for talks with Russia.", "stance_dating")
    assert _cand(recent, "Giorgia Meloni").date_source == "vague"
    assert (habitual.stated_on, habitual.precision, habitual.date_source) == (
        None,
        "unknown",
        "habitual",
    )
    sure = {"support": 0.97, "oppose": 0.01, "conditional": 0.01, "neutral": 0.01}
    model = _FixedModel({"call": 0.95}, {"call": sure})
    dated.features = habitual.features = ["call"]
    found = decide(ArticleCandidates(text, PUBLISHED, [dated, habitual], []), model, 0.5)
    assert [p.stated_on for _s, p in found] == [date(2026, 1, 7), None]


def test_a_recent_statement_is_the_dated_one_of_another_month():
    sure = {"support": 0.97, "oppose": 0.01, "conditional": 0.01, "neutral": 0.01}
    model = _FixedModel({"recent": 0.95, "december": 0.9}, {"recent": sure, "december": sure})

    def cand(sentence: int, key: str, day: date, precision: str, source: str) -> Candidate:
        found = _sentence_candidate("Emmanuel Macron", "FR", sentence, [key])
        found.stated_on, found.precision, found.date_source = day, precision, source
        return found

    # "Recently, Macron called for talks." ... "Macron's December statement that ..."
    article = ArticleCandidates(
        "x" * 40,
        PUBLISHED,
        [
            cand(0, "recent", date(2026, 1, 1), "month", "vague"),
            cand(1, "december", date(2025, 12, 1), "month", "own"),
        ],
        [],
    )
    [(_score, proposal)] = decide(article, model, 0.5)
    assert (proposal.start, proposal.stated_on) == (0, date(2025, 12, 1))


def test_two_days_named_in_one_month_are_two_occasions():
    sure = {"support": 0.97, "oppose": 0.01, "conditional": 0.01, "neutral": 0.01}
    model = _FixedModel({"call": 0.95}, {"call": sure})

    def cand(sentence: int, day: int, source: str) -> Candidate:
        found = _sentence_candidate("Giorgia Meloni", "IT", sentence, ["call"])
        found.stated_on, found.date_source = date(2026, 1, day), source
        return found

    named = ArticleCandidates("x" * 40, PUBLISHED, [cand(0, 19, "own"), cand(1, 7, "own")], [])
    found = decide(named, model, 0.5)
    assert [p.stated_on for _s, p in found] == [date(2026, 1, 19), date(2026, 1, 7)]
    # a publication date says nothing about the day: the same statement, told twice
    fallback = ArticleCandidates(
        "x" * 40, PUBLISHED, [cand(0, 20, "published"), cand(1, 7, "own")], []
    )
    assert len(decide(fallback, model, 0.5)) == 1


def test_a_government_is_no_second_record_beside_its_minister():
    sure = {"support": 0.97, "oppose": 0.01, "conditional": 0.01, "neutral": 0.01}
    refusal = {"support": 0.01, "oppose": 0.97, "conditional": 0.01, "neutral": 0.01}
    model = _FixedModel({"backs": 0.95, "refuses": 0.95}, {"backs": sure, "refuses": refusal})

    def cand(actor: str, kind: str, sentence: int, key: str) -> Candidate:
        found = _sentence_candidate(actor, "DE", sentence, [key])
        found.kind = kind
        return found

    same = ArticleCandidates(
        "x" * 40,
        PUBLISHED,
        [cand("Germany", "government", 0, "backs"), cand("Friedrich Merz", "person", 1, "backs")],
        [],
    )
    assert [p.actor for _s, p in decide(same, model, 0.5)] == ["Friedrich Merz"]
    # a government at odds with the person keeps its own record
    other = ArticleCandidates(
        "x" * 40,
        PUBLISHED,
        [cand("Germany", "government", 0, "refuses"), cand("Friedrich Merz", "person", 1, "backs")],
        [],
    )
    assert [(p.actor, p.label) for _s, p in decide(other, model, 0.5)] == [
        ("Germany", "oppose"),
        ("Friedrich Merz", "support"),
    ]


def test_a_statement_dated_to_a_month_takes_the_day_another_sentence_names():
    quoted = {"support": 0.97, "oppose": 0.01, "conditional": 0.01, "neutral": 0.01}
    lead = {"support": 0.6, "oppose": 0.2, "conditional": 0.1, "neutral": 0.1}
    model = _FixedModel({"quote": 0.9, "lead": 0.7}, {"quote": quoted, "lead": lead})

    def cand(sentence: int, key: str, day: date, precision: str) -> Candidate:
        found = _sentence_candidate("Kremlin", "RU", sentence, [key])
        found.stated_on, found.precision, found.date_source = day, precision, "own"
        return found

    # "The Kremlin on Friday welcomed ..." and the quote "statements of recent days ..."
    article = ArticleCandidates(
        "x" * 40,
        PUBLISHED,
        [cand(0, "lead", date(2026, 1, 16), "day"), cand(1, "quote", date(2026, 1, 1), "month")],
        [],
    )
    [(_score, proposal)] = decide(article, model, 0.5)
    assert proposal.start == 10  # the quote is the evidence
    assert (proposal.stated_on, proposal.precision) == (date(2026, 1, 16), "day")


def test_the_full_pipeline_puts_its_proposals_on_the_doc(stance):
    text = "Tusk said he had no plans to hold talks with Putin."
    doc = _doc(stance, text, PIPELINE[-1])
    assert doc._.stance_proposals == stance.extract(text, PUBLISHED)
    for proposal in doc._.stance_proposals:
        assert text[proposal.start : proposal.end] == proposal.quote


def test_a_first_person_quotation_is_its_reporters_by_default(stance):
    text = (
        "Tusk told reporters in Warsaw on Monday that the summit had gone well.\n\n"
        '"We will not hold talks with Moscow while the war goes on."'
    )
    doc = _doc(stance, text, "stance_attribution")
    [speaker] = [m for m in doc._.stance_mentions[1] if m.via == "first_person"]
    assert (speaker.actor, speaker.via, doc[speaker.start].text) == (
        "Donald Tusk",
        "first_person",
        "We",
    )


def test_a_pronoun_is_left_to_the_rules_by_default(stance):
    text = "Meloni spoke in Rome on Monday. She said talks must wait."
    doc = _doc(stance, text, "stance_attribution")
    assert all(m.via != "pronoun" for m in doc._.stance_mentions.get(1, []))


def test_attribution_refuses_an_unknown_kind_of_speaker(nlp):
    with pytest.raises(ValueError, match="unknown speaker kinds"):
        nlp.create_pipe("stance_attribution", config={"speakers": ["telepathy"]})


def test_every_line_break_starts_a_sentence(nlp):
    doc = nlp(
        "Rome wants talks\n\nwith Moscow, Meloni said\n \u00a0Merz disagreed. The Kremlin said\n"
    )
    starts = [t.text for t in doc if t.is_sent_start and not t.is_space]
    assert starts[:4] == ["Rome", "with", "Merz", "The"]
    assert not any(t.is_sent_start for t in doc if t.text == "said")


def test_a_statement_dated_by_the_publication_alone_takes_the_date_its_holder_names():
    sure = {"support": 0.97, "oppose": 0.01, "conditional": 0.01, "neutral": 0.01}
    model = _FixedModel(
        {"summary": 0.95, "december": 0.9, "aside": 0.6},
        {"summary": sure, "december": sure, "aside": sure},
    )

    def cand(sentence: int, key: str, day: date, precision: str, source: str) -> Candidate:
        found = _sentence_candidate("Emmanuel Macron", "FR", sentence, [key])
        found.stated_on, found.precision, found.date_source = day, precision, source
        return found

    def dates(*cands: Candidate) -> list[date]:
        found = decide(ArticleCandidates("x" * 40, PUBLISHED, list(cands), []), model, 0.5)
        return [p.stated_on for _s, p in found]

    # "• Macron supports re-engaging with Putin." ... "Macron's December statement that ..."
    summary = cand(0, "summary", PUBLISHED, "day", "published")
    assert dates(summary, cand(1, "december", date(2025, 12, 1), "month", "own")) == [
        date(2025, 12, 1)
    ]
    # "Macron has said he has no plans ..." beside a less sure "he told reporters on Sunday"
    assert dates(summary, cand(1, "aside", date(2026, 1, 18), "day", "own")) == [date(2026, 1, 18)]
    # a day more than a week before the publication is not the day of this statement
    assert dates(summary, cand(1, "aside", date(2026, 1, 7), "day", "own")) == [PUBLISHED]


def test_an_article_without_a_publication_date_is_proposed_undated(stance):
    # the rules find this refusal, and nothing in the text dates it
    text = "Macron said he was ready for talks with Russia, but Merz refused any talks."
    [doc] = list(stance.pipe([(text, None)]))
    found = {p.actor: p for p in doc._.stance_proposals}
    assert found and all(p.stated_on is None for p in found.values())
    assert all(c.date_source != "published" for c in doc._.stance_candidates.candidates)


def test_a_habit_in_a_relative_clause_does_not_make_the_statement_habitual(stance):
    text = "Meloni, who has long called for a dialogue with Moscow, said talks must resume."
    meloni = _cand(_doc(stance, text, "stance_dating"), "Giorgia Meloni")
    assert (meloni.stated_on, meloni.date_source) == (PUBLISHED, "published")
