"""The candidate generator: every actor near a dialogue cue, whatever its syntactic role."""

from __future__ import annotations

from datetime import date

import pytest

from articles.nlp.components.candidates import CandidateGenerator, parse_many

PUBLISHED = date(2026, 1, 20)


@pytest.fixture(scope="module")
def candidates_of(extractor):
    generator = CandidateGenerator(extractor)

    def run(text: str):
        [(doc, body, published)] = list(parse_many(extractor, [(text, PUBLISHED)]))
        return generator.article(doc, body, published).candidates

    return run


def only(cands, actor: str):
    """The one candidate of ``actor`` in a sentence or article."""
    found = [c for c in cands if c.actor == actor]
    assert len(found) == 1, f"{len(found)} candidates of {actor}"
    return found[0]


def test_an_actor_that_is_not_the_subject_is_still_a_candidate(candidates_of):
    cands = candidates_of(
        "The French plan to reopen talks with Moscow has supporters, among them Meloni."
    )
    assert "Giorgia Meloni" in {c.actor for c in cands}


def test_a_sentence_far_from_any_talk_of_dialogue_gives_no_candidate(candidates_of):
    text = (
        "Macron opened a bakery fair in Lyon.\n\n"
        "The weather was mild.\n\n"
        "The fair closes on Sunday.\n\n"
        "Visitors praised the bread."
    )
    assert candidates_of(text) == []


def test_each_actor_is_one_candidate_per_sentence_with_its_features(candidates_of):
    cands = candidates_of(
        "Meloni said Europe should resume dialogue with Russia, and Meloni repeated it."
    )
    meloni = only(cands, "Giorgia Meloni")
    assert "subj_report_verb" in meloni.features
    assert "cue=dialogue" in meloni.features
    assert "side=eu" in meloni.features


def test_a_rule_proposal_becomes_a_feature_of_its_candidate(candidates_of):
    cands = candidates_of("German Chancellor Friedrich Merz rejected any talks with Russia now.")
    merz = only(cands, "Friedrich Merz")
    assert merz.rule is not None
    assert f"rule_label={merz.rule.label}" in merz.features


def test_the_object_of_talks_with_is_marked_as_such(candidates_of):
    cands = candidates_of("Macron said he was ready to hold talks with Putin.")
    putin = only(cands, "Vladimir Putin")
    assert "prep=with" in putin.features


def test_a_country_named_for_a_persons_office_is_not_a_candidate_beside_them(candidates_of):
    cands = candidates_of("Germany's Chancellor Friedrich Merz said talks with Russia must wait.")
    assert {c.actor for c in cands} >= {"Friedrich Merz"}
    assert "Germany" not in {c.actor for c in cands}
    cands = candidates_of("Germany opposes talks with Russia, Merz said.")
    assert {"Germany", "Friedrich Merz"} <= {c.actor for c in cands}


def test_the_holders_clause_carries_the_polarity_of_its_cues(candidates_of):
    cands = candidates_of(
        "Nausėda said the time is not right for talks with Russia, "
        "while Meloni urged Europe to resume dialogue with Moscow."
    )
    by_actor = {c.actor: c for c in cands}
    assert "pol_clause=oppose" in by_actor["Gitanas Nausėda"].features
    assert "pol_clause=support" in by_actor["Giorgia Meloni"].features


def test_the_words_of_a_non_committal_phrase_are_no_refusal_or_negation(candidates_of):
    feats = only(
        candidates_of("Merz refused to be drawn on talks with Russia."), "Friedrich Merz"
    ).features
    assert "cue=neutral" in feats
    assert "cue=oppose" not in feats and "cue=neg" not in feats
    # a refusal beside it is still one
    feats = only(
        candidates_of("Merz would not comment on the summit, and refused any talks with Russia."),
        "Friedrich Merz",
    ).features
    assert {"cue=neutral", "cue=oppose"} <= set(feats)
    assert "cue=neg" not in feats


@pytest.mark.parametrize(
    "text, actor, polarity",
    [
        (
            "Meloni wants Europe to participate in negotiations with Russia.",
            "Giorgia Meloni",
            "support",
        ),
        ("Merz said Europe should freeze all contacts with Moscow.", "Friedrich Merz", "oppose"),
        ("Merz said Europe would not resume talks with Moscow.", "Friedrich Merz", "oppose"),
        ("Macron said Europe never abandoned dialogue with Russia.", "Emmanuel Macron", "support"),
    ],
)
def test_the_verb_that_governs_the_word_for_talks_gives_its_polarity(
    candidates_of, text, actor, polarity
):
    feats = only(candidates_of(text), actor).features
    assert f"dverb_pol={polarity}" in feats


def test_a_mention_reported_by_another_actor_is_marked_as_reported(candidates_of):
    cands = candidates_of("Lavrov said that Macron wants to resume talks with Russia.")
    macron = only(cands, "Emmanuel Macron")
    assert "outer=actor" in macron.features


