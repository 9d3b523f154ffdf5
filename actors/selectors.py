"""Reads that pages, commands and the extractor share."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import NamedTuple

from django.core.cache import cache
from django.db import connection
from django.db.models import Count, F, Max, Prefetch, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from actors.models import Actor, ActorAlias, Country, Stance, StanceMonth, Topic


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
        .defer("article__body", "article__search_vector")
        .order_by("article__published", "pk"),
        to_attr="other_sources",
    )
    # newest first, undated ones last (undated as the first day of year 1): the order of the
    # analysis pages' indexes stance_analysis_actor_idx and stance_analysis_newest_idx
    # (actors migration 0012), on every database; the article's date (undated articles
    # last) only breaks ties among stances of one day
    return (
        Stance.objects.filter(status=Stance.Status.APPROVED, primary__isnull=True)
        .select_related("actor", "actor__country", "article", "topic")
        .defer("article__body", "article__search_vector")
        .prefetch_related(other_sources)
        .order_by(
            Coalesce(F("stated_on"), Value(date.min)).desc(),
            F("article__published").desc(nulls_last=True),
            F("pk").desc(),
        )
    )


def actor_timeline(*, actor: Actor) -> QuerySet[Stance]:
    """The actor's approved stances, newest first; undated ones last."""
    return _stances_for_timeline().filter(actor=actor)


def country_timeline(*, country: Country) -> QuerySet[Stance]:
    # by the actors' ids: the newest stances of all actors are walked by date, and each is
    # kept if its actor is one of the country's (a lookup, no join)
    actors = Actor.objects.filter(country=country).values("pk")
    return _stances_for_timeline().filter(actor__in=actors)


def statements_count(*, actor: Actor | None = None, country: Country | None = None) -> int:
    """The approved statements (each once: no corroborating reports) of an actor or of a
    country's actors, summed over the monthly table's cells: exact at once after every
    write, and as costly as the cells are many, not the stances."""
    cells = StanceMonth.objects.all()
    if actor is not None:
        cells = cells.filter(actor=actor)
    if country is not None:
        cells = cells.filter(actor__country=country)
    return cells.aggregate(n=Sum("stances"))["n"] or 0


def actor_by_name(name: str) -> Actor | None:
    """The actor a name or alias denotes, ignoring case."""
    return (
        Actor.objects.filter(Q(name__iexact=name) | Q(aliases__text__iexact=name))
        .distinct()
        .first()
    )


# Tallies over all stances are cached. Every new or changed stance (and every change to the
# actor list) changes their fingerprint; approved stances are then counted again at most
# once every TALLIES_MIN_AGE seconds, as counting them takes seconds at a million (the pages
# say as of when). TALLIES_MAX_AGE covers what the fingerprint cannot see, such as an article
# deleted with its stances. Open proposals, fewer and what editors watch change under their
# decisions, are counted again on every change.
TALLIES_MIN_AGE = 30  # seconds
TALLIES_MAX_AGE = 300  # seconds
_TALLIES_KEY = "actors:stance-tallies"
_QUEUE_TALLIES_KEY = "actors:queue-tallies"


@dataclass(frozen=True)
class StanceTallies:
    """Approved stances over the whole table, as of ``counted_at``."""

    approved: int
    approved_by_actor: dict[int, int]
    approved_by_country: dict[int, int]
    # approved statements once each (no corroborating reports): what timelines list
    statements_by_actor: dict[int, int]
    statements_by_country: dict[int, int]
    counted_at: datetime

    @property
    def actors_with_approved(self) -> int:
        return sum(1 for n in self.approved_by_actor.values() if n)


@dataclass(frozen=True)
class QueueTallies:
    """Open proposals, for the review queue and the queue of flagged ones (``flagged``
    True): per label, and per country as (code, name), "" and "" for actors of none."""

    open_by_label: dict[tuple[bool, str], int]
    open_by_country: dict[tuple[bool, str, str], int]
    counted_at: datetime

    @property
    def proposed(self) -> int:
        return sum(self.open_by_label.values())

    def queue_count(self, *, flagged: bool) -> int:
        return sum(n for (is_flagged, _), n in self.open_by_label.items() if is_flagged == flagged)


def stances_fingerprint() -> tuple:
    """Changes whenever a stance is added or changed and whenever an actor is added,
    changed (its country) or removed (a merge, which also removes stances); each part reads
    one end of an index or a small table, in one query."""
    stance, actor = Stance._meta.db_table, Actor._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT MAX(id) FROM {stance}), (SELECT MAX(updated_at) FROM {stance}), "
            f"(SELECT COUNT(*) FROM {actor}), (SELECT MAX(updated_at) FROM {actor})"
        )
        return tuple(cursor.fetchone())


def _cached(key: str, count, *, min_age: float, fingerprint: tuple | None = None):
    fingerprint = fingerprint or stances_fingerprint()
    cached = cache.get(key)
    if cached is not None:
        cached_fingerprint, tallies = cached
        age = (timezone.now() - tallies.counted_at).total_seconds()
        if age < TALLIES_MAX_AGE and (cached_fingerprint == fingerprint or age < min_age):
            return tallies
    tallies = count()
    cache.set(key, (fingerprint, tallies), TALLIES_MAX_AGE)
    return tallies


