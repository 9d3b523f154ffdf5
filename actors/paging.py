"""Paging of lists that grow with the database, without counting all of them.

Django's ``Paginator`` counts the whole queryset before it shows a page; over a million
rows the count alone takes seconds. ``CappedPaginator`` counts at most ``cap`` rows (past
that, the count shown is "10,000+"), and finds whether a next page exists by asking for one
row more than a page holds, so that every row stays reachable by paging.

``KeysetPaginator`` pages a list from a cursor (the row at the edge of the page one comes
from) instead of an offset, so that a page deep in a long list, or its last page, costs what
the first one does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db.models import F, Q
from django.utils.functional import cached_property

COUNT_CAP = 10_000


class CappedPage(Page):
    def __init__(self, object_list, number, paginator, *, has_more: bool):
        super().__init__(object_list, number, paginator)
        self._has_more = has_more

    def has_next(self) -> bool:
        return self._has_more


class CappedPaginator(Paginator):
    """A paginator whose count stops at ``cap``; ``counted`` is the queryset to count when
    the listed one is expensive to order (counting ignores the order), ``known_count`` the
    exact count when it is known already (from a cached tally): then nothing is capped."""

    def __init__(
        self,
        object_list,
        per_page,
        *,
        cap: int = COUNT_CAP,
        counted=None,
        known_count: int | None = None,
        **kwargs,
    ):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap
        self.counted = counted
        self.known_count = known_count

    @cached_property
    def count(self) -> int:
        if self.known_count is not None:
            return self.known_count
        counted = self.object_list if self.counted is None else self.counted
        return counted.order_by().values("pk")[: self.cap + 1].count()

    @property
    def capped(self) -> bool:
        """Whether more rows exist than were counted: the count is then a lower bound."""
        return self.known_count is None and self.count > self.cap

    @property
    def count_shown(self) -> int:
        return min(self.count, self.cap)

    def validate_number(self, number) -> int:
        if not self.capped and self.known_count is None:
            return super().validate_number(number)
        # past the cap, or by a count that may lag behind the rows (a cached tally), the
        # rows themselves tell where the list ends
        try:
            number = int(number)
        except (TypeError, ValueError) as error:
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from error
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        return number

    def page(self, number) -> CappedPage:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page + 1])
        if not rows and number > 1:
            raise EmptyPage(self.error_messages["no_results"])
        return CappedPage(rows[: self.per_page], number, self, has_more=len(rows) > self.per_page)

    def get_page(self, number) -> CappedPage:
        try:
            return self.page(number)
        except PageNotAnInteger:
            return self.page(1)
        except EmptyPage:
            try:
                return self.page(self.num_pages)
            except EmptyPage:
                return self.page(1)


# ---------------------------------------------------------------- keyset paging
@dataclass(frozen=True)
class Key:
    """One column of a list's order: ``name`` aliases ``expression`` on the queryset."""

    name: str
    expression: Any
    descending: bool = False

    def ordering(self, *, backwards: bool = False):
        descending = self.descending != backwards
        return F(self.name).desc() if descending else F(self.name).asc()


def _beyond(keys: Sequence[Key], values: Sequence, *, backwards: bool, inclusive: bool) -> Q:
    """The rows that come after ``values`` in the order of ``keys`` (before them when
    ``backwards``), the row at ``values`` itself too when ``inclusive``. Written as a bound
    on the first key and then the tie-breaks, so that an index in that order is entered at
    the cursor and read from there."""

    def later(key: Key, *, equal: bool) -> str:
        descending = key.descending != backwards
        return ("lte" if equal else "lt") if descending else ("gte" if equal else "gt")

    def tail(index: int) -> Q:
        key, value = keys[index], values[index]
        last = index == len(keys) - 1
        if last:
            return Q(**{f"{key.name}__{later(key, equal=inclusive)}": value})
        return Q(**{f"{key.name}__{later(key, equal=True)}": value}) & (
            Q(**{f"{key.name}__{later(key, equal=False)}": value}) | tail(index + 1)
        )

    return tail(0)


