"""Actor and country pages: newest first and undated last on every database, a count from
the cached tallies that follows each approval, and paging that reaches every statement."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.urls import reverse

from actors import selectors, views
from actors.models import Stance
from tests.factories import ActorFactory, StanceFactory

pytestmark = pytest.mark.django_db


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


def test_the_count_follows_a_new_statement_once_the_tallies_may_be_renewed(
    client, analyst, monkeypatch
):
    monkeypatch.setattr(views, "TIMELINE_PAGE_SIZE", 2)
    monkeypatch.setattr(selectors, "TALLIES_MIN_AGE", 0)
    actor = ActorFactory()
    StanceFactory.create_batch(2, actor=actor)
    url = reverse("actors:actor", kwargs={"slug": actor.slug})
    client.force_login(analyst)
    assert "Page 1 of" not in client.get(url).content.decode()
    StanceFactory(actor=actor)
    assert "Page 1 of 2" in client.get(url).content.decode()


def test_a_page_past_a_count_that_lags_still_shows_the_newest_rows(client, analyst, monkeypatch):
    monkeypatch.setattr(views, "TIMELINE_PAGE_SIZE", 2)
    actor = ActorFactory()
    url = reverse("actors:actor", kwargs={"slug": actor.slug})
    StanceFactory.create_batch(2, actor=actor)
    client.force_login(analyst)
    client.get(url)  # counted: two, one page
    newest = StanceFactory(actor=actor, stated_on=date(2027, 1, 1))
    oldest = StanceFactory(actor=actor, stated_on=date(2020, 1, 1))
    first = client.get(url).content.decode()
    assert listed(first)[0] == newest.pk
    assert "Next" in first  # the rows say there is more, whatever the count says
    assert oldest.pk in listed(client.get(url, {"page": 2}).content.decode())
