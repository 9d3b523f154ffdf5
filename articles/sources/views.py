"""The Sources pages (admins): add, change, switch on and off, poll now, OPML."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from articles.models import IngestJob, Source, SourcePoll
from articles.sources.forms import OpmlImportForm, SourceForm
from articles.sources.opml import OpmlError, opml_write
from articles.sources.selectors import (
    source_entries,
    source_failed_count,
    source_list,
    source_polls,
)
from articles.sources.services import (
    source_create,
    source_delete,
    source_set_enabled,
    source_update,
    sources_import_opml,
    sources_opml_feeds,
)
from articles.sources.tasks import source_poll_request

LIST = "articles/sources/source_list.html"
DETAIL = "articles/sources/source_detail.html"


def _busy(source: Source) -> bool:
    """Whether the row should keep refreshing itself: a poll is waiting or running, or
    the articles of the last one are still being ingested."""
    poll = source.last_poll
    return bool(
        source.queued_at
        or source.polling_since
        or (poll and poll.outcome == SourcePoll.Outcome.RUNNING)
        or (poll and poll.job and poll.job.status != IngestJob.Status.DONE)
    )


def _list_page(request, *, form=None, opml_form=None, status=200) -> HttpResponse:
    sources = list(source_list())
    for source in sources:
        source.busy = _busy(source)
    context = {
        "sources": sources,
        "form": form or SourceForm(initial={"kind": Source.Kind.FEED}),
        "opml_form": opml_form or OpmlImportForm(),
    }
    return render(request, LIST, context, status=status)


@require_GET
@login_required
@permission_required("articles.view_source", raise_exception=True)
def sources(request: HttpRequest) -> HttpResponse:
    return _list_page(request)


@require_POST
@login_required
@permission_required("articles.add_source", raise_exception=True)
def source_add(request: HttpRequest) -> HttpResponse:
    form = SourceForm(request.POST, request.FILES)
    if not form.is_valid():
        return _list_page(request, form=form, status=400)
    source = source_create(created_by=request.user, **form.source_fields())
    messages.success(
        request,
        _("Added “%(name)s”: the worker polls it within a minute, then every %(n)d minutes.")
        % {"name": source.name, "n": source.interval_minutes},
    )
    return redirect("articles:sources")


def _back(request, source: Source) -> HttpResponse:
    """Without JavaScript the buttons of a source's own page lead back to it."""
    if request.POST.get("next") == "detail":
        return redirect(source)
    return redirect("articles:sources")


def _row(request, source: Source) -> HttpResponse:
    source = source_list().get(pk=source.pk)
    source.busy = _busy(source)
    return render(request, f"{LIST}#source-row", {"source": source})


@require_GET
@login_required
@permission_required("articles.view_source", raise_exception=True)
def source_detail(request: HttpRequest, pk: int) -> HttpResponse:
    source = get_object_or_404(source_list(), pk=pk)
    if request.htmx and request.GET.get("part") == "row":
        return _row(request, source)
    return _detail_page(request, source, SourceForm(instance=source))


def _detail_page(request, source: Source, form: SourceForm, status: int = 200) -> HttpResponse:
    source.busy = _busy(source)
    context = {
        "source": source,
        "form": form,
        "polls": source_polls(source=source),
        "entries": source_entries(source=source),
        "failed": source_failed_count(source=source),
    }
    return render(request, DETAIL, context, status=status)


@require_POST
@login_required
@permission_required("articles.change_source", raise_exception=True)
def source_edit(request: HttpRequest, pk: int) -> HttpResponse:
    source = get_object_or_404(source_list(), pk=pk)
    form = SourceForm(request.POST, request.FILES, instance=Source.objects.get(pk=pk))
    if not form.is_valid():
        return _detail_page(request, source, form, status=400)
    source_update(source=source, **form.source_fields())
    messages.success(request, _("Saved."))
    return redirect(source)


@require_POST
@login_required
@permission_required("articles.change_source", raise_exception=True)
def source_poll_now(request: HttpRequest, pk: int) -> HttpResponse:
    source = get_object_or_404(Source, pk=pk)
    queued = source_poll_request(source=source)
    if request.htmx:
        return _row(request, source)
    if queued:
        messages.success(request, _("“%(name)s” is being polled.") % {"name": source.name})
    else:
        messages.warning(
            request,
            _(
                "The task queue is not reachable right now; “%(name)s” is polled as soon as "
                "it is back."
            )
            % {"name": source.name},
        )
    return _back(request, source)


@require_POST
@login_required
@permission_required("articles.change_source", raise_exception=True)
def source_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    source = get_object_or_404(Source, pk=pk)
    source_set_enabled(source=source, enabled=not source.enabled)
    if request.htmx:
        return _row(request, source)
    messages.success(
        request,
        (_("“%(name)s” is on.") if source.enabled else _("“%(name)s” is off."))
        % {"name": source.name},
    )
    return _back(request, source)


@require_POST
@login_required
@permission_required("articles.delete_source", raise_exception=True)
def source_remove(request: HttpRequest, pk: int) -> HttpResponse:
    source = get_object_or_404(Source, pk=pk)
    name = source.name
    source_delete(source=source)
    messages.success(request, _("Removed “%(name)s”; its articles stay.") % {"name": name})
    return redirect("articles:sources")


@require_GET
@login_required
@permission_required("articles.view_source", raise_exception=True)
def sources_opml_export(request: HttpRequest) -> HttpResponse:
    content = opml_write(
        sources_opml_feeds(), title=_("Stance Tracker sources"), created=timezone.now()
    )
    response = HttpResponse(content, content_type="text/x-opml; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="stancetracker-sources.opml"'
    return response


@require_POST
@login_required
@permission_required("articles.add_source", raise_exception=True)
def sources_opml_import(request: HttpRequest) -> HttpResponse:
    form = OpmlImportForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            result = sources_import_opml(
                content=form.cleaned_data["file"],
                created_by=request.user,
                interval_minutes=form.cleaned_data["interval_minutes"],
                enabled=form.cleaned_data["enabled"],
            )
        except OpmlError as error:
            form.add_error("file", str(error))
        else:
            messages.success(
                request,
                _("%(created)d sources added; %(skipped)d were sources already.")
                % {"created": len(result["created"]), "skipped": len(result["skipped"])},
            )
            for problem in result["problems"]:
                messages.warning(request, _("Not added: %(problem)s") % {"problem": problem})
            return redirect("articles:sources")
    return _list_page(request, opml_form=form, status=400)
