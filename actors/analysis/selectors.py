"""Reads behind the analysts' charts, tables and exports.

Every function runs a fixed number of queries whatever the amount of data, and
returns plain Python structures that templates and `json_script` take as they are.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, F, Max, Min, OuterRef, Prefetch, Q, QuerySet, Subquery, Window
from django.db.models.functions import FirstValue, RowNumber
from django.utils import timezone

from actors.models import Actor, Country, Stance, Topic

# Top to bottom on the charts' label axis.
LABEL_ORDER: tuple[str, ...] = (
    Stance.Label.SUPPORT,
    Stance.Label.CONDITIONAL,
    Stance.Label.NEUTRAL,
    Stance.Label.OPPOSE,
)


class NetworkMode:
    CONGRUENCE = "congruence"
    CONFLICT = "conflict"
    CHOICES = (CONGRUENCE, CONFLICT)


@dataclass(frozen=True)
class StanceFilters:
    """What every analysis page narrows its stances by; built from the URL."""

    topic: Topic | None = None
    date_from: date | None = None
    date_to: date | None = None
    labels: tuple[str, ...] = ()
    include_proposed: bool = False


def label_legend() -> list[dict[str, str]]:
    return [{"value": value, "name": str(Stance.Label(value).label)} for value in LABEL_ORDER]


def stances_for_analysis(
    *, filters: StanceFilters, approved_only: bool = False
) -> QuerySet[Stance]:
    """Stances the filters select, newest first, with what the pages show of them."""
    statuses = [Stance.Status.APPROVED]
    if filters.include_proposed and not approved_only:
        statuses.append(Stance.Status.PROPOSED)
    # One point per statement: other articles' reports of it count as its sources.
    queryset = Stance.objects.filter(status__in=statuses, primary__isnull=True).annotate(
        sources=Count("corroborations", filter=Q(corroborations__status=Stance.Status.APPROVED)) + 1
    )
    if filters.topic is not None:
        queryset = queryset.filter(topic=filters.topic)
    if filters.labels:
        queryset = queryset.filter(label__in=filters.labels)
    if filters.date_from is not None:
        queryset = queryset.filter(stated_on__gte=filters.date_from)
    if filters.date_to is not None:
        queryset = queryset.filter(stated_on__lte=filters.date_to)
    other_sources = Prefetch(
        "corroborations",
        queryset=Stance.objects.filter(status=Stance.Status.APPROVED).select_related("article"),
        to_attr="other_sources",
    )
    return (
        queryset.select_related("actor", "actor__country", "article", "topic", "reviewed_by")
        .prefetch_related(other_sources)
        .order_by(
            F("stated_on").desc(nulls_last=True),
            F("article__published").desc(nulls_last=True),
            "-pk",
        )
    )


def corroboration(*, stances: Iterable[Stance]) -> dict[int, int]:
    """How many articles report each statement (the stance and the reports merged
    into it); the measure behind the size of a chart's point."""
    return {stance.pk: getattr(stance, "sources", 1) for stance in stances}


def _symbol_size(corroborated: int) -> int:
    return min(10 + 5 * (corroborated - 1), 30)


def _point(stance: Stance, *, y: str | float, corroborated: int) -> dict:
    return {
        "value": [stance.stated_on.isoformat(), y],
        "id": stance.pk,
        "stance": stance.label,  # not "label": ECharts reads that key as label styling
        "labelName": stance.get_label_display(),
        "proposed": stance.status == Stance.Status.PROPOSED,
        "actor": stance.actor.name,
        "date": stance.stated_on_display,
        "precision": stance.get_stated_on_precision_display(),
        "quote": stance.quote,
        "article": stance.article.title,
        "url": stance.get_absolute_url(),
        "corroboration": corroborated,
        "symbolSize": _symbol_size(corroborated),
    }


@dataclass
class ActorChart:
    stances: list[Stance]
    points: list[dict]
    undated: int


def actor_chart(*, actor: Actor, filters: StanceFilters) -> ActorChart:
    """The actor's stances for the list, and the dated ones as chart points."""
    stances = list(stances_for_analysis(filters=filters).filter(actor=actor))
    sizes = corroboration(stances=stances)
    points = [
        _point(stance, y=stance.label, corroborated=sizes[stance.pk])
        for stance in reversed(stances)
        if stance.stated_on is not None
    ]
    return ActorChart(stances=stances, points=points, undated=len(stances) - len(points))


@dataclass
class CountryChart:
    stances: list[Stance]
    lanes: list[str]
    points: list[dict]
    balance: list[dict]
    undated: int


def monthly_balance(*, stances: Iterable[Stance]) -> list[dict]:
    """Per month: share of support minus share of oppose among that month's stances."""
    months: dict[str, Counter] = defaultdict(Counter)
    for stance in stances:
        if stance.stated_on is not None:
            months[stance.stated_on.strftime("%Y-%m")][stance.label] += 1
    balance = []
    for month in sorted(months):
        counts = months[month]
        total = sum(counts.values())
        value = (counts[Stance.Label.SUPPORT] - counts[Stance.Label.OPPOSE]) / total
        balance.append({"month": month, "value": round(value, 3), "n": total})
    return balance


