"""Phenomena of other outlets' styles: made-up sentences, none taken from the seed articles."""

from __future__ import annotations

from datetime import date

import pytest

THURSDAY = date(2026, 1, 22)


def pairs(proposals):
    return {(p.actor, p.label) for p in proposals}


# 1. A definite noun phrase that refers back to an on-topic proposal ------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "Spanish Prime Minister Pedro Sánchez proposed on Monday that the EU send a special"
            " envoy to Moscow to explore talks on European security.\n\n"
            "Merz rejected the idea outright, telling reporters it would split the bloc.\n\n"
            "Meloni backed the proposal, but only if Ukraine is involved from the start.",
            {
                ("Pedro Sánchez", "support"),
                ("Friedrich Merz", "oppose"),
                ("Giorgia Meloni", "conditional"),
            },
        ),
        (
            "Paris has floated a summit of European leaders with Vladimir Putin before the"
            " summer.\n\nTusk dismissed the plan as naive. Meloni welcomed the initiative.",
            {("France", "support"), ("Donald Tusk", "oppose"), ("Giorgia Meloni", "support")},
        ),
        (
            "Macron wants the EU to appoint a negotiator for Russia. The Estonian Prime Minister"
            " Kristen Michal came out against it on Monday.",
            {("Emmanuel Macron", "support"), ("Kristen Michal", "oppose")},
        ),
        (
            "The idea of a European contact group for dialogue with Moscow is gaining ground."
            " Meloni endorsed this approach, while Merz said such a summit would only divide"
            " the West.",
            {("Giorgia Meloni", "support"), ("Friedrich Merz", "oppose")},
        ),
    ],
)
def test_anaphoric_reference_to_an_on_topic_proposal(extract, text, expected):
    assert pairs(extract(text)) == expected


@pytest.mark.parametrize(
    "text",
    [
        # the proposal referred to is about trade, sanctions or the US
        "Von der Leyen proposed new tariffs on Chinese steel. Merz backed the proposal.",
        "The Commission floated a plan to tax Russian fertiliser imports. Meloni welcomed the"
        " plan.",
        "US and Russian envoys held talks in Miami on Wednesday. Merz welcomed the US initiative.",
        "Witkoff met Putin in Moscow. Peskov said the talks with the Americans were useful."
        " Macron welcomed the initiative.",
        # "the summit" of another forum is no summit with Russia
        "Sánchez wants EU leaders to call Putin.\n\nMerz said the top of his agenda at the"
        " G7 summit will be urging the group's leaders to double down on support for Ukraine.",
        "Sánchez wants EU leaders to call Putin.\n\nTusk said the top of his agenda at the"
        " NATO summit will be urging allies to double down on support for Ukraine.",
    ],
)
def test_anaphora_to_an_off_topic_proposal_gives_nothing(extract, text):
    assert extract(text) == []


# 2. Declining to comment on an on-topic thing ----------------------------------------------


@pytest.mark.parametrize(
    "text, actor",
    [
        (
            "Sánchez wants an EU envoy to open talks with Moscow. Peskov declined to comment on"
            " the Spanish initiative.",
            "Dmitry Peskov",
        ),
        (
            "Macron is reportedly preparing a trip to Moscow for talks with Putin. The Kremlin"
            " refused to comment on reports of a visit.",
            "Kremlin",
        ),
        (
            "Meloni called for a European channel to the Kremlin. Asked about the Italian plan,"
            " a spokesperson for the European Commission said it would not speculate.",
            "European Commission",
        ),
    ],
)
def test_declining_to_comment_on_an_on_topic_proposal_is_neutral(extract, text, actor):
    found = {(p.actor, p.label) for p in extract(text)}
    assert (actor, "neutral") in found


# 3. Weekdays resolved against the publication date -----------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Merz on Tuesday said Europe should not open talks with Russia now.", "2026-01-20"),
        ("Merz said on Tuesday that Europe should not open talks with Russia.", "2026-01-20"),
        ("On Thursday, Meloni said Europe must talk to Russia.", "2026-01-22"),
        ("Meloni said Europe must talk to Russia, speaking on Monday in Rome.", "2026-01-19"),
        ("In Tuesday's remarks, Macron called for talks with Putin.", "2026-01-20"),
        ("Last Thursday, Macron called for talks with Putin.", "2026-01-15"),
    ],
)
def test_weekday_attached_to_the_statement(extract, text, expected):
    proposals = extract(text, THURSDAY)
    assert [p.stated_on_str() for p in proposals] == [expected]


