"""Reads behind the analysts' charts, tables and exports.

Every function runs a fixed number of queries whatever the amount of data, and
returns plain Python structures that templates and `json_script` take as they are.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import islice
from urllib.parse import urlencode

import numpy as np
from django.core.paginator import Page, Paginator
from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    Window,
)
from django.db.models.functions import (
    Coalesce,
    RowNumber,
    TruncMonth,
    TruncQuarter,
    TruncWeek,
    TruncYear,
)
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from actors.models import Actor, Country, Stance, StanceMonth, Topic

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


# Beyond this many dated stances a chart shows one point per week or month and label
# (sized by its count, a click away from the list of its stances) instead of one per stance.
POINTS_LIMIT = 1500
STANCES_PER_PAGE = 50
# The network page draws and lists the strongest ties; the GraphML download has them all.
NETWORK_TIES_SHOWN = 200

# What the lists, charts and exports show of a stance and its article: never the body.
STANCE_FIELDS = (
    "actor_id",
    "topic_id",
    "label",
    "stated_on",
    "stated_on_precision",
    "article_id",
    "quote",
    "confidence",
    "status",
    "reviewed_by_id",
    "primary_id",
)
ARTICLE_FIELDS = ("article__title", "article__published", "article__outlet", "article__source_url")


def _statuses(filters: StanceFilters, approved_only: bool) -> list[str]:
    statuses = [Stance.Status.APPROVED]
    if filters.include_proposed and not approved_only:
        statuses.append(Stance.Status.PROPOSED)
    return statuses


def matching_stances(*, filters: StanceFilters, approved_only: bool = False) -> QuerySet[Stance]:
    """The statements the filters select, nothing joined and in no order: the base of every
    count and aggregate."""
    # One point per statement: other articles' reports of it count as its sources.
    queryset = Stance.objects.filter(
        status__in=_statuses(filters, approved_only), primary__isnull=True
    )
    if filters.topic is not None:
        queryset = queryset.filter(topic=filters.topic)
    if filters.labels:
        queryset = queryset.filter(label__in=filters.labels)
    if filters.date_from is not None:
        # On the coalesced date, as the indexes have it, so that a period's stances come out
        # of an index newest first. A start date leaves the undated out either way; without
        # one, the undated would count as stated on 1 January of year 1.
        queryset = queryset.alias(newest=undated_last()).filter(newest__gte=filters.date_from)
        if filters.date_to is not None:
            queryset = queryset.filter(newest__lte=filters.date_to)
    elif filters.date_to is not None:
        queryset = queryset.filter(stated_on__lte=filters.date_to)
    return queryset


def undated_last():
    """The statement date with "undated" as the first day of year 1: the expression of the
    analysis indexes (SQLite has no NULLS LAST in an index)."""
    return Coalesce(F("stated_on"), Value(date.min))


def newest_first() -> list:
    """Newest statement first, undated ones last, as the analysis indexes have them."""
    return [
        undated_last().desc(),
        F("article__published").desc(nulls_last=True),
        F("pk").desc(),
    ]


def stances_for_analysis(
    *, filters: StanceFilters, approved_only: bool = False
) -> QuerySet[Stance]:
    """Stances the filters select, newest first, with what the pages show of them: each
    one's other approved reports as `other_sources`."""
    other_sources = Prefetch(
        "corroborations",
        queryset=Stance.objects.filter(status=Stance.Status.APPROVED)
        .select_related("article")
        .only("primary_id", "article_id", "quote", *ARTICLE_FIELDS)
        .order_by("pk"),
        to_attr="other_sources",
    )
    return (
        matching_stances(filters=filters, approved_only=approved_only)
        .select_related("actor", "actor__country", "article", "topic", "reviewed_by")
        .only(
            *STANCE_FIELDS,
            *ARTICLE_FIELDS,
            "actor__name",
            "actor__slug",
            "actor__country__code",
            "actor__country__name",
            "topic__name",
            "topic__slug",
            "reviewed_by__username",
        )
        .prefetch_related(other_sources)
        .order_by(*newest_first())
    )


@dataclass
class Report:
    """One article's report of a statement."""

    article_id: int
    title: str
    outlet: str
    published: date | None
    url: str
    quote: str


@dataclass
class ExportedStance:
    """A statement as the exports write it, with every article that reports it: its own
    first, then the approved reports merged into it."""

    pk: int
    actor: str
    country: str | None
    topic: str
    label: str
    stated_on: date | None
    precision: str
    confidence: float
    status: str
    reviewer: str | None
    reports: list[Report]

    @property
    def stated_on_iso(self) -> str | None:
        if self.stated_on is None:
            return None
        if self.precision == Stance.Precision.MONTH:
            return self.stated_on.strftime("%Y-%m")
        return self.stated_on.isoformat()


REPORT_FIELDS = (  # in the order of Report's fields
    "article_id",
    "article__title",
    "article__outlet",
    "article__published",
    "article__source_url",
    "quote",
)


