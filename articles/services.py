"""Writes for articles: ingestion jobs, article creation, stance extraction."""

from __future__ import annotations

import hashlib
import logging
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Coalesce, Now
from django.utils import timezone
from django.utils.translation import gettext as _

from actors.models import Actor, Country, Stance
from actors.selectors import actor_list_fingerprint, default_topic
from actors.services import ProposedStance, actor_propose, stances_propose, stances_repropose
from articles.models import Article, ExtractorModel, IngestItem, IngestJob
from articles.nlp import Extractor, Proposal, load_model
from articles.nlp.decision import TrainSettings
from articles.nlp.extractor import DEFAULT_MODEL_PATH, DEFAULT_THRESHOLD
from articles.nlp.train import EXAMPLES_FILE, read_examples, save
from articles.nlp.training import prepare, read_gold_set, unlisted_people
from articles.parsing import date_from_url, parse_article
from articles.selectors import actor_list_for_extraction, reviewed_articles_for_training
from articles.time_limits import TimeLimitExceeded, time_limit
from articles.uploads import UploadLimits, read_uploads, too_long
from articles.uploads.reader import Upload

logger = logging.getLogger(__name__)

_WHITESPACE = re.compile(r"\s+")


class IngestError(Exception):
    """A file that cannot become an article; the message is shown to the user."""