def test_wire_dateline_is_neither_actor_nor_date(extract):
    text = (
        "MADRID, Jan 22 (Reuters) - Spanish Prime Minister Pedro Sánchez on Monday urged the EU"
        " to open talks with Russia."
    )
    proposals = extract(text, THURSDAY)
    assert [(p.actor, p.stated_on_str()) for p in proposals] == [("Pedro Sánchez", "2026-01-19")]


def test_a_first_name_like_a_month_abbreviation_is_no_date(extract):
    proposals = extract("Jan Novak, a Latvian minister, said Europe must talk to Russia.", THURSDAY)
    assert [p.stated_on_str() for p in proposals] == ["2026-01-22"]


# 4. The main stance predicate first, then modifiers ----------------------------------------


@pytest.mark.parametrize(
    "text, label",
    [
        (
            "Meloni urged EU leaders to hold a summit with Putin, describing the bloc's refusal"
            " to talk as a strategic mistake.",
            "support",
        ),
        (
            "Macron said Europe must open a direct line to Vladimir Putin, calling the boycott"
            " of Moscow a historic error.",
            "support",
        ),
        (
            "Merz rejected talks with Russia, describing them as a reward for aggression.",
            "oppose",
        ),
        (
            "Meloni called for talks with Moscow, saying they should happen only once a"
            " ceasefire holds.",
            "conditional",
        ),
    ],
)
def test_main_predicate_decides_against_a_modifier(extract, text, label):
    assert [p.label for p in extract(text)] == [label]


# 5. Lack of intent --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Tusk said he had no plans to call Putin.",
        "Merz has no intention of talking to the Kremlin.",
        "Tusk sees no reason to meet Putin.",
        "Michal said there was no sense in talking to Moscow.",
        "Merz flatly ruled out telephoning Vladimir Putin.",
    ],
)
def test_lack_of_intent_is_oppose(extract, text):
    assert [p.label for p in extract(text)] == ["oppose"]


@pytest.mark.parametrize(
    "text",
    [
        "Tusk has not spoken to Putin since 2022.",
        "Merz has not spoken with Putin for years, his office said.",
    ],
)
def test_a_fact_about_contacts_is_no_stance(extract, text):
    assert extract(text) == []


def test_own_spokesman_reports_the_stance_of_the_leader(extract):
    proposals = extract("Merz sees no reason to meet Putin now, his spokesman said.")
    assert [(p.actor, p.label) for p in proposals] == [("Friedrich Merz", "oppose")]


# 6. Russian openness with a precondition, and openness with Europe in the context -----------


@pytest.mark.parametrize(
    "text",
    [
        "Zakharova said Moscow had always been open to contacts with European capitals, but the"
        " EU must first abandon its hostile course.",
        "Lavrov said Russia was prepared to hear out European proposals, but only if they came"
        " without ultimatums.",
        "Peskov said Moscow remained ready for dialogue with Brussels once the Europeans drop"
        " their sanctions.",
    ],
)
def test_russian_openness_with_a_precondition_is_conditional(extract, text):
    proposals = extract(text)
    assert [p.label for p in proposals] == ["conditional"]


def test_russian_spokeswoman_is_named(extract):
    text = (
        "Russia open to Europe, says Moscow\n\n"
        "Russian Foreign Ministry spokeswoman Maria Zakharova said on Thursday that Moscow was"
        " open to contacts with European capitals, but the EU must first change course."
    )
    assert pairs(extract(text, THURSDAY)) == {("Maria Zakharova", "conditional")}


def test_russian_openness_with_europe_only_in_the_headline_is_low_confidence_support(extract):
    text = (
        "Kremlin reacts to European calls for dialogue\n\n"
        "Peskov stressed on Monday that Russia remains open to dialogue."
    )
    proposals = extract(text)
    assert pairs(proposals) == {("Dmitry Peskov", "support")}
    assert proposals[0].confidence < 0.8


