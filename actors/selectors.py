"""Reads that pages, commands and the extractor share."""

from __future__ import annotations

from django.db.models import Count, Max, Prefetch, QuerySet

from actors.models import Actor, ActorAlias, Country, Stance, Topic

DEFAULT_TOPIC_SLUG = "europe-russia-dialogue"


def default_topic() -> Topic:
    return Topic.objects.get(slug=DEFAULT_TOPIC_SLUG)


def actor_list_fingerprint() -> tuple:
    """Changes whenever an actor, alias or country is added, edited or removed."""
    actors = Actor.objects.aggregate(n=Count("id"), last=Max("updated_at"))
    aliases = ActorAlias.objects.aggregate(n=Count("id"), last=Max("updated_at"))
    return (actors["n"], actors["last"], aliases["n"], aliases["last"], Country.objects.count())


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