def test_officials_named_by_their_countrys_adjective_speak_for_its_government(candidates_of):
    cands = candidates_of("German officials said talks with Moscow were premature.")
    assert "Germany" in {c.actor for c in cands}
    diplomats = candidates_of("Talks with Moscow are premature, German diplomats told reporters.")
    assert "Germany" in {c.actor for c in diplomats}


def test_every_member_of_a_coordinated_subject_holds_the_clause(candidates_of):
    cands = candidates_of("Germany, the Commission, and Merz backed talks with Moscow.")
    by_actor = {c.actor: c for c in cands}
    # the parser makes "the Commission" an apposition of "Germany"
    assert "in_appos" in by_actor["European Commission"].features
    for name in ("Germany", "European Commission", "Friedrich Merz"):
        assert "holder=subj" in by_actor[name].features, name
        assert "pol_clause=support" in by_actor[name].features, name


def test_a_co_subject_is_not_taken_for_the_reporter(candidates_of):
    cands = candidates_of("Macron and Meloni said talks with Moscow must resume.")
    meloni = only(cands, "Giorgia Meloni")
    assert "inside_other_report" not in meloni.features
    cands = candidates_of("Macron said Meloni wants talks with Moscow to resume.")
    meloni = only(cands, "Giorgia Meloni")
    assert "inside_other_report" in meloni.features


def test_a_claim_about_the_other_side_is_marked_apart_from_ones_own_sides_word(candidates_of):
    cands = candidates_of("Macron said Putin wants talks with Europe only to divide it.")
    putin = only(cands, "Vladimir Putin")
    assert "reported_by=other_side" in putin.features
    cands = candidates_of("Lavrov said Putin is open to talks with Europe.")
    putin = only(cands, "Vladimir Putin")
    assert "reported_by=same_side" in putin.features


def test_a_headline_quote_after_a_name_and_colon_is_that_actors_word(candidates_of):
    cands = candidates_of("Lavrov: Europe refuses any dialogue with Moscow\n\nMore follows.")
    lavrov = only(cands, "Sergey Lavrov")
    assert {"colon_speaker", "holder=subj", "pol_clause=oppose"} <= set(lavrov.features)
    # a name inside the headline is no speaker
    cands = candidates_of("Talks with Lavrov: Europe refuses any dialogue\n\nMore follows.")
    lavrov = only(cands, "Sergey Lavrov")
    assert "colon_speaker" not in lavrov.features


def test_a_question_the_writer_asks_is_marked_apart_from_a_quoted_one(candidates_of):
    def meloni(text):
        return [c for c in candidates_of(text) if c.actor == "Giorgia Meloni"]

    [asked] = meloni("Why does Meloni support talks with Russia?")
    assert "question" in asked.features
    quoted = meloni('Meloni asked: "Why should we not talk to Russia?"')
    assert quoted and not any("question" in c.features for c in quoted)
    [stated] = meloni("Meloni backs talks with Russia.")
    assert "question" not in stated.features


def test_a_new_person_named_again_by_surname_alone_is_still_that_person(candidates_of):
    cands = candidates_of(
        "Latvian Prime Minister Jan Novak visited Brussels on Monday.\n\n"
        'Novak said, "Europe must sit down with Russia and talk."'
    )
    surname = [c for c in cands if c.sentence == 1 and c.kind == "person"]
    assert [(c.actor, c.country, c.is_new) for c in surname] == [("Jan Novak", "LV", True)]
    assert "subj_report_verb" in surname[0].features


def test_a_lone_surname_after_an_office_title_is_a_new_person(candidates_of):
    cands = candidates_of(
        "Estonian Prime Minister Novak said on Monday that talks with Russia make no sense."
    )
    novak = only(cands, "Novak")
    assert (novak.country, novak.is_new) == ("EE", True)
    assert "subj_report_verb" in novak.features
    # a listed person after a title is still that person, and no new one
    cands = candidates_of("Russian President Putin said Europe must talk to Moscow.")
    assert [c.actor for c in cands if c.kind == "person"] == ["Vladimir Putin"]


def test_a_titled_surname_takes_the_full_name_the_article_gives(candidates_of):
    cands = candidates_of(
        "President Novak met Lavrov in Moscow for talks on Monday.\n\n"
        "Latvian President Jan Novak later said talks with Russia must go on."
    )
    assert {c.actor for c in cands if c.is_new} == {"Jan Novak"}
    assert {c.sentence for c in cands if c.actor == "Jan Novak"} == {0, 1}


def test_an_editors_brackets_are_no_part_of_a_new_persons_name(candidates_of):
    cands = candidates_of(
        "Later, [Latvian Prime Minister Anna] Berzina said Europe must talk with Russia."
    )
    assert [c.actor for c in cands if c.is_new] == ["Anna Berzina"]
    # nor is a first name cut off by the bracket a surname after a title
    cands = candidates_of("Europe must talk to [Latvian President Jan] Novak about Russia.")
    assert not [c.actor for c in cands if c.is_new]


