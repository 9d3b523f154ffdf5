from __future__ import annotations

import pytest
from django.urls import reverse

from actors.models import Stance

pytestmark = pytest.mark.django_db


def add(client, article, **fields):
    data = {
        "quote": "Europe should open talks with Russia",
        "actor_name": "Pedro Sánchez",
        "label": "support",
        "topic": Stance.objects.first().topic_id,
        "stated_on": "2026-03-09",
        "precision": "day",
        **fields,
    }
    return client.post(reverse("articles:add-stance", kwargs={"pk": article.pk}), data)


def test_editor_adds_a_missed_stance_from_the_article_page(client, editor, article_with_proposals):
    article, _ = article_with_proposals
    client.force_login(editor)
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Add a stance the extractor missed" in page
    response = add(
        client, article, quote="Tusk rejected any talks", actor_name="Tusk", label="oppose"
    )
    stance = Stance.objects.get(quote="Tusk rejected any talks")
    assert response.status_code == 302
    assert response["Location"].endswith(f"#stance-{stance.pk}")
    assert stance.actor.name == "Donald Tusk"
    assert stance.status == Stance.Status.APPROVED and stance.reviewed_by == editor
    assert article.body[stance.quote_start : stance.quote_end] == stance.quote


def test_the_selection_offset_picks_the_right_occurrence(client, editor, article_with_proposals):
    article, _ = article_with_proposals
    client.force_login(editor)
    second = article.body.index("Prime Minister", article.body.index("Prime Minister") + 1)
    add(
        client,
        article,
        quote="Prime Minister",
        actor_name="Donald Tusk",
        near=second,
        label="neutral",
    )
    assert Stance.objects.get(label="neutral", quote="Prime Minister").quote_start == second


def test_evidence_not_in_the_article_is_refused_and_nothing_is_added(
    client, editor, article_with_proposals
):
    article, _ = article_with_proposals
    client.force_login(editor)
    before = Stance.objects.count()
    response = add(client, article, quote="words nobody wrote")
    assert response.status_code == 400
    assert "verbatim passage" in response.content.decode()
    assert Stance.objects.count() == before


def test_an_analyst_sees_no_add_form_and_cannot_post_one(client, analyst, article_with_proposals):
    article, _ = article_with_proposals
    client.force_login(analyst)
    assert "Add a stance" not in client.get(article.get_absolute_url()).content.decode()
    assert add(client, article).status_code == 403


def test_a_new_actor_is_created_only_with_the_stance_it_was_named_for(
    client, editor, article_with_proposals
):
    from actors.models import Actor

    article, _ = article_with_proposals
    client.force_login(editor)
    refused = add(
        client,
        article,
        quote="words that are not in the article",
        actor_name="Jana Nováková",
        create_actor="on",
        new_actor_country="CZ",
    )
    assert refused.status_code == 400
    assert not Actor.objects.filter(name="Jana Nováková").exists()

    add(client, article, actor_name="Jana Nováková", create_actor="on", new_actor_country="CZ")
    actor = Actor.objects.get(name="Jana Nováková")
    assert actor.country.code == "CZ" and not actor.is_confirmed
    assert Stance.objects.filter(actor=actor, article=article).count() == 1
