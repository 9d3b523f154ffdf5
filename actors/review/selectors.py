"""Reads that pages, commands and the extractor share."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from actors.models import Actor, Stance
from actors.selectors import QueueTallies


def review_queue(*, flagged: bool = False) -> QuerySet[Stance]:
    """Proposed stances in reading order: article by article as they came in, then by
    position (the order of the index stance_open_queue_idx, so that a page costs the same
    however long the queue is).

    Flagged proposals wait for an admin in a queue of their own.
    """
    return (
        Stance.objects.filter(status=Stance.Status.PROPOSED, flagged_at__isnull=not flagged)
        .select_related("actor", "actor__country", "article", "topic", "flagged_by")
        .order_by("article_id", "quote_start", "pk")
    )


def review_page_stances(*, ids: list[int]) -> list[Stance]:
    """The stances of one page of the queue, whose ids were paged alone (sorting narrow
    rows is cheap; sorting them with their articles' bodies is not), in the page's order."""
    loaded = (
        Stance.objects.select_related("actor", "actor__country", "article", "topic", "flagged_by")
        .defer("article__search_vector")
        .in_bulk(ids)
    )
    return [loaded[pk] for pk in ids if pk in loaded]


def review_actor_names() -> list[str]:
    """Names of the actors with open proposals, for the actor filter's suggestions: one
    index probe per actor, however many proposals there are."""
    open_proposal = Stance.objects.filter(actor=OuterRef("pk"), status=Stance.Status.PROPOSED)
    return list(
        Actor.objects.filter(Exists(open_proposal)).order_by("name").values_list("name", flat=True)
    )


def review_article_title(*, article_id: int | None) -> str:
    """The title of the article the queue is narrowed to, read through its stances."""
    if article_id is None:
        return ""
    titles = Stance.objects.filter(article_id=article_id).values_list("article__title", flat=True)
    return titles.first() or ""


def review_facets(*, queryset: QuerySet[Stance]) -> dict[str, list[tuple[str, str, int]]]:
    """How many proposals each label and country has among the filtered ones. Counted by
    actor, a column of the index stance_open_tally_idx: filtered by label, country or actor,
    the stances are read from that index alone."""
    labels = dict(
        queryset.order_by()
        .values_list("label")
        .annotate(n=Count("actor_id"))
        .values_list("label", "n")
    )
    countries = (
        queryset.order_by()
        .values_list("actor__country__code", "actor__country__name")
        .annotate(n=Count("actor_id"))
        .order_by("-n", "actor__country__name")
    )
    return _facets(labels, ((code, name, n) for code, name, n in countries))


def review_queue_facets(
    *, tallies: QueueTallies, flagged: bool
) -> dict[str, list[tuple[str, str, int]]]:
    """:func:`review_facets` of the whole queue, from the cached tallies."""
    labels = {
        label: n
        for (is_flagged, label), n in tallies.open_by_label.items()
        if is_flagged == flagged
    }
    countries = sorted(
        (
            (code, name, n)
            for (is_flagged, code, name), n in tallies.open_by_country.items()
            if is_flagged == flagged
        ),
        key=lambda row: (-row[2], row[1]),
    )
    return _facets(labels, countries)


def _facets(labels: dict[str, int], countries) -> dict[str, list[tuple[str, str, int]]]:
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


CANDIDATES_SHOWN = 20


def corroboration_candidates(*, stance: Stance) -> list[Stance]:
    """Approved stances of the same actor, label and topic from other articles whose
    dates agree within their precision: likely the same statement. Only the stance's
    month can agree, so the database is asked for that month alone, and the agreement
    (:meth:`Stance.dates_agree`) is asked of it too, so that a slice of twenty is all that
    is read."""
    if stance.stated_on is None:
        return []
    month = stance.stated_on.replace(day=1)
    next_month = (month + timedelta(days=32)).replace(day=1)
    others = (
        Stance.objects.filter(
            actor_id=stance.actor_id,
            topic_id=stance.topic_id,
            label=stance.label,
            status=Stance.Status.APPROVED,
            primary__isnull=True,
            stated_on__gte=month,
            stated_on__lt=next_month,
        )
        .exclude(article_id=stance.article_id)
        .exclude(pk=stance.pk)
        .select_related("article")
        .defer("article__body", "article__search_vector")
    )
    if stance.stated_on_precision != Stance.Precision.MONTH:
        # a day agrees with the same day, or with a date known to its month only
        others = others.filter(
            Q(stated_on=stance.stated_on) | Q(stated_on_precision=Stance.Precision.MONTH)
        )
    # the oldest report first: an approval joins the oldest's group
    return list(others.order_by("pk")[:CANDIDATES_SHOWN])