def test_russian_openness_to_dialogue_with_the_americans_gives_nothing(extract):
    text = (
        "US and Russia resume talks\n\n"
        "Peskov said Russia remains open to dialogue with the Americans on Ukraine."
    )
    assert extract(text) == []


# 7. More reporting verbs -----------------------------------------------------------------


@pytest.mark.parametrize(
    "text, label",
    [
        ("Tusk told Polish radio that talks with Russia now would be a gift to Putin.", "oppose"),
        ("Michal wrote on X that Europe should not reward Putin with talks.", "oppose"),
        (
            "In a statement, the Kremlin said it was ready to resume contacts with Europe.",
            "support",
        ),
        ("Meloni argued that Europe must keep talking to Moscow.", "support"),
        ("Merz insisted that Europe could not negotiate with Russia at this stage.", "oppose"),
        ("Macron stressed that Europe needs its own channel to Moscow.", "support"),
        ("Meloni signalled openness to talks with Russia.", "support"),
        ("Merz hinted that he could meet Putin eventually.", "conditional"),
        ("Tusk ruled out any contact with the Kremlin.", "oppose"),
        ("Sánchez floated the idea of an EU envoy to Moscow.", "support"),
        ("Meloni pushed for a European seat at the negotiating table with Russia.", "support"),
        ("Macron pressed for direct talks with Putin.", "support"),
        ("Sánchez lobbied for a dialogue with Moscow.", "support"),
        ("Michal came out against talks with Russia.", "oppose"),
    ],
)
def test_reporting_verbs(extract, text, label):
    assert [p.label for p in extract(text)] == [label]


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "European leaders want a seat at the table in any talks with Russia. Putin and"
            " Trump agreed to continue personal contacts.",
            set(),
        ),
        (
            "Europe must not be sidelined in talks with Moscow, Meloni said. Trump and Putin"
            " agreed to keep in touch by phone.",
            {("Giorgia Meloni", "support")},
        ),
        # with a European among them, the talks are Europe's
        (
            "Macron and Putin agreed to continue personal contacts.",
            {("Emmanuel Macron", "support"), ("Vladimir Putin", "support")},
        ),
    ],
)
def test_talks_among_joint_holders_from_russia_and_outside_europe(extract, text, expected):
    assert pairs(extract(text)) == expected


def test_the_subject_of_what_another_wants_makes_no_claim_about_it(extract):
    text = (
        "Europe should be at the negotiating table with Russia, but Putin does not want"
        " Trump to be involved in this process, Meloni said."
    )
    assert ("Giorgia Meloni", "support") in pairs(extract(text))


def test_passive_proposal_by_an_actor(extract):
    text = "A European contact group for talks with Moscow was proposed by Macron last week."
    assert pairs(extract(text)) == {("Emmanuel Macron", "support")}


@pytest.mark.parametrize(
    "text, expected",
    [
        # the calls are Macron's own, whoever reports or backs them
        (
            "Tusk criticised Macron's repeated calls for a direct dialogue with Moscow.",
            {("Donald Tusk", "oppose"), ("Emmanuel Macron", "support")},
        ),
        (
            "Sánchez voiced support for Meloni's proposal to reopen talks with Russia.",
            {("Pedro Sánchez", "support"), ("Giorgia Meloni", "support")},
        ),
        # the agent of a proposal that the sentence is about
        (
            "EU leaders could not agree on a plan pushed by Macron and Meloni to hold a summit"
            " with Russia.",
            {("Emmanuel Macron", "support"), ("Giorgia Meloni", "support")},
        ),
    ],
)
def test_background_mention_of_an_actors_call_for_talks(extract, text, expected):
    assert pairs(extract(text)) == expected


def test_participle_of_another_actor_owns_the_reported_subject(extract):
    text = "Meloni went further, saying Berlin should reopen channels with Moscow."
    assert pairs(extract(text)) == {("Giorgia Meloni", "support")}


def test_proposal_that_an_institution_act_stays_with_the_proposer(extract):
    text = "Sánchez proposed that the European Commission appoint an envoy to talk to Moscow."
    assert pairs(extract(text)) == {("Pedro Sánchez", "support")}


