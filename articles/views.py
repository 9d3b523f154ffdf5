from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import TooManyFilesSent
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from actors.analysis.forms import filter_context, filter_form
from actors.evidence import highlight_paragraphs
from actors.models import Stance
from actors.paging import CappedPaginator
from actors.review.forms import StanceAddForm
from actors.review.services import stance_add
from actors.selectors import actor_names, default_topic
from actors.services import ReviewError
from articles.forms import PublicationForm, UploadForm
from articles.models import Article, ExtractorModel, IngestJob
from articles.nlp import load_model
from articles.nlp.extractor import DEFAULT_MODEL_PATH
from articles.selectors import (
    SEARCH_PAGE_SIZE,
    SEARCH_RANKED_MAX,
    article_count,
    article_hits,
    article_matches,
    article_search,
    article_stances,
    articles_listed,
    articles_with_counts,
    job_retryable_count,
    open_proposal_count,
    stance_matches,
    stance_search,
)
from articles.services import (
    article_publication_set,
    extractor_model_activate,
    extractor_model_queue,
    ingest_job_cancel,
    ingest_job_retry_failed,
    upload_ingest,
)
from articles.tasks import extractor_model_train_task, ingest_job_start, stances_rescore_task
from articles.uploads.results import human_size


@require_GET
@login_required
@permission_required("articles.view_article", raise_exception=True)
def article_list(request: HttpRequest) -> HttpResponse:
    paginator = Paginator(articles_listed(), 50)
    paginator.count = article_count()  # cached: counting them all is slow at 100,000
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "articles/article_list.html",
        {"page": page, "articles": articles_with_counts(page.object_list)},
    )


