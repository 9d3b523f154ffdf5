"""Loading the built-in actor list (``actors/data/actors.json``).

The loader takes the model classes as arguments so that a data migration can
call it with historical models and the ``load_actors`` command with the real
ones. It upserts: running it again adds what is new and changes nothing else,
and it never removes an actor, an alias or a stance an admin has added.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.text import slugify

from actors.data import normalized


@dataclass
class LoadReport:
    countries_created: int = 0
    actors_created: int = 0
    aliases_created: int = 0
    conflicts: list[str] = field(default_factory=list)


def unique_slug(model: Any, name: str) -> str:
    base = slugify(name)[:190] or "actor"
    slug, n = base, 2
    while model.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def load_actor_data(
    data: dict[str, Any], *, Country: Any, Actor: Any, ActorAlias: Any
) -> LoadReport:  # noqa: N803
    data = normalized(data)
    report = LoadReport()
    countries = _countries_load(data["countries"], Country=Country, report=report)
    actors = _actors_load(
        data["actors"],
        countries=countries,
        Country=Country,
        Actor=Actor,
        ActorAlias=ActorAlias,
        report=report,
    )
    _speakers_link(data["actors"], actors=actors, Actor=Actor)
    return report


def _countries_load(
    rows: list[dict[str, Any]], *, Country: Any, report: LoadReport
) -> dict[str, Any]:  # noqa: N803
    countries = {}
    for row in rows:
        country, created = Country.objects.get_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "group": row["group"],
                "adjectives": row["adjectives"],
                "capital": row["capital"],
            },
        )
        countries[country.code] = country
        report.countries_created += created
    return countries


def _actors_load(
    rows: list[dict[str, Any]],
    *,
    countries: dict[str, Any],
    Country: Any,  # noqa: N803
    Actor: Any,  # noqa: N803
    ActorAlias: Any,  # noqa: N803
    report: LoadReport,
) -> dict[str, Any]:
    # an alias or title that is another actor's name or alias would make mentions ambiguous
    taken = {text.lower() for text in ActorAlias.objects.values_list("text", flat=True)}
    names = {name.lower() for name in Actor.objects.values_list("name", flat=True)}
    names.update(row["name"].lower() for row in rows)
    actors = {}
    for row in rows:
        actor = Actor.objects.filter(name=row["name"]).first()
        if actor is None:
            actor = Actor.objects.create(
                name=row["name"],
                slug=unique_slug(Actor, row["name"]),
                kind=row["kind"],
                country=countries.get(row["country"])
                or Country.objects.filter(code=row["country"]).first(),
                role=row["role"],
            )
            report.actors_created += 1
        actors[actor.name] = actor
        _aliases_add(
            row, actor=actor, taken=taken, names=names, ActorAlias=ActorAlias, report=report
        )
    return actors


def _aliases_add(
    row: dict[str, Any],
    *,
    actor: Any,
    taken: set[str],
    names: set[str],
    ActorAlias: Any,  # noqa: N803
    report: LoadReport,
) -> None:
    for kind, texts in (("name", row["aliases"]), ("title", row["titles"])):
        for text in texts:
            text = text.strip()
            if not text or text.lower() == actor.name.lower():
                continue
            if text.lower() in taken or text.lower() in names:
                if not ActorAlias.objects.filter(actor=actor, text__iexact=text).exists():
                    report.conflicts.append(f"{text!r} ({actor.name}) names another actor")
                continue
            ActorAlias.objects.create(actor=actor, text=text, kind=kind)
            taken.add(text.lower())
            report.aliases_created += 1


def _speakers_link(rows: list[dict[str, Any]], *, actors: dict[str, Any], Actor: Any) -> None:  # noqa: N803
    for row in rows:
        if row["speaks_for"]:
            actor = actors[row["name"]]
            institution = (
                actors.get(row["speaks_for"])
                or Actor.objects.filter(name=row["speaks_for"]).first()
            )
            if institution is not None and actor.speaks_for_id is None:
                actor.speaks_for = institution
                actor.save(update_fields=["speaks_for"])