@dataclass
class KeysetPage:
    """A page of a list read from a cursor: the ids, whether there are rows on either side,
    and the list's count as :class:`CappedPaginator` gives it."""

    object_list: list
    has_previous: bool
    has_next: bool
    count: int
    capped: bool

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    @property
    def has_other_pages(self) -> bool:
        return self.has_previous or self.has_next

    @property
    def count_shown(self) -> int:
        return self.count

    @property
    def first_pk(self):
        return self.object_list[0] if self.object_list else None

    @property
    def last_pk(self):
        return self.object_list[-1] if self.object_list else None

    @property
    def paginator(self) -> KeysetPage:
        # the templates of the numbered pages read the count from the paginator
        return self


class KeysetPaginator:
    """Pages of the ids of a queryset in the order of ``keys`` (its last key unique), read
    from a cursor rather than counted off from the start: the first page, the page after
    or before a row (``after`` / ``before``: the id of the row at the edge of the page the
    reader comes from) and the last page (the order read backwards). Each costs a few index
    probes however deep into the list it lies; no page has a number.

    The cursor's row need not be in the list any more (a proposal decided since): its
    values still say where the list goes on. A cursor that names no row gives the first
    page. ``counted``, ``known_count`` and ``cap`` are :class:`CappedPaginator`'s."""

    def __init__(
        self,
        queryset,
        per_page: int,
        *,
        keys: Sequence[Key],
        cap: int = COUNT_CAP,
        counted=None,
        known_count: int | None = None,
    ):
        self.keys = list(keys)
        self.queryset = queryset.alias(**{key.name: key.expression for key in self.keys})
        self.per_page = per_page
        self.cap = cap
        self.counted = queryset if counted is None else counted
        self.known_count = known_count

    def _count(self) -> tuple[int, bool]:
        if self.known_count is not None:
            return self.known_count, False
        counted = self.counted.order_by().values("pk")[: self.cap + 1].count()
        return min(counted, self.cap), counted > self.cap

    def _values(self, pk) -> tuple | None:
        """The keys' values at the cursor's row, read from the table (the row may have left
        the list)."""
        if pk is None or not str(pk).isdigit():
            return None
        model = self.queryset.model
        return (
            model._base_manager.filter(pk=int(pk))
            .annotate(**{key.name: key.expression for key in self.keys})
            .values_list(*(key.name for key in self.keys))
            .first()
        )

    def _ids(self, queryset, *, backwards: bool) -> list:
        ordering = [key.ordering(backwards=backwards) for key in self.keys]
        ids = list(queryset.order_by(*ordering).values_list("pk", flat=True)[: self.per_page + 1])
        return ids

    def _exists(self, values, *, backwards: bool) -> bool:
        near = _beyond(self.keys, values, backwards=backwards, inclusive=True)
        return self.queryset.filter(near).order_by().exists()

    def page(self, *, after=None, before=None, last: bool = False) -> KeysetPage:
        count, capped = self._count()
        if last:
            ids = self._ids(self.queryset, backwards=True)
            more = len(ids) > self.per_page
            return KeysetPage(ids[: self.per_page][::-1], more, False, count, capped)
        cursor, backwards = (before, True) if before is not None else (after, False)
        values = self._values(cursor)
        if values is not None and backwards:
            beyond = _beyond(self.keys, values, backwards=True, inclusive=False)
            ids = self._ids(self.queryset.filter(beyond), backwards=True)
            if len(ids) > self.per_page:
                has_next = self._exists(values, backwards=False)
                return KeysetPage(ids[: self.per_page][::-1], True, has_next, count, capped)
            # the start of the list is less than a page away: the first page, full
        elif values is not None:
            beyond = _beyond(self.keys, values, backwards=False, inclusive=False)
            ids = self._ids(self.queryset.filter(beyond), backwards=False)
            if ids:
                has_previous = self._exists(values, backwards=True)
                return KeysetPage(
                    ids[: self.per_page], has_previous, len(ids) > self.per_page, count, capped
                )
            # nothing is left after the cursor (decided since): the end of the list
            return self.page(last=True)
        ids = self._ids(self.queryset, backwards=False)
        return KeysetPage(ids[: self.per_page], False, len(ids) > self.per_page, count, capped)
