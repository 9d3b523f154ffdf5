from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from actors.models import Stance
from articles.highlight import highlight_paragraphs
from articles.models import Article


@require_GET
@login_required
@permission_required("articles.view_article", raise_exception=True)
def article_list(request: HttpRequest) -> HttpResponse:
    articles = (
        Article.objects.annotate(
            proposed=Count("stances", filter=Q(stances__status=Stance.Status.PROPOSED)),
            approved=Count("stances", filter=Q(stances__status=Stance.Status.APPROVED)),
        )
        .defer("body")
        .order_by("-published", "-created_at")
    )
    page = Paginator(articles, 50).get_page(request.GET.get("page"))
    return render(request, "articles/article_list.html", {"page": page})


@require_GET
@login_required
@permission_required("articles.view_article", raise_exception=True)
def article_detail(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(Article, pk=pk)
    stances = article.stances.select_related("actor").order_by("quote_start")
    if not request.user.has_perm("actors.review_stance"):
        stances = stances.filter(status=Stance.Status.APPROVED)
    else:
        stances = stances.exclude(status=Stance.Status.REJECTED)
    stances = list(stances)
    paragraphs = highlight_paragraphs(
        article.body, [(s.quote_start, s.quote_end, s.pk, s.label) for s in stances]
    )
    return render(
        request,
        "articles/article_detail.html",
        {"article": article, "paragraphs": paragraphs, "stances": stances},
    )
