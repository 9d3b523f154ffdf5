"""Actor and country pages: newest first and undated last on every database, a count from
the cached tallies that follows each approval, and paging that reaches every statement."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.core.cache import cache
from django.urls import reverse

from actors import views
from actors.models import Stance
from tests.factories import ActorFactory, StanceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def listed(page: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'href="/stances/(\d+)/"', page)]


@pytest.mark.parametrize("page_of", ["actor", "country"])
def test_pages_list_newest_first_undated_last_and_reach_every_statement(
    client, analyst, monkeypatch, page_of
):
    monkeypatch.setattr(views, "TIMELINE_PAGE_SIZE", 2)
    actor = ActorFactory()
    dated = [StanceFactory(actor=actor, stated_on=date(2026, 1, day)) for day in (3, 1, 2)]
    undated = StanceFactory(actor=actor, stated_on=None, stated_on_precision="unknown")
    report = StanceFactory(actor=actor, stated_on=date(2026, 1, 3))
    Stance.objects.filter(pk=report.pk).update(primary=dated[0])  # shown under its statement
    url = (
        reverse("actors:actor", kwargs={"slug": actor.slug})
        if page_of == "actor"
        else reverse("actors:country", kwargs={"code": "PL"})
    )
    mine = {s.pk for s in [*dated, undated]}
    client.force_login(analyst)
    first = client.get(url).content.decode()
    assert "Page 1 of 2" in first
    seen = []
    for number in (1, 2):
        page = client.get(url, {"page": number}).content.decode()
        seen += [pk for pk in listed(page) if pk in mine]
    assert seen == [dated[0].pk, dated[2].pk, dated[1].pk, undated.pk]


def test_the_count_follows_a_new_statement_at_once(client, analyst, monkeypatch):
    monkeypatch.setattr(views, "TIMELINE_PAGE_SIZE", 2)
    actor = ActorFactory()
    StanceFactory.create_batch(2, actor=actor)
    url = reverse("actors:actor", kwargs={"slug": actor.slug})
    client.force_login(analyst)
    assert "Page 1 of" not in client.get(url).content.decode()
    StanceFactory(actor=actor)
    assert "Page 1 of 2" in client.get(url).content.decode()
