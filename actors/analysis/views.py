"""The analysts' pages: charts, the Europe map, changes, the alignment network, exports.

Every filter lives in the URL, so each page is a permalink.
"""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Page
from django.http import HttpRequest, HttpResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from actors.analysis.caching import Aggregates, filters_key
from actors.analysis.exports import network_graphml, stances_csv, stances_json
from actors.analysis.forms import (
    MONTH,
    ChangesForm,
    CompareForm,
    NetworkForm,
    filter_context,
    filter_form,
    filter_query,
)
from actors.analysis.selectors import (
    NETWORK_TIES_SHOWN,
    actor_chart,
    alignment_network,
    analysis_index,
    change_page,
    changes_shown,
    compare_chart,
    compare_choices,
    country_chart,
    europe_overview,
    label_legend,
    latest_as_of,
    latest_statement_date,
    stance_changes,
    stance_lists,
    stances_for_analysis,
    stances_for_export,
    undated_stances,
)
from actors.models import Actor, Country

EXPORT_CHUNK = 2000  # stances read from the database at a time


def _lists(request: HttpRequest, stances, filters, extent) -> dict:
    """The paged lists of approved and (when asked for) proposed stances beside a chart."""
    return {
        "lists": stance_lists(
            stances,
            filters=filters,
            page=request.GET.get("page"),
            proposed_page=request.GET.get("proposed_page"),
            extent=extent,
        )
    }


def _undated(aggregates: Aggregates, filters):
    return aggregates.get("undated", lambda: undated_stances(filters=filters), filters_key(filters))


def _chart_meta() -> dict:
    # the charts take each label's colour from the style sheet (--support, ...)
    return {"labels": label_legend()}


@require_GET
@login_required
@permission_required("actors.view_stance", raise_exception=True)
def index(request: HttpRequest) -> HttpResponse:
    form = filter_form(request)
    return render(
        request,
        "actors/analysis/index.html",
        filter_context(request, form, "index", **Aggregates().get("index", analysis_index)),
    )


@require_GET
@login_required
@permission_required("actors.view_stance", raise_exception=True)
def actor_timeline(request: HttpRequest, slug: str) -> HttpResponse:
    actor = get_object_or_404(Actor.objects.select_related("country"), slug=slug)
    form = filter_form(request)
    filters = form.filters()
    chart = Aggregates().get(
        "actor", lambda: actor_chart(actor=actor, filters=filters), actor.pk, filters_key(filters)
    )
    data = {"kind": "actor", "points": chart.points, **_chart_meta()}
    stances = stances_for_analysis(filters=filters).filter(actor=actor)
    return render(
        request,
        "actors/analysis/actor.html",
        filter_context(
            request,
            form,
            "actor",
            actor=actor,
            chart=chart,
            data=data,
            **_lists(request, stances, filters, chart.extent),
        ),
    )


@require_GET
@login_required
@permission_required("actors.view_stance", raise_exception=True)
def country_timeline(request: HttpRequest, code: str) -> HttpResponse:
    country = get_object_or_404(Country, code=code.upper())
    form = filter_form(request)
    filters = form.filters()
    chart = Aggregates().get(
        "country",
        lambda: country_chart(country=country, filters=filters),
        country.pk,
        filters_key(filters),
    )
    data = {
        "kind": "country",
        "lanes": chart.lanes,
        "points": chart.points,
        "balance": chart.balance,
        **_chart_meta(),
    }
    return render(
        request,
        "actors/analysis/country.html",
        filter_context(
            request,
            form,
            "country",
            country=country,
            chart=chart,
            chart_height=max(360, 40 * len(chart.lanes) + 260),
            data=data,
            **_lists(
                request,
                stances_for_analysis(filters=filters).filter(actor__country=country),
                filters,
                chart.extent,
            ),
        ),
    )


@require_GET
@login_required
@permission_required("actors.view_stance", raise_exception=True)
def europe(request: HttpRequest) -> HttpResponse:
    form = filter_form(request, proposed=False)
    filters = form.filters()
    aggregates = Aggregates()
    overview = aggregates.get(
        "europe", lambda: europe_overview(filters=filters), filters_key(filters)
    )
    months = overview.months
    requested = request.GET.get("as_of", "")
    # The slider moves over the months with data: a month without data shows the one before
    # it (the map would be the same), a month before them all the first one.
    position = len(months) - 1
    if MONTH.match(requested):
        position = max((i for i, month in enumerate(months) if month <= requested), default=0)
    as_of = months[position] if months else ""
    latest_as_of(overview=overview, month=as_of)
    data = {
        "kind": "europe",
        "geo": static("vendor/europe.geo.json"),
        "months": months,
        "position": position,
        "countries": [
            {"code": row.code, "name": row.name, "cells": row.cells} for row in overview.rows
        ],
        "countryUrl": reverse("actors:country", kwargs={"code": "XX"}),
        **_chart_meta(),
    }
    return render(
        request,
        "actors/analysis/europe.html",
        filter_context(
            request,
            form,
            "europe",
            overview=overview,
            as_of=as_of,
            position=position,
            data=data,
            undated=_undated(aggregates, form.filters()),
        ),
    )


