from __future__ import annotations

from datetime import date

import pytest
from django.db import IntegrityError, transaction

from actors.models import Stance

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "change",
    [
        {"label": "enthusiastic"},
        {"status": "maybe"},
        {"confidence": 1.5},
        {"stated_on": None, "stated_on_precision": "day"},
        {"stated_on": date(2026, 1, 1), "stated_on_precision": "unknown"},
        {"quote_end": 0, "quote_start": 5},
        {"status": "approved", "reviewed_at": None},
    ],
)
def test_the_database_refuses_an_inconsistent_stance(article_with_proposals, change):
    _, stances = article_with_proposals
    stance = stances[0]
    for field, value in change.items():
        setattr(stance, field, value)
    with pytest.raises(IntegrityError), transaction.atomic():
        stance.save()


def test_the_same_evidence_cannot_be_stored_twice(article_with_proposals):
    _, stances = article_with_proposals
    original = stances[0]
    copy = Stance(
        actor=original.actor,
        topic=original.topic,
        label="support",
        article=original.article,
        quote=original.quote,
        quote_start=original.quote_start,
        quote_end=original.quote_end,
        confidence=0.5,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        copy.save()


def test_date_is_shown_with_its_precision(article_with_proposals):
    _, stances = article_with_proposals
    stance = stances[0]
    assert stance.stated_on_display == "10 Mar 2026"
    stance.stated_on_precision = "month"
    assert stance.stated_on_display == "Mar 2026"
    assert stance.stated_on_iso == "2026-03"
