from __future__ import annotations

import json
import unicodedata

import pytest
from django.contrib.auth.models import Group
from django.db import IntegrityError

from actors.data import read_actor_file
from actors.loading import load_actor_data
from actors.models import Actor, ActorAlias, Country, Topic
from stancetracker.roles import ROLE_PERMISSIONS
from tests.conftest import ROOT, SHARED_EVAL

pytestmark = pytest.mark.django_db

ACTOR_FILE = ROOT / "actors" / "data" / "actors.json"


def gold_actor_names() -> set[str]:
    gold = SHARED_EVAL / "dev-gold.jsonl"
    if not gold.exists():  # the annotation lives beside the repo, not in it
        return {
            "Emmanuel Macron",
            "Sergey Lavrov",
            "Kremlin",
            "United Kingdom",
            "European Commission",
        }
    return {json.loads(line)["actor"] for line in gold.read_text().splitlines() if line.strip()}


def fold(name: str) -> str:
    return "".join(
        c for c in unicodedata.normalize("NFKD", name.casefold()) if not unicodedata.combining(c)
    )


def test_every_actor_of_the_development_set_is_there_after_migrate():
    stored = {fold(name) for name in Actor.objects.values_list("name", flat=True)}
    assert {fold(name) for name in gold_actor_names()} <= stored


def test_the_built_in_list_is_broad():
    assert Actor.objects.count() >= 150
    assert Country.objects.filter(group=Country.Group.EU_MEMBER).count() == 27
    macron = Actor.objects.get(name="Emmanuel Macron")
    assert macron.country.code == "FR"
    assert macron.aliases.filter(kind="title").exists()
    assert Actor.objects.get(name="Dmitry Peskov").speaks_for.name == "Kremlin"


def test_aliases_without_diacritics_are_there():
    assert ActorAlias.objects.get(text__iexact="Gitanas Nauseda").actor.name == "Gitanas Nausėda"


def test_the_default_topic_exists():
    assert Topic.objects.filter(name="Europe–Russia dialogue").exists()


def test_loading_the_list_again_adds_nothing():
    before = (Country.objects.count(), Actor.objects.count(), ActorAlias.objects.count())
    report = load_actor_data(
        read_actor_file(ACTOR_FILE), Country=Country, Actor=Actor, ActorAlias=ActorAlias
    )
    assert (report.countries_created, report.actors_created, report.aliases_created) == (0, 0, 0)
    assert (Country.objects.count(), Actor.objects.count(), ActorAlias.objects.count()) == before


def test_an_alias_naming_another_actor_is_skipped_and_reported():
    data = {
        "countries": [],
        "actors": [
            {"name": "Someone Else", "kind": "person", "country": "FR", "aliases": ["Macron"]}
        ],
    }
    report = load_actor_data(data, Country=Country, Actor=Actor, ActorAlias=ActorAlias)
    assert report.actors_created == 1
    assert ActorAlias.objects.get(text="Macron").actor.name == "Emmanuel Macron"
    assert report.conflicts == ["'Macron' (Someone Else) names another actor"]


def test_the_database_refuses_an_alias_that_differs_only_in_case():
    actor = Actor.objects.get(name="Donald Tusk")
    ActorAlias.objects.create(actor=actor, text="Mr Example")
    with pytest.raises(IntegrityError):
        ActorAlias.objects.create(actor=actor, text="MR EXAMPLE")


def test_roles_exist_with_their_permissions():
    for role, permissions in ROLE_PERMISSIONS.items():
        group = Group.objects.get(name=role)
        assert group.permissions.count() == len(set(permissions))
    editor = Group.objects.get(name="Editor")
    assert editor.permissions.filter(codename="review_stance").exists()
    assert (
        not Group.objects.get(name="Analyst").permissions.filter(codename="review_stance").exists()
    )
