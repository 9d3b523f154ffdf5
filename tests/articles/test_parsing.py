"""articles.parsing: title, body and publication date from raw article files (no Django)."""

from __future__ import annotations

from datetime import date

import pytest

from articles.parsing import ParsedArticle, date_from_url, parse_article, parse_date_line


def test_header_line_gives_date_and_drops_navigation_words():
    raw = (
        " date 2026-03-10 World Politics Business\n"
        "Leaders weigh a new channel to Moscow\n\n"
        "Spain's prime minister said on Monday that Europe should open talks.\n"
    )
    parsed = parse_article(raw)
    assert parsed.published == date(2026, 3, 10)
    assert parsed.published_source == "header"
    assert parsed.title == "Leaders weigh a new channel to Moscow"
    assert parsed.body == "Spain's prime minister said on Monday that Europe should open talks."


def test_title_on_the_header_line_is_kept_as_title():
    raw = (
        " date 2026-02-01 Ukraine Talks Stall as Winter Sets In\n\n"
        "Negotiators met again in Geneva.\n"
    )
    parsed = parse_article(raw)
    assert parsed.title == "Ukraine Talks Stall as Winter Sets In"
    assert parsed.body == "Negotiators met again in Geneva."


def test_navigation_line_after_title_is_dropped():
    raw = "Ministers Meet in Oslo\n\nWorld\n\nThe ministers met on Tuesday.\n"
    parsed = parse_article(raw)
    assert parsed.title == "Ministers Meet in Oslo"
    assert parsed.body == "The ministers met on Tuesday."


def test_subtitle_line_after_title_is_not_body():
    raw = (
        " date 2026-01-05 Old Rivals Meet Again\n\n"
        "Officials Describe a Long Night of Difficult Bargaining\n\n"
        "The talks ended at dawn.\n"
    )
    parsed = parse_article(raw)
    assert parsed.subtitle == "Officials Describe a Long Night of Difficult Bargaining"
    assert parsed.body == "The talks ended at dawn."


@pytest.mark.parametrize(
    "line, expected",
    [
        ("Fri Jan 16 2026", date(2026, 1, 16)),
        ("January 16, 2026", date(2026, 1, 16)),
        ("16 January 2026", date(2026, 1, 16)),
        ("2026-01-16", date(2026, 1, 16)),
        ("Friday, January 16, 2026 10:45", date(2026, 1, 16)),
        ("Published: 3 Feb 2026", date(2026, 2, 3)),
        ("The summit opened on January 16, 2026 in Brussels.", None),
    ],
)
def test_date_lines_are_recognised_only_when_the_whole_line_is_a_date(line, expected):
    assert parse_date_line(line) == expected


def test_dateline_below_title_sets_published_and_leaves_body():
    raw = "A Quiet Week in Vienna\n\nFri Jan 16 2026\n\nDiplomats arrived late.\n"
    parsed = parse_article(raw)
    assert parsed.published == date(2026, 1, 16)
    assert parsed.published_source == "dateline"
    assert "2026" not in parsed.body
    assert parsed.body == "Diplomats arrived late."


def test_byline_is_dropped_but_a_sentence_starting_with_by_is_kept():
    raw = "A Headline About Borders\n\nby Chief Editor\n\nBy then the border was closed.\n"
    parsed = parse_article(raw)
    assert parsed.body == "By then the border was closed."


def test_photo_credit_and_captions_around_it_are_dropped():
    raw = (
        "Flags at the Summit\n\n"
        "The leaders arrived at noon.\n\n"
        "EU flag\n"
        "Photo: commons.wikimedia.org by Someone, https://example.org/licence\n"
        "EU flag\n\n"
        "They spoke for an hour.\n"
    )
    parsed = parse_article(raw)
    assert parsed.body == "The leaders arrived at noon.\n\nThey spoke for an hour."


def test_share_buttons_and_comment_boxes_are_dropped():
    raw = (
        "Talks Resume\n\n"
        "icon-facebook icon-twitter icon-whatsapp\n\n"
        "The delegations met again.\n\n"
        "What do you think? Share your thoughts in the comments below.\n\n"
        "You may also like\n\n"
        "Leave a Comment\n"
    )
    parsed = parse_article(raw)
    assert parsed.body == "The delegations met again."


