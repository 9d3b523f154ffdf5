"""Reads that pages, commands and the extractor share."""

from __future__ import annotations

from django.db.models import Count, Max, Prefetch, Q, QuerySet

from actors.models import Actor, ActorAlias, Country, Stance, Topic


def default_topic() -> Topic:
    return Topic.objects.get(slug=Topic.DEFAULT_SLUG)


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


def actor_by_name(name: str) -> Actor | None:
    """The actor a name or alias denotes, ignoring case."""
    return (
        Actor.objects.filter(Q(name__iexact=name) | Q(aliases__text__iexact=name))
        .distinct()
        .first()
    )


def actors_with_counts(*, query: str = "") -> QuerySet[Actor]:
    """Actors with approved stances first, each with its count of them; ``query`` matches
    a name or an alias."""
    actors = (
        Actor.objects.select_related("country")
        .annotate(approved=Count("stances", filter=Q(stances__status=Stance.Status.APPROVED)))
        .order_by("-approved", "name")
    )
    if query:
        # through a subquery: a join with the aliases would count each stance once per alias
        by_alias = ActorAlias.objects.filter(text__icontains=query).values("actor_id")
        actors = actors.filter(Q(name__icontains=query) | Q(pk__in=by_alias))
    return actors


def countries_with_counts() -> QuerySet[Country]:
    """Countries by group, with their numbers of actors and of approved stances."""
    return Country.objects.annotate(
        actor_count=Count("actors", distinct=True),
        approved=Count("actors__stances", filter=Q(actors__stances__status=Stance.Status.APPROVED)),
    ).order_by("group", "name")


def stance_reports(*, stance: Stance, with_unreviewed: bool) -> list[Stance]:
    """Every report of the statement ``stance`` belongs to, the primary one first; only
    approved ones unless the reader may review."""
    primary = stance.primary or stance
    reports = [primary, *primary.corroborations.select_related("article").order_by("pk")]
    return [
        report for report in reports if with_unreviewed or report.status == Stance.Status.APPROVED
    ]


def stance_counts(*, with_proposed: bool) -> dict[str, int]:
    """Approved stances, the actors holding them, and (for editors) open proposals."""
    counts = Stance.objects.aggregate(
        proposed=Count("id", filter=Q(status=Stance.Status.PROPOSED)),
        approved=Count("id", filter=Q(status=Stance.Status.APPROVED)),
        actors=Count("actor", filter=Q(status=Stance.Status.APPROVED), distinct=True),
    )
    if not with_proposed:
        counts.pop("proposed")
    return counts


def actor_names() -> list[str]:
    """Every actor's name, for the suggestions of an actor box."""
    return list(Actor.objects.order_by("name").values_list("name", flat=True))


def actors_with_approved_stances() -> list[tuple[str, str]]:
    """(slug, name) of the actors that hold an approved stance, by name."""
    return list(
        Actor.objects.filter(stances__status=Stance.Status.APPROVED)
        .distinct()
        .order_by("name")
        .values_list("slug", "name")
    )
