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

from django.db import transaction
from django.utils import timezone

from actors.models import Actor, Country, Stance
from actors.selectors import actor_list_fingerprint, actor_list_for_extraction, default_topic
from actors.services import actor_propose
from articles.models import Article, IngestItem, IngestJob
from articles.nlp import EXTRACTOR_VERSION, Extractor, Proposal
from articles.parsing import parse_article

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


@transaction.atomic
def ingest_job_create(*, kind: str, files: Iterable[IncomingFile], created_by=None) -> IngestJob:
    """Store the files as a queued job, then hand the job to the worker."""
    from articles.tasks import ingest_job_run_task

    job = IngestJob.objects.create(kind=kind, created_by=created_by)
    items = [
        IngestItem(
            job=job,
            name=incoming.name,
            raw=incoming.raw,
            default_published=incoming.default_published,
            outlet=incoming.outlet,
            source_url=incoming.source_url,
        )
        for incoming in files
    ]
    IngestItem.objects.bulk_create(items)
    job.files_total = len(items)
    job.save(update_fields=["files_total"])
    ingest_job_run_task.delay_on_commit(job.pk)
    return job


def seed_files(*, folder: Path) -> list[IncomingFile]:
    return [
        IncomingFile(name=path.name, raw=path.read_text(encoding="utf-8"))
        for path in sorted(Path(folder).glob("*.txt"))
    ]


def seeds_load(*, folder: Path) -> IngestJob:
    files = seed_files(folder=folder)
    if not files:
        raise IngestError(f"No *.txt seed files in {folder}.")
    return ingest_job_create(kind=IngestJob.Kind.SEED, files=files)


def ingest_job_run(*, job: IngestJob) -> IngestJob:
    """Process every pending item of the job; safe to run again after a crash."""
    IngestJob.objects.filter(pk=job.pk).update(
        status=IngestJob.Status.RUNNING, started_at=timezone.now()
    )
    for item in job.items.filter(status=IngestItem.Status.PENDING).order_by("pk"):
        ingest_item_process(item=item)
    _job_refresh_counts(job=job)
    return job


def _job_refresh_counts(*, job: IngestJob) -> None:
    items = job.items.all()
    job.refresh_from_db()
    job.articles_created = items.filter(status=IngestItem.Status.CREATED).count()
    job.duplicates = items.filter(status=IngestItem.Status.DUPLICATE).count()
    job.failures = items.filter(status=IngestItem.Status.FAILED).count()
    job.stances_proposed = Stance.objects.filter(article__ingest_job=job).count()
    job.status = IngestJob.Status.DONE
    job.finished_at = timezone.now()
    job.save()


def ingest_item_process(*, item: IngestItem) -> IngestItem:
    """Turn one stored file into an article with proposed stances, exactly once."""
    try:
        with transaction.atomic():
            article, created = article_create(
                raw=item.raw,
                name=item.name,
                default_published=item.default_published,
                outlet=item.outlet,
                source_url=item.source_url,
                job=item.job,
            )
            if created:
                article_extract(article=article)
            item.article = article
            item.status = IngestItem.Status.CREATED if created else IngestItem.Status.DUPLICATE
            item.error = ""
            item.save(update_fields=["article", "status", "error"])
    except IngestError as error:
        _item_fail(item=item, error=str(error))
    except Exception as error:  # noqa: BLE001 - one bad article must not stop the job
        logger.exception("Ingesting %s failed", item.name)
        _item_fail(item=item, error=f"{type(error).__name__}: {error}")
    return item


def _item_fail(*, item: IngestItem, error: str) -> None:
    item.status = IngestItem.Status.FAILED
    item.error = error
    item.save(update_fields=["status", "error"])


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
    parsed = parse_article(raw, default_published=default_published)
    if not parsed.body.strip():
        raise IngestError("The file has no article text.")
    digest = content_hash(parsed.body)
    existing = Article.objects.filter(content_hash=digest).first()
    if existing is not None:
        return existing, False
    article = Article.objects.create(
        title=(parsed.title or name or "Untitled")[:500],
        body=parsed.body,
        published=parsed.published,
        published_source=parsed.published_source if parsed.published else "none",
        outlet=outlet or parsed.outlet,
        source_url=source_url,
        source_name=name,
        content_hash=digest,
        ingest_job=job,
    )
    return article, True


_extractor_lock = threading.Lock()
_extractor_cache: dict[str, object] = {}


def extractor_get() -> Extractor:
    """The extractor for the current actor list, rebuilt only when the list changes."""
    fingerprint = actor_list_fingerprint()
    with _extractor_lock:
        if _extractor_cache.get("fingerprint") != fingerprint:
            actors, countries = actor_list_for_extraction()
            _extractor_cache["extractor"] = Extractor(actors, countries)
            _extractor_cache["fingerprint"] = fingerprint
        return _extractor_cache["extractor"]


def article_extract(*, article: Article) -> list[Stance]:
    """Propose stances for one article; running it again proposes nothing new."""
    proposals = extractor_get().extract(article.body, article.published)
    return stances_propose(article=article, proposals=proposals)


def stances_propose(*, article: Article, proposals: list[Proposal]) -> list[Stance]:
    topic = default_topic()
    actors = {
        actor.name: actor for actor in Actor.objects.filter(name__in={p.actor for p in proposals})
    }
    stances = []
    for proposal in proposals:
        actor = actors.get(proposal.actor)
        if actor is None:
            actor = actor_propose(
                name=proposal.actor,
                country=Country.objects.filter(code=proposal.country).first(),
            )
            actors[actor.name] = actor
        stance, _ = Stance.objects.get_or_create(
            article=article,
            actor=actor,
            topic=topic,
            quote_start=proposal.start,
            quote_end=proposal.end,
            defaults={
                "label": proposal.label,
                "stated_on": proposal.stated_on,
                "stated_on_precision": proposal.precision,
                "quote": proposal.quote,
                "confidence": round(min(max(proposal.confidence, 0.0), 1.0), 3),
                "extractor_version": EXTRACTOR_VERSION,
            },
        )
        stances.append(stance)
    return stances
