"""Celery entry points for sources, which take primary keys and call services, and the
functions that hand sources to them. The services never import this module."""

from __future__ import annotations

import logging

from celery import shared_task
from django.utils import timezone

from articles.models import Source
from articles.sources.selectors import sources_due
from articles.sources.services import source_poll
from articles.tasks import RETRIED_ON_DATABASE_ERRORS, ingest_job_enqueue

logger = logging.getLogger(__name__)


@shared_task(**RETRIED_ON_DATABASE_ERRORS)
def source_poll_task(source_id: int, requested: bool = False) -> None:
    # Safe to run twice: a second run finds the source leased or its entries seen.
    poll = source_poll(source_id=source_id, requested=requested)
    if poll is not None and poll.job_id is not None:
        ingest_job_enqueue(job=poll.job)


@shared_task
def sources_poll_due_task() -> list[int]:
    """Periodic (beat): send the sources whose polling interval has passed."""
    return sources_poll_due()


# ---------------------------------------------------------------- scheduling
def source_poll_request(*, source: Source) -> bool:
    """Poll now: the source is sent to the worker. With the broker down it is marked due,
    and the scheduler sends it once the broker is back; ``False`` says so."""
    Source.objects.filter(pk=source.pk).update(next_poll_at=timezone.now())
    return _source_enqueue(source_id=source.pk, requested=True)


def _source_enqueue(*, source_id: int, requested: bool) -> bool:
    # Marked before it is sent: a quick worker may have finished the poll (and cleared the
    # mark) before apply_async returns.
    Source.objects.filter(pk=source_id).update(queued_at=timezone.now())
    try:
        source_poll_task.apply_async((source_id,), {"requested": requested}, retry=False)
    except Exception as error:  # noqa: BLE001 - any broker failure means "not sent"
        logger.warning("Could not queue a poll of source %s: %s", source_id, error)
        Source.objects.filter(pk=source_id).update(queued_at=None)
        return False
    return True


def sources_poll_due(*, now=None) -> list[int]:
    """The scheduler's round: send every enabled source whose time has come (and that is
    neither waiting in the queue nor being polled) to the worker."""
    sent = []
    for source_id in sources_due(now=now or timezone.now()):
        if _source_enqueue(source_id=source_id, requested=False):
            sent.append(source_id)
    return sent
