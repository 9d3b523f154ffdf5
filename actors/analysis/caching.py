"""Aggregates over every stance, kept in Django's cache between requests.

The Europe map, the network over all time, the stances without a date and the entry page's
counts read the whole table whatever the filters; their answers are kept under a key made of
what was asked and the data's version (``actors.selectors.stances_fingerprint``: the
stances' newest change and newest row, and the actors', each read from an index or a small
table), the version the list pages' cached tallies go by too. A stance saved or added gives
a new version at once. A change that bypasses `save()` (a queryset update, a deletion)
shows once the entry expires, after
``ANALYSIS_CACHE_SECONDS`` (five minutes unless set).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache

from actors.selectors import stances_fingerprint

T = TypeVar("T")


class Aggregates:
    """The cached aggregates of one request: the version is read once, on first use."""

    def __init__(self):
        self._version: str | None = None

    def get(self, name: str, compute: Callable[[], T], *asked) -> T:
        """`compute()`, or the answer it gave for the same question and version of the
        data."""
        seconds = settings.STANCETRACKER_ANALYSIS_CACHE_SECONDS
        if not seconds:
            return compute()
        if self._version is None:
            self._version = repr(stances_fingerprint())
        question = repr((name, self._version, *asked)).encode()
        key = f"analysis:{name}:{hashlib.sha256(question).hexdigest()}"
        found = cache.get(key)
        if found is None:
            found = compute()
            cache.set(key, found, seconds)
        return found


def filters_key(filters) -> tuple:
    """The filters as plain values, for a cache key."""
    topic = filters.topic.pk if filters.topic is not None else None
    return (topic, filters.date_from, filters.date_to, filters.labels, filters.include_proposed)
