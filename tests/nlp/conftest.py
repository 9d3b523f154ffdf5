"""Shared fixtures of the extractor tests: a small actor list and the real spaCy model.

``extractor`` and ``extract`` are the rule component, whose hand-written rules propose
candidates and features; the trained extractor has tests of its own.
"""

from __future__ import annotations

from datetime import date

import pytest

from articles.nlp import ActorEntry, CountryEntry, RuleExtractor, get_nlp

PUBLISHED = date(2026, 1, 20)  # a Tuesday

ACTORS = (
    ActorEntry(
        "Emmanuel Macron",
        "FR",
        aliases=("Macron",),
        titles=("French President", "the French president"),
    ),
    ActorEntry("Giorgia Meloni", "IT", aliases=("Meloni",), titles=("Italian Prime Minister",)),
    ActorEntry("Friedrich Merz", "DE", aliases=("Merz",), titles=("German Chancellor",)),
    ActorEntry("Angela Merkel", "DE", aliases=("Merkel",)),  # an earlier German chancellor
    ActorEntry("Gitanas Nausėda", "LT", titles=("Lithuanian President",)),
    ActorEntry("Sergey Lavrov", "RU", aliases=("Lavrov",), titles=("Russian Foreign Minister",)),
    ActorEntry("Vladimir Putin", "RU", aliases=("Putin",), titles=("Russian President",)),
    ActorEntry(
        "Dmitry Peskov",
        "RU",
        aliases=("Peskov",),
        titles=("Kremlin spokesman",),
        speaks_for="Kremlin",
    ),
    ActorEntry(
        "Kremlin", "RU", kind="government", aliases=("Moscow", "Russia", "Russian government")
    ),
    ActorEntry("Germany", "DE", kind="government", aliases=("Berlin", "German government")),
    ActorEntry("European Commission", "EU", kind="institution", aliases=("Commission",)),
    ActorEntry(
        "Maria Zakharova",
        "RU",
        aliases=("Zakharova",),
        titles=("Russian Foreign Ministry spokeswoman",),
        speaks_for="Russian Foreign Ministry",
    ),
    ActorEntry("Russian Foreign Ministry", "RU", kind="institution"),
    ActorEntry("Donald Trump", "US", aliases=("Trump",), titles=("US President",)),
    ActorEntry("Donald Tusk", "PL", aliases=("Tusk",), titles=("Polish Prime Minister",)),
    ActorEntry("Kristen Michal", "EE", aliases=("Michal",), titles=("Estonian Prime Minister",)),
    ActorEntry(
        "Pedro Sánchez", "ES", aliases=("Sánchez", "Sanchez"), titles=("Spanish Prime Minister",)
    ),
    ActorEntry(
        "Anna Example",
        "EU",
        aliases=("Example",),
        titles=("Commission spokesperson",),
        speaks_for="European Commission",
    ),
)
COUNTRIES = (
    CountryEntry("FR", "France", "eu_member", ("French",), "Paris"),
    CountryEntry("DE", "Germany", "eu_member", ("German",), "Berlin"),
    CountryEntry("IT", "Italy", "eu_member", ("Italian",), "Rome"),
    CountryEntry("LV", "Latvia", "eu_member", ("Latvian",), "Riga"),
    CountryEntry("LT", "Lithuania", "eu_member", ("Lithuanian",), "Vilnius"),
    CountryEntry("RU", "Russia", "russia", ("Russian",), "Moscow"),
    CountryEntry("PL", "Poland", "eu_member", ("Polish",), "Warsaw"),
    CountryEntry("EE", "Estonia", "eu_member", ("Estonian",), "Tallinn"),
    CountryEntry("ES", "Spain", "eu_member", ("Spanish",), "Madrid"),
    CountryEntry("US", "United States", "other", ("American",), "Washington"),
)


@pytest.fixture(scope="session")
def nlp():
    return get_nlp()


@pytest.fixture(scope="session")
def extractor(nlp):
    return RuleExtractor(ACTORS, COUNTRIES, nlp=nlp)


@pytest.fixture(scope="session")
def extract(extractor):
    def run(text: str, published: date | None = PUBLISHED):
        proposals = extractor.extract(text, published)
        for p in proposals:
            assert text[p.start : p.end] == p.quote
        return proposals

    return run


@pytest.fixture(scope="session")
def actor_lists():
    """The actor and country lists above, for tests that build their own extractor."""
    return ACTORS, COUNTRIES
