"""Celery entry points for sources: they take primary keys and call services."""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError

from articles.sources.services import source_poll, sources_poll_due


@shared_task(
    acks_late=True,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=5,
)
def source_poll_task(source_id: int, requested: bool = False) -> None:
    # Safe to run twice: a second run finds the source leased or its entries seen.
    source_poll(source_id=source_id, requested=requested)


@shared_task
def sources_poll_due_task() -> list[int]:
    """Periodic (beat): send the sources whose polling interval has passed."""
    return sources_poll_due()
