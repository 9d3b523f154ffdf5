from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from actors.evidence import quote_context
from actors.models import Stance
from actors.paging import KeysetPaginator
from actors.review.filters import ReviewFilter
from actors.review.forms import BulkReviewForm, StanceEditForm, StanceLabelForm
from actors.review.selectors import (
    review_actor_names,
    review_article_title,
    review_facets,
    review_page_stances,
    review_queue,
    review_queue_facets,
)
from actors.review.services import (
    StanceConflict,
    stance_approve,
    stance_edit,
    stance_flag,
    stance_reject,
    stance_relabel,
    stance_split,
    stance_undo,
    stance_unflag,
    stances_bulk_review,
    stances_merge,
)
from actors.selectors import actor_names, queue_tallies
from actors.services import ReviewError

# A filtered queue is counted this far; past it the page says "more than".
REVIEW_COUNT_CAP = 10_000


def _review_page(request: HttpRequest, *, flagged: bool) -> HttpResponse:
    filterset = ReviewFilter(request.GET, queryset=review_queue(flagged=flagged))
    queryset = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    tallies = queue_tallies()
    narrowed = filterset.narrows()
    # The whole queue's count and facets come from the cached tallies; a filtered queue is
    # counted (up to a cap) and faceted for itself. Pages are read from a cursor in the
    # order's index, so the last page costs what the first does.
    paginator = KeysetPaginator(
        queryset,
        settings.STANCETRACKER_REVIEW_PAGE_SIZE,
        keys=filterset.order_keys(),
        cap=REVIEW_COUNT_CAP,
        known_count=None if narrowed else tallies.queue_count(flagged=flagged),
    )
    page = paginator.page(
        after=request.GET.get("after"),
        before=request.GET.get("before"),
        last=request.GET.get("last") == "1",
    )
    stances = review_page_stances(ids=list(page))
    return render(
        request,
        "actors/review/queue.html",
        {
            "page": page,
            "items": [_review_item(stance) for stance in stances],
            "filter": filterset,
            "facets": _facets(queryset, tallies=tallies, flagged=flagged, narrowed=narrowed),
            "queue_query": request.GET,
            "flagged_queue": flagged,
            "flagged_count": tallies.queue_count(flagged=True) if not flagged else None,
            "actor_names": review_actor_names(),
            "article_title": review_article_title(
                article_id=filterset.form.cleaned_data.get("article")
                if filterset.is_valid()
                else None
            ),
        },
    )


def _facets(queryset, *, tallies, flagged: bool, narrowed: bool) -> dict:
    if narrowed:
        return review_facets(queryset=queryset)
    return review_queue_facets(tallies=tallies, flagged=flagged)


@require_GET
@login_required
@permission_required("actors.review_stance", raise_exception=True)
def review(request: HttpRequest) -> HttpResponse:
    return _review_page(request, flagged=False)


@require_GET
@login_required
@permission_required("actors.resolve_flagged_stance", raise_exception=True)
def review_flagged(request: HttpRequest) -> HttpResponse:
    return _review_page(request, flagged=True)


def _review_item(stance: Stance, **extra) -> dict:
    return {
        "stance": stance,
        "context": quote_context(stance.article.body, stance.quote_start, stance.quote_end),
        "label_form": StanceLabelForm(instance=stance, auto_id=f"stance-{stance.pk}-%s"),
        **extra,
    }


def _stance_for_review(pk: int) -> Stance:
    return get_object_or_404(
        Stance.objects.select_related(
            "actor", "actor__country", "article", "topic", "flagged_by", "reviewed_by"
        ),
        pk=pk,
    )


class BadVersion(ValueError):
    pass


def _expected_version(request: HttpRequest) -> int | None:
    """The version the editor saw; a form that sends none asks for no check."""
    raw = request.POST.get("version")
    if raw is None:
        return None
    if not raw.isdigit():
        raise BadVersion(raw)
    return int(raw)