def content_hash(body: str) -> str:
    """The identity of an article: its body with white space folded."""
    normalized = _WHITESPACE.sub(" ", body).strip().casefold()
    return hashlib.sha256(normalized.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class IncomingFile:
    name: str
    raw: str
    default_published: date | None = None
    outlet: str = ""
    source_url: str = ""
    note: str = ""


@transaction.atomic
def ingest_job_create(
    *,
    kind: str,
    files: Iterable[IncomingFile],
    rejections: Iterable[tuple[str, str]] = (),
    created_by=None,
) -> IngestJob:
    """Store the files as a queued job; ``articles.tasks.ingest_job_start`` hands it to
    the worker.

    Rejected files are stored as failed items with their reason, so the job
    reports them next to the rest.
    """
    job = IngestJob.objects.create(kind=kind, created_by=created_by)
    items = [
        IngestItem(
            job=job,
            name=incoming.name[:255],
            raw=incoming.raw,
            default_published=incoming.default_published,
            outlet=incoming.outlet[:200],
            source_url=incoming.source_url[:500],
            note=incoming.note,
        )
        for incoming in files
    ]
    items += [
        IngestItem(job=job, name=name[:255], status=IngestItem.Status.FAILED, error=reason)
        for name, reason in rejections
    ]
    IngestItem.objects.bulk_create(items)
    job.files_total = len(items)
    job.save(update_fields=["files_total"])
    _job_refresh_counts(job=job, finished=False)
    return job


def ingest_job_retry_failed(*, job: IngestJob) -> int:
    """Give the files that failed while processing another chance.

    Files rejected at upload (bad format, too large…) hold no text and stay failed.
    """
    count = (
        job.items.filter(status=IngestItem.Status.FAILED)
        .exclude(raw="")
        .update(status=IngestItem.Status.PENDING, error="", attempts=0)
    )
    if count:
        IngestJob.objects.filter(pk=job.pk).update(status=IngestJob.Status.QUEUED, finished_at=None)
        _job_refresh_counts(job=job, finished=False)
    return count


def ingest_job_cancel(*, job: IngestJob, by) -> int:
    """Stop a job: its files still waiting are marked failed, cancelled, and no worker takes
    them (each file is taken only while pending, under its row lock). A file being processed
    at that moment is finished."""
    reason = _("Cancelled by %(user)s before it was processed.") % {"user": by}
    count = job.items.filter(status=IngestItem.Status.PENDING).update(
        status=IngestItem.Status.FAILED, error=reason
    )
    _job_refresh_counts(job=job, finished=True)
    if count:
        IngestJob.objects.filter(pk=job.pk).update(
            message=_("%(user)s cancelled the job: %(n)d files were not processed.")
            % {"user": by, "n": count}
        )
    return count


def seed_files(*, folder: Path) -> list[IncomingFile]:
    return [
        IncomingFile(name=path.name, raw=path.read_text(encoding="utf-8"))
        for path in sorted(Path(folder).glob("*.txt"))
    ]


def seeds_load(*, folder: Path) -> IngestJob | None:
    """Queue the seed files; ``None`` when every one of them is stored already."""
    files = seed_files(folder=folder)
    if not files:
        raise IngestError(f"No *.txt seed files in {folder}.")
    hashes = {content_hash(parse_article(f.raw).body) for f in files}
    if Article.objects.filter(content_hash__in=hashes).count() == len(hashes):
        return None
    return ingest_job_create(kind=IngestJob.Kind.SEED, files=files)


def ingest_job_run(*, job: IngestJob) -> IngestJob:
    """Process every pending file of the job here, batch by batch; safe to run again after
    a crash. The worker spreads the same batches over its processes instead
    (``articles.tasks.ingest_job_run_task``)."""
    ingest_job_mark_running(job=job)
    for item_ids in ingest_job_batches(job=job):
        ingest_batch_run(job_id=job.pk, item_ids=item_ids)
    ingest_job_finish(job=job)
    job.refresh_from_db()
    return job


def ingest_job_mark_running(*, job: IngestJob) -> None:
    IngestJob.objects.filter(pk=job.pk).update(
        status=IngestJob.Status.RUNNING,
        started_at=Coalesce("started_at", Now()),
        message="",
        updated_at=Now(),
    )


def ingest_job_batches(*, job: IngestJob, size: int | None = None) -> list[list[int]]:
    """The job's pending files as units of work: batches of ``INGEST_BATCH_FILES`` that are
    parsed together, and, alone, each file a worker has already started on once (a batch
    whose worker died is retried file by file, so that one bad file takes down no other)."""
    size = size or settings.STANCETRACKER_INGEST_BATCH_FILES
    pending = job.items.filter(status=IngestItem.Status.PENDING).values_list("pk", "attempts")
    fresh, tried = [], []
    for pk, attempts in pending:
        (tried if attempts else fresh).append(pk)
    return [fresh[i : i + size] for i in range(0, len(fresh), size)] + [[pk] for pk in tried]


def ingest_job_finish(*, job: IngestJob) -> bool:
    """Mark the job done once it has no pending file left; ``True`` if it is done."""
    if job.items.filter(status=IngestItem.Status.PENDING).exists():
        return False
    IngestJob.objects.filter(pk=job.pk).exclude(status=IngestJob.Status.DONE).update(
        status=IngestJob.Status.DONE, finished_at=Now(), updated_at=Now()
    )
    return True


def ingest_batch_run(*, job_id: int, item_ids: Iterable[int]) -> list[IngestItem]:
    """Turn a batch of one job's stored files into articles, each exactly once.

    The texts still pending that no worker has started on are parsed by the extractor in
    one ``nlp.pipe`` pass, under a time limit of ``INGEST_FILE_SECONDS`` per file; then
    each file becomes its article with its proposals in a transaction of its own
    (:func:`ingest_item_process`). When the pass runs out of time, its files are processed
    one by one, each with its own limit, so that only the slow one fails. The job's
    counters grow with each file."""
    items = list(
        IngestItem.objects.filter(
            pk__in=list(item_ids), job_id=job_id, status=IngestItem.Status.PENDING
        ).order_by("pk")
    )
    # files a worker started on before go alone: one may be what stopped that worker
    first = [item for item in items if item.attempts == 0]
    found, failed = _batch_extract(first) if len(first) > 1 else ({}, {})
    done = []
    for item in items:
        if item.pk in failed:
            processed = _item_fail_once(item_id=item.pk, error=failed[item.pk])
        else:
            processed = ingest_item_process(item_id=item.pk, extracted=found.get(item.pk))
        if processed is not None:
            _job_count(job_id=job_id, item=processed[0], stances=processed[1])
            done.append(processed[0])
    return done


@dataclass(frozen=True)
class _Extracted:
    body: str
    published: date | None
    proposals: list[Proposal]
    version: str


def _batch_extract(items: list[IngestItem]) -> tuple[dict[int, _Extracted], dict[int, str]]:
    """The proposals of the batch's new texts in one pass, and the files that ran out of
    time while being read. Files that cannot become articles, and bodies already stored,
    are left to the one-by-one step, which says why; so is every file of a pass that runs
    out of time."""
    seconds = settings.STANCETRACKER_INGEST_FILE_SECONDS
    parsed, failed = {}, {}
    for item in items:
        try:
            with time_limit(seconds):
                parsed[item.pk] = article_fields(
                    raw=item.raw,
                    name=item.name,
                    default_published=item.default_published,
                    source_url=item.source_url,
                )
        except IngestError:
            continue
        except TimeLimitExceeded:
            failed[item.pk] = _too_slow()
    stored = set(
        Article.objects.filter(
            content_hash__in=[fields.content_hash for fields in parsed.values()]
        ).values_list("content_hash", flat=True)
    )
    parsed = {pk: f for pk, f in parsed.items() if f.content_hash not in stored}
    if not _attempts_started(list(parsed)):
        return {}, failed
    extractor = extractor_get()
    try:
        with time_limit(seconds * len(parsed)):
            found = extractor.extract_many(
                [(f.body, f.published) for f in parsed.values()], batch_size=len(parsed)
            )
            return {
                pk: _Extracted(f.body, f.published, proposals, extractor.version)
                for (pk, f), proposals in zip(parsed.items(), found, strict=True)
            }, failed
    except TimeLimitExceeded:
        logger.warning("A batch of %d files ran out of time; one by one now", len(parsed))
        # their starts were counted for a worker's death, and none died
        IngestItem.objects.filter(pk__in=list(parsed), attempts__gt=0).update(
            attempts=F("attempts") - 1
        )
        return {}, failed


def _attempts_started(item_ids: list[int]) -> bool:
    """Count a worker's start on each file of a batch before the batch is parsed (a file
    that kills the worker is then retried on its own)."""
    if not item_ids:
        return False
    IngestItem.objects.filter(pk__in=item_ids, status=IngestItem.Status.PENDING).update(
        attempts=F("attempts") + 1
    )
    return True


def _job_count(*, job_id: int, item: IngestItem, stances: int) -> None:
    """Add one processed file to its job's counters (no recount over the job's files)."""
    field = {
        IngestItem.Status.CREATED: "articles_created",
        IngestItem.Status.DUPLICATE: "duplicates",
        IngestItem.Status.FAILED: "failures",
    }[item.status]
    update = {field: F(field) + 1, "updated_at": Now()}
    if item.status == IngestItem.Status.CREATED:
        update["stances_proposed"] = F("stances_proposed") + stances
    IngestJob.objects.filter(pk=job_id).update(**update)


def _job_refresh_counts(*, job: IngestJob, finished: bool) -> None:
    counts = job.items.aggregate(
        created=Count("pk", filter=Q(status=IngestItem.Status.CREATED)),
        duplicates=Count("pk", filter=Q(status=IngestItem.Status.DUPLICATE)),
        failures=Count("pk", filter=Q(status=IngestItem.Status.FAILED)),
        pending=Count("pk", filter=Q(status=IngestItem.Status.PENDING)),
    )
    update = {
        "articles_created": counts["created"],
        "duplicates": counts["duplicates"],
        "failures": counts["failures"],
        "stances_proposed": Stance.objects.filter(article__ingest_job=job).count(),
        "updated_at": timezone.now(),
    }
    if finished and counts["pending"] == 0:
        update |= {"status": IngestJob.Status.DONE, "finished_at": timezone.now()}
    IngestJob.objects.filter(pk=job.pk).update(**update)


def ingest_item_process(
    *, item_id: int, extracted: _Extracted | None = None
) -> tuple[IngestItem, int] | None:
    """Turn one stored file into an article with proposed stances, exactly once: the file
    and the number of stances proposed, or ``None`` when another worker has it or had it.

    The item is locked and checked to be pending inside the transaction that creates its
    article, so two workers on the same job never both process it. A file has
    ``INGEST_FILE_SECONDS`` to become an article, and one that stopped a worker
    ``INGEST_FILE_ATTEMPTS`` times is failed rather than tried blindly again. ``extracted``
    is what a batch's pass found for it (its start is counted already).
    """
    if extracted is None:
        attempt = _item_attempt(item_id=item_id)
        if attempt is None:
            return None
        if not attempt:
            return _item_fail(item_id=item_id, error=_item_gave_up()), 0
    try:
        with transaction.atomic(), time_limit(settings.STANCETRACKER_INGEST_FILE_SECONDS):
            item = (
                IngestItem.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("job")
                .filter(pk=item_id, status=IngestItem.Status.PENDING)
                .first()
            )
            if item is None:
                return None
            article, created = article_create(
                raw=item.raw,
                name=item.name,
                default_published=item.default_published,
                outlet=item.outlet,
                source_url=item.source_url,
                job=item.job,
            )
            stances = []
            if created and extracted is not None and extracted.body == article.body:
                stances = article_propose(
                    article=article,
                    proposals=extracted.proposals,
                    extractor_version=extracted.version,
                )
            elif created:
                stances = article_extract(article=article)
            item.article = article
            item.status = IngestItem.Status.CREATED if created else IngestItem.Status.DUPLICATE
            item.error = ""
            item.save(update_fields=["article", "status", "error"])
            return item, len(stances)
    except IngestError as error:
        return _item_fail(item_id=item_id, error=str(error)), 0
    except TimeLimitExceeded:
        return _item_fail(item_id=item_id, error=_too_slow()), 0
    except Exception as error:  # noqa: BLE001 - one bad article must not stop the job
        logger.exception("Ingesting item %s failed", item_id)
        return _item_fail(item_id=item_id, error=f"{type(error).__name__}: {error}"), 0


def _item_attempt(*, item_id: int) -> bool | None:
    """Count a worker's start on a pending file, in a transaction of its own so that the
    count survives the worker: ``True`` to go on, ``False`` once the file has used up its
    attempts, ``None`` when another worker holds it or it is no longer pending."""
    with transaction.atomic():
        item = (
            # the file's row only: the job's (joined by the ordering) is every file's
            IngestItem.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(pk=item_id, status=IngestItem.Status.PENDING)
            .first()
        )
        if item is None:
            return None
        if item.attempts >= settings.STANCETRACKER_INGEST_FILE_ATTEMPTS:
            return False
        item.attempts += 1
        item.save(update_fields=["attempts"])
        return True


def _item_gave_up() -> str:
    return _(
        "A worker stopped %(n)d times while processing this file (killed, or out of memory), "
        "so it is not tried again on its own; retry it from the job page once the cause is "
        "fixed."
    ) % {"n": settings.STANCETRACKER_INGEST_FILE_ATTEMPTS}


def _too_slow() -> str:
    limit = settings.STANCETRACKER_INGEST_FILE_SECONDS
    return _("Processing took longer than %(n)d seconds, so it was stopped.") % {"n": limit}


def _item_fail_once(*, item_id: int, error: str) -> tuple[IngestItem, int] | None:
    """Fail a pending file; ``None`` when it is no longer pending (another worker had it)."""
    failed = IngestItem.objects.filter(pk=item_id, status=IngestItem.Status.PENDING).update(
        status=IngestItem.Status.FAILED, error=error
    )
    return (IngestItem.objects.get(pk=item_id), 0) if failed else None


def _item_fail(*, item_id: int, error: str) -> IngestItem:
    IngestItem.objects.filter(pk=item_id, status=IngestItem.Status.PENDING).update(
        status=IngestItem.Status.FAILED, error=error
    )
    return IngestItem.objects.get(pk=item_id)


@dataclass(frozen=True)
class ArticleFields:
    """What a raw file says of its article, checked: title, body, date and its source."""

    title: str
    body: str
    published: date | None
    published_source: str
    outlet: str
    content_hash: str


def article_fields(
    *, raw: str, name: str = "", default_published: date | None = None, source_url: str = ""
) -> ArticleFields:
    """Parse raw text into an article's fields, or say why it cannot be one."""
    parsed = parse_article(raw)
    published, source = parsed.published, parsed.published_source
    if published is None and (from_url := date_from_url(source_url)) is not None:
        published, source = from_url, Article.PublishedSource.URL
    if published is None and default_published is not None:
        published, source = default_published, Article.PublishedSource.GIVEN
    if not parsed.body.strip():
        raise IngestError("The file has no article text.")
    limit = settings.STANCETRACKER_UPLOAD_LIMITS["max_article_chars"]
    if len(parsed.body) > limit:
        raise IngestError(too_long(len(parsed.body), limit))
    return ArticleFields(
        title=(parsed.title or name or "Untitled")[:500],
        body=parsed.body,
        published=published,
        published_source=source if published else Article.PublishedSource.NONE,
        outlet=parsed.outlet,
        content_hash=content_hash(parsed.body),
    )


def article_create(
    *,
    raw: str,
    name: str = "",
    default_published: date | None = None,
    outlet: str = "",
    source_url: str = "",
    job: IngestJob | None = None,
) -> tuple[Article, bool]:
    """Parse raw text into an article; an identical body returns the stored one."""
    fields = article_fields(
        raw=raw, name=name, default_published=default_published, source_url=source_url
    )
    existing = Article.objects.filter(content_hash=fields.content_hash).first()
    if existing is not None:
        return existing, False
    article = Article.objects.create(
        title=fields.title,
        body=fields.body,
        published=fields.published,
        published_source=fields.published_source,
        outlet=outlet or fields.outlet,
        source_url=source_url,
        source_name=name,
        content_hash=fields.content_hash,
        ingest_job=job,
    )
    return article, True


_extractor_lock = threading.Lock()
_extractor_cache: dict[str, object] = {}


def extractor_model_path() -> tuple[Path, str]:
    """The folder of the current decision model, and its version."""
    current = ExtractorModel.objects.filter(is_current=True).values_list("path", "version").first()
    if current is not None:
        return Path(current[0]), current[1]
    path = Path(settings.EXTRACTOR_MODEL_PATH or DEFAULT_MODEL_PATH)
    return path, str(path)


def extractor_get() -> Extractor:
    """The extractor for the current actor list and model, rebuilt only when either changes."""
    path, version = extractor_model_path()
    fingerprint = (actor_list_fingerprint(), version)
    with _extractor_lock:
        if _extractor_cache.get("fingerprint") != fingerprint:
            actors, countries = actor_list_for_extraction()
            _extractor_cache["extractor"] = Extractor(actors, countries, model=load_model(path))
            _extractor_cache["fingerprint"] = fingerprint
        return _extractor_cache["extractor"]


def article_extract(*, article: Article) -> list[Stance]:
    """Propose stances for one article; running it again proposes nothing new."""
    extractor = extractor_get()
    return article_propose(
        article=article,
        proposals=extractor.extract(article.body, article.published),
        extractor_version=extractor.version,
    )


def article_propose(
    *, article: Article, proposals: Iterable[Proposal], extractor_version: str = ""
) -> list[Stance]:
    """Store the extractor's proposals for one article in the review queue."""
    return stances_propose(
        article=article,
        topic=default_topic(),
        proposals=_actors_resolved(proposals),
        extractor_version=extractor_version,
    )


def _actors_resolved(proposals: Iterable[Proposal]) -> list[ProposedStance]:
    """The extractor's proposals with their actors as rows; a name outside the list
    becomes an unconfirmed actor for an editor to check."""
    proposals = list(proposals)
    actors = {
        actor.name: actor for actor in Actor.objects.filter(name__in={p.actor for p in proposals})
    }
    resolved = []
    for proposal in proposals:
        if proposal.actor not in actors:
            actors[proposal.actor] = actor_propose(
                name=proposal.actor,
                country=Country.objects.filter(code=proposal.country).first(),
            )
        resolved.append(
            ProposedStance(
                actor=actors[proposal.actor],
                label=proposal.label,
                stated_on=proposal.stated_on,
                precision=proposal.precision,
                quote=proposal.quote,
                quote_start=proposal.start,
                quote_end=proposal.end,
                confidence=proposal.confidence,
            )
        )
    return resolved


def upload_ingest(
    *,
    files: Iterable[tuple[str, Upload]],
    created_by,
    default_published: date | None = None,
    default_outlet: str = "",
) -> IngestJob:
    """An admin's upload: every file is stored (good ones to ingest, bad ones
    with their reason) before anything else happens."""

    result = read_uploads(
        files,
        limits=UploadLimits(**settings.STANCETRACKER_UPLOAD_LIMITS),
        default_published=default_published,
        default_outlet=default_outlet,
    )
    return ingest_job_create(
        kind=IngestJob.Kind.UPLOAD,
        files=[
            IncomingFile(
                name=article.name,
                raw=article.raw,
                default_published=article.default_published,
                outlet=article.outlet,
                source_url=article.source_url,
                note=article.note,
            )
            for article in result.articles
        ],
        rejections=[(rejection.name, rejection.reason) for rejection in result.rejections],
        created_by=created_by,
    )


# ---------------------------------------------------------------- learning from editors
@transaction.atomic
def extractor_model_queue(*, created_by) -> ExtractorModel | None:
    """A new model version waiting to be trained; ``None`` while another one trains."""
    training = ExtractorModel.objects.select_for_update().filter(
        status=ExtractorModel.Status.TRAINING
    )
    if training.exists():
        return None
    return ExtractorModel.objects.create(created_by=created_by, progress=_("Queued"))


def extractor_model_train(
    *,
    model: ExtractorModel,
    sets: Iterable[tuple[str, str]] = (),
    progress=None,
) -> ExtractorModel:
    """Train ``model`` (a row in status "training") on the built-in examples of the current
    model, every article editors have fully decided, and annotated ``sets`` of
    (gold file, folder). The folder goes under ``VAR_DIR/models/<version>``."""

    def step(text: str) -> None:
        ExtractorModel.objects.filter(pk=model.pk).update(progress=text)
        if progress is not None:
            progress(text)

    try:
        step(_("Reading editor decisions"))
        articles, sources = _training_articles(sets)
        current_path, current_version = extractor_model_path()
        extra = read_examples(current_path / EXAMPLES_FILE)
        sources.append({"set": f"built-in examples ({current_version})", "examples": len(extra)})
        if not articles and not extra:
            raise ValueError(_("Nothing to train on: no built-in examples and no decisions."))
        step(_("Finding candidates in %(n)d articles") % {"n": len(articles)})
        prepared = prepare(extractor_get(), articles, unknown=unknown_people_extractor(articles))
        step(_("Training"))
        folder = Path(settings.VAR_DIR) / "models" / f"training-{model.pk}"
        meta = save(
            prepared,
            folder,
            threshold=DEFAULT_THRESHOLD,
            settings=TrainSettings(),
            sources=sources,
            extra=extra,
        )
        final = folder.with_name(f"{meta['version']}-{model.pk}")
        folder.rename(final)
    except Exception as error:  # recorded on the row for the admin, then re-raised
        model.status = ExtractorModel.Status.FAILED
        model.message = f"{type(error).__name__}: {error}"
        model.finished_at = timezone.now()
        model.save(update_fields=["status", "message", "finished_at"])
        raise
    model.version = meta["version"]
    model.path = str(final)
    model.meta = meta
    model.status = ExtractorModel.Status.READY
    model.progress = _("Done")
    model.finished_at = timezone.now()
    model.save()
    return model


def unknown_people_extractor(articles: list) -> Extractor:
    """An extractor whose actor list leaves out the people of the articles' gold records
    (or editor decisions): training meets them again as names it does not know."""
    actors, countries = actor_list_for_extraction()
    return Extractor(unlisted_people(actors, articles), countries)


def _training_articles(sets: Iterable[tuple[str, str]]) -> tuple[list, list[dict]]:
    """Every article editors have fully decided, then the annotated sets; with a count
    of each source for the model's provenance."""

    articles = reviewed_articles_for_training()
    sources = [{"set": "editor decisions", "articles": len(articles)}]
    for gold, folder in sets:
        found = read_gold_set(gold, folder, parse_article)
        articles += found
        sources.append({"set": Path(folder).name, "articles": len(found)})
    return articles, sources


@transaction.atomic
def extractor_model_activate(*, model: ExtractorModel | None) -> None:
    """Make ``model`` the current one; ``None`` goes back to the model shipped with the code."""
    ExtractorModel.objects.select_for_update().filter(is_current=True).update(is_current=False)
    if model is not None:
        if model.status != ExtractorModel.Status.READY:
            raise ValueError(_("Only a trained model can be made current."))
        ExtractorModel.objects.filter(pk=model.pk).update(is_current=True)


def article_publication_set(*, article: Article, published: date | None, outlet: str) -> dict:
    """An editor's publication date and outlet for an article; the open proposals are then
    extracted again, so that dates relative to the publication ("on Monday") follow it."""
    article.published = published
    article.published_source = (
        Article.PublishedSource.EDITOR if published else Article.PublishedSource.NONE
    )
    article.outlet = outlet
    article.save(update_fields=["published", "published_source", "outlet"])
    return stances_rescore(articles=Article.objects.filter(pk=article.pk))


def stances_rescore(*, articles: QuerySet[Article] | None = None) -> dict[str, int]:
    """Score every open proposal (of ``articles``, default all) again with the current
    model; reviewed stances stay as they are (see ``actors.services.stances_repropose``)."""
    extractor = extractor_get()
    topic = default_topic()
    counts = {"articles": 0, "updated": 0, "withdrawn": 0, "added": 0}
    if articles is None:
        articles = Article.objects.filter(stances__status=Stance.Status.PROPOSED).distinct()
    for article in articles.order_by("pk"):
        proposals = _actors_resolved(extractor.extract(article.body, article.published))
        changed = stances_repropose(
            article=article,
            topic=topic,
            proposals=proposals,
            extractor_version=extractor.version,
        )
        counts["articles"] += 1
        for key, value in changed.items():
            counts[key] += value
    return counts
