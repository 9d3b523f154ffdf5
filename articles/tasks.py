"""Celery entry points: they take primary keys and call services."""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError

from articles.models import IngestJob
from articles.services import ingest_job_run


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
