from __future__ import annotations

import pytest
from django.urls import reverse

from actors.models import Actor, ActorAlias, Stance
from actors.services import actor_merge
from articles.services import article_propose
from tests.conftest import proposal_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def duplicate_actor(article_with_proposals):
    """The extractor proposed 'D. Tusk' as a new actor for evidence Tusk also has."""
    article, _ = article_with_proposals
    body = article.body
    [stance] = article_propose(
        article=article,
        proposals=[
            proposal_for(
                body,
                "D. Tusk",
                "rejected any talks with Moscow for now",
                "oppose",
                is_new_actor=True,
            ),
        ],
    )
    return stance.actor


def test_merging_moves_stances_and_keeps_the_name_as_an_alias(editor, tusk, duplicate_actor):
    moved = duplicate_actor.stances.get()
    actor_merge(keep=tusk, remove=duplicate_actor, editor=editor)
    assert not Actor.objects.filter(name="D. Tusk").exists()
    moved.refresh_from_db()
    assert moved.actor == tusk
    assert ActorAlias.objects.get(text="D. Tusk").actor == tusk
    assert moved.history.first().history_user == editor


def test_merging_drops_a_stance_the_kept_actor_already_has_for_the_same_evidence(
    editor, article_with_proposals
):
    article, stances = article_with_proposals
    tusk_stance = stances[0]
    other = Actor.objects.get(name="Radosław Sikorski")
    Stance.objects.create(
        actor=other,
        topic=tusk_stance.topic,
        label="oppose",
        article=article,
        quote=tusk_stance.quote,
        quote_start=tusk_stance.quote_start,
        quote_end=tusk_stance.quote_end,
        confidence=0.5,
    )
    actor_merge(keep=tusk_stance.actor, remove=other, editor=editor)
    assert Stance.objects.filter(article=article, quote_start=tusk_stance.quote_start).count() == 1


def test_admin_merges_two_actors_from_the_admin_list(admin_client, tusk, duplicate_actor):
    url = reverse("admin:actors_actor_changelist")
    ids = [tusk.pk, duplicate_actor.pk]
    response = admin_client.post(url, {"action": "merge_actors", "_selected_action": ids})
    assert response.status_code == 200
    assert "Merge actors" in response.content.decode()
    response = admin_client.post(
        url,
        {"action": "merge_actors", "_selected_action": ids, "apply": "1", "keep": tusk.pk},
    )
    assert response.status_code == 302
    assert list(Actor.objects.filter(pk__in=ids)) == [tusk]
    assert tusk.stances.count() == 2


def test_undoing_a_merge_whose_old_actor_is_gone_says_so_and_changes_nothing(
    client, editor, tusk, duplicate_actor
):
    moved = duplicate_actor.stances.get()
    actor_merge(keep=tusk, remove=duplicate_actor, editor=editor)
    moved.refresh_from_db()
    client.force_login(editor)
    response = client.post(
        reverse("review:stance-review", kwargs={"pk": moved.pk}),
        {"action": "undo"},
        headers={"HX-Request": "true"},
    )
    assert "merged into another one since" in response.content.decode()
    moved.refresh_from_db()
    assert moved.actor == tusk