@require_GET
@login_required
@permission_required("articles.view_article", raise_exception=True)
def article_detail(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(Article.objects.defer("search_vector"), pk=pk)
    stances = article_stances(
        article=article, with_unreviewed=request.user.has_perm("actors.review_stance")
    )
    return _article_page(request, article, stances, _add_form(article))


def _add_form(article: Article) -> StanceAddForm:
    """A stance added by hand defaults to its article's date."""
    initial = {"topic": default_topic().pk}
    if article.published:
        initial |= {"stated_on": article.published, "precision": Stance.Precision.DAY}
    return StanceAddForm(initial=initial)


@require_POST
@login_required
@permission_required("actors.review_stance", raise_exception=True)
def article_publication(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(Article, pk=pk)
    form = PublicationForm(request.POST, instance=Article.objects.get(pk=pk))
    if form.is_valid():
        counts = article_publication_set(
            article=article,
            published=form.cleaned_data["published"],
            outlet=form.cleaned_data["outlet"],
        )
        messages.success(
            request,
            _("Publication saved; %(n)d open proposals were dated again.")
            % {"n": counts["updated"]},
        )
        return redirect(article)
    stances = article_stances(article=article, with_unreviewed=True)
    return _article_page(
        request, article, stances, _add_form(article), status=400, publication_form=form
    )


def _article_page(
    request, article, stances, add_form, status=200, publication_form=None
) -> HttpResponse:
    paragraphs = highlight_paragraphs(
        article.body, [(s.quote_start, s.quote_end, s.pk, s.label) for s in stances]
    )
    can_add = request.user.has_perm("actors.review_stance")
    return render(
        request,
        "articles/article_detail.html",
        {
            "article": article,
            "paragraphs": paragraphs,
            "stances": stances,
            "labels": Stance.Label.choices,
            "add_form": add_form if can_add else None,
            "publication_form": (publication_form or PublicationForm(instance=article))
            if can_add
            else None,
            "actor_names": actor_names() if can_add else [],
        },
        status=status,
    )


@require_POST
@login_required
@permission_required("actors.review_stance", raise_exception=True)
def article_add_stance(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(Article, pk=pk)
    form = StanceAddForm(request.POST)
    if form.is_valid():
        try:
            stance = stance_add(
                article=article,
                editor=request.user,
                near=form.cleaned_data["near"] or 0,
                **form.stance_values(),
            )
        except ReviewError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Added: %(stance)s.") % {"stance": stance})
            return redirect(f"{article.get_absolute_url()}#stance-{stance.pk}")
    stances = article_stances(article=article, with_unreviewed=True)
    return _article_page(request, article, stances, form, status=400)


# The token is checked by csrf_protect in _upload, after the size: CsrfViewMiddleware would
# read the whole body (to find the token among the form fields) before any view could refuse it.
@csrf_exempt
@require_http_methods(["GET", "POST"])
@login_required
@permission_required("articles.add_ingestjob", raise_exception=True)
def upload(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        refused = _upload_too_large(request)
        if refused:
            return _upload_page(request, UploadForm(), refused=refused, status=413)
    try:
        return _upload(request)
    except TooManyFilesSent:
        # raised where the body is first read: by csrf_protect, looking for the token
        refused = _(
            "Too many files in one upload: at most %(n)d. Upload the rest in another batch."
        ) % {"n": settings.DATA_UPLOAD_MAX_NUMBER_FILES}
        return _upload_page(request, UploadForm(), refused=refused, status=400)


def _upload_too_large(request: HttpRequest) -> str:
    """Why the upload is refused unread (its declared size is over the total), or ""."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    limit = settings.UPLOAD_MAX_TOTAL_BYTES
    if length <= limit:
        return ""
    return _(
        "This upload is %(size)s, more than the %(limit)s one upload may hold: nothing was "
        "stored. Upload the files in smaller batches."
    ) % {"size": human_size(length), "limit": human_size(limit)}


@csrf_protect
def _upload(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST, request.FILES) if request.method == "POST" else UploadForm()
    if request.method == "POST" and form.is_valid():
        job = upload_ingest(
            # Files go through as Django's UploadedFile objects (on disk past
            # FILE_UPLOAD_MAX_MEMORY_SIZE), read one at a time by the reader.
            files=[(uploaded.name, uploaded) for uploaded in form.cleaned_data["files"]],
            created_by=request.user,
            default_published=form.cleaned_data["published"],
            default_outlet=form.cleaned_data["outlet"],
        )
        ingest_job_start(job=job)
        return redirect(job)
    return _upload_page(request, form, status=400 if form.errors else 200)


def _upload_page(request, form, *, refused: str = "", status: int = 200) -> HttpResponse:
    context = {
        "form": form,
        "refused": refused,
        "max_total_bytes": settings.UPLOAD_MAX_TOTAL_BYTES,
        "max_total": human_size(settings.UPLOAD_MAX_TOTAL_BYTES),
    }
    return render(request, "articles/upload.html", context, status=status)


@require_GET
@login_required
@permission_required("articles.view_ingestjob", raise_exception=True)
def job_list(request: HttpRequest) -> HttpResponse:
    jobs = IngestJob.objects.select_related("created_by")
    page = Paginator(jobs, 50).get_page(request.GET.get("page"))
    return render(request, "articles/job_list.html", {"page": page})


@require_GET
@login_required
@permission_required("articles.view_ingestjob", raise_exception=True)
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(IngestJob.objects.select_related("created_by"), pk=pk)
    items = job.items.select_related("article").defer("raw").order_by("pk")
    context = {
        "job": job,
        "items": items,
        "retryable": job_retryable_count(job=job),
    }
    template = "articles/job_detail.html"
    if request.htmx and request.GET.get("part") == "progress":
        template += "#job-progress"
    return render(request, template, context)


@require_POST
@login_required
@permission_required("articles.change_ingestjob", raise_exception=True)
def job_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(IngestJob, pk=pk)
    count = ingest_job_cancel(job=job, by=request.user)
    if count:
        messages.success(request, _("Cancelled: %(n)d files will not be processed.") % {"n": count})
    else:
        messages.info(request, _("Nothing was waiting: the job had finished."))
    return redirect(job)


@require_POST
@login_required
@permission_required("articles.add_ingestjob", raise_exception=True)
def job_retry(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(IngestJob, pk=pk)
    count = ingest_job_retry_failed(job=job)
    if count:
        ingest_job_start(job=job)
        messages.success(request, _("%(count)d failed files queued again.") % {"count": count})
    else:
        messages.info(request, _("No file of this job can be retried."))
    return redirect(job)


@require_GET
@login_required
@permission_required("articles.view_extractormodel", raise_exception=True)
def model_list(request: HttpRequest) -> HttpResponse:
    models = list(ExtractorModel.objects.select_related("created_by")[:100])
    shipped = load_model(DEFAULT_MODEL_PATH).meta
    context = {
        "models": models,
        "shipped": shipped,
        "shipped_examples": sum((shipped.get("examples") or {}).values()),
        "shipped_is_current": not any(m.is_current for m in models),
        "training": any(m.status == ExtractorModel.Status.TRAINING for m in models),
        "open_proposals": open_proposal_count(),
    }
    template = "articles/model_list.html"
    if request.htmx and request.GET.get("part") == "versions":
        template += "#model-versions"
    return render(request, template, context)


@require_POST
@login_required
@permission_required("articles.add_extractormodel", raise_exception=True)
def model_train(request: HttpRequest) -> HttpResponse:
    model = extractor_model_queue(created_by=request.user)
    if model is None:
        messages.info(request, _("A model is being trained already."))
        return redirect("articles:models")
    extractor_model_train_task.delay_on_commit(model.pk)
    messages.success(request, _("Training queued: the list shows its progress."))
    return redirect("articles:models")


@require_POST
@login_required
@permission_required("articles.change_extractormodel", raise_exception=True)
def model_activate(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    model = None if pk is None else get_object_or_404(ExtractorModel, pk=pk)
    try:
        extractor_model_activate(model=model)
    except ValueError as error:
        messages.error(request, str(error))
        return redirect("articles:models")
    messages.success(
        request,
        _("%(version)s is now current: new articles are proposed with it.")
        % {"version": model or _("The shipped model")},
    )
    return redirect("articles:models")


@require_POST
@login_required
@permission_required("articles.change_extractormodel", raise_exception=True)
def model_rescore(request: HttpRequest) -> HttpResponse:
    stances_rescore_task.delay()
    messages.success(
        request, _("Open proposals are being scored again; reviewed stances stay as they are.")
    )
    return redirect("articles:models")


@require_GET
@login_required
@permission_required("actors.view_stance", raise_exception=True)
def search(request: HttpRequest) -> HttpResponse:
    """Articles and evidence quotes matching the words typed."""
    form = filter_form(request)
    query = request.GET.get("q", "").strip()[:200]
    statuses = [Stance.Status.APPROVED]
    if form.filters().include_proposed:
        statuses.append(Stance.Status.PROPOSED)
    article_page = stance_page = None
    if query:
        stance_page = _search_page(
            request.GET.get("quotes_page"),
            counted=stance_matches(query=query, statuses=statuses),
            listed=lambda ranked: stance_search(query=query, statuses=statuses, ranked=ranked),
        )
        article_page = _search_page(
            request.GET.get("articles_page"),
            counted=article_matches(query=query),
            listed=lambda ranked: article_search(query=query, ranked=ranked),
        )
    return render(
        request,
        "articles/search.html",
        filter_context(
            request,
            form,
            "search",
            query=query,
            article_page=article_page,
            articles=article_hits(article_page, query=query) if article_page else [],
            stance_page=stance_page,
            full_text=connection.vendor == "postgresql",
        ),
    )


def _search_page(number, *, counted, listed):
    """One page of matches: best first when there are at most SEARCH_RANKED_MAX of them,
    else most recently added first (ranking them all would cost as much as they are many)."""
    paginator = CappedPaginator(
        listed(True), SEARCH_PAGE_SIZE, cap=SEARCH_RANKED_MAX, counted=counted
    )
    if paginator.capped:
        paginator.object_list = listed(False)
    return paginator.get_page(number)
