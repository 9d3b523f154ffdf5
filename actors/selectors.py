"""Reads that pages, commands and the extractor share."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, Max, Prefetch, QuerySet
from django.utils.translation import gettext as _

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


def review_queue(*, flagged: bool = False) -> QuerySet[Stance]:
    """Proposed stances in reading order: by article, then by position.

    Flagged proposals wait for an admin in a queue of their own.
    """
    return (
        Stance.objects.filter(status=Stance.Status.PROPOSED, flagged_at__isnull=not flagged)
        .select_related("actor", "actor__country", "article", "topic", "flagged_by")
        .order_by("article__published", "article_id", "quote_start")
    )


def review_facets(*, queryset: QuerySet[Stance]) -> dict[str, list[tuple[str, str, int]]]:
    """How many proposals each label and country has among the filtered ones."""
    labels = dict(
        queryset.order_by().values_list("label").annotate(n=Count("id")).values_list("label", "n")
    )
    countries = (
        queryset.order_by()
        .values_list("actor__country__code", "actor__country__name")
        .annotate(n=Count("id"))
        .order_by("-n", "actor__country__name")
    )
    return {
        "labels": [(value, name, labels.get(value, 0)) for value, name in Stance.Label.choices],
        "countries": [(code or "", name or "–", n) for code, name, n in countries],
    }


_HISTORY_HIDDEN = {"version", "updated_at", "created_at"}


def stance_history(*, stance: Stance) -> list[dict]:
    """Every recorded change of the stance, newest first: who, when, and each field's
    value before and after, as names and labels (never ids)."""
    records = list(stance.history.select_related("history_user").order_by("history_id"))
    deltas = []
    for previous, record in zip([None, *records], records, strict=False):
        changes = []
        if previous is not None:
            changes = [
                (Stance._meta.get_field(change.field), change.old, change.new)
                for change in record.diff_against(previous).changes
                if change.field not in _HISTORY_HIDDEN
            ]
        deltas.append((record, changes))
    names = _related_names(
        (field, value)
        for _record, changes in deltas
        for field, old, new in changes
        for value in (old, new)
    )
    entries = [
        {
            "record": record,
            "changes": [
                {
                    "field": field.verbose_name,
                    "old": _shown(field, old, names),
                    "new": _shown(field, new, names),
                }
                for field, old, new in changes
            ],
        }
        for record, changes in deltas
    ]
    return entries[::-1]


def _related_names(pairs) -> dict[tuple, str]:
    """What the ids of related rows in the history stand for, in one query per model."""
    wanted: dict = defaultdict(set)
    for field, value in pairs:
        if field.is_relation and value is not None:
            wanted[field.related_model].add(value)
    return {
        (model, obj.pk): str(obj)
        for model, ids in wanted.items()
        for obj in model._default_manager.filter(pk__in=ids)
    }


def _shown(field, value, names: dict[tuple, str]) -> str:
    if value is None or value == "":
        return "–"
    if field.is_relation:
        return names.get((field.related_model, value), _("(removed)"))
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return str(value)
