"""Reads that pages, commands and the extractor share."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, Max, Prefetch, QuerySet

from actors.models import Actor, ActorAlias, Country, Stance, Topic
from articles.nlp import ActorEntry, CountryEntry

DEFAULT_TOPIC_SLUG = "europe-russia-dialogue"


def default_topic() -> Topic:
    return Topic.objects.get(slug=DEFAULT_TOPIC_SLUG)


def actor_list_fingerprint() -> tuple:
    """Changes whenever an actor, alias or country is added, edited or removed."""
    actors = Actor.objects.aggregate(n=Count("id"), last=Max("updated_at"))
    aliases = ActorAlias.objects.aggregate(n=Count("id"), last=Max("updated_at"))
    return (actors["n"], actors["last"], aliases["n"], aliases["last"], Country.objects.count())


def actor_list_for_extraction() -> tuple[list[ActorEntry], list[CountryEntry]]:
    """The actor list as the extractor takes it: confirmed actors with their aliases."""
    aliases: dict[int, dict[str, list[str]]] = defaultdict(lambda: {"name": [], "title": []})
    for actor_id, text, kind in ActorAlias.objects.values_list("actor_id", "text", "kind"):
        aliases[actor_id][kind].append(text)
    actors = [
        ActorEntry(
            name=actor.name,
            country=actor.country.code if actor.country else "",
            kind=actor.kind,
            role=actor.role,
            aliases=tuple(aliases[actor.pk]["name"]),
            titles=tuple(aliases[actor.pk]["title"]),
            speaks_for=actor.speaks_for.name if actor.speaks_for else None,
        )
        for actor in Actor.objects.filter(is_confirmed=True).select_related("country", "speaks_for")
    ]
    countries = [
        CountryEntry(
            code=country.code,
            name=country.name,
            group=country.group,
            adjectives=tuple(country.adjectives or ()),
            capital=country.capital or None,
        )
        for country in Country.objects.all()
    ]
    return actors, countries


def _stances_for_timeline() -> QuerySet[Stance]:
    """Approved statements, once each: other articles' reports of the same statement
    come along as ``other_sources``."""
    other_sources = Prefetch(
        "corroborations",
        queryset=Stance.objects.filter(status=Stance.Status.APPROVED)
        .select_related("article")
        .order_by("article__published", "pk"),
        to_attr="other_sources",
    )
    return (
        Stance.objects.filter(status=Stance.Status.APPROVED, primary__isnull=True)
        .select_related("actor", "actor__country", "article", "topic")
        .prefetch_related(other_sources)
        .order_by("-stated_on", "-article__published", "-pk")
    )


def actor_timeline(*, actor: Actor) -> QuerySet[Stance]:
    """The actor's approved stances, newest first; undated ones last."""
    return _stances_for_timeline().filter(actor=actor)


def country_timeline(*, country: Country) -> QuerySet[Stance]:
    return _stances_for_timeline().filter(actor__country=country)