def _with_fresh_facets(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """After a decision in the queue, its counts per label and country are swapped in too
    (out of band), counted under the filters of the page the editor is on."""
    current = urlsplit(request.htmx.current_url or "")
    queues = {reverse("review:queue"): False, reverse("review:flagged"): True}
    if current.path not in queues:
        return response
    query = QueryDict(current.query)
    flagged = queues[current.path]
    filterset = ReviewFilter(query, queryset=review_queue(flagged=flagged))
    queryset = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    facets = _facets(
        queryset, tallies=queue_tallies(), flagged=flagged, narrowed=filterset.narrows()
    )
    context = {"facets": facets, "queue_query": query}
    facets = render_to_string(
        "actors/review/queue.html#review-facets", context | {"facets_oob": True}, request
    )
    response.content += facets.encode()
    return response


def _other_version(request: HttpRequest) -> int | None:
    raw = request.POST.get("other_version")
    if raw is None:
        return None
    if not raw.isdigit():
        raise BadVersion(raw)
    return int(raw)


def _item_response(
    request: HttpRequest, stance: Stance, *, message: str = "", status: int = 200, **extra
) -> HttpResponse:
    if request.htmx:
        item = _review_item(stance, message=message, **extra)
        response = render(
            request, "actors/review/queue.html#review-item", {"item": item}, status=status
        )
        return _with_fresh_facets(request, response)
    if message:
        messages.warning(request, message)
    else:
        messages.success(request, _("Saved: %(stance)s.") % {"stance": stance})
    return redirect(_safe_next(request, default="review:queue"))


@require_GET
@login_required
@permission_required("actors.review_stance", raise_exception=True)
def stance_item(request: HttpRequest, pk: int) -> HttpResponse:
    """One review item alone, as HTMX swaps it back in."""
    item = _review_item(_stance_for_review(pk))
    return render(request, "actors/review/queue.html#review-item", {"item": item})


@require_POST
@login_required
@permission_required("actors.review_stance", raise_exception=True)
def stance_review(request: HttpRequest, pk: int) -> HttpResponse:
    stance = _stance_for_review(pk)
    action = request.POST.get("action")
    try:
        expected = _expected_version(request)
    except BadVersion:
        return HttpResponseBadRequest(_("The form's version is not a number: reload the page."))
    try:
        if action == "approve":
            stance = stance_approve(stance=stance, editor=request.user, expected_version=expected)
        elif action == "reject":
            stance = stance_reject(stance=stance, editor=request.user, expected_version=expected)
        elif action == "label":
            stance = stance_relabel(
                stance=stance,
                editor=request.user,
                label=request.POST.get("label", ""),
                expected_version=expected,
            )
        elif action == "flag":
            stance = stance_flag(
                stance=stance,
                editor=request.user,
                reason=request.POST.get("reason", ""),
                expected_version=expected,
            )
        elif action == "unflag":
            if not request.user.has_perm("actors.resolve_flagged_stance"):
                return HttpResponse(_("Only an admin clears a flag."), status=403)
            stance = stance_unflag(stance=stance, editor=request.user, expected_version=expected)
        elif action == "undo":
            stance = stance_undo(stance=stance, editor=request.user, expected_version=expected)
        else:
            return HttpResponse(_("Unknown review action."), status=400)
    except StanceConflict as conflict:
        return _item_response(request, _stance_for_review(pk), message=str(conflict), status=409)
    except ReviewError as error:
        return _item_response(request, _stance_for_review(pk), message=str(error), status=400)
    return _item_response(request, _stance_for_review(pk))


@require_http_methods(["GET", "POST"])
@login_required
@permission_required("actors.review_stance", raise_exception=True)
def stance_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    stance = _stance_for_review(pk)
    if request.method == "GET":
        form = StanceEditForm.for_stance(stance)
    else:
        form = StanceEditForm(request.POST, auto_id=f"edit-{stance.pk}-%s")
        if form.is_valid():
            try:
                stance = stance_edit(
                    stance=stance,
                    editor=request.user,
                    expected_version=form.cleaned_data["version"],
                    **form.stance_values(),
                )
            except StanceConflict as conflict:
                return _item_response(
                    request, _stance_for_review(pk), message=str(conflict), status=409
                )
            except ReviewError as error:
                form.add_error(None, str(error))
            else:
                return _item_response(request, _stance_for_review(pk))
    context = {
        "stance": stance,
        "form": form,
        "actor_names": actor_names(),
    }
    template = (
        "actors/review/stance_edit.html#edit-form"
        if request.htmx
        else "actors/review/stance_edit.html"
    )
    return render(request, template, context, status=200 if not form.errors else 400)


@require_POST
@login_required
@permission_required("actors.review_stance", raise_exception=True)
def review_bulk(request: HttpRequest) -> HttpResponse:
    form = BulkReviewForm(request.POST)
    if not form.is_valid():
        for error in form.errors.values():
            messages.error(request, " ".join(error))
        return redirect(_safe_next(request, default="review:queue"))
    approve = form.cleaned_data["action"] == "approve"
    status = Stance.Status.APPROVED if approve else Stance.Status.REJECTED
    result = stances_bulk_review(stances=form.stances(), editor=request.user, status=status)
    messages.success(
        request,
        _("%(count)d proposals %(what)s.")
        % {"count": result.done, "what": _("approved") if status == "approved" else _("rejected")},
    )
    for reason, count in sorted(result.skipped.items()):
        messages.warning(
            request, _("%(count)d skipped: %(reason)s.") % {"count": count, "reason": reason}
        )
    return redirect(_safe_next(request, default="review:queue"))


def _safe_next(request: HttpRequest, *, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


@require_POST
@login_required
@permission_required("actors.review_stance", raise_exception=True)
def stance_group(request: HttpRequest, pk: int) -> HttpResponse:
    """Merge another report into this statement's group, or split this one out."""
    stance = get_object_or_404(Stance, pk=pk)
    try:
        expected = _expected_version(request)
        action = request.POST.get("action")
        if action == "merge":
            other_pk = request.POST.get("other", "")
            if not other_pk.isdigit():
                return HttpResponseBadRequest(_("Choose the report to merge."))
            other = get_object_or_404(Stance, pk=other_pk)
            seen = {stance.pk: expected, other.pk: _other_version(request)}
            stances_merge(
                primary=stance,
                others=[other],
                editor=request.user,
                expected_versions={key: value for key, value in seen.items() if value is not None},
            )
            messages.success(request, _("The two reports are now one statement."))
        elif action == "split":
            stance_split(stance=stance, editor=request.user, expected_version=expected)
            messages.success(request, _("This report now stands on its own."))
        else:
            return HttpResponse(_("Unknown action."), status=400)
    except BadVersion:
        return HttpResponseBadRequest(_("The form's version is not a number: reload the page."))
    except StanceConflict:
        messages.error(
            request,
            _("A report changed since this page was opened; nothing was done. Look again."),
        )
    except ReviewError as error:
        messages.error(request, str(error))
    return redirect(stance)
