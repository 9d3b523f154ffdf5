"""Celery entry points: they take primary keys and call services."""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task
from celery.signals import worker_ready
from django.db import OperationalError

from articles.models import ExtractorModel, IngestJob
from articles.services import (
    extractor_model_train,
    ingest_job_run,
    ingest_jobs_resume,
    stances_rescore,
)


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=5,
)
def ingest_job_run_task(self, job_id: int) -> None:
    job = IngestJob.objects.filter(pk=job_id).first()
    if job is None or job.status == IngestJob.Status.DONE:
        return
    ingest_job_run(job=job)


@shared_task
def ingest_jobs_resume_task() -> list[int]:
    """Periodic: jobs stored while the broker was down, or left by a dead worker."""
    return ingest_jobs_resume()


@worker_ready.connect
def resume_on_worker_start(**kwargs) -> None:
    # A worker that starts may be replacing one that died in the middle of a
    # job; the job's remaining files are picked up again at once.
    ingest_jobs_resume(older_than=timedelta(0))


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
