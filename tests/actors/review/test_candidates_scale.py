"""Corroboration candidates: the dates' agreement is asked of the database, so that the
twenty shown are read with a slice, whatever the actor's history holds."""

from __future__ import annotations

from datetime import date

import pytest

from actors.review.selectors import CANDIDATES_SHOWN, corroboration_candidates
from tests.factories import ArticleFactory, StanceFactory

pytestmark = pytest.mark.django_db


def test_a_dated_stance_finds_the_same_day_and_month_only_dates_past_many_other_days(
    django_assert_max_num_queries,
):
    here = StanceFactory(stated_on=date(2026, 3, 10))
    actor = here.actor
    for day in (n for n in range(1, 29) if n != 10):  # older than the matches, other days
        StanceFactory(actor=actor, article=ArticleFactory(), stated_on=date(2026, 3, day))
    same_day = StanceFactory(actor=actor, article=ArticleFactory(), stated_on=date(2026, 3, 10))
    month_only = StanceFactory(
        actor=actor,
        article=ArticleFactory(),
        stated_on=date(2026, 3, 1),
        stated_on_precision="month",
    )
    with django_assert_max_num_queries(1):
        found = corroboration_candidates(stance=here)
    assert [s.pk for s in found] == [same_day.pk, month_only.pk]
    assert all(s.dates_agree(here) for s in found)


def test_never_more_than_the_shown_number():
    here = StanceFactory(stated_on=date(2026, 3, 10))
    StanceFactory.create_batch(CANDIDATES_SHOWN + 3, actor=here.actor, stated_on=date(2026, 3, 10))
    assert len(corroboration_candidates(stance=here)) == CANDIDATES_SHOWN
