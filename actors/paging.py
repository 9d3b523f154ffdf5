"""Paging of lists that grow with the database, without counting all of them.

Django's ``Paginator`` counts the whole queryset before it shows a page; over a million
rows the count alone takes seconds. ``CappedPaginator`` counts at most ``cap`` rows (past
that, the count shown is "10,000+"), and finds whether a next page exists by asking for one
row more than a page holds, so that every row stays reachable by paging.
"""

from __future__ import annotations

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
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
