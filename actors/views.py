from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from actors.evidence import quote_context
from actors.models import Actor, Country, Stance
from actors.paging import CappedPaginator
from actors.review.selectors import corroboration_candidates, stance_history
from actors.selectors import (
    actor_timeline,
    actors_for_page,
    actors_with_counts,
    countries_with_counts,
    country_timeline,
    stance_reports,
    stance_tallies,
    statements_count,
)

TIMELINE_PAGE_SIZE = 50


@require_GET
@login_required
@permission_required("actors.view_stance", raise_exception=True)
def actor_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    tallies = stance_tallies()
    page = Paginator(actors_with_counts(tallies=tallies, query=query), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "actors/actor_list.html",
        {
            "page": page,
            "actors": actors_for_page(page.object_list),
            "query": query,
            "tallies_at": tallies.counted_at,
        },
    )


@require_GET
@login_required
@permission_required("actors.view_stance", raise_exception=True)
def actor_detail(request: HttpRequest, slug: str) -> HttpResponse:
    actor = get_object_or_404(Actor.objects.select_related("country", "speaks_for"), slug=slug)
    return render(
        request,
        "actors/actor_detail.html",
        {
            "actor": actor,
            "page": _timeline_page(
                request,
                actor_timeline(actor=actor),
                count=statements_count(actor=actor),
            ),
            "aliases": actor.aliases.all(),
        },
    )


def _timeline_page(request: HttpRequest, stances, *, count: int):
    """A timeline a page at a time: the busiest actor has thousands of stances. ``count``
    comes from the monthly table, as counting the busiest's stances would take as long as
    they are many."""
    paginator = CappedPaginator(stances, TIMELINE_PAGE_SIZE, known_count=count)
    return paginator.get_page(request.GET.get("page"))


@require_GET
@login_required
@permission_required("actors.view_stance", raise_exception=True)
def country_list(request: HttpRequest) -> HttpResponse:
    tallies = stance_tallies()
    return render(
        request,
        "actors/country_list.html",
        {"countries": countries_with_counts(tallies=tallies), "tallies_at": tallies.counted_at},
    )


@require_GET
@login_required
@permission_required("actors.view_stance", raise_exception=True)
def country_detail(request: HttpRequest, code: str) -> HttpResponse:
    country = get_object_or_404(Country, code=code.upper())
    return render(
        request,
        "actors/country_detail.html",
        {
            "country": country,
            "page": _timeline_page(
                request,
                country_timeline(country=country),
                count=statements_count(country=country),
            ),
        },
    )


@require_GET
@login_required
@permission_required("actors.view_stance", raise_exception=True)
def stance_detail(request: HttpRequest, pk: int) -> HttpResponse:
    stance = get_object_or_404(
        Stance.objects.select_related(
            "actor", "actor__country", "article", "topic", "reviewed_by"
        ).defer("article__search_vector"),
        pk=pk,
    )
    if stance.status != Stance.Status.APPROVED and not request.user.has_perm(
        "actors.review_stance"
    ):
        return HttpResponse(_("This stance has not been approved yet."), status=403)
    can_review = request.user.has_perm("actors.review_stance")
    # who reviewed and why it was flagged is the editors' business
    history = stance_history(stance=stance) if can_review else []
    primary = stance.primary or stance
    group = stance_reports(stance=stance, with_unreviewed=can_review)
    return render(
        request,
        "actors/stance_detail.html",
        {
            "stance": stance,
            "context": quote_context(stance.article.body, stance.quote_start, stance.quote_end),
            "history": history,
            "group": group if len(group) > 1 else [],
            "candidates": corroboration_candidates(stance=primary)
            if can_review and stance.status == Stance.Status.APPROVED
            else [],
        },
    )
