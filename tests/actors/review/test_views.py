"""The editors' review desk: conflicts, undo, flags, edits, bulk actions, filters."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from actors.models import Actor, Stance, Topic

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def review(client, stance, **data):
    return client.post(
        reverse("review:stance-review", kwargs={"pk": stance.pk}), data, headers=HTMX
    )


def test_a_second_editor_acting_on_a_stale_page_gets_a_conflict_not_an_overwrite(
    client, editor, second_editor, article_with_proposals
):
    _, stances = article_with_proposals
    stance = stances[0]
    seen_version = stance.version

    client.force_login(editor)
    assert review(client, stance, action="approve", version=seen_version).status_code == 200

    client.force_login(second_editor)
    response = review(client, stance, action="reject", version=seen_version)
    assert response.status_code == 409
    content = response.content.decode()
    assert "edith changed this stance while you were looking at it" in content
    assert "status-approved" in content  # the current state is shown
    stance.refresh_from_db()
    assert stance.status == Stance.Status.APPROVED
    assert stance.reviewed_by == editor


def test_undo_puts_back_the_editors_last_change(client, editor, article_with_proposals):
    _, stances = article_with_proposals
    stance = stances[0]
    client.force_login(editor)
    review(client, stance, action="approve", version=stance.version)
    response = review(client, stance, action="undo")
    assert response.status_code == 200
    stance.refresh_from_db()
    assert stance.status == Stance.Status.PROPOSED
    assert stance.reviewed_by is None
    assert stance.history.count() == 3  # proposed, approved, undone: all on record


def test_undo_of_a_label_change(client, editor, article_with_proposals):
    _, stances = article_with_proposals
    stance = stances[0]
    client.force_login(editor)
    review(client, stance, action="label", label="neutral", version=stance.version)
    review(client, stance, action="undo")
    stance.refresh_from_db()
    assert stance.label == "oppose"


def test_an_editor_cannot_undo_someone_elses_change(
    client, editor, second_editor, article_with_proposals
):
    _, stances = article_with_proposals
    stance = stances[0]
    client.force_login(editor)
    review(client, stance, action="approve", version=stance.version)
    client.force_login(second_editor)
    response = review(client, stance, action="undo")
    assert response.status_code == 400
    assert "no change of yours to undo" in response.content.decode()
    stance.refresh_from_db()
    assert stance.status == Stance.Status.APPROVED


def test_a_flagged_proposal_moves_to_the_admins_queue(
    client, editor, admin_user_role, article_with_proposals
):
    _, stances = article_with_proposals
    stance = stances[0]
    client.force_login(editor)
    response = review(
        client, stance, action="flag", reason="Is this Tusk or Sikorski?", version=stance.version
    )
    assert response.status_code == 200
    assert "Is this Tusk or Sikorski?" in response.content.decode()
    assert f'id="stance-{stance.pk}"' not in client.get(reverse("review:queue")).content.decode()
    assert client.get(reverse("review:flagged")).status_code == 403

    client.force_login(admin_user_role)
    flagged = client.get(reverse("review:flagged")).content.decode()
    assert f'id="stance-{stance.pk}"' in flagged
    assert "Is this Tusk or Sikorski?" in flagged


def test_a_flag_needs_a_reason(client, editor, article_with_proposals):
    _, stances = article_with_proposals
    client.force_login(editor)
    response = review(client, stances[0], action="flag", reason="  ", version=stances[0].version)
    assert response.status_code == 400
    stances[0].refresh_from_db()
    assert stances[0].flagged_at is None


def test_only_an_admin_clears_a_flag(client, editor, admin_user_role, article_with_proposals):
    _, stances = article_with_proposals
    stance = stances[0]
    client.force_login(editor)
    review(client, stance, action="flag", reason="unsure", version=stance.version)
    stance.refresh_from_db()
    assert review(client, stance, action="unflag", version=stance.version).status_code == 403
    client.force_login(admin_user_role)
    assert review(client, stance, action="unflag", version=stance.version).status_code == 200
    stance.refresh_from_db()
    assert stance.flagged_at is None


def edit(client, stance, **changes):
    data = {
        "label": stance.label,
        "actor_name": stance.actor.name,
        "topic": stance.topic_id,
        "stated_on": stance.stated_on.isoformat() if stance.stated_on else "",
        "precision": stance.stated_on_precision,
        "quote": stance.quote,
        "version": stance.version,
        **changes,
    }
    return client.post(reverse("review:stance-edit", kwargs={"pk": stance.pk}), data, headers=HTMX)


def test_editor_corrects_actor_by_alias_date_precision_and_evidence(
    client, editor, article_with_proposals
):
    _, stances = article_with_proposals
    stance = stances[1]
    client.force_login(editor)
    assert (
        client.get(
            reverse("review:stance-edit", kwargs={"pk": stance.pk}), headers=HTMX
        ).status_code
        == 200
    )
    response = edit(
        client,
        stance,
        actor_name="macron",
        stated_on="2026-02-17",
        precision="month",
        quote="Europe should open talks",
        label="conditional",
    )
    assert response.status_code == 200
    stance.refresh_from_db()
    assert stance.actor.name == "Emmanuel Macron"
    assert (stance.stated_on, stance.stated_on_precision) == (date(2026, 2, 1), "month")
    assert stance.article.body[stance.quote_start : stance.quote_end] == "Europe should open talks"
    assert stance.label == "conditional"
    assert stance.status == Stance.Status.PROPOSED


def test_evidence_that_is_not_in_the_article_is_refused(client, editor, article_with_proposals):
    _, stances = article_with_proposals
    stance = stances[0]
    client.force_login(editor)
    response = edit(client, stance, quote="Tusk loves talks")
    assert response.status_code == 400
    assert "verbatim passage" in response.content.decode()
    stance.refresh_from_db()
    assert stance.quote == "Donald Tusk rejected any talks with Moscow for now"


def test_an_unknown_actor_needs_the_create_box_and_is_then_created_unconfirmed(
    client, editor, article_with_proposals
):
    _, stances = article_with_proposals
    stance = stances[0]
    client.force_login(editor)
    response = edit(client, stance, actor_name="Jan Novak")
    assert response.status_code == 400
    assert "No actor is called" in response.content.decode()
    assert not Actor.objects.filter(name="Jan Novak").exists()

    response = edit(
        client, stance, actor_name="Jan Novak", create_actor="on", new_actor_country="CZ"
    )
    assert response.status_code == 200
    stance.refresh_from_db()
    assert stance.actor.name == "Jan Novak"
    assert stance.actor.is_confirmed is False
    assert stance.actor.country.code == "CZ"


def test_bulk_approve_of_ticked_proposals(client, editor, article_with_proposals):
    _, stances = article_with_proposals
    client.force_login(editor)
    response = client.post(
        reverse("review:bulk"), {"action": "approve", "ids": [s.pk for s in stances]}
    )
    assert response.status_code == 302
    assert set(Stance.objects.values_list("status", flat=True)) == {"approved"}


def test_bulk_by_article_takes_only_proposals_above_the_confidence(
    client, editor, article_with_proposals
):
    article, stances = article_with_proposals
    Stance.objects.filter(pk=stances[0].pk).update(confidence=0.4)
    client.force_login(editor)
    client.post(
        reverse("review:bulk"),
        {"action": "reject", "article": article.pk, "min_confidence": "0.8"},
    )
    statuses = dict(Stance.objects.values_list("pk", "status"))
    assert statuses == {stances[0].pk: "proposed", stances[1].pk: "rejected"}


def test_analyst_cannot_bulk_approve(client, analyst, article_with_proposals):
    _, stances = article_with_proposals
    client.force_login(analyst)
    response = client.post(reverse("review:bulk"), {"action": "approve", "ids": [stances[0].pk]})
    assert response.status_code == 403
    assert Stance.objects.filter(status="approved").count() == 0


def test_filters_narrow_the_queue_and_count_per_label(client, editor, article_with_proposals):
    _, stances = article_with_proposals
    client.force_login(editor)
    content = client.get(reverse("review:queue"), {"label": "oppose"}).content.decode()
    assert f'id="stance-{stances[0].pk}"' in content
    assert f'id="stance-{stances[1].pk}"' not in content
    assert "1 proposal matches." in content

    content = client.get(reverse("review:queue"), {"country": "PL"}).content.decode()
    assert f'id="stance-{stances[0].pk}"' in content
    assert f'id="stance-{stances[1].pk}"' not in content

    content = client.get(reverse("review:queue"), {"confidence_min": "0.95"}).content.decode()
    assert "0 proposals match." in content


def test_the_queue_pages_through_ten_thousand_proposals_in_constant_queries(
    client, editor, article_with_proposals, django_assert_max_num_queries
):
    article, stances = article_with_proposals
    actor, topic = stances[0].actor, Topic.objects.get()
    Stance.objects.bulk_create(
        (
            Stance(
                actor=actor,
                topic=topic,
                label="support",
                article=article,
                quote=article.body[n % 50 : n % 50 + 5],
                quote_start=n,
                quote_end=n + 5,
                confidence=0.5,
            )
            for n in range(1000, 11000)
        ),
        batch_size=2000,
    )
    client.force_login(editor)
    deep = Stance.objects.get(quote_start=8000)
    for params in ({"after": deep.pk}, {"before": deep.pk}, {"last": "1"}):
        with django_assert_max_num_queries(13):
            response = client.get(reverse("review:queue"), params)
        assert response.status_code == 200
        content = response.content.decode()
        assert "10002 proposals match." in content or "10,002 proposals match." in content
    # the last page holds the queue's last proposals
    assert f'id="stance-{Stance.objects.get(quote_start=10999).pk}"' in content


def test_least_sure_first_puts_the_proposal_nearest_even_odds_on_top(
    client, editor, article_with_proposals
):
    _article, (tusk, sanchez) = article_with_proposals
    Stance.objects.filter(pk=tusk.pk).update(confidence=0.97)
    Stance.objects.filter(pk=sanchez.pk).update(confidence=0.55)
    client.force_login(editor)

    def order(value: str) -> list[int]:
        content = client.get(reverse("review:queue"), {"order": value}).content.decode()
        return sorted((tusk.pk, sanchez.pk), key=lambda pk: content.index(f'id="stance-{pk}"'))

    assert order("uncertain") == [sanchez.pk, tusk.pk]
    assert order("-confidence") == [tusk.pk, sanchez.pk]
    content = client.get(reverse("review:queue")).content.decode()
    assert "Least sure first" in content and "---------" not in content.split("Order")[1][:400]


def test_the_queue_filters_offer_no_dashes(client, editor, article_with_proposals):
    client.force_login(editor)
    content = client.get(reverse("review:queue")).content.decode()
    assert "---------" not in content
    assert 'type="search" name="article_title"' in content
    assert 'type="search" name="actor"' in content
    # the actor box suggests the actors that have open proposals
    assert '<option value="Donald Tusk">' in content


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"actor": "tusk"}, {"Donald Tusk"}),
        ({"actor": "Sánchez"}, {"Pedro Sánchez"}),
        ({"article_title": "NEW CHANNEL"}, {"Donald Tusk", "Pedro Sánchez"}),
        ({"article_title": "no such title"}, set()),
    ],
)
def test_editors_type_to_find_an_actor_or_article(
    client, editor, article_with_proposals, params, expected
):
    client.force_login(editor)
    response = client.get(reverse("review:queue"), params)
    shown = {item["stance"].actor.name for item in response.context["items"]}
    assert shown == expected


def test_the_actor_filter_finds_an_actor_by_alias(client, editor, article_with_proposals, tusk):
    tusk.aliases.create(text="the Polish premier", kind="title")
    client.force_login(editor)
    response = client.get(reverse("review:queue"), {"actor": "polish prem"})
    assert [item["stance"].actor for item in response.context["items"]] == [tusk]


def test_a_link_to_one_articles_proposals_names_the_article(client, editor, article_with_proposals):
    article, stances = article_with_proposals
    client.force_login(editor)
    content = client.get(reverse("review:queue"), {"article": article.pk}).content.decode()
    assert f"article: {article.title}" in content
    assert content.count('class="review-item') == len(stances)


def test_the_queue_shows_exactly_one_ingest_jobs_proposals(client, editor, article_with_proposals):
    from articles.models import IngestJob

    article, stances = article_with_proposals
    job = IngestJob.objects.create(kind=IngestJob.Kind.UPLOAD)
    other = IngestJob.objects.create(kind=IngestJob.Kind.UPLOAD)
    type(article).objects.filter(pk=article.pk).update(ingest_job=job)
    client.force_login(editor)
    mine = client.get(reverse("review:queue"), {"job": job.pk}).content.decode()
    assert len(stances) == 2 and all(f'id="stance-{s.pk}"' in mine for s in stances)
    theirs = client.get(reverse("review:queue"), {"job": other.pk}).content.decode()
    assert not any(f'id="stance-{s.pk}"' in theirs for s in stances)


def test_the_counts_per_label_and_country_follow_each_decision(
    client, editor, article_with_proposals
):
    import re

    _, stances = article_with_proposals
    tusk = next(s for s in stances if s.actor.name == "Donald Tusk")
    client.force_login(editor)
    page = client.get(reverse("review:queue"), {"order": "confidence"}).content.decode()
    assert re.search(r"Oppose 1</a>", page) and re.search(r"Support 1</a>", page)

    response = client.post(
        reverse("review:stance-review", kwargs={"pk": tusk.pk}),
        {"action": "approve", "version": tusk.version},
        headers={**HTMX, "HX-Current-URL": "http://testserver/review/?order=confidence"},
    )
    facets = response.content.decode().split('id="review-facets"')[1]
    assert 'hx-swap-oob="true"' in facets
    assert "Oppose 0</a>" in facets and "Support 1</a>" in facets
    # the counts' links keep the page's filters
    assert "order=confidence&amp;label=support" in facets


def test_a_decision_made_outside_the_queue_brings_no_counts(client, editor, article_with_proposals):
    _, stances = article_with_proposals
    client.force_login(editor)
    response = client.post(
        reverse("review:stance-review", kwargs={"pk": stances[0].pk}),
        {"action": "approve", "version": stances[0].version},
        headers={**HTMX, "HX-Current-URL": f"http://testserver/stances/{stances[0].pk}/"},
    )
    assert response.status_code == 200 and "review-facets" not in response.content.decode()


def test_an_undo_from_a_card_that_is_out_of_date_is_a_conflict(
    client, editor, second_editor, article_with_proposals
):
    from actors.review.services import stance_approve, stance_relabel

    _, stances = article_with_proposals
    stance = stances[0]
    stance_approve(stance=stance, editor=editor)
    stance.refresh_from_db()
    seen = stance.version
    stance_relabel(stance=stance, editor=second_editor, label="neutral")
    client.force_login(editor)
    response = review(client, stance, action="undo", version=seen)
    assert response.status_code == 409
    stance.refresh_from_db()
    assert (stance.status, stance.label) == (Stance.Status.APPROVED, "neutral")