def stances_for_export(*, filters: StanceFilters, chunk_size: int) -> Iterator[ExportedStance]:
    """Every statement the filters select, newest first, read `chunk_size` rows at a time as
    plain values (one query for the rows, one per chunk for their other reports): memory
    holds one chunk whatever the number of rows."""
    rows = (
        matching_stances(filters=filters)
        .order_by(*newest_first())
        .values_list(
            "pk",
            "actor__name",
            "actor__country__code",
            "topic__name",
            "label",
            "stated_on",
            "stated_on_precision",
            "confidence",
            "status",
            "reviewed_by__username",
            *REPORT_FIELDS,
        )
        .iterator(chunk_size=chunk_size)
    )
    while chunk := list(islice(rows, chunk_size)):
        others: dict[int, list[Report]] = defaultdict(list)
        # the reports first, then their articles: asked together, the planner expects a
        # report per statement and reads every article
        reports = dict(
            Stance.objects.filter(
                primary_id__in=[row[0] for row in chunk], status=Stance.Status.APPROVED
            ).values_list("pk", "primary_id")
        )
        if reports:
            for pk, *report in (
                Stance.objects.filter(pk__in=list(reports))
                .order_by("pk")
                .values_list("pk", *REPORT_FIELDS)
            ):
                others[reports[pk]].append(Report(*report))
        for pk, actor, country, topic, label, day, precision, confidence, status, *rest in chunk:
            reviewer, report = rest[0], Report(*rest[1:])
            yield ExportedStance(
                pk=pk,
                actor=actor,
                country=country,
                topic=topic,
                label=label,
                stated_on=day,
                precision=precision,
                confidence=confidence,
                status=status,
                reviewer=reviewer,
                reports=[report, *others.get(pk, [])],
            )


def corroboration(*, stances: Iterable[Stance]) -> dict[int, int]:
    """How many articles report each statement (the stance and the reports merged
    into it); the measure behind the size of a chart's point."""
    return {stance.pk: 1 + len(getattr(stance, "other_sources", ())) for stance in stances}


def _sources_count():
    """The number of articles reporting each statement, as an annotation: itself and its
    approved reports."""
    reports = (
        Stance.objects.filter(primary=OuterRef("pk"), status=Stance.Status.APPROVED)
        .order_by()
        .values("primary")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(reports, output_field=IntegerField()), 0) + 1


def _symbol_size(corroborated: int) -> int:
    return min(10 + 5 * (corroborated - 1), 30)


def _count_size(count: int) -> int:
    return min(8 + round(4 * math.sqrt(count)), 40)


def _plotted(queryset: QuerySet[Stance]) -> QuerySet[Stance]:
    """The dated stances of `queryset` with what a chart's point shows of them."""
    return (
        queryset.filter(stated_on__isnull=False)
        .select_related("actor", "article")
        .only(
            "label",
            "status",
            "stated_on",
            "stated_on_precision",
            "quote",
            "actor_id",
            "actor__name",
            "article_id",
            "article__title",
            "article__published",
        )
        .annotate(sources=_sources_count())
        .order_by("stated_on", F("article__published").asc(nulls_first=True), "pk")
    )


def _point(stance: Stance, *, y: str | float) -> dict:
    corroborated = stance.sources
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


@dataclass(frozen=True)
class Period:
    """One step of an aggregated chart: a week (from Monday), a month, a quarter or a year."""

    unit: str  # one of UNITS
    start: date

    @property
    def end(self) -> date:
        if self.unit == "week":
            return self.start + timedelta(days=6)
        if self.unit == "year":
            return self.start.replace(month=12, day=31)
        months = 3 if self.unit == "quarter" else 1
        month = self.start.month - 1 + months
        following = date(self.start.year + month // 12, month % 12 + 1, 1)
        return following - timedelta(days=1)

    @property
    def name(self) -> str:
        if self.unit == "week":
            return str(_("week of %(day)s") % {"day": date_format(self.start, "DATE_FORMAT")})
        if self.unit == "quarter":
            quarter = (self.start.month - 1) // 3 + 1
            return str(_("Q%(quarter)s %(year)s") % {"quarter": quarter, "year": self.start.year})
        if self.unit == "year":
            return str(self.start.year)
        return date_format(self.start, "YEAR_MONTH_FORMAT")

    @classmethod
    def of(cls, unit: str, day: date) -> Period:
        """The period of `unit` that holds `day`."""
        if unit == "week":
            return cls(unit, day - timedelta(days=day.weekday()))
        if unit == "quarter":
            return cls(unit, day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1))
        if unit == "year":
            return cls(unit, day.replace(month=1, day=1))
        return cls(unit, day.replace(day=1))


UNITS = ("week", "month", "quarter", "year")  # finest first
UNIT_NAMES = {
    "week": gettext_lazy("week"),
    "month": gettext_lazy("month"),
    "quarter": gettext_lazy("quarter"),
    "year": gettext_lazy("year"),
}
TRUNCATE = {"week": TruncWeek, "month": TruncMonth, "quarter": TruncQuarter, "year": TruncYear}


