"""Reads for the Sources pages and the scheduler."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q, QuerySet

from articles.models import Source, SourceEntry, SourcePoll


def sources_due(*, now: datetime) -> list[int]:
    """Enabled sources whose next poll has come, not waiting in the queue already and not
    being polled (a queued or running mark older than the lease counts as lost)."""
    stale = now - timedelta(minutes=settings.STANCETRACKER_SOURCES["lease_minutes"])
    return list(
        Source.objects.filter(enabled=True)
        .filter(Q(next_poll_at__isnull=True) | Q(next_poll_at__lte=now))
        .filter(Q(queued_at__isnull=True) | Q(queued_at__lt=stale))
        .filter(Q(polling_since__isnull=True) | Q(polling_since__lt=stale))
        .order_by("next_poll_at", "pk")
        .values_list("pk", flat=True)
    )


def source_list() -> QuerySet[Source]:
    return Source.objects.select_related("last_poll__job").order_by("name", "pk")


def source_polls(*, source: Source, limit: int = 20) -> list[SourcePoll]:
    return list(source.polls.select_related("job")[:limit])


def source_entries(*, source: Source, limit: int = 100) -> list[SourceEntry]:
    """The entries tried most recently, failures with their reasons, articles linked."""
    return list(
        source.entries.select_related("item__article")
        .defer("item__raw", "item__article__body")
        .order_by("-last_tried_at", "-pk")[:limit]
    )


def source_failed_count(*, source: Source) -> int:
    return source.entries.filter(status=SourceEntry.Status.FAILED).count()