# 8. Speaker named after the quote ----------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "\u201cAny talks now would reward aggression.\u201d That was the verdict of Estonian"
        " Prime Minister Kristen Michal on Monday.",
        "\u201cAny talks now would reward aggression.\u201d\n\nThat was the view of Estonian"
        " Prime Minister Kristen Michal.",
    ],
)
def test_speaker_given_after_the_quote(extract, text):
    text = "Macron has called for talks with Putin.\n\n" + text
    assert ("Kristen Michal", "oppose") in pairs(extract(text))


def test_verdict_sentence_dates_the_quote(extract):
    text = (
        "Macron has called for talks with Putin.\n\n"
        "\u201cTalks with Russia now would reward aggression.\u201d That was the verdict of"
        " Kristen Michal, who spoke to Estonian radio on Monday."
    )
    michal = [p for p in extract(text, THURSDAY) if p.actor == "Kristen Michal"]
    assert [p.stated_on_str() for p in michal] == ["2026-01-19"]


def test_he_said_after_a_quote_is_not_the_person_quoted_about(extract):
    text = (
        "Tusk spoke in Warsaw.\n\n"
        "\u201cNow is not the moment to be picking up the phone to Putin,\u201d he said."
    )
    assert pairs(extract(text)) == {("Donald Tusk", "oppose")}


# distractors ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "EU adopts new sanctions\n\nThe EU adopted its 20th sanctions package on Tuesday. Merz"
        " welcomed the decision. Peskov said the sanctions were illegal and Russia would"
        " respond.",
        "EU and India trade talks\n\nVon der Leyen said talks with India were in the final"
        " stage. Macron backed the proposal to speed up negotiations.",
        "Leaders visit Kyiv\n\nMerz and Macron travelled to Kyiv to meet Zelensky. Zelensky"
        " welcomed the talks in Kyiv and called for more sanctions on Russia.",
        "Rubio and Lavrov meet in Riyadh\n\nMacron said he hoped the US-Russia talks would lead"
        " to a ceasefire. Lavrov said the Americans were serious partners.",
        "NATO boosts its eastern flank\n\nMerz welcomed the decision to deploy more troops in"
        " response to Russian threats. The Kremlin called the deployment a provocation.",
    ],
)
def test_distractor_articles_stay_silent(extract, text):
    assert extract(text) == []


# more clause shapes -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "Merz warned member states against opening separate channels to the Kremlin.",
            {("Friedrich Merz", "oppose")},
        ),
        (
            "The debate flared after Meloni announced plans to travel to Moscow for talks with"
            " Putin.",
            {("Giorgia Meloni", "support")},
        ),
        (
            "Lavrov ridiculed European plans to send an envoy to Moscow.",
            {("Sergey Lavrov", "oppose")},
        ),
        (
            "Peskov was more measured, telling reporters that Russia would listen to any serious"
            " European proposal.",
            {("Dmitry Peskov", "support")},
        ),
    ],
)
def test_more_clause_shapes(extract, text, expected):
    assert pairs(extract(text)) == expected


def test_quote_without_russia_takes_the_topic_of_the_sentences_before(extract):
    text = (
        "Meloni wants Europe to open talks with Moscow.\n\n"
        "Merz disagreed. \u201cThere can be no negotiations about Ukraine without Ukraine,\u201d"
        " he said."
    )
    found = pairs(extract(text))
    assert ("Friedrich Merz", "conditional") in found


def test_a_quote_without_russia_and_no_topic_before_gives_nothing(extract):
    text = (
        "Merz spoke about the budget.\n\n"
        "\u201cThere can be no negotiations about the budget without the Greens,\u201d he said."
    )
    assert extract(text) == []


def test_agreeing_with_an_earlier_assessment_takes_its_label(extract):
    text = (
        "Macron said Europe would one day have to engage with Russia, but not now.\n\n"
        "Meloni agreed with that assessment in a radio interview."
    )
    assert pairs(extract(text)) == {
        ("Emmanuel Macron", "conditional"),
        ("Giorgia Meloni", "conditional"),
    }


@pytest.mark.parametrize(
    "text, label",
    [
        (
            "Meloni was more careful: Europe could talk to Moscow, she said, but only together"
            " with Kyiv.",
            "conditional",
        ),
        ("Lavrov said Europe had disqualified itself from any negotiations with Russia.", "oppose"),
        (
            "Macron called for talks with Putin. A spokesperson for the European Commission said"
            " the Commission takes note of the French proposal.",
            "neutral",
        ),
    ],
)
def test_more_label_cues_of_other_outlets(extract, text, label):
    assert label in {p.label for p in extract(text)}


