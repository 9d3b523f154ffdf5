"""Which side of the dialogue a country is on: one rule, on the actor list's groups."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from articles.nlp.rules import country_side

DATA = Path(__file__).resolve().parents[2] / "articles" / "nlp" / "data"


@pytest.mark.parametrize(
    ("code", "group", "side"),
    [
        ("PL", "eu_member", "eu"),
        ("EU", "eu_institution", "eu"),
        ("GB", "other", "eu"),  # European, outside the EU
        ("NATO", "international", "eu"),
        ("US", "other", "other"),
        ("CN", "other", "other"),
        ("RU", "russia", "ru"),
        ("RU", None, "ru"),  # a code with no entry in the list
        ("XX", None, "other"),
    ],
)
def test_each_country_is_on_the_side_its_group_says(code, group, side):
    assert country_side(code, group) == side


def test_the_extractors_own_countries_use_the_databases_groups():
    from actors.models import CountryGroup

    groups = {row["group"] for row in json.loads((DATA / "countries.json").read_text())}
    assert groups <= set(CountryGroup.values)
    actor_file = Path(__file__).resolve().parents[2] / "actors" / "data" / "actors.json"
    listed = {row["group"] for row in json.loads(actor_file.read_text())["countries"]}
    assert listed <= set(CountryGroup.values)
