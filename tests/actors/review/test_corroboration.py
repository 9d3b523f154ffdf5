"""The same statement reported by several articles is one stance with several sources."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from actors.models import Stance
from actors.review.services import stance_approve, stance_reject, stance_split, stances_merge
from articles.services import article_create, article_propose
from tests.conftest import proposal_for

pytestmark = pytest.mark.django_db

QUOTE = "Donald Tusk rejected any talks with Moscow for now"


def report(outlet: str, *, label="oppose", stated_on=date(2026, 3, 10), precision="day"):
    raw = f"{outlet} reports on Poland\n\nPolish Prime Minister {QUOTE}, {outlet} was told."
    article, _ = article_create(raw=raw, name=f"{outlet}.txt", outlet=outlet)
    [stance] = article_propose(
        article=article,
        proposals=[
            proposal_for(
                article.body,
                "Donald Tusk",
                QUOTE,
                label,
                country="PL",
                stated_on=stated_on,
                precision=precision,
            )
        ],
    )
    return stance


def test_reports_of_one_statement_are_one_stance_with_every_source(client, editor, analyst):
    first = stance_approve(stance=report("Alpha"), editor=editor)
    second = stance_approve(stance=report("Beta"), editor=editor)
    third = stance_approve(
        stance=report("Gamma", stated_on=date(2026, 3, 1), precision="month"), editor=editor
    )
    assert first.primary is None
    assert second.primary == first and third.primary == first

    client.force_login(analyst)
    page = client.get(reverse("actors:actor", kwargs={"slug": first.actor.slug})).content.decode()
    assert page.count(f"“{QUOTE}”") == 1
    assert "Reported by 3 sources" in page
    assert second.article.get_absolute_url() in page and third.article.get_absolute_url() in page


@pytest.mark.parametrize(
    "other",
    [
        {"label": "conditional"},
        {"stated_on": date(2026, 3, 11)},
        {"stated_on": date(2026, 4, 1), "precision": "month"},
        {"stated_on": None, "precision": "unknown"},
    ],
)
def test_reports_that_differ_in_label_or_date_stay_apart(editor, other):
    first = stance_approve(stance=report("Alpha"), editor=editor)
    second = stance_approve(stance=report("Beta", **other), editor=editor)
    assert second.primary is None and first.primary is None


def test_split_takes_a_report_out_and_it_shows_on_its_own(client, editor, analyst):
    first = stance_approve(stance=report("Alpha"), editor=editor)
    second = stance_approve(stance=report("Beta"), editor=editor)
    stance_split(stance=second, editor=editor)
    second.refresh_from_db()
    assert second.primary is None
    client.force_login(analyst)
    page = client.get(reverse("actors:actor", kwargs={"slug": first.actor.slug})).content.decode()
    assert page.count(f"“{QUOTE}”") == 2


def test_rejecting_the_primary_hands_the_group_on(editor):
    first = stance_approve(stance=report("Alpha"), editor=editor)
    second = stance_approve(stance=report("Beta"), editor=editor)
    third = stance_approve(stance=report("Gamma"), editor=editor)
    stance_reject(stance=first, editor=editor)
    second.refresh_from_db()
    third.refresh_from_db()
    assert second.primary is None and third.primary == second


def test_editor_merges_two_reports_from_the_stance_page(client, editor):
    first = stance_approve(stance=report("Alpha"), editor=editor)
    second = stance_approve(
        stance=report("Beta", stated_on=None, precision="unknown"), editor=editor
    )
    assert second.primary is None
    client.force_login(editor)
    client.post(
        reverse("review:stance-group", kwargs={"pk": first.pk}),
        {"action": "merge", "other": second.pk},
    )
    second.refresh_from_db()
    assert second.primary == first
    page = client.get(first.get_absolute_url()).content.decode()
    assert "The same statement, reported by" in page


def test_an_analyst_cannot_merge(client, analyst, editor):
    first = stance_approve(stance=report("Alpha"), editor=editor)
    second = stance_approve(stance=report("Beta", label="support"), editor=editor)
    client.force_login(analyst)
    response = client.post(
        reverse("review:stance-group", kwargs={"pk": first.pk}),
        {"action": "merge", "other": second.pk},
    )
    assert response.status_code == 403
    second.refresh_from_db()
    assert second.primary is None


def test_timeline_queries_stay_constant_with_groups(client, editor, analyst, query_count):
    stance_approve(stance=report("Alpha"), editor=editor)
    slug = Stance.objects.first().actor.slug
    pages = [
        reverse("actors:actor", kwargs={"slug": slug}),
        reverse("actors:country", kwargs={"code": "PL"}),
    ]
    client.force_login(analyst)
    # 10: the timeline is paged; its count comes from the cached tallies, which each new
    # approval renews (their fingerprint and the count itself)
    one_report = [query_count(page, budget=10) for page in pages]
    for outlet in ["Beta", "Gamma", "Delta", "Epsilon"]:
        stance_approve(stance=report(outlet), editor=editor)
    assert [query_count(page, budget=10) for page in pages] == one_report


def test_exports_name_every_source_of_a_statement(client, editor, analyst):
    import csv
    import io

    from articles.models import Article

    first = stance_approve(stance=report("Alpha"), editor=editor)
    second = stance_approve(stance=report("Beta"), editor=editor)
    Article.objects.filter(pk=first.article_id).update(source_url="https://alpha.example/a")
    Article.objects.filter(pk=second.article_id).update(source_url="https://beta.example/b")
    client.force_login(analyst)
    response = client.get(reverse("analysis:export-csv"))
    content = b"".join(response.streaming_content).decode()  # the export is streamed
    [row] = list(csv.DictReader(io.StringIO(content)))
    assert (row["source_url"], row["sources"]) == ("https://alpha.example/a", "2")
    assert row["other_source_urls"] == "https://beta.example/b"


def test_a_merge_or_split_from_a_page_that_is_out_of_date_changes_nothing(
    client, editor, second_editor
):
    first, second = report("Alpha"), report("Beta")
    for stance in (first, second):
        stance_approve(stance=stance, editor=editor)
    second.refresh_from_db()
    if second.primary_id is not None:  # approving grouped them: take it out again
        stance_split(stance=second, editor=editor)
    first.refresh_from_db()
    second.refresh_from_db()
    client.force_login(editor)
    page = reverse("actors:stance", kwargs={"pk": first.pk})
    assert f'name="other_version" value="{second.version}"' in client.get(page).content.decode()
    stance_reject(stance=second, editor=second_editor)  # meanwhile, another editor decides

    group = reverse("review:stance-group", kwargs={"pk": first.pk})
    form = {"action": "merge", "other": second.pk, "version": first.version}
    response = client.post(group, form | {"other_version": second.version}, follow=True)
    assert "changed since this page was opened" in response.content.decode()
    second.refresh_from_db()
    assert second.primary is None and second.status == Stance.Status.REJECTED

    third = report("Gamma")
    stance_approve(stance=third, editor=editor)
    third.refresh_from_db()
    stances_merge(primary=first, others=[third], editor=editor)
    stale = client.post(
        reverse("review:stance-group", kwargs={"pk": third.pk}),
        {"action": "split", "version": third.version},
        follow=True,
    )
    assert "changed since this page was opened" in stale.content.decode()
    third.refresh_from_db()
    assert third.primary_id == first.pk


def test_a_version_that_is_not_a_number_is_refused_on_the_group_form(client, editor):
    first = report("Alpha")
    stance_approve(stance=first, editor=editor)
    client.force_login(editor)
    response = client.post(
        reverse("review:stance-group", kwargs={"pk": first.pk}),
        {"action": "split", "version": "abc"},
    )
    assert response.status_code == 400


def test_candidates_come_from_the_stances_month_only_and_are_bounded(editor):
    from actors.review.selectors import CANDIDATES_SHOWN, corroboration_candidates
    from tests.factories import ArticleFactory, StanceFactory

    here = StanceFactory(stated_on=date(2026, 3, 10), stated_on_precision="month")
    actor = here.actor
    same_month = [
        StanceFactory(actor=actor, article=ArticleFactory(), stated_on=date(2026, 3, 1 + n))
        for n in range(CANDIDATES_SHOWN + 5)
    ]
    StanceFactory(actor=actor, article=ArticleFactory(), stated_on=date(2026, 4, 1))
    found = corroboration_candidates(stance=here)
    assert len(found) == CANDIDATES_SHOWN
    assert {s.pk for s in found} <= {s.pk for s in same_month}
    assert found == sorted(found, key=lambda s: s.pk)