@require_GET
@login_required
@permission_required("actors.view_stance", raise_exception=True)
def compare(request: HttpRequest) -> HttpResponse:
    form = filter_form(request)
    compare_form = CompareForm(request.GET if "actors" in request.GET else None)
    aggregates = Aggregates()
    compared = []
    if compare_form.is_bound and compare_form.is_valid():
        actors, filters = compare_form.cleaned_data["actors"], form.filters()
        compared = aggregates.get(
            "compare",
            lambda: compare_chart(actors=actors, filters=filters),
            [actor.pk for actor in actors],
            filters_key(filters),
        )
    data = {
        "kind": "compare",
        "series": [
            {"name": item.actor.name, "points": item.points, "slug": item.actor.slug}
            for item in compared
        ],
        **_chart_meta(),
    }
    chosen = request.GET.getlist("actors")
    return render(
        request,
        "actors/analysis/compare.html",
        filter_context(
            request,
            form,
            "compare",
            compare_form=compare_form,
            compared=compared,
            chosen=chosen,
            actor_choices=aggregates.get("compare-choices", compare_choices),
            data=data,
        ),
    )


def _change_pager(query: QueryDict, param: str, page: Page) -> dict[str, str | None]:
    """The links of one list's pager: the page's own query (filters, period and the other
    list's page) with this list's page number changed (none for the first), back to the
    list's heading."""
    anchor = param.removesuffix("_page")

    def link(number: int) -> str:
        linked = query.copy()
        linked.pop(param, None)
        if number > 1:
            linked[param] = str(number)
        return f"?{linked.urlencode()}#{anchor}"

    last = page.paginator.num_pages
    return {
        "first": link(1) if page.number > 2 else None,
        "previous": link(page.number - 1) if page.has_previous() else None,
        "next": link(page.number + 1) if page.has_next() else None,
        "last": link(last) if page.number < last - 1 else None,
    }


@require_GET
@login_required
@permission_required("actors.view_stance", raise_exception=True)
def changes(request: HttpRequest) -> HttpResponse:
    form = filter_form(request, dates=False, proposed=False)
    query = request.GET
    if not (query.get("from") or query.get("to")):
        # by default the 90 days up to the newest stance, shown in the form (and kept in
        # the pagers' links, so that the next page is of the same period)
        end = latest_statement_date(filters=form.filters()) or timezone.localdate()
        query = query.copy()
        query["to"] = end.isoformat()
        query["from"] = (end - timedelta(days=90)).isoformat()
    period_form = ChangesForm(query)
    date_from, date_to = period_form.period()
    filters = form.filters()
    aggregates = Aggregates()
    asked = (date_from, date_to, filters_key(filters))
    # both lists whole, as ids; then the stances of the pages shown, under those pages
    result = aggregates.get(
        "changes",
        lambda: stance_changes(date_from=date_from, date_to=date_to, filters=filters),
        *asked,
    )
    changed = change_page(result.changed, query.get("changed_page"))
    new = change_page(result.new, query.get("new_page"))
    # the pagers' links carry the pages shown, not the numbers asked for
    query = query.copy()
    for param, page in (("changed_page", changed), ("new_page", new)):
        query.pop(param, None)
        if page.number > 1:
            query[param] = str(page.number)
    shown = aggregates.get(
        "changes-shown",
        lambda: changes_shown(changed=changed.object_list, new=new.object_list),
        *asked,
        changed.number,
        new.number,
    )
    return render(
        request,
        "actors/analysis/changes.html",
        filter_context(
            request,
            form,
            "changes",
            period_form=period_form,
            date_from=date_from,
            date_to=date_to,
            changed=changed,
            new=new,
            shown=shown,
            changed_pager=_change_pager(query, "changed_page", changed),
            new_pager=_change_pager(query, "new_page", new),
        ),
    )


def _network_query(request: HttpRequest, window: int, mode: str) -> str:
    query = filter_query(request)
    return "&".join(filter(None, [query, urlencode({"window": window, "mode": mode})]))