def test_paragraphs_are_separated_by_a_blank_line_and_bullets_kept():
    raw = (
        "Key Facts About the Meeting\n\n"
        "Key Points:\n\n"
        "  \u2022 The ministers met.\n"
        "  \u2022 No deal was reached.\n"
        "The next round is due in March.\n"
    )
    parsed = parse_article(raw)
    assert parsed.body.split("\n\n") == [
        "Key Points:",
        "\u2022 The ministers met.",
        "\u2022 No deal was reached.",
        "The next round is due in March.",
    ]


def test_hard_wrapped_lines_are_joined_into_one_paragraph():
    raw = "Wrapped Text\n\nThe minister said the talks\nwould continue next week.\n"
    parsed = parse_article(raw)
    assert parsed.body == "The minister said the talks would continue next week."


def test_file_starting_with_a_sentence_keeps_it_in_the_body():
    raw = (
        "The foreign minister said on Monday that the meeting was useful, officials reported.\n"
        "A second paragraph follows.\n"
    )
    parsed = parse_article(raw)
    assert parsed.body.startswith("The foreign minister said on Monday")
    assert parsed.title.startswith("The foreign minister said")
    assert parsed.published is None
    assert parsed.published_source == "none"


def test_default_published_is_used_only_without_a_date_in_the_file():
    given = date(2026, 2, 2)
    undated = parse_article("Title Here\n\nBody text.\n", default_published=given)
    assert (undated.published, undated.published_source) == (given, "given")
    dated = parse_article(" date 2026-01-01 News\nTitle Here\n\nBody.\n", default_published=given)
    assert (dated.published, dated.published_source) == (date(2026, 1, 1), "header")


def test_parsed_article_is_a_frozen_dataclass_with_an_outlet():
    parsed = parse_article("Title\n\nBody.\n")
    assert isinstance(parsed, ParsedArticle)
    assert parsed.outlet == ""
    with pytest.raises(AttributeError):
        parsed.title = "x"  # type: ignore[misc]


def test_empty_input_gives_an_empty_body():
    parsed = parse_article("   \n\n")
    assert parsed.body == ""
    assert parsed.title == ""


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://sputnikglobe.com/20240625/french-president-1119116194.html", date(2024, 6, 25)),
        ("https://example.org/world/2021/06/25/russia-offer/amp", date(2021, 6, 25)),
        ("https://example.org/news/2026-01-09-meloni-calls-for-talks", date(2026, 1, 9)),
        ("https://tass.com/politics/2072351", None),
        ("https://example.org/a?date=20240625", None),
        ("https://example.org/2024/13/45/nothing", None),
        ("", None),
    ],
)
def test_a_date_in_the_source_url_path_is_read(url, expected):
    assert date_from_url(url) == expected


def test_hundreds_of_thousands_of_wrapped_lines_become_one_paragraph():
    # hard-wrapped lines are joined once at the end (this took minutes when each line
    # was appended to a growing string)
    raw = "A title\n\nStart" + "".join("\nab" for _ in range(300_000)) + ".\n"
    parsed = parse_article(raw)
    assert parsed.body.count("\n") == 0
    assert len(parsed.body.split()) == 300_001


def test_two_sentences_a_scraper_ran_together_are_two_again():
    parsed = parse_article(
        "Costa on diplomacy\n\nThe debate is over when it should occur.Russia has said it is"
        " ready. Reports from Apollo.lv and the U.S. agree."
    )
    assert "occur. Russia has said" in parsed.body
    assert "Apollo.lv and the U.S. agree" in parsed.body


def test_spaces_of_every_width_and_invisible_characters_are_cleaned_away():
    """Copied from web pages: a narrow no-break space before French punctuation, a thin
    space in a number, a zero-width space, a soft hyphen, a Unicode line separator."""
    raw = (
        " date 2026-03-10 World\n"
        "Leaders weigh talks\n\n"
        "Prime\u202fMinister Pedro\u00a0S\u00e1nchez said on 9\u2009March that Europe"
        " should\u200b open talks with Rus\u00adsia\u202f:\u2028it is time.\n"
    )
    parsed = parse_article(raw)
    assert parsed.body == (
        "Prime Minister Pedro S\u00e1nchez said on 9 March that Europe should open talks"
        " with Russia :\n\nit is time."
    )
    assert parsed.body == parse_article(raw.replace("\u2028", "\n")).body