@pytest.mark.parametrize(
    "text",
    [
        "Macron proposed extending France's nuclear deterrent to European allies to counter"
        " Russia.\n\nTusk welcomed the initiative. Merz said he was open to discussions on the"
        " idea, while the Kremlin dismissed the plan as dangerous.",
        "Lavrov held talks with Wang Yi in Beijing. Lavrov said Moscow and Beijing were ready to"
        " deepen their dialogue.",
        "Russia and Ukraine swapped prisoners after talks in Istanbul.\n\nPeskov said the talks"
        " had been useful and Moscow was ready for another round. Macron welcomed the exchange.",
        "EU leaders discussed new sanctions on Russia.\n\nOrbán rejected the plan outright. Merz"
        " welcomed the proposal and said pressure on Moscow must increase.",
    ],
)
def test_more_distractors_stay_silent(extract, text):
    assert extract(text) == []


@pytest.mark.parametrize(
    "text, label",
    [
        ("Merz said Europe could not stay out of any negotiations with Russia.", "support"),
        ("Meloni said Europe cannot be absent from talks with Moscow.", "support"),
        (
            "Macron called for a dialogue with Russia. Merz said such talks could only come once"
            " Russian troops had left Ukraine.",
            "conditional",
        ),
    ],
)
def test_double_negation_and_late_hedges(extract, text, label):
    assert label in {p.label for p in extract(text)}


def test_declining_to_comment_on_a_position_taken_before(extract):
    text = (
        "Meloni said contacts with Moscow made sense only after a ceasefire.\n\n"
        "Macron declined to comment on the Italian government's position."
    )
    assert ("Emmanuel Macron", "neutral") in pairs(extract(text))


def test_live_blog_entries_with_present_tense_reporting(extract):
    text = (
        "Munich conference: live\n\n"
        "14:05 \u2014 Tusk tells the conference that \u201cthe door to Moscow must stay closed"
        " until Russia ends its aggression\u201d.\n\n"
        "14:30 \u2014 Meloni says Europe made a historic mistake by cutting off dialogue with"
        " Russia and should restore contacts."
    )
    assert pairs(extract(text)) == {("Donald Tusk", "conditional"), ("Giorgia Meloni", "support")}


# 4. A reproached refusal of dialogue is a double negative ------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "Meloni said the EU had squandered two years by refusing dialogue and ought to"
            " dispatch an envoy to Moscow.",
            {("Giorgia Meloni", "support")},
        ),
        (
            "Sánchez said Brussels had lost precious months by refusing to sit down with the"
            " Kremlin.",
            {("Pedro Sánchez", "support")},
        ),
        (
            "Macron said cutting every channel to Moscow had been an error.",
            {("Emmanuel Macron", "support")},
        ),
        (
            "The boycott of Russia has produced nothing, Meloni said, and the bloc must reopen"
            " talks with Moscow.",
            {("Giorgia Meloni", "support")},
        ),
        (
            "Sánchez argued that by snubbing Putin, the EU had marginalised itself.",
            {("Pedro Sánchez", "support")},
        ),
        (
            "Macron deplored the EU's refusal to speak with the Kremlin.",
            {("Emmanuel Macron", "support")},
        ),
        (
            "Sánchez said the strategy of isolating Moscow had led nowhere.",
            {("Pedro Sánchez", "support")},
        ),
        (
            "Macron regretted that Europe had refused to talk to Moscow for so long.",
            {("Emmanuel Macron", "support")},
        ),
        (
            "\u201cWe should not have wasted four years refusing to talk to Moscow,\u201d Meloni"
            " said.",
            {("Giorgia Meloni", "support")},
        ),
        (
            "Putin said the Europeans had made a mistake by rejecting dialogue with Russia.",
            {("Vladimir Putin", "support")},
        ),
        (
            "Tusk said there was nothing to discuss with Putin. Meloni disagreed and urged the EU"
            " to open a channel to Moscow.",
            {("Donald Tusk", "oppose"), ("Giorgia Meloni", "support")},
        ),
        (
            "Tusk ruled out any contacts with the Kremlin. Macron disagreed with him, saying the"
            " bloc needs to restore a direct line to Putin.",
            {("Donald Tusk", "oppose"), ("Emmanuel Macron", "support")},
        ),
    ],
)
def test_reproached_refusal_of_dialogue_is_support(extract, text, expected):
    assert pairs(extract(text)) == expected