def country_chart(*, country: Country, filters: StanceFilters) -> CountryChart:
    stances = list(stances_for_analysis(filters=filters).filter(actor__country=country))
    sizes = corroboration(stances=stances)
    dated = [stance for stance in reversed(stances) if stance.stated_on is not None]
    lanes = sorted({stance.actor.name for stance in dated})
    return CountryChart(
        stances=stances,
        lanes=lanes,
        points=[
            _point(stance, y=stance.actor.name, corroborated=sizes[stance.pk]) for stance in dated
        ],
        balance=monthly_balance(stances=dated),
        undated=len(stances) - len(dated),
    )


@dataclass
class ComparedActor:
    actor: Actor
    points: list[dict]
    undated: int


def compare_chart(*, actors: Sequence[Actor], filters: StanceFilters) -> list[ComparedActor]:
    """One series per actor, in the order given; labels sit on y = 3 (support) … 0 (oppose)."""
    stances = list(stances_for_analysis(filters=filters).filter(actor__in=actors))
    sizes = corroboration(stances=stances)
    by_actor: dict[int, list[Stance]] = defaultdict(list)
    for stance in reversed(stances):
        by_actor[stance.actor_id].append(stance)
    positions = {label: len(LABEL_ORDER) - 1 - i for i, label in enumerate(LABEL_ORDER)}
    compared = []
    for index, actor in enumerate(actors):
        # Spread the actors a little around each label's line so that equal points stay visible.
        offset = (index - (len(actors) - 1) / 2) * 0.12
        own = by_actor.get(actor.pk, [])
        points = [
            _point(
                stance,
                y=round(positions[stance.label] + offset, 3),
                corroborated=sizes[stance.pk],
            )
            for stance in own
            if stance.stated_on is not None
        ]
        compared.append(ComparedActor(actor=actor, points=points, undated=len(own) - len(points)))
    return compared


@dataclass
class EuropeRow:
    code: str
    name: str
    group: str
    cells: dict[str, str]  # month → the month's latest label
    timeline: list[str | None] = field(default_factory=list)  # cells in the order of months
    as_of: str | None = None  # the latest label up to the chosen month


@dataclass
class EuropeOverview:
    months: list[str]
    rows: list[EuropeRow]


def europe_overview(*, filters: StanceFilters) -> EuropeOverview:
    """Per country and month the label of the month's latest approved, dated stance."""
    rows = (
        stances_for_analysis(filters=filters, approved_only=True)
        .filter(stated_on__isnull=False, actor__country__isnull=False)
        .order_by("stated_on", F("article__published").asc(nulls_first=True), "pk")
        .values_list(
            "actor__country__code",
            "actor__country__name",
            "actor__country__group",
            "stated_on",
            "label",
        )
    )
    countries: dict[str, EuropeRow] = {}
    months: set[str] = set()
    for code, name, group, stated_on, label in rows:
        month = stated_on.strftime("%Y-%m")
        months.add(month)
        row = countries.setdefault(code, EuropeRow(code=code, name=name, group=group, cells={}))
        row.cells[month] = label  # ascending order: the last one written is the latest
    ordered = sorted(months)
    for row in countries.values():
        row.timeline = [row.cells.get(month) for month in ordered]
    return EuropeOverview(months=ordered, rows=sorted(countries.values(), key=lambda row: row.name))


def latest_as_of(*, overview: EuropeOverview, month: str) -> None:
    """Fill each row's `as_of` with its latest label in or before `month`."""
    for row in overview.rows:
        earlier = [m for m in row.cells if m <= month]
        row.as_of = row.cells[max(earlier)] if earlier else None


@dataclass
class StanceChange:
    actor: Actor
    latest: Stance
    previous: Stance | None
    first_seen: date
    first: Stance | None = None  # for an actor new in the period: its first stance there


@dataclass
class Changes:
    changed: list[StanceChange]
    new: list[StanceChange]


