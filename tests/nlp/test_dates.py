"""Dates of statements resolved against a frozen publication date (2026-01-20, a Tuesday)."""

from __future__ import annotations

from datetime import date

import pytest

from articles.nlp.dates import find_dates, month_number, parse_date, resolve

STANCE = "Macron said Europe should resume talks with Russia."


@pytest.mark.parametrize(
    "prefix, expected, precision",
    [
        ("On January 7, ", "2026-01-07", "day"),
        ("On February 3, 2025, ", "2025-02-03", "day"),
        ("On March 3, ", "2025-03-03", "day"),  # would lie in the future: the year before
        ("On 12 January, ", "2026-01-12", "day"),
        ("In mid-December, ", "2025-12", "month"),
        ("In December, ", "2025-12", "month"),
        ("In December 2025, ", "2025-12", "month"),
        ("In early February 2025, ", "2025-02", "month"),
        ("Later in January, ", "2026-01", "month"),
        ("Last week, ", "2026-01", "month"),
        ("Earlier this month, ", "2026-01", "month"),
        ("This week, ", "2026-01", "month"),
        ("Recently, ", "2026-01", "month"),
        ("On Friday, ", "2026-01-16", "day"),
        ("On Tuesday, ", "2026-01-20", "day"),
        ("Yesterday, ", "2026-01-19", "day"),
        ("Over the weekend, ", "2026-01-18", "day"),
        ("At the weekend, ", "2026-01-18", "day"),  # British
        ("", "2026-01-20", "day"),
    ],
)
def test_date_expression_of_the_statement(extract, prefix, expected, precision):
    proposals = extract(prefix + STANCE)
    assert len(proposals) == 1
    assert proposals[0].stated_on_str() == expected
    assert proposals[0].precision == precision


def test_since_late_december_is_december(extract):
    proposals = extract("Since late December, Macron has publicly called for talks with Putin.")
    assert proposals[0].stated_on_str() == "2025-12"


def test_trailing_date_attached_to_the_reporting_verb(extract):
    proposals = extract(
        "\u201cThe time has come for Europe to talk to Russia,\u201d Meloni said earlier this"
        " month."
    )
    assert proposals[0].stated_on_str() == "2026-01"


def test_no_date_and_no_publication_date_is_unknown(extract):
    proposals = extract(STANCE, None)
    assert proposals[0].stated_on is None
    assert proposals[0].precision == "unknown"
    assert proposals[0].stated_on_str() is None


def test_date_of_an_earlier_sentence_in_the_paragraph_carries_over(extract):
    text = "In December 2025, Macron called for talks with Russia. Meloni backed the idea."
    dates = {p.actor: p.stated_on_str() for p in extract(text)}
    assert dates == {"Emmanuel Macron": "2025-12", "Giorgia Meloni": "2025-12"}


def test_date_does_not_carry_over_into_the_next_paragraph(extract):
    text = "In December 2025, the summit took place.\n\nMeloni said Europe should talk to Russia."
    assert extract(text)[0].stated_on_str() == "2026-01-20"


def test_date_inside_a_quotation_does_not_date_the_statement(extract):
    text = "\u201cOn January 5 we met them, and Europe should talk to Russia,\u201d Meloni said."
    assert extract(text)[0].stated_on_str() == "2026-01-20"


def test_date_of_an_embedded_event_does_not_date_the_statement(extract):
    text = "Macron said Europe should resume the talks with Russia that ended on March 3, 2022."
    assert extract(text)[0].stated_on_str() == "2026-01-20"


def test_resolve_without_publication_date_needs_a_year():
    (on_day,) = find_dates("on January 7")
    assert resolve(on_day, None) is None
    (with_year,) = find_dates("on January 7, 2026")
    assert resolve(with_year, None) == (date(2026, 1, 7), "day", 3)


def test_may_as_a_modal_verb_is_not_a_month():
    assert find_dates("May Europe talk to Russia? Macron may call Putin.") == []


@pytest.mark.parametrize("prefix", ["Last year, ", "In 2024, ", "Earlier this year, "])
def test_year_only_expression_gives_an_unknown_date(extract, prefix):
    proposals = extract(prefix + STANCE)
    assert proposals[0].stated_on is None
    assert proposals[0].precision == "unknown"


def test_date_in_a_participle_next_to_the_holder_dates_the_statement(extract):
    text = "Macron, speaking in Brussels on Friday, said Europe should resume talks with Russia."
    assert extract(text)[0].stated_on_str() == "2026-01-16"


@pytest.mark.parametrize(
    "text",
    [
        "2026-01-16",
        "2026-01-16T09:30",
        "2026-01-16 23:59:00+02:00",
        "16 January 2026",
        "January 16, 2026",
        "Jan. 16 2026",
        "Friday, January 16, 2026 10:45",
        "16th of January 2026",
    ],
)
def test_a_written_date_is_read_as_the_day_it_names(text):
    assert parse_date(text) == date(2026, 1, 16)


@pytest.mark.parametrize(
    "text",
    [
        "16/01/2026",
        "01.02.26",
        "January 2026",
        "16 January",
        "next Tuesday",
        "yesterday",
        "2026-02-30",
        "31 February 2026",
        "soon",
        "",
    ],
)
def test_a_date_without_its_day_month_and_year_or_with_them_ambiguous_is_not_read(text):
    assert parse_date(text) is None


def test_month_names_and_abbreviations_give_their_number_and_other_words_none():
    assert [month_number(name) for name in ("March", "sept.", "Sep", "DEC", "May")] == [
        3,
        9,
        9,
        12,
        5,
    ]
    assert month_number("Monday") is None
    assert month_number("Marching") is None