@pytest.mark.parametrize(
    "text",
    [
        # a call for talks in the holder's clause outranks a refusal in an adjunct
        "Sánchez said that, although the EU had rejected contacts with Russia for years, it must"
        " now open talks with the Kremlin.",
        "Sánchez said Europe, having refused contacts with Moscow for three years, should now"
        " send a delegation to Russia.",
        "Sánchez said Europe must restore contacts with Moscow even though Brussels had rejected"
        " them for years.",
    ],
)
def test_call_for_talks_outranks_a_refusal_in_an_adjunct(extract, text):
    assert pairs(extract(text)) == {("Pedro Sánchez", "support")}


@pytest.mark.parametrize(
    "text, expected",
    [
        # the refusal is defended, not reproached
        ("Merz said rejecting dialogue with the Kremlin had been the right decision.", "oppose"),
        ("Tusk praised the EU's refusal to engage with the Kremlin.", "oppose"),
        ("Michal said freezing contacts with Russia was justified.", "oppose"),
        ("Michal said it was not a mistake to cut contacts with Moscow.", "oppose"),
        ("Merz said Europe had lost nothing by refusing talks with Putin.", "oppose"),
        ("Merz said he did not regret refusing talks with Putin.", "oppose"),
        ("Merz said the boycott of the Kremlin has not failed.", "oppose"),
        # the waste is the talks themselves
        ("Merz said Europe was wasting its energy on talks with Putin.", "oppose"),
        ("Merz said the EU must not waste any more time on negotiations with Moscow.", "oppose"),
        # what failed is dialogue, not the refusal
        ("Merz rejected talks with Moscow, saying dialogue with Putin had failed.", "oppose"),
        ("Tusk called for the isolation of Russia and ruled out contacts with Putin.", "oppose"),
        # a refusal in a relative clause is no call for talks either
        ("Tusk said Europe must hold firm against a Kremlin that refuses all talks.", "oppose"),
        # hedged reproaches stay conditional
        (
            "Meloni said the boycott of Moscow had failed, but talks could resume only after a"
            " ceasefire.",
            "conditional",
        ),
        (
            "Meloni said the EU had lost time by shunning Russia and should eventually hold talks"
            " with Moscow.",
            "conditional",
        ),
    ],
)
def test_defended_refusals_and_hedged_reproaches_keep_their_label(extract, text, expected):
    assert {p.label for p in extract(text)} == {expected}


# A Russian voice describing Europe's refusal complains about it --------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Russian Foreign Minister Sergey Lavrov said on Monday that Europe had cut all contacts"
        " with Moscow years ago.",
        "Lavrov told a news conference that the EU refused any dialogue with Russia.",
    ],
)
def test_a_russian_describing_europes_refusal_is_not_opposing_talks(extract, text):
    proposals = extract(text, THURSDAY)
    assert pairs(proposals) == {("Sergey Lavrov", "conditional")}
    assert all(p.confidence < 0.8 for p in proposals)


def test_a_russian_refusing_talks_himself_still_opposes(extract):
    text = "Lavrov said on Monday that Moscow rejected any talks with the current EU leaders."
    assert pairs(extract(text, THURSDAY)) == {("Sergey Lavrov", "oppose")}


def test_a_person_of_no_known_country_inside_the_clause_leaves_the_reporter_the_stance(extract):
    # the reporter's words with another's position in them: the new person's side is
    # unknown, so it is not taken for a claim about a party outside Europe
    text = (
        "Europe should sit down with Russia, but President Novak does not want talks, Meloni said."
    )
    assert ("Giorgia Meloni", "support") in pairs(extract(text))
    # a claim about a party outside Europe, which is not hers
    text = "Europe should sit down with Russia, but Trump does not want talks, Meloni said."
    assert "Giorgia Meloni" not in {p.actor for p in extract(text)}
