"""Project-wide pages: the home page, which draws on both apps."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.templatetags.static import static
from django.views.decorators.http import require_GET

from actors.selectors import stance_counts
from articles.models import IngestJob
from articles.selectors import article_count


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    """What each role needs first: analysts the approved record, editors the queue too,
    admins the latest ingest jobs; a user without a role is told how to get one."""
    user = request.user
    if not user.has_perm("actors.view_stance"):
        return render(request, "home.html", {"no_role": True})
    counts = stance_counts(with_proposed=user.has_perm("actors.review_stance"))
    return render(
        request,
        "home.html",
        {
            "counts": counts,
            "article_count": article_count(),
            "actor_count": counts.pop("actors"),
            "latest_jobs": IngestJob.objects.all()[:5]
            if user.has_perm("articles.view_ingestjob")
            else [],
        },
    )


@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    # resolved per request: the hashed name exists only once collectstatic has run
    return HttpResponsePermanentRedirect(static("favicon.svg"))


@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness for a load balancer or container check, and the benchmark's trivial view:
    it reads no database table and renders no template."""
    return HttpResponse("ok", content_type="text/plain")