def stance_changes(*, date_from: date, date_to: date, filters: StanceFilters) -> Changes:
    """Actors whose latest approved stance in the period has another label than their stance
    before it, and actors whose first approved stance falls in the period; newest first.

    Only dated stances count. "Before it" means stated on an earlier day (or month), so that
    several articles reporting one statement do not hide a change. Two queries in all: the
    latest stance per actor comes from a window function, the previous one's id from a
    correlated subquery.
    """
    history = stances_for_analysis(
        filters=StanceFilters(topic=filters.topic, labels=filters.labels), approved_only=True
    ).filter(stated_on__isnull=False, stated_on__lte=date_to)
    newest_first = [
        F("stated_on").desc(),
        F("article__published").desc(nulls_last=True),
        F("pk").desc(),
    ]
    previous_id = (
        history.filter(actor_id=OuterRef("actor_id"), stated_on__lt=OuterRef("stated_on"))
        .order_by(*newest_first)
        .values("pk")[:1]
    )
    latest = list(
        history.annotate(
            rank=Window(RowNumber(), partition_by=[F("actor_id")], order_by=newest_first),
            first_seen=Window(Min("stated_on"), partition_by=[F("actor_id")]),
            first_id=Window(
                FirstValue("pk"),
                partition_by=[F("actor_id")],
                order_by=[
                    F("stated_on").asc(),
                    F("article__published").asc(nulls_last=True),
                    F("pk").asc(),
                ],
            ),
            previous_id=Subquery(previous_id),
        )
        .filter(rank=1)
        .order_by(*newest_first)
    )
    latest = [stance for stance in latest if stance.stated_on >= date_from]
    wanted = [stance.previous_id for stance in latest if stance.previous_id]
    wanted += [stance.first_id for stance in latest if stance.first_seen >= date_from]
    previous = Stance.objects.select_related("article").in_bulk(wanted) if wanted else {}
    changed, new = [], []
    for stance in latest:
        before = previous.get(stance.previous_id)
        change = StanceChange(
            actor=stance.actor,
            latest=stance,
            previous=before,
            first_seen=stance.first_seen,
            first=previous.get(stance.first_id, stance),
        )
        if before is not None and before.label != stance.label:
            changed.append(change)
        if stance.first_seen >= date_from:
            new.append(change)
    return Changes(changed=changed, new=new)


def latest_statement_date(*, filters: StanceFilters) -> date | None:
    """The date of the newest approved, dated stance the filters select."""
    return (
        stances_for_analysis(filters=filters, approved_only=True)
        .filter(stated_on__isnull=False, stated_on__lte=timezone.localdate())
        .aggregate(latest=Max("stated_on"))["latest"]
    )


@dataclass
class Tie:
    source: int
    target: int
    dates: list[date] = field(default_factory=list)

    @property
    def weight(self) -> int:
        return len(self.dates)


@dataclass
class Network:
    actors: dict[int, Actor]
    ties: list[Tie]


def _related(mode: str, first: str, second: str) -> bool:
    if mode == NetworkMode.CONFLICT:
        return {first, second} == {Stance.Label.SUPPORT, Stance.Label.OPPOSE}
    return first == second


def alignment_network(*, filters: StanceFilters, window: int, mode: str) -> Network:
    """Actors tied by pairs of their dated stances at most `window` days apart that take the
    same label (congruence) or support against oppose (conflict).

    A tie's date is the later stance's date: the day the pair became visible. The weight is
    the number of such pairs.
    """
    stances = sorted(
        stances_for_analysis(filters=filters, approved_only=True).filter(stated_on__isnull=False),
        key=lambda stance: (stance.stated_on, stance.pk),
    )
    span = timedelta(days=window)
    ties: dict[tuple[int, int], Tie] = {}
    start = 0
    for index, stance in enumerate(stances):
        while stances[start].stated_on < stance.stated_on - span:
            start += 1
        for other in stances[start:index]:
            if other.actor_id == stance.actor_id or not _related(mode, other.label, stance.label):
                continue
            source, target = sorted((other.actor_id, stance.actor_id))
            tie = ties.setdefault((source, target), Tie(source=source, target=target))
            tie.dates.append(stance.stated_on)
    linked = {actor_id for pair in ties for actor_id in pair}
    actors = {stance.actor_id: stance.actor for stance in stances if stance.actor_id in linked}
    return Network(
        actors=dict(sorted(actors.items(), key=lambda item: item[1].name)),
        ties=sorted(ties.values(), key=lambda tie: (-tie.weight, tie.source, tie.target)),
    )


def analysis_index() -> dict[str, QuerySet]:
    """Actors and countries with approved stances, for the entry page."""
    approved = Count("stances", filter=Q(stances__status=Stance.Status.APPROVED))
    return {
        "actors": Actor.objects.select_related("country")
        .annotate(approved=approved)
        .filter(approved__gt=0)
        .order_by("-approved", "name"),
        "countries": Country.objects.annotate(
            approved=Count(
                "actors__stances", filter=Q(actors__stances__status=Stance.Status.APPROVED)
            )
        )
        .filter(approved__gt=0)
        .order_by("name"),
    }


UNDATED_SHOWN = 50


@dataclass
class Undated:
    count: int
    stances: list[Stance]  # the first UNDATED_SHOWN of them, newest article first


def undated_stances(*, filters: StanceFilters) -> Undated:
    """The approved stances the filters select that have no date: the map, the matrix and
    the network cannot place them, so the pages list them beside the chart."""
    undated = stances_for_analysis(filters=filters, approved_only=True).filter(
        stated_on__isnull=True
    )
    first = list(undated[: UNDATED_SHOWN + 1])  # one query unless there are more to count
    count = len(first) if len(first) <= UNDATED_SHOWN else undated.count()
    return Undated(count=count, stances=first[:UNDATED_SHOWN])
