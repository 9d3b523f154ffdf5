"""Celery entry points, which take primary keys and call services, and the functions
that hand work to them. Services never import this module."""

from __future__ import annotations

import logging
from datetime import timedelta

from celery import shared_task
from celery.signals import worker_ready
from django.db import OperationalError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from articles.models import ExtractorModel, IngestItem, IngestJob
from articles.services import (
    extractor_model_train,
    ingest_batch_run,
    ingest_job_batches,
    ingest_job_finish,
    ingest_job_mark_running,
    stances_rescore,
)

logger = logging.getLogger(__name__)

# Tasks that write: acknowledged once done (a killed worker's task runs again), and tried
# again with growing pauses while the database is unreachable.
RETRIED_ON_DATABASE_ERRORS = {
    "acks_late": True,
    "autoretry_for": (OperationalError,),
    "retry_backoff": True,
    "max_retries": 5,
}


@shared_task(**RETRIED_ON_DATABASE_ERRORS)
def ingest_job_run_task(job_id: int) -> None:
    """Hand the job's pending files to the worker's processes, a batch per task."""
    job = IngestJob.objects.filter(pk=job_id).first()
    if job is None or job.status == IngestJob.Status.DONE:
        return
    ingest_job_mark_running(job=job)
    batches = ingest_job_batches(job=job)
    for item_ids in batches:
        ingest_batch_task.apply_async((job.pk, item_ids))
    if not batches:
        ingest_job_finish(job=job)


@shared_task(**RETRIED_ON_DATABASE_ERRORS)
def ingest_batch_task(job_id: int, item_ids: list[int]) -> None:
    job = IngestJob.objects.filter(pk=job_id).first()
    if job is None:
        return
    ingest_batch_run(job_id=job.pk, item_ids=item_ids)
    ingest_job_finish(job=job)


@shared_task
def ingest_jobs_resume_task() -> list[int]:
    """Periodic: jobs stored while the broker was down, or left by a dead worker."""
    return ingest_jobs_resume()


@worker_ready.connect
def resume_on_worker_start(**kwargs) -> None:
    # A worker that starts may be replacing one that died in the middle of a
    # job; the job's remaining files are picked up again at once.
    ingest_jobs_resume(on_start=True)


@shared_task(acks_late=True)
def extractor_model_train_task(model_id: int) -> None:
    model = ExtractorModel.objects.filter(
        pk=model_id, status=ExtractorModel.Status.TRAINING
    ).first()
    if model is None:
        return
    extractor_model_train(model=model)


@shared_task(acks_late=True)
def stances_rescore_task() -> dict[str, int]:
    return stances_rescore()


def ingest_job_enqueue(*, job: IngestJob) -> bool:
    """Send the job to the worker; with the broker down it stays queued, saying so."""
    try:
        ingest_job_run_task.apply_async((job.pk,), retry=False)
    except Exception as error:  # noqa: BLE001 - any broker failure means "not sent"
        logger.warning("Could not queue ingest job %s: %s", job.pk, error)
        IngestJob.objects.filter(pk=job.pk).update(
            message=str(
                _(
                    "The task queue is not reachable right now. The files are stored and "
                    "the job will start as soon as the queue is back."
                )
            )
        )
        return False
    IngestJob.objects.filter(pk=job.pk).exclude(message="").update(message="")
    return True


def ingest_jobs_resume(
    *, older_than: timedelta = timedelta(minutes=1), on_start: bool = False
) -> list[int]:
    """Queue again the jobs whose pending files no worker will reach: those stored while
    the queue was down; those still queued after ``older_than``; and those a dead worker
    left running, which a starting worker (``on_start``) takes at once and the periodic
    check once no job has made progress for ``older_than`` (while one does, the batches
    queued behind it are only waiting their turn).

    Running a job twice is safe: each file is processed once, under a row lock.
    """
    cutoff = timezone.now() - older_than
    running = IngestJob.objects.filter(status=IngestJob.Status.RUNNING)
    waiting = Q(status=IngestJob.Status.QUEUED, created_at__lt=cutoff)
    if on_start:
        waiting |= Q(status=IngestJob.Status.RUNNING)
    elif not running.filter(updated_at__gte=cutoff).exists():
        waiting |= Q(status=IngestJob.Status.RUNNING, updated_at__lt=cutoff)
    stalled = (
        IngestJob.objects.filter(items__status=IngestItem.Status.PENDING)
        .filter(waiting | ~Q(message=""))
        .distinct()
    )
    resumed = []
    for job in stalled:
        if ingest_job_enqueue(job=job):
            resumed.append(job.pk)
    return resumed


def ingest_job_start(*, job: IngestJob) -> None:
    """Hand a stored job to the worker once the transaction that stored it commits."""
    transaction.on_commit(lambda: ingest_job_enqueue(job=job))