def test_a_surname_before_the_full_name_is_no_mention_of_that_person(candidates_of):
    cands = candidates_of(
        "Novak said Europe must talk to Russia.\n\n"
        "Latvian Prime Minister Jan Novak agreed that talks with Moscow should resume."
    )
    assert [c.sentence for c in cands if c.actor == "Jan Novak"] == [1]


@pytest.mark.parametrize(
    "credit",
    ["REUTERS/Anna Kowalczyk", "Photo: Anna Kowalczyk/AFP", "(AP Photo/Anna Kowalczyk)"],
)
def test_a_photographer_in_a_picture_credit_is_no_new_person(candidates_of, credit):
    cands = candidates_of(
        "Europe must reopen talks with Moscow, Macron said on Monday in Paris.\n\n"
        f"Macron at a meeting with Russian envoys in Paris. {credit}"
    )
    assert "Macron" in " ".join(c.actor for c in cands)
    assert not [c.actor for c in cands if c.is_new]


def test_a_rule_proposal_for_a_spokesperson_not_named_there_joins_their_institution(
    extractor, monkeypatch
):
    from articles.nlp.entries import Proposal

    text = "The Kremlin welcomed calls to resume dialogue with Moscow."
    [(doc, body, published)] = list(parse_many(extractor, [(text, PUBLISHED)]))
    # the rules give the sentence to the spokesperson named elsewhere in the article
    relayed = Proposal(
        actor="Dmitry Peskov",
        country="RU",
        label="support",
        stated_on=PUBLISHED,
        precision="day",
        quote=text,
        start=0,
        end=len(text),
        sentence_start=0,
        sentence_end=len(text),
        confidence=0.8,
    )
    monkeypatch.setattr(extractor, "extract_doc", lambda *args, **kwargs: [relayed])
    cands = CandidateGenerator(extractor).article(doc, body, published).candidates
    peskov = next(c for c in cands if c.actor == "Dmitry Peskov")
    assert (peskov.group, peskov.kind) == ("Kremlin", "person")


def test_a_sentence_on_neither_talks_nor_russia_is_marked_bare_with_its_cues(candidates_of):
    cands = candidates_of(
        "Meloni said talks with Moscow must resume.\n\nMeloni urged more aid for Ukraine."
    )
    first, second = [c for c in cands if c.actor == "Giorgia Meloni"]
    assert "bare_sentence" not in first.features
    assert {"bare_sentence", "bare_support"} <= set(second.features)


def test_what_one_mention_tells_of_a_new_person_holds_for_every_mention(candidates_of):
    cands = candidates_of(
        "Kremlin press secretary Ivan Petrov said on Monday that Moscow had heard nothing.\n\n"
        "Ivan Petrov told reporters Russia is open to talks with Europe.\n\n"
        "Latvian Prime Minister Jan Novak visited Brussels on Monday.\n\n"
        "Jan Novak later said Europe must sit down with Russia and talk."
    )
    petrov = [c for c in cands if c.actor == "Ivan Petrov"]
    assert [(c.sentence, c.country, c.group) for c in petrov] == [
        (0, "RU", "Kremlin"),
        (1, "RU", "Kremlin"),
    ]
    novak = [c for c in cands if c.actor == "Jan Novak"]
    assert [(c.sentence, c.country) for c in novak] == [(2, "LV"), (3, "LV")]


def test_a_surname_alone_that_reports_something_is_a_new_person(candidates_of):
    cands = candidates_of(
        "The visit to Moscow was the first in four years.\n\n"
        '"We must keep talking to Russia," Lindqvist told reporters after the talks.\n\n'
        "Lindqvist has long called for more engagement with Moscow."
    )
    assert [(c.actor, c.sentence, c.is_new) for c in cands if c.kind == "person"] == [
        ("Lindqvist", 1, True),
        ("Lindqvist", 2, True),
    ]
    # a surname that reports nothing is no person of its own
    cands = candidates_of("The talks with Moscow were named after Lindqvist, a poet.")
    assert not [c for c in cands if c.is_new]


def test_the_parser_reads_plain_apostrophes_and_the_evidence_keeps_the_curly_ones(
    extractor, candidates_of
):
    """spaCy's small model was trained on "Macron's": "Macron\u2019s" can parse otherwise
    (the real articles, with the shipped model, are in test_typography)."""
    text = "Meloni backed French President Emmanuel Macron\u2019s call for talks with Russia."
    [(doc, body, _published)] = list(parse_many(extractor, [(text, PUBLISHED)]))
    assert doc.text == text.replace("\u2019", "'")
    assert body == text
    [meloni] = [c for c in candidates_of(text) if c.actor == "Giorgia Meloni"]
    assert "Macron\u2019s call" in text[meloni.quote_start : meloni.quote_end]