def stance_tallies(*, fingerprint: tuple | None = None) -> StanceTallies:
    """Approved stances, in all and per actor and country (see TALLIES_MIN_AGE)."""
    return _cached(_TALLIES_KEY, _tallies_count, min_age=TALLIES_MIN_AGE, fingerprint=fingerprint)


def queue_tallies(*, fingerprint: tuple | None = None) -> QueueTallies:
    """Open proposals per label and country, counted again on every change."""
    return _cached(_QUEUE_TALLIES_KEY, _queue_tallies_count, min_age=0, fingerprint=fingerprint)


def _tallies_count() -> StanceTallies:
    counted_at = timezone.now()
    rows = (
        Stance.objects.filter(status=Stance.Status.APPROVED)
        .order_by()
        .values_list("actor_id", "actor__country_id")
        .annotate(n=Count("id"), statements=Count("id", filter=Q(primary__isnull=True)))
    )
    approved_by_actor: dict[int, int] = defaultdict(int)
    approved_by_country: dict[int, int] = defaultdict(int)
    statements_by_actor: dict[int, int] = defaultdict(int)
    statements_by_country: dict[int, int] = defaultdict(int)
    for actor_id, country_id, n, statements in rows:
        approved_by_actor[actor_id] += n
        statements_by_actor[actor_id] += statements
        if country_id is not None:
            approved_by_country[country_id] += n
            statements_by_country[country_id] += statements
    return StanceTallies(
        approved=sum(approved_by_actor.values()),
        approved_by_actor=dict(approved_by_actor),
        approved_by_country=dict(approved_by_country),
        statements_by_actor=dict(statements_by_actor),
        statements_by_country=dict(statements_by_country),
        counted_at=counted_at,
    )


def _queue_tallies_count() -> QueueTallies:
    counted_at = timezone.now()
    # the stances' side from the index stance_open_tally_idx alone (an index-only scan),
    # joined with the few actors and countries
    rows = (
        Stance.objects.filter(status=Stance.Status.PROPOSED)
        .order_by()
        .values_list("actor__country__code", "actor__country__name", "label")
        .annotate(
            n=Count("actor_id"), flagged=Count("actor_id", filter=Q(flagged_at__isnull=False))
        )
    )
    open_by_label: dict[tuple[bool, str], int] = defaultdict(int)
    open_by_country: dict[tuple[bool, str, str], int] = defaultdict(int)
    for code, name, label, n, flagged in rows:
        for is_flagged, count in ((False, n - flagged), (True, flagged)):
            if count:
                open_by_label[is_flagged, label] += count
                open_by_country[is_flagged, code or "", name or ""] += count
    return QueueTallies(
        open_by_label=dict(open_by_label),
        open_by_country=dict(open_by_country),
        counted_at=counted_at,
    )


class ActorRow(NamedTuple):
    pk: int
    name: str
    approved: int


def actors_with_counts(*, tallies: StanceTallies, query: str = "") -> list[ActorRow]:
    """Actors with approved stances first, each with its count of them; ``query`` matches
    a name or an alias. Only ids and names are read for the ordering: page the list, then
    load the page with :func:`actors_for_page`."""
    actors = Actor.objects.order_by()
    if query:
        # through a subquery: a join with the aliases would list an actor once per alias
        by_alias = ActorAlias.objects.filter(text__icontains=query).values("actor_id")
        actors = actors.filter(Q(name__icontains=query) | Q(pk__in=by_alias))
    counts = tallies.approved_by_actor
    rows = [ActorRow(pk, name, counts.get(pk, 0)) for pk, name in actors.values_list("pk", "name")]
    rows.sort(key=lambda row: (-row.approved, row.name))
    return rows


def actors_for_page(rows: list[ActorRow]) -> list[Actor]:
    """The actors of one page of :func:`actors_with_counts`, loaded whole, in its order,
    each with its count of approved stances (``approved``)."""
    loaded = Actor.objects.select_related("country").in_bulk([row.pk for row in rows])
    page = []
    for row in rows:
        actor = loaded.get(row.pk)
        if actor is not None:
            actor.approved = row.approved
            page.append(actor)
    return page


def countries_with_counts(*, tallies: StanceTallies) -> list[Country]:
    """Countries by group, with their numbers of actors and of approved stances."""
    countries = list(
        Country.objects.annotate(actor_count=Count("actors")).order_by("group", "name")
    )
    for country in countries:
        country.approved = tallies.approved_by_country.get(country.pk, 0)
    return countries


def stance_reports(*, stance: Stance, with_unreviewed: bool) -> list[Stance]:
    """Every report of the statement ``stance`` belongs to, the primary one first; only
    approved ones unless the reader may review."""
    primary = stance.primary or stance
    others = primary.corroborations.select_related("article").defer(
        "article__body", "article__search_vector"
    )
    reports = [primary, *others.order_by("pk")]
    return [
        report for report in reports if with_unreviewed or report.status == Stance.Status.APPROVED
    ]


def stance_counts(*, with_proposed: bool) -> dict:
    """Approved stances, the actors holding them, and (for editors) open proposals, with
    the time the approved ones were counted at (see :func:`stance_tallies`)."""
    fingerprint = stances_fingerprint()
    tallies = stance_tallies(fingerprint=fingerprint)
    counts = {
        "approved": tallies.approved,
        "actors": tallies.actors_with_approved,
        "counted_at": tallies.counted_at,
    }
    if with_proposed:
        counts["proposed"] = queue_tallies(fingerprint=fingerprint).proposed
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