def _periods(unit: str, first: date, last: date) -> int:
    if unit == "week":
        return (last - first).days // 7 + 1
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    return {"month": months, "quarter": months // 3 + 1}.get(unit, last.year - first.year + 1)


@dataclass
class Extent:
    """How many stances a chart would plot, and over how long."""

    total: int
    dated: int
    first: date | None
    last: date | None
    approved: int | None = None  # of `total`; None when not counted

    @property
    def undated(self) -> int:
        return self.total - self.dated

    @property
    def aggregated(self) -> bool:
        return self.dated > POINTS_LIMIT

    def unit(self, *, series: int = len(LABEL_ORDER)) -> str:
        """The finest period that keeps `series` points a period within the limit."""
        if self.first is None or self.last is None:
            return "month"
        for unit in UNITS:
            if _periods(unit, self.first, self.last) * series <= POINTS_LIMIT:
                return unit
        return UNITS[-1]


def chart_extent(queryset: QuerySet[Stance]) -> Extent:
    counts = queryset.aggregate(
        total=Count("pk"),
        dated=Count("stated_on"),
        first=Min("stated_on"),
        last=Max("stated_on"),
        approved=Count("pk", filter=Q(status=Stance.Status.APPROVED)),
    )
    return Extent(**counts)


def _buckets(queryset: QuerySet[Stance], unit: str, *fields: str) -> QuerySet:
    """Dated stances counted per period and `fields`, oldest period first."""
    trunc = TRUNCATE[unit]
    return (
        queryset.filter(stated_on__isnull=False)
        .annotate(period=trunc("stated_on"))
        .order_by()
        .values("period", *fields)
        .annotate(n=Count("pk"))
        .order_by("period", *fields)
    )


def _period_start(value) -> date:
    # TruncWeek/TruncMonth of a DateField give a date; some backends a datetime
    return value.date() if hasattr(value, "date") else value


def _aggregate_point(
    *, period: Period, y: str | float, label: str, count: int, proposed: bool, url: str, actor: str
) -> dict:
    return {
        "value": [period.start.isoformat(), y],
        "stance": label,
        "labelName": str(Stance.Label(label).label),
        "proposed": proposed,
        "actor": actor,
        "date": period.name,
        "count": count,
        "url": url,
        "symbolSize": _count_size(count),
    }


def period_link(
    base: str, *, filters: StanceFilters, period: Period, label: str | None = None
) -> str:
    """`base` (an analysis page) narrowed to the stances of one period (and label), whose
    list the page shows."""
    start = max(period.start, filters.date_from) if filters.date_from else period.start
    end = min(period.end, filters.date_to) if filters.date_to else period.end
    pairs: list[tuple[str, str]] = []
    if filters.topic is not None:
        pairs.append(("topic", filters.topic.slug))
    pairs += [("date_from", start.isoformat()), ("date_to", end.isoformat())]
    for value in [label] if label else filters.labels:
        pairs.append(("label", value))
    if filters.include_proposed:
        pairs.append(("include_proposed", "on"))
    return f"{base}?{urlencode(pairs)}#stances"


class CountedPaginator(Paginator):
    """A paginator told how many items there are (a chart's extent has counted them)."""

    def __init__(self, object_list, per_page, *, count: int | None):
        super().__init__(object_list, per_page)
        self.known = count

    @cached_property
    def count(self) -> int:
        return super().count if self.known is None else self.known


def stance_page(
    queryset: QuerySet[Stance], number: str | int | None, *, count: int | None = None
) -> Page:
    """One page of a stance list, newest first; a page past the end shows the last one."""
    return CountedPaginator(queryset, STANCES_PER_PAGE, count=count).get_page(number)


@dataclass
class StanceLists:
    """The paged lists beside a chart: approved stances, and proposed ones when asked for."""

    approved: Page
    proposed: Page | None


def stance_lists(
    queryset: QuerySet[Stance],
    *,
    filters: StanceFilters,
    page: str | None,
    proposed_page: str | None,
    extent: Extent | None = None,
) -> StanceLists:
    """`extent`, the chart's count of the same stances, saves counting them again."""
    approved_count = proposed_count = None
    if extent is not None and extent.approved is not None:
        approved_count, proposed_count = extent.approved, extent.total - extent.approved
    approved = queryset.filter(status=Stance.Status.APPROVED)
    proposed = None
    if filters.include_proposed:
        proposed = stance_page(
            queryset.filter(status=Stance.Status.PROPOSED), proposed_page, count=proposed_count
        )
    return StanceLists(
        approved=stance_page(approved, page, count=approved_count), proposed=proposed
    )


@dataclass(kw_only=True)
class Chart:
    """A chart's points: one per stance, or one per ``unit`` (a period) and label."""

    points: list[dict]
    extent: Extent
    unit: str | None  # the period of an aggregated chart's points; None: one per stance

    @property
    def unit_name(self) -> str:
        return str(UNIT_NAMES[self.unit]) if self.unit else ""

    @property
    def undated(self) -> int:
        return self.extent.undated

    @property
    def dated(self) -> int:
        return self.extent.dated


@dataclass(kw_only=True)
class ActorChart(Chart):
    pass


def actor_chart(*, actor: Actor, filters: StanceFilters) -> ActorChart:
    """The actor's dated stances as chart points: one per stance, or beyond POINTS_LIMIT one
    per period and label, linked to the page's list of that period's stances."""
    stances = matching_stances(filters=filters).filter(actor=actor)
    extent = chart_extent(stances)
    if not extent.aggregated:
        points = [_point(stance, y=stance.label) for stance in _plotted(stances)]
        return ActorChart(points=points, extent=extent, unit=None)
    unit = extent.unit()
    base = reverse("analysis:actor", kwargs={"slug": actor.slug})
    points = []
    for row in _buckets(stances, unit, "label", "status"):
        period = Period(unit=unit, start=_period_start(row["period"]))
        points.append(
            _aggregate_point(
                period=period,
                y=row["label"],
                label=row["label"],
                count=row["n"],
                proposed=row["status"] == Stance.Status.PROPOSED,
                url=period_link(base, filters=filters, period=period, label=row["label"]),
                actor=actor.name,
            )
        )
    return ActorChart(points=points, extent=extent, unit=unit)


@dataclass(kw_only=True)
class CountryChart(Chart):
    lanes: list[str]
    balance: list[dict]


def balance_of(counts: dict[str, Counter]) -> list[dict]:
    """Per month: share of support minus share of oppose among that month's stances."""
    balance = []
    for month in sorted(counts):
        labels = counts[month]
        total = sum(labels.values())
        value = (labels[Stance.Label.SUPPORT] - labels[Stance.Label.OPPOSE]) / total
        balance.append({"month": month, "value": round(value, 3), "n": total})
    return balance


def monthly_balance(*, stances: Iterable[Stance]) -> list[dict]:
    """Per month: share of support minus share of oppose among that month's stances."""
    months: dict[str, Counter] = defaultdict(Counter)
    for stance in stances:
        if stance.stated_on is not None:
            months[stance.stated_on.strftime("%Y-%m")][stance.label] += 1
    return balance_of(months)


def country_chart(*, country: Country, filters: StanceFilters) -> CountryChart:
    stances = matching_stances(filters=filters).filter(actor__country=country)
    extent = chart_extent(stances)
    fields = ("actor__slug", "actor__name", "label", "status")
    monthly = [
        {**row, "period": _period_start(row["period"])}
        for row in _buckets(stances, "month", *fields)
    ]
    months: dict[str, Counter] = defaultdict(Counter)
    for row in monthly:
        months[row["period"].strftime("%Y-%m")][row["label"]] += row["n"]
    balance = balance_of(months)
    if not extent.aggregated:
        points = [_point(stance, y=stance.actor.name) for stance in _plotted(stances)]
        lanes = sorted({point["actor"] for point in points})
        return CountryChart(lanes=lanes, points=points, balance=balance, extent=extent, unit=None)
    # One point per actor, period and label; a lane per actor, so labels may share a spot:
    # the most frequent label of the period is drawn on top.
    lanes = sorted({row["actor__name"] for row in monthly})
    unit = extent.unit(series=len(lanes) * len(LABEL_ORDER))
    if unit == "week":
        rows = [
            {**row, "period": _period_start(row["period"])}
            for row in _buckets(stances, unit, *fields)
        ]
    else:  # months, or months added up into quarters or years
        counted: Counter = Counter()
        for row in monthly:
            start = Period.of(unit, row["period"]).start
            counted[(start, *(row[name] for name in fields))] += row["n"]
        rows = [
            {"period": key[0], **dict(zip(fields, key[1:], strict=True)), "n": n}
            for key, n in counted.items()
        ]
    rows.sort(key=lambda row: (row["period"], row["actor__name"], row["n"]))
    points = []
    for row in rows:
        period = Period(unit=unit, start=row["period"])
        base = reverse("analysis:actor", kwargs={"slug": row["actor__slug"]})
        points.append(
            _aggregate_point(
                period=period,
                y=row["actor__name"],
                label=row["label"],
                count=row["n"],
                proposed=row["status"] == Stance.Status.PROPOSED,
                url=period_link(base, filters=filters, period=period, label=row["label"]),
                actor=row["actor__name"],
            )
        )
    return CountryChart(lanes=lanes, points=points, balance=balance, extent=extent, unit=unit)


def compare_choices() -> list[tuple[str, str]]:
    """(slug, name) of the actors that hold an approved stance, by name: one index probe per
    actor rather than a join over every stance."""
    approved = Stance.objects.filter(actor=OuterRef("pk"), status=Stance.Status.APPROVED)
    return list(Actor.objects.filter(Exists(approved)).order_by("name").values_list("slug", "name"))


@dataclass(kw_only=True)
class ComparedActor(Chart):
    actor: Actor


def compare_chart(*, actors: Sequence[Actor], filters: StanceFilters) -> list[ComparedActor]:
    """One series per actor, in the order given; labels sit on y = 3 (support) … 0 (oppose).
    An actor with more than POINTS_LIMIT / len(actors) dated stances is drawn one point per
    period and label."""
    positions = {label: len(LABEL_ORDER) - 1 - i for i, label in enumerate(LABEL_ORDER)}
    matching = matching_stances(filters=filters)
    extents = {
        row["actor_id"]: Extent(
            total=row["total"], dated=row["dated"], first=row["first"], last=row["last"]
        )
        for row in matching.filter(actor__in=actors)
        .order_by()
        .values("actor_id")
        .annotate(
            total=Count("pk"),
            dated=Count("stated_on"),
            first=Min("stated_on"),
            last=Max("stated_on"),
        )
    }
    empty = Extent(total=0, dated=0, first=None, last=None)
    share = POINTS_LIMIT // max(len(actors), 1)
    one_by_one = [a.pk for a in actors if extents.get(a.pk, empty).dated <= share]
    by_actor: dict[int, list[Stance]] = defaultdict(list)
    if one_by_one:
        for stance in _plotted(matching.filter(actor__in=one_by_one)):
            by_actor[stance.actor_id].append(stance)
    bounds = [e for a, e in extents.items() if a not in one_by_one and e.first is not None]
    unit = "month"
    if bounds:
        span = Extent(
            total=0,
            dated=0,
            first=min(e.first for e in bounds),
            last=max(e.last for e in bounds),
        )
        unit = span.unit(series=len(LABEL_ORDER) * len(actors))
    buckets: dict[int, list[dict]] = defaultdict(list)
    if len(one_by_one) < len(actors):
        grouped = matching.filter(actor__in=[a.pk for a in actors if a.pk not in one_by_one])
        for row in _buckets(grouped, unit, "actor_id", "label", "status"):
            buckets[row["actor_id"]].append(row)
    compared = []
    for index, actor in enumerate(actors):
        # Spread the actors a little around each label's line so that equal points stay visible.
        offset = (index - (len(actors) - 1) / 2) * 0.12
        extent = extents.get(actor.pk, empty)
        if actor.pk in one_by_one:
            points = [
                _point(stance, y=round(positions[stance.label] + offset, 3))
                for stance in by_actor.get(actor.pk, [])
            ]
            compared.append(ComparedActor(actor=actor, points=points, extent=extent, unit=None))
            continue
        base = reverse("analysis:actor", kwargs={"slug": actor.slug})
        points = []
        for row in buckets[actor.pk]:
            period = Period(unit=unit, start=_period_start(row["period"]))
            points.append(
                _aggregate_point(
                    period=period,
                    y=round(positions[row["label"]] + offset, 3),
                    label=row["label"],
                    count=row["n"],
                    proposed=row["status"] == Stance.Status.PROPOSED,
                    url=period_link(base, filters=filters, period=period, label=row["label"]),
                    actor=actor.name,
                )
            )
        compared.append(ComparedActor(actor=actor, points=points, extent=extent, unit=unit))
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


def month_cells(*, filters: StanceFilters) -> QuerySet[StanceMonth]:
    """The monthly table's cells of approved statements that the filters' topic and labels
    select (dates are the caller's business); empty cells left out."""
    cells = StanceMonth.objects.filter(stances__gt=0)
    if filters.topic is not None:
        cells = cells.filter(topic=filters.topic)
    if filters.labels:
        cells = cells.filter(label__in=filters.labels)
    return cells


def _month_start(day: date) -> date:
    return day.replace(day=1)


def _month_end(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def europe_overview(*, filters: StanceFilters) -> EuropeOverview:
    """Per country and month the label of the month's latest approved, dated stance.

    Read from the monthly table (``StanceMonth``): a month's latest stance in a country is
    the latest of its actors' cells, so the cost is that of the cells, not of the stances.
    A period that starts within a month keeps the cells whose latest stance is in it; one
    that ends within a month (before its last day) has that month counted from its stances.
    """
    cells = month_cells(filters=filters).filter(
        month__gt=StanceMonth.UNDATED_MONTH, actor__country__isnull=False
    )
    if filters.date_from is not None:
        cells = cells.filter(
            month__gte=_month_start(filters.date_from), latest_on__gte=filters.date_from
        )
    rows = []
    date_to = filters.date_to
    if date_to is not None:
        if date_to == _month_end(date_to):
            cells = cells.filter(month__lte=date_to)
        else:
            cells = cells.filter(month__lt=_month_start(date_to))
            last_month = matching_stances(filters=filters, approved_only=True).filter(
                stated_on__gte=_month_start(date_to)
            )
            rows = list(_europe_latest(last_month))
    newest = [
        F("latest_on").desc(),
        F("latest_published").desc(nulls_last=True),
        F("latest_id").desc(),
    ]
    latest = (
        cells.annotate(
            rank=Window(
                RowNumber(), partition_by=[F("actor__country_id"), F("month")], order_by=newest
            )
        )
        .filter(rank=1)
        .order_by()
        # narrow rows to sort: the countries' names come after, in a query of their own
        .values_list("actor__country_id", "month", "label")
    )
    latest = list(latest)
    countries = Country.objects.in_bulk({country_id for country_id, _, _ in latest})
    for country_id, month, label in latest:
        country = countries[country_id]
        rows.append((country.code, country.name, country.group, month, label))
    return _europe(rows)


def europe_overview_from_stances(*, filters: StanceFilters) -> EuropeOverview:
    """:func:`europe_overview` computed from the stances themselves, over all of them."""
    return _europe(_europe_latest(matching_stances(filters=filters, approved_only=True)))


def _europe_latest(stances: QuerySet[Stance]) -> QuerySet:
    """(country code, name, group, month, label) of each country's and month's latest
    dated stance among ``stances``, found by the database."""
    stances = stances.filter(stated_on__isnull=False, actor__country__isnull=False)
    month = TruncMonth("stated_on")
    return (
        stances.annotate(
            month=month,
            rank=Window(
                RowNumber(),
                partition_by=[F("actor__country_id"), month],
                order_by=newest_first(),
            ),
        )
        .filter(rank=1)
        .order_by()
        .values_list(
            "actor__country__code",
            "actor__country__name",
            "actor__country__group",
            "month",
            "label",
        )
    )


def _europe(latest: Iterable[tuple]) -> EuropeOverview:
    countries: dict[str, EuropeRow] = {}
    months: set[str] = set()
    for code, name, group, start, label in latest:
        key = _period_start(start).strftime("%Y-%m")
        months.add(key)
        row = countries.setdefault(code, EuropeRow(code=code, name=name, group=group, cells={}))
        row.cells[key] = label
    ordered = sorted(months)
    for row in countries.values():
        row.cells = dict(sorted(row.cells.items()))
        row.timeline = [row.cells.get(month) for month in ordered]
    return EuropeOverview(months=ordered, rows=sorted(countries.values(), key=lambda row: row.name))


def latest_as_of(*, overview: EuropeOverview, month: str) -> None:
    """Fill each row's `as_of` with its latest label in or before `month`."""
    for row in overview.rows:
        earlier = [m for m in row.cells if m <= month]
        row.as_of = row.cells[max(earlier)] if earlier else None


# What changed lists this many actors a page in each of its two lists.
CHANGES_PER_PAGE = 25


@dataclass(frozen=True)
class ChangeRef:
    """An actor in a list of what changed, by the ids of the stances its entry shows."""

    actor_id: int
    latest_id: int  # the actor's latest stance in the period
    previous_id: int | None  # the stance before it, on an earlier day
    first_id: int  # the actor's first stance


@dataclass
class Changes:
    """Both lists of what changed, whole but as ids: what a page of either is cut from."""

    changed: list[ChangeRef]
    new: list[ChangeRef]


@dataclass
class StanceChange:
    actor: Actor
    latest: Stance
    previous: Stance | None
    first_seen: date
    first: Stance | None = None  # for an actor new in the period: its first stance there


def stance_changes(*, date_from: date, date_to: date, filters: StanceFilters) -> Changes:
    """Actors whose latest approved stance in the period has another label than their stance
    before it, and actors whose first approved stance falls in the period; newest first.

    Only dated stances count. "Before it" means stated on an earlier day (or month), so that
    several articles reporting one statement do not hide a change. Two queries, neither of
    which reads the period's stances: the actors with statements in the period (from the
    monthly table, ``StanceMonth``) with each one's latest stance up to the period's end and
    the ids of the stance before it and of its first one (index probes per actor); then
    those two stances' labels and dates. No quote or name is read: :func:`changes_shown`
    reads them for the entries a page shows.
    """
    # dated, up to the period's end: bounds on the coalesced date, so that a probe per actor
    # enters the index stance_analysis_actor_idx (in its order) past the undated ones
    history = (
        matching_stances(
            filters=StanceFilters(topic=filters.topic, labels=filters.labels), approved_only=True
        )
        .alias(dated_on=undated_last())
        .filter(dated_on__gt=date.min, dated_on__lte=date_to)
    )
    newest = [
        undated_last().desc(),
        F("article__published").desc(nulls_last=True),
        F("pk").desc(),
    ]
    oldest = [
        undated_last().asc(),
        F("article__published").asc(nulls_last=True),
        F("pk").asc(),
    ]
    # a cell whose latest stance is older than the period holds none of the period's
    active = month_cells(filters=filters).filter(
        month__gte=_month_start(date_from),
        month__lte=date_to,
        latest_on__gte=date_from,
        latest_on__isnull=False,
    )
    latest_ids = Actor.objects.filter(pk__in=active.values("actor_id")).annotate(
        latest_id=Subquery(
            history.filter(actor_id=OuterRef("pk")).order_by(*newest).values("pk")[:1]
        )
    )
    before = history.filter(actor_id=OuterRef("actor_id"), stated_on__lt=OuterRef("stated_on"))
    latest = list(
        Stance.objects.filter(pk__in=latest_ids.values("latest_id"), stated_on__gte=date_from)
        .annotate(
            previous_id=Subquery(before.order_by(*newest).values("pk")[:1]),
            first_id=Subquery(
                history.filter(actor_id=OuterRef("actor_id")).order_by(*oldest).values("pk")[:1]
            ),
        )
        .order_by(*newest)
        .values_list("pk", "actor_id", "label", "previous_id", "first_id")
    )
    wanted = {i for *_, previous_id, first_id in latest for i in (previous_id, first_id) if i}
    others = (
        {
            pk: (label, stated_on)
            for pk, label, stated_on in Stance.objects.filter(pk__in=wanted)
            .order_by()
            .values_list("pk", "label", "stated_on")
        }
        if wanted
        else {}
    )
    changed, new = [], []
    for pk, actor_id, label, previous_id, first_id in latest:
        # the latest stance is in the actor's history, so there is a first one
        ref = ChangeRef(actor_id=actor_id, latest_id=pk, previous_id=previous_id, first_id=first_id)
        if previous_id is not None and others[previous_id][0] != label:
            changed.append(ref)
        if others[first_id][1] >= date_from:
            new.append(ref)
    return Changes(changed=changed, new=new)


def change_page(refs: Sequence[ChangeRef], number: str | int | None) -> Page:
    """One page of a list of what changed. A page number that is not a number, or below 1,
    gives the first page; one past the end the last, as the lists beside the charts do (a
    list that shrank since its link was made still answers)."""
    paginator = Paginator(refs, CHANGES_PER_PAGE)
    try:
        wanted = int(number)
    except (TypeError, ValueError):
        wanted = 1
    return paginator.page(min(max(wanted, 1), paginator.num_pages))


@dataclass
class ChangesShown:
    """The entries of one page of each list, with their stances, actors and countries."""

    changed: list[StanceChange]
    new: list[StanceChange]


def changes_shown(*, changed: Sequence[ChangeRef], new: Sequence[ChangeRef]) -> ChangesShown:
    """The stances (with quotes), actors and countries of the entries given: one query, as
    large as a page, whatever the number of actors that changed."""
    wanted = {
        i
        for ref in (*changed, *new)
        for i in (ref.latest_id, ref.previous_id, ref.first_id)
        if i is not None
    }
    shown = ("label", "stated_on", "stated_on_precision", "quote", "actor_id", "status")
    stances = (
        Stance.objects.select_related("actor", "actor__country")
        .only(*shown, "actor__name", "actor__slug", "actor__country__name")
        .in_bulk(wanted)
        if wanted
        else {}
    )

    def change(ref: ChangeRef) -> StanceChange:
        latest, first = stances[ref.latest_id], stances[ref.first_id]
        return StanceChange(
            actor=latest.actor,
            latest=latest,
            previous=stances.get(ref.previous_id),
            first_seen=first.stated_on,
            first=first,
        )

    return ChangesShown(changed=[change(ref) for ref in changed], new=[change(ref) for ref in new])


def latest_statement_date(*, filters: StanceFilters) -> date | None:
    """The date of the newest approved, dated stance the filters select."""
    return (
        matching_stances(filters=filters, approved_only=True)
        .filter(stated_on__isnull=False, stated_on__lte=timezone.localdate())
        .aggregate(latest=Max("stated_on"))["latest"]
    )


@dataclass
class Tie:
    source: int
    target: int
    weight: int
    first: date | None = None  # the day the first pair became visible
    last: date | None = None
    dates: list[tuple[date, int]] = field(default_factory=list)  # per day, its new pairs


@dataclass
class Network:
    actors: dict[int, Actor]
    ties: Iterable[Tie]  # a list; with `dates`, an iterator that counts each tie as it goes
    total: int = 0  # ties in all; `ties` holds the strongest `limit` of them when one was set

    @property
    def more(self) -> int:
        return self.total - len(self.ties)


def _related_labels(mode: str) -> list[tuple[str, str]]:
    """The (one actor's label, the other's) that tie two stances."""
    if mode == NetworkMode.CONFLICT:
        return [
            (Stance.Label.SUPPORT, Stance.Label.OPPOSE),
            (Stance.Label.OPPOSE, Stance.Label.SUPPORT),
        ]
    return [(label, label) for label in LABEL_ORDER]


def alignment_network(
    *, filters: StanceFilters, window: int, mode: str, limit: int | None = None, dates: bool = False
) -> Network:
    """Actors tied by pairs of their dated stances at most `window` days apart that take the
    same label (congruence) or support against oppose (conflict).

    A tie's date is the later stance's date: the day the pair became visible. The weight is
    the number of such pairs. The database counts stances per actor, label and day; the
    pairs are counted from those counts with matrix products, never one pair at a time.
    `limit` keeps the strongest ties; `dates` adds each tie's pairs per day.
    """
    counts = list(
        matching_stances(filters=filters, approved_only=True)
        .filter(stated_on__isnull=False)
        .order_by()
        .values_list("actor_id", "label", "stated_on")
        .annotate(n=Count("pk"))
    )
    if not counts:
        return Network(actors={}, ties=[], total=0)
    actor_ids = sorted({row[0] for row in counts})
    index = {actor_id: i for i, actor_id in enumerate(actor_ids)}
    start = min(row[2] for row in counts)
    days = (max(row[2] for row in counts) - start).days + 1
    labels = {label: i for i, label in enumerate(LABEL_ORDER)}
    stances = np.zeros((len(LABEL_ORDER), len(actor_ids), days))
    stances[
        np.fromiter((labels[row[1]] for row in counts), dtype=np.intp, count=len(counts)),
        np.fromiter((index[row[0]] for row in counts), dtype=np.intp, count=len(counts)),
        np.fromiter(((row[2] - start).days for row in counts), dtype=np.intp, count=len(counts)),
    ] = np.fromiter((row[3] for row in counts), dtype=float, count=len(counts))
    # cumulative[l, a, k]: actor a's stances with label l on the days before day k
    cumulative = np.zeros((len(LABEL_ORDER), len(actor_ids), days + 1))
    np.cumsum(stances, axis=2, out=cumulative[:, :, 1:])
    day = np.arange(days)
    back = np.maximum(day - window, 0)  # the first day within the window before each day
    ahead = np.minimum(day + window + 1, days)
    combos = [(labels[one], labels[other]) for one, other in _related_labels(mode)]
    weights = np.zeros((len(actor_ids), len(actor_ids)))
    for one, other in combos:
        # the other actors' stances within `window` days either side of each day
        around = cumulative[other][:, ahead] - cumulative[other][:, back]
        weights += stances[one] @ around.T
    weights = np.rint(np.triu(weights, k=1)).astype(np.int64)
    sources, targets = np.nonzero(weights)
    ids = np.array(actor_ids)
    # strongest first, then by the actors' ids
    order = np.lexsort((ids[targets], ids[sources], -weights[sources, targets]))
    total = len(order)
    if limit is not None:
        order = order[:limit]
    sources, targets = sources[order], targets[order]
    day_of = np.array([start + timedelta(days=i) for i in range(days)], dtype=object)

    def pairs_per_day(a: int, b: int) -> np.ndarray:
        # pairs whose later stance falls on each day: a's stance that day with b's on that day
        # or the `window` days before, and b's stance that day with a's on the days before
        found = np.zeros(days)
        for one, other in combos:
            up_to = cumulative[other, b, day + 1] - cumulative[other, b, back]
            before = cumulative[one, a, day] - cumulative[one, a, back]
            found += stances[one, a] * up_to + stances[other, b] * before
        return np.rint(found).astype(np.int64)

    def dated_ties() -> Iterator[Tie]:
        # one tie at a time, strongest first: an export writes each before the next is counted
        for a, b in zip(sources.tolist(), targets.tolist(), strict=True):
            found = pairs_per_day(a, b)
            on = np.nonzero(found)[0]
            yield Tie(
                source=actor_ids[a],
                target=actor_ids[b],
                weight=int(weights[a, b]),
                first=day_of[on[0]],
                last=day_of[on[-1]],
                dates=list(zip(day_of[on], found[on].tolist(), strict=True)),
            )

    ties: Iterable[Tie] = (
        dated_ties()
        if dates
        else _ties_by_source(sources, targets, weights, actor_ids, day_of, pairs_per_day)
    )
    linked = {actor_ids[i] for i in np.concatenate([sources, targets]).tolist()}
    actors = (
        Actor.objects.select_related("country")
        .only("name", "slug", "country__code", "country__name", "country__group")
        .in_bulk(linked)
    )
    return Network(
        actors=dict(sorted(actors.items(), key=lambda item: item[1].name)),
        ties=ties,
        total=total,
    )


def _ties_by_source(sources, targets, weights, actor_ids, day_of, pairs_per_day) -> list[Tie]:
    """The ties with their first and last day, in the order given."""
    ties = []
    for a, b in zip(sources.tolist(), targets.tolist(), strict=True):
        on = np.nonzero(pairs_per_day(a, b))[0]
        ties.append(
            Tie(
                source=actor_ids[a],
                target=actor_ids[b],
                weight=int(weights[a, b]),
                first=day_of[on[0]],
                last=day_of[on[-1]],
            )
        )
    return ties


def analysis_index() -> dict[str, list]:
    """Actors and countries with approved stances, for the entry page: the database counts
    stances per actor once (from the actor timeline index alone), the countries add theirs
    up."""
    approved = dict(
        Stance.objects.filter(status=Stance.Status.APPROVED)
        .order_by()
        .values_list("actor_id")
        .annotate(n=Count("pk"))
    )
    actors = list(
        Actor.objects.filter(pk__in=list(approved))
        .select_related("country")
        .only("name", "slug", "country__code", "country__name")
    )
    by_country: Counter = Counter()
    for actor in actors:
        actor.approved = approved[actor.pk]
        if actor.country is not None:
            by_country[actor.country.code] += actor.approved
    countries = list(Country.objects.filter(code__in=list(by_country)).order_by("name"))
    for country in countries:
        country.approved = by_country[country.code]
    return {
        "actors": sorted(actors, key=lambda actor: (-actor.approved, actor.name)),
        "countries": countries,
    }


UNDATED_SHOWN = 50


@dataclass
class Undated:
    count: int
    stances: list[Stance]  # the first UNDATED_SHOWN of them, newest article first


def undated_stances(*, filters: StanceFilters) -> Undated:
    """The approved stances the filters select that have no date: the map, the matrix and
    the network cannot place them, so the pages list them beside the chart."""
    undated = (
        stances_for_analysis(filters=filters, approved_only=True)
        .filter(stated_on__isnull=True)
        .prefetch_related(None)
    )
    first = list(undated[: UNDATED_SHOWN + 1])  # one query unless there are more to count
    if len(first) <= UNDATED_SHOWN:
        count = len(first)
    elif filters.date_from is not None or filters.date_to is not None:
        count = 0  # a period leaves the undated out (and the list is empty then)
    else:
        # from the monthly table's undated cells
        count = (
            (
                month_cells(filters=filters)
                .filter(month=StanceMonth.UNDATED_MONTH)
                .aggregate(n=Sum("stances"))["n"]
            )
            or 0
        )
    return Undated(count=count, stances=first[:UNDATED_SHOWN])
