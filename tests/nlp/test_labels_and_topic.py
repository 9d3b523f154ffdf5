"""Labels with negation and hedging in scope; topic relevance."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "text, label",
    [
        (
            "Merz has not called for talks with Russia but said the EU should find a balance"
            " with Moscow.",
            "conditional",
        ),
        ("Merz said Europe should not talk to Russia now.", "oppose"),
        ("Macron said Europe would talk to Russia only if Ukraine is at the table.", "conditional"),
        (
            "The Kremlin said it is ready for dialogue with Europe provided that its interests"
            " are respected.",
            "conditional",
        ),
        ("Meloni said Europe will eventually have to negotiate with Russia.", "conditional"),
        ("Macron said Europe should engage with Russia in the future.", "conditional"),
        ("Merz said it is not the right time for talks with Russia.", "oppose"),
        (
            "Gitanas Nausėda said the situation is not suitable for negotiations with Russia.",
            "oppose",
        ),
        ("Merz refuses any negotiations with Moscow.", "oppose"),
        ("Peskov declined to comment on reports of talks with European envoys.", "neutral"),
        (
            "Merz refused to reveal whether Germany would back a summit with Russia's president.",
            "neutral",
        ),
        (
            "The Kremlin will neither confirm nor deny contacts with the French president.",
            "neutral",
        ),
        ("Meloni said it is time to resume dialogue with Russia.", "support"),
        ("Lavrov said Europe is unlikely to bring constructive ideas to the talks.", "oppose"),
    ],
)
def test_label_cues_with_negation_and_hedging(extract, text, label):
    proposals = extract(text)
    assert len(proposals) == 1
    assert proposals[0].label == label


@pytest.mark.parametrize(
    "text",
    [
        "Macron said the EU should impose new sanctions on Russia.",
        "Merz backed more air defence for Ukraine against Russian drone attacks.",
        "Meloni welcomed the trade deal with Japan and said talks went well.",
        "Peskov said talks with the Americans were useful.",
        "Lavrov said Russian troops would stay in the region.",
        "The Commission proposed new tariffs on Russian fertiliser.",
    ],
)
def test_sentence_off_topic_gives_nothing(extract, text):
    assert extract(text) == []


def test_collective_mention_without_names_gives_nothing(extract):
    assert extract("Several European leaders have called for renewed talks with Russia.") == []


def test_questions_and_headlines_give_nothing(extract):
    text = "Why does Merz oppose talks with Russia?\n\nMacron Calls for Talks With Russia"
    assert extract(text) == []


def test_russian_actor_without_cue_on_topic_is_open_to_dialogue_with_low_confidence(extract):
    proposals = extract(
        "Lavrov said European leaders regularly hold secret conversations with Moscow."
    )
    assert [p.actor for p in proposals] == ["Sergey Lavrov"]
    assert proposals[0].confidence < 0.8


def test_anaphoric_backing_in_the_same_paragraph_counts(extract):
    text = "Macron called for talks with Russia in December 2025. Meloni backed the idea."
    proposals = extract(text)
    assert {(p.actor, p.label) for p in proposals} == {
        ("Emmanuel Macron", "support"),
        ("Giorgia Meloni", "support"),
    }


def test_distractor_article_about_sanctions_yields_nothing(extract):
    text = (
        "EU Agrees New Sanctions Package\n\n"
        "The European Union agreed on Monday a new package of sanctions against Russia. "
        "Merz said the measures would hit Moscow's energy revenue. "
        "Macron welcomed the decision and said Europe would keep supporting Ukraine.\n\n"
        "The Kremlin said the sanctions were illegal. Peskov told reporters Russia would"
        " respond.\n\n"
        "Meloni met Zelensky in Rome to discuss reconstruction aid."
    )
    assert extract(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Macron welcomed the talks between Russia and Ukraine in Istanbul.",
        "Merz said the US-Russia talks in Abu Dhabi were a welcome step.",
        "Peskov said Moscow was ready to continue the negotiations with Washington.",
    ],
)
def test_talks_between_russia_and_a_non_european_party_are_not_the_topic(extract, text):
    assert extract(text) == []


def test_european_stance_next_to_a_remark_on_others_talks_is_kept(extract):
    text = (
        "Merz said it is not the right time for talks with Russia, and called the trilateral "
        "meetings in Abu Dhabi a delaying tactic."
    )
    assert [(p.actor, p.label) for p in extract(text)] == [("Friedrich Merz", "oppose")]


@pytest.mark.parametrize(
    "text, label",
    [
        ("Lavrov said Europe has no place at the negotiating table.", "oppose"),
        ("\u201cWe have never refused contacts with the Europeans,\u201d Lavrov said.", "support"),
        ("Merz said Russia must agree to a ceasefire before any talks with Europe.", "conditional"),
        # a part in the talks claimed for Europe
        ("Meloni said Europe must play a role in any talks with Russia.", "support"),
        (
            "Sánchez said Europe should not play a secondary role in talks with Moscow.",
            "support",
        ),
    ],
)
def test_more_label_cues(extract, text, label):
    assert [p.label for p in extract(text)] == [label]


def test_russian_comment_on_talks_russia_is_not_part_of_gives_nothing(extract):
    text = "The Kremlin said the European leaders' talks in London were pure theatre."
    assert extract(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Merz called on Putin to agree to a ceasefire and enter peace talks.",
        "Macron urged Russia to return to the negotiating table.",
        "Meloni said Russia must negotiate seriously with Ukraine.",
    ],
)
def test_urging_russia_to_negotiate_with_others_is_not_a_european_dialogue_stance(extract, text):
    assert extract(text) == []


@pytest.mark.parametrize(
    "text, label",
    [
        ("Macron no longer believes talks with Russia are possible.", "oppose"),
        (
            "Merz said there can be no talks with Russia without Ukraine at the table.",
            "conditional",
        ),
        ("Merz said Germany would not take part in any talks with Russia.", "oppose"),
    ],
)
def test_negated_belief_absent_party_and_refusal_to_take_part(extract, text, label):
    assert [p.label for p in extract(text)] == [label]


@pytest.mark.parametrize(
    "text, label",
    [
        ("Meloni said she believes in the value of dialogue with Moscow.", "support"),
        ("Macron said it is time for the Europeans to talk to Russia directly.", "support"),
        ("Merz said Berlin would continue its contacts with the Kremlin.", "support"),
        ("Sánchez said the EU must re-establish diplomatic channels with Russia.", "support"),
        ("Merz said it would be wrong to stop talking to Moscow.", "support"),
        ("Macron said any settlement should include the Europeans, not only Russia.", "support"),
        ("Merz said it does not make sense to hold talks with Putin now.", "oppose"),
        ("Tusk said Poland does not intend to engage with the Kremlin.", "oppose"),
        ("Lavrov said Moscow was negotiating only with Washington, not with Europe.", "oppose"),
        ("Tusk said Europe should stop begging Putin for talks.", "oppose"),
        ("Tusk said that Macron's phone call to Putin opens Pandora's box.", "oppose"),
        ("Meloni warned that talking to Moscow now would open up a Pandora's box.", "oppose"),
        ("Tusk said he has no plans to call Russian President Vladimir Putin.", "oppose"),
        ("Meloni said Europe must normalise its relations with Moscow.", "support"),
        (
            "Merz said talks with Moscow should only happen in coordination with Kyiv.",
            "conditional",
        ),
        ("Sánchez said it was useful to meet Russian President Vladimir Putin.", "support"),
    ],
)
def test_general_phrasings_of_support_and_refusal(extract, text, label):
    assert [p.label for p in extract(text)] == [label]


def test_quotation_marks_do_not_hide_a_refusal(extract):
    text = 'Tusk has "no plans" to speak to Putin, his office said.'
    assert [p.label for p in extract(text)] == ["oppose"]


@pytest.mark.parametrize("change", ["a change in", "a rethink of", "a tougher review of"])
def test_calling_for_a_change_of_approach_is_no_call_for_talks(extract, change):
    text = f"Merz called for {change} the approach to negotiations with Russia."
    assert "support" not in {p.label for p in extract(text)}
    assert [p.label for p in extract("Merz called for negotiations with Russia.")] == ["support"]


@pytest.mark.parametrize(
    "text",
    [
        "Tusk said he would not call Putin.",
        "Tusk said Europe should not be talking to Moscow at all.",
        "Tusk said Europe would never hold talks with the Kremlin.",
    ],
)
def test_negated_talks_without_any_known_phrase_are_a_refusal(extract, text):
    assert [p.label for p in extract(text)] == ["oppose"]


@pytest.mark.parametrize(
    "text, label",
    [
        ("Tusk poured cold water on the idea of reopening talks with Moscow.", "oppose"),
        ("Tusk brushed aside calls for talks with Russia.", "oppose"),
        ("Tusk rebuffed calls for dialogue with Moscow.", "oppose"),
        ("Tusk turned down an invitation to talks with Putin.", "oppose"),
        ("Tusk said talks with Russia were off the table.", "oppose"),
        ("Tusk said Europe should arm Ukraine instead of talking to Putin.", "oppose"),
        ("Tusk said dialogue with Putin was a dangerous illusion.", "oppose"),
        ("Peskov said Moscow saw no partners in Europe to talk to.", "oppose"),
        (
            "Meloni said dialogue with Russia was possible if Ukraine was at the table.",
            "conditional",
        ),
        ("Meloni said Europe would engage with Russia once the guns fall silent.", "conditional"),
        (
            "Meloni said Europe should talk to Russia, but from a position of strength.",
            "conditional",
        ),
        ("Meloni said Europe should have its own envoy for talks with Russia.", "support"),
        ("Meloni said the EU should seek a dialogue with Moscow.", "support"),
        ("Meloni said it was in Europe's interest to talk to Russia.", "support"),
        ("Meloni said diplomacy with Moscow must be given a chance.", "support"),
        (
            "Meloni said it was a mistake for Europe to have stopped talking to Russia.",
            "support",
        ),
        (
            "Peskov said the Kremlin had nothing to add on the reports of talks with Paris.",
            "neutral",
        ),
        ("Tusk said talking to Putin would play into the Kremlin's hands.", "oppose"),
        ("Tusk said talks with Moscow would reward Russian aggression.", "oppose"),
        ("Tusk said a phone call with Putin sends the wrong signal.", "oppose"),
        ("Tusk said Europe would never sit down with Putin.", "oppose"),
        ("Meloni said talking to Moscow is not a sign of weakness.", "support"),
        ("Meloni said there is no alternative to dialogue with Russia.", "support"),
        ("Meloni said she was prepared to speak to Putin.", "support"),
        ("Meloni said dialogue with Russia is necessary.", "support"),
        ("Meloni said she had no objection to talks with Moscow.", "support"),
        ("Meloni said talks with Moscow must be coordinated with Kyiv.", "conditional"),
        ("Meloni said talks with Russia were possible, but not at any price.", "conditional"),
        ("Meloni said talks with Russia could resume once Russian troops leave.", "conditional"),
        ("Merz said it was too early to say whether talks with Russia would happen.", "neutral"),
        ("Merz said it was not for him to decide whether Europe should talk to Russia.", "neutral"),
        ("Merz said Berlin had not yet taken a position on talks with Moscow.", "neutral"),
        ("Tusk said the time for talks with Putin had not come.", "oppose"),
        ("Tusk said talks with the Kremlin would be meaningless.", "oppose"),
        ("Tusk said contacts with Moscow should be frozen.", "oppose"),
        ("Tusk said that calling Putin was a grave mistake.", "oppose"),
        ("Tusk objected to talks with Moscow.", "oppose"),
        ("Meloni said Europe must be part of the negotiations with Russia.", "support"),
        ("Meloni said it made sense to talk to the Russians.", "support"),
        ("Meloni said Rome would maintain its contacts with Moscow.", "support"),
        ("Meloni said any dialogue with Russia would require a ceasefire first.", "conditional"),
        ("Peskov said talks with Europe would depend on the Europeans.", "conditional"),
        ("Peskov said he had no information about talks with Paris.", "neutral"),
        ("Tusk said Europe must not rush into talks with Putin.", "oppose"),
        ("Tusk said there was no question of talking to Putin.", "oppose"),
        ("Tusk said Europe had nothing to gain from talks with Moscow.", "oppose"),
        ("Tusk said talks with Moscow would only buy Russia time.", "oppose"),
        ("Meloni said Europe cannot be a mere bystander in negotiations with Moscow.", "support"),
        (
            "Meloni said Europe should not be relegated to a secondary role in talks with Russia.",
            "support",
        ),
        ("Meloni said Rome must find its own channel to the Kremlin.", "support"),
        ("Meloni said talks with Russia could follow once Ukraine is secure.", "conditional"),
        ("Merz said he did not want to prejudge the outcome of talks with Russia.", "neutral"),
        ("Merz said it was not his place to say whether Europe should talk to Russia.", "neutral"),
        ("Meloni said dialogue with the Kremlin was the only way forward.", "support"),
        ("Meloni said Europe should launch its own peace talks with Russia.", "support"),
        ("Tusk said Europe would not beg Moscow for talks.", "oppose"),
        ("Lavrov said Europe had lost the right to sit at the negotiating table.", "oppose"),
        ("Peskov said Russia saw no basis for a dialogue with the EU.", "oppose"),
        ("Tusk said talks with the Kremlin were a non-starter.", "oppose"),
        ("Meloni said Europe would talk to Russia, but not at Ukraine's expense.", "conditional"),
        (
            "Meloni said Europe should talk to Russia, but not at the expense of Ukraine.",
            "conditional",
        ),
        (
            "Peskov said Moscow was ready for talks with Europe if its concerns are addressed.",
            "conditional",
        ),
        ("Merz said he would leave it to the Council to decide on talks with Russia.", "neutral"),
        ("Meloni said Europe should pursue a diplomatic solution with Russia.", "support"),
        ("Meloni said the EU should not shy away from talks with Moscow.", "support"),
        ("Meloni said Europe had an interest in talking to Russia.", "support"),
        ("Peskov said the Kremlin had no interest in European mediation.", "oppose"),
        ("Tusk said a call with Putin was a slap in the face for Ukrainians.", "oppose"),
        ("Tusk said Putin only understands force, not talks.", "oppose"),
        (
            "Lavrov said dialogue with Europe was possible on the basis of mutual respect.",
            "conditional",
        ),
        ("Merz said he had no position on talks with Russia.", "neutral"),
    ],
)
def test_common_ways_of_saying_a_stance_that_the_development_articles_never_use(
    extract, text, label
):
    """The cue lists are for the language of the news, not for the words of the articles
    they were written beside: these phrasings come from how news reports stances, not from
    those articles (three of their list entries match an article there once, to no effect
    on the cross-validated figures)."""
    assert [p.label for p in extract(text)] == [label]
