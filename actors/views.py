from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from actors.forms import StanceLabelForm
from actors.models import Actor, Country, Stance
from actors.selectors import actor_timeline, country_timeline, review_queue
from actors.services import stance_approve, stance_reject, stance_relabel
from articles.highlight import quote_context
from articles.models import Article, IngestJob


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    counts = Stance.objects.aggregate(
        proposed=Count("id", filter=Q(status=Stance.Status.PROPOSED)),
        approved=Count("id", filter=Q(status=Stance.Status.APPROVED)),
        rejected=Count("id", filter=Q(status=Stance.Status.REJECTED)),
    )
    return render(
        request,
        "actors/home.html",
        {
            "counts": counts,
            "article_count": Article.objects.count(),
            "actor_count": Actor.objects.filter(stances__status=Stance.Status.APPROVED)
            .distinct()
            .count(),
            "latest_jobs": IngestJob.objects.all()[:5],
        },
    )


@require_GET
@login_required
@permission_required("actors.review_stance", raise_exception=True)
def review(request: HttpRequest) -> HttpResponse:
    page = Paginator(review_queue(), settings.STANCETRACKER_REVIEW_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    items = [_review_item(stance) for stance in page]
    return render(request, "actors/review.html", {"page": page, "items": items})


def _review_item(stance: Stance) -> dict:
    return {
        "stance": stance,
        "context": quote_context(stance.article.body, stance.quote_start, stance.quote_end),
        "label_form": StanceLabelForm(instance=stance, auto_id=f"stance-{stance.pk}-%s"),
    }


@require_POST
@login_required
@permission_required("actors.review_stance", raise_exception=True)
def stance_review(request: HttpRequest, pk: int) -> HttpResponse:
    stance = get_object_or_404(
        Stance.objects.select_related("actor", "actor__country", "article", "topic"), pk=pk
    )
    action = request.POST.get("action")
    if action == "approve":
        stance_approve(stance=stance, editor=request.user)
    elif action == "reject":
        stance_reject(stance=stance, editor=request.user)
    elif action == "label":
        form = StanceLabelForm(request.POST, instance=stance)
        if not form.is_valid():
            return HttpResponse(_("Choose one of the four labels."), status=400)
        stance_relabel(stance=stance, editor=request.user, label=form.cleaned_data["label"])
    else:
        return HttpResponse(_("Unknown review action."), status=400)

    if request.htmx:
        return render(request, "actors/review.html#review-item", {"item": _review_item(stance)})
    messages.success(request, _("Saved: %(stance)s.") % {"stance": stance})
    return redirect(_safe_next(request, default="actors:review"))


def _safe_next(request: HttpRequest, *, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


@require_GET
@login_required
@permission_required("actors.view_stance", raise_exception=True)
def actor_list(request: HttpRequest) -> HttpResponse:
    actors = (
        Actor.objects.select_related("country")
        .annotate(approved=Count("stances", filter=Q(stances__status=Stance.Status.APPROVED)))
        .order_by("-approved", "name")
    )
    query = request.GET.get("q", "").strip()
    if query:
        actors = actors.filter(
            Q(name__icontains=query) | Q(aliases__text__icontains=query)
        ).distinct()
    page = Paginator(actors, 50).get_page(request.GET.get("page"))
    return render(request, "actors/actor_list.html", {"page": page, "query": query})


@require_GET
@login_required
@permission_required("actors.view_stance", raise_exception=True)
def actor_detail(request: HttpRequest, slug: str) -> HttpResponse:
    actor = get_object_or_404(Actor.objects.select_related("country", "speaks_for"), slug=slug)
    return render(
        request,
        "actors/actor_detail.html",
        {"actor": actor, "stances": actor_timeline(actor=actor), "aliases": actor.aliases.all()},
    )


@require_GET
@login_required
@permission_required("actors.view_stance", raise_exception=True)
def country_list(request: HttpRequest) -> HttpResponse:
    countries = Country.objects.annotate(
        actor_count=Count("actors", distinct=True),
        approved=Count("actors__stances", filter=Q(actors__stances__status=Stance.Status.APPROVED)),
    ).order_by("group", "name")
    return render(request, "actors/country_list.html", {"countries": countries})


@require_GET
@login_required
@permission_required("actors.view_stance", raise_exception=True)
def country_detail(request: HttpRequest, code: str) -> HttpResponse:
    country = get_object_or_404(Country, code=code.upper())
    return render(
        request,
        "actors/country_detail.html",
        {"country": country, "stances": country_timeline(country=country)},
    )


@require_GET
@login_required
@permission_required("actors.view_stance", raise_exception=True)
def stance_detail(request: HttpRequest, pk: int) -> HttpResponse:
    stance = get_object_or_404(
        Stance.objects.select_related("actor", "actor__country", "article", "topic", "reviewed_by"),
        pk=pk,
    )
    if stance.status != Stance.Status.APPROVED and not request.user.has_perm(
        "actors.review_stance"
    ):
        return HttpResponse(_("This stance has not been approved yet."), status=403)
    history = stance.history.select_related("history_user").order_by("-history_date")
    return render(
        request,
        "actors/stance_detail.html",
        {
            "stance": stance,
            "context": quote_context(stance.article.body, stance.quote_start, stance.quote_end),
            "history": history,
        },
    )