def _network_chart(graph, mode: str) -> tuple[list[dict], dict]:
    """The network's country-group categories and the chart's nodes and links."""
    groups = [(value, str(label)) for value, label in Country.Group.choices]
    # colours come from the style sheet's --group-<value>
    categories = [{"name": label, "group": value} for value, label in groups]
    categories.append({"name": _("No country"), "group": "none"})
    group_index = {value: i for i, (value, _label) in enumerate(groups)}
    degree: dict[int, int] = {}
    for tie in graph.ties:
        degree[tie.source] = degree.get(tie.source, 0) + tie.weight
        degree[tie.target] = degree.get(tie.target, 0) + tie.weight
    nodes = [
        {
            "id": str(actor_id),
            "name": actor.name,
            "country": actor.country.name if actor.country else "",
            "category": group_index[actor.country.group] if actor.country else len(groups),
            "weight": degree.get(actor_id, 0),
            "url": reverse("analysis:actor", kwargs={"slug": actor.slug}),
        }
        for actor_id, actor in graph.actors.items()
    ]
    links = [
        {
            "source": str(tie.source),
            "target": str(tie.target),
            "sourceName": graph.actors[tie.source].name,
            "targetName": graph.actors[tie.target].name,
            "value": tie.weight,
            "first": tie.first.isoformat(),
            "last": tie.last.isoformat(),
        }
        for tie in graph.ties
    ]
    data = {"kind": "network", "mode": mode, "categories": categories, "nodes": nodes}
    return categories, data | {"links": links, **_chart_meta()}


@require_GET
@login_required
@permission_required("actors.view_stance", raise_exception=True)
def network(request: HttpRequest) -> HttpResponse:
    form = filter_form(request, proposed=False)
    network_form = NetworkForm(request.GET)
    window, mode = network_form.settings()
    filters = form.filters()
    aggregates = Aggregates()
    graph = aggregates.get(
        "network",
        lambda: alignment_network(
            filters=filters, window=window, mode=mode, limit=NETWORK_TIES_SHOWN
        ),
        filters_key(filters),
        window,
        mode,
        NETWORK_TIES_SHOWN,
    )
    categories, data = _network_chart(graph, mode)
    return render(
        request,
        "actors/analysis/network.html",
        filter_context(
            request,
            form,
            "network",
            network_form=network_form,
            window=window,
            mode=mode,
            graph=graph,
            categories=categories,
            network_query=_network_query(request, window, mode),
            data=data,
            undated=_undated(aggregates, form.filters()),
        ),
    )


def _stream(pieces, *, content_type: str, filename: str) -> StreamingHttpResponse:
    """An export written while it is sent: the first bytes leave before the last row is read,
    and memory holds one chunk of rows at a time."""
    response = StreamingHttpResponse(pieces, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _exported(request: HttpRequest):
    """Every stance the filters select, newest first, read from the database in chunks."""
    return stances_for_export(filters=filter_form(request).filters(), chunk_size=EXPORT_CHUNK)


def _permalinks(request: HttpRequest):
    """A stance's absolute address from its id, without resolving a URL per row."""
    marker = 987654321
    address = request.build_absolute_uri(reverse("actors:stance", kwargs={"pk": marker}))
    head, tail = address.split(str(marker))
    return lambda stance: f"{head}{stance.pk}{tail}"


@require_GET
@login_required
@permission_required("actors.view_stance", raise_exception=True)
def export_stances_csv(request: HttpRequest) -> StreamingHttpResponse:
    return _stream(
        stances_csv(
            stances=_exported(request),
            with_reviewer=request.user.has_perm("actors.review_stance"),
        ),
        content_type="text/csv; charset=utf-8",
        filename="stances.csv",
    )


@require_GET
@login_required
@permission_required("actors.view_stance", raise_exception=True)
def export_stances_json(request: HttpRequest) -> StreamingHttpResponse:
    return _stream(
        stances_json(
            stances=_exported(request),
            permalink=_permalinks(request),
            with_reviewer=request.user.has_perm("actors.review_stance"),
        ),
        content_type="application/json; charset=utf-8",
        filename="stances.json",
    )


@require_GET
@login_required
@permission_required("actors.view_stance", raise_exception=True)
def export_network_graphml(request: HttpRequest) -> StreamingHttpResponse:
    window, mode = NetworkForm(request.GET).settings()
    graph = alignment_network(
        filters=filter_form(request, proposed=False).filters(),
        window=window,
        mode=mode,
        dates=True,
    )
    return _stream(
        network_graphml(network=graph, mode=mode, window=window),
        content_type="application/graphml+xml; charset=utf-8",
        filename=f"network-{mode}-{window}d.graphml",
    )
