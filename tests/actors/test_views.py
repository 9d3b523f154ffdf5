from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from actors.models import Actor, Country, Stance, Topic
from actors.review.services import stance_approve
from tests.factories import ActorFactory, StanceFactory

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def test_anonymous_user_is_sent_to_login_from_every_page(client, article_with_proposals):
    article, stances = article_with_proposals
    urls = [
        reverse("home"),
        reverse("review:queue"),
        reverse("actors:actor-list"),
        reverse("actors:actor", kwargs={"slug": stances[0].actor.slug}),
        reverse("actors:country-list"),
        reverse("actors:country", kwargs={"code": "PL"}),
        reverse("actors:stance", kwargs={"pk": stances[0].pk}),
        reverse("articles:list"),
        reverse("articles:detail", kwargs={"pk": article.pk}),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url


def test_anonymous_user_cannot_approve(client, article_with_proposals):
    _, stances = article_with_proposals
    response = client.post(
        reverse("review:stance-review", kwargs={"pk": stances[0].pk}), {"action": "approve"}
    )
    assert response.status_code == 302
    stances[0].refresh_from_db()
    assert stances[0].status == Stance.Status.PROPOSED


def test_analyst_cannot_approve_a_stance(client, analyst, article_with_proposals):
    _, stances = article_with_proposals
    client.force_login(analyst)
    response = client.post(
        reverse("review:stance-review", kwargs={"pk": stances[0].pk}),
        {"action": "approve"},
        headers=HTMX,
    )
    assert response.status_code == 403
    stances[0].refresh_from_db()
    assert stances[0].status == Stance.Status.PROPOSED
    assert client.get(reverse("review:queue")).status_code == 403


def test_review_queue_shows_evidence_in_its_paragraph(client, editor, article_with_proposals):
    article, stances = article_with_proposals
    client.force_login(editor)
    response = client.get(reverse("review:queue"))
    content = response.content.decode()
    assert response.status_code == 200
    assert "<mark>Donald Tusk rejected any talks with Moscow for now</mark>" in content
    assert "Polish Prime Minister " in content  # the paragraph around the quote
    assert article.title in content
    assert 'hx-headers=\'{"x-csrftoken"' in content


def test_editor_approves_in_place_with_htmx(client, editor, article_with_proposals):
    _, stances = article_with_proposals
    client.force_login(editor)
    response = client.post(
        reverse("review:stance-review", kwargs={"pk": stances[0].pk}),
        {"action": "approve"},
        headers=HTMX,
    )
    assert response.status_code == 200
    fragment = response.content.decode()
    assert fragment.lstrip().startswith(
        f'<article class="review-item status-approved" id="stance-{stances[0].pk}"'
    )
    assert "<html" not in fragment
    assert 'value="approve"' not in fragment
    assert 'value="reject"' in fragment  # an editor can still change their mind
    stances[0].refresh_from_db()
    assert stances[0].status == Stance.Status.APPROVED
    assert stances[0].reviewed_by == editor
    assert stances[0].reviewed_at is not None


def test_editor_rejects_without_javascript_and_returns_to_queue(
    client, editor, article_with_proposals
):
    _, stances = article_with_proposals
    client.force_login(editor)
    response = client.post(
        reverse("review:stance-review", kwargs={"pk": stances[1].pk}),
        {"action": "reject", "next": reverse("review:queue")},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("review:queue")
    stances[1].refresh_from_db()
    assert stances[1].status == Stance.Status.REJECTED


def test_editor_changes_the_label_in_place(client, editor, article_with_proposals):
    _, stances = article_with_proposals
    client.force_login(editor)
    response = client.post(
        reverse("review:stance-review", kwargs={"pk": stances[0].pk}),
        {"action": "label", "label": "conditional"},
        headers=HTMX,
    )
    assert response.status_code == 200
    stances[0].refresh_from_db()
    assert stances[0].label == "conditional"
    assert stances[0].status == Stance.Status.PROPOSED
    assert "label-conditional" in response.content.decode()


def test_an_unknown_label_is_refused_and_changes_nothing(client, editor, article_with_proposals):
    _, stances = article_with_proposals
    client.force_login(editor)
    response = client.post(
        reverse("review:stance-review", kwargs={"pk": stances[0].pk}),
        {"action": "label", "label": "enthusiastic"},
        headers=HTMX,
    )
    assert response.status_code == 400
    stances[0].refresh_from_db()
    assert stances[0].label == "oppose"


def test_review_action_requires_post(client, editor, article_with_proposals):
    _, stances = article_with_proposals
    client.force_login(editor)
    response = client.get(reverse("review:stance-review", kwargs={"pk": stances[0].pk}))
    assert response.status_code == 405
    stances[0].refresh_from_db()
    assert stances[0].status == Stance.Status.PROPOSED


def test_actor_page_lists_only_approved_stances_newest_first(
    client, analyst, editor, article_with_proposals
):
    _, stances = article_with_proposals
    tusk_stance = stances[0]
    client.force_login(analyst)
    url = reverse("actors:actor", kwargs={"slug": tusk_stance.actor.slug})
    assert tusk_stance.quote not in client.get(url).content.decode()

    stance_approve(stance=tusk_stance, editor=editor)
    content = client.get(url).content.decode()
    assert tusk_stance.quote in content
    assert "10 Mar 2026" in content
    assert tusk_stance.article.get_absolute_url() in content


def test_country_page_shows_approved_stances_of_its_actors(
    client, analyst, editor, article_with_proposals
):
    _, stances = article_with_proposals
    for stance in stances:
        stance_approve(stance=stance, editor=editor)
    client.force_login(analyst)
    content = client.get(reverse("actors:country", kwargs={"code": "pl"})).content.decode()
    assert "Donald Tusk" in content
    assert stances[0].quote in content
    assert stances[1].quote not in content  # Sánchez is Spanish


def test_article_page_highlights_evidence(client, editor, article_with_proposals):
    article, stances = article_with_proposals
    client.force_login(editor)
    content = client.get(reverse("articles:detail", kwargs={"pk": article.pk})).content.decode()
    for stance in stances:
        mark = (
            f'<mark id="stance-{stance.pk}" class="label-{stance.label}" '
            f'data-start="{stance.quote_start}">{stance.quote}</mark>'
        )
        assert mark in content


def test_analyst_sees_no_unapproved_stance_on_the_article_page(
    client, analyst, article_with_proposals
):
    article, stances = article_with_proposals
    client.force_login(analyst)
    content = client.get(reverse("articles:detail", kwargs={"pk": article.pk})).content.decode()
    assert "<mark" not in content
    assert client.get(reverse("actors:stance", kwargs={"pk": stances[0].pk})).status_code == 403


def test_stance_page_shows_its_history(client, editor, article_with_proposals):
    _, stances = article_with_proposals
    client.force_login(editor)
    client.post(
        reverse("review:stance-review", kwargs={"pk": stances[0].pk}),
        {"action": "approve"},
        headers=HTMX,
    )
    client.post(
        reverse("review:stance-review", kwargs={"pk": stances[0].pk}),
        {"action": "label", "label": "conditional", "version": 2},
        headers=HTMX,
    )
    content = client.get(reverse("actors:stance", kwargs={"pk": stances[0].pk})).content.decode()
    assert "edith" in content
    assert "Status: <del>Proposed</del> → <ins>Approved</ins>" in content
    assert "Label: <del>Oppose</del> → <ins>Conditional</ins>" in content
    assert "reviewed by: <del>–</del> → <ins>edith</ins>" in content.lower()


def test_user_without_a_role_sees_no_timeline(client, no_role_user, article_with_proposals):
    client.force_login(no_role_user)
    assert client.get(reverse("actors:actor-list")).status_code == 403


def _more_proposals(article, count: int) -> None:
    """Add proposals by many new actors of several countries to the article."""
    countries = list(Country.objects.all()[:5])
    actors = Actor.objects.bulk_create(
        Actor(name=f"Actor {n}", slug=f"actor-{n}", country=countries[n % len(countries)])
        for n in range(count)
    )
    topic = Topic.objects.get()
    Stance.objects.bulk_create(
        Stance(
            actor=actor,
            topic=topic,
            label="neutral",
            article=article,
            quote=article.body[:10],
            quote_start=0,
            quote_end=10,
            confidence=0.5,
        )
        for actor in actors
    )


def test_review_queue_query_count_does_not_grow_with_proposals(
    client, editor, article_with_proposals, query_count
):
    client.force_login(editor)
    # Session, user, permissions, filter menus, suggestions, facets, count, page, flagged count.
    small = query_count(reverse("review:queue"), budget=13)
    _more_proposals(article_with_proposals[0], 40)
    StanceFactory.create_batch(5, proposed=True)
    assert query_count(reverse("review:queue"), budget=13) == small
    response = client.get(reverse("review:queue"))
    assert response.content.decode().count('class="review-item') == 25  # one page


def _more_stances_everywhere(*, actor=None) -> None:
    """More articles, actors (of Poland) and approved and open stances."""
    for _ in range(3):
        StanceFactory.create_batch(4, actor=actor or ActorFactory())
        StanceFactory.create_batch(2, actor=actor or ActorFactory(), proposed=True)


@pytest.mark.parametrize(
    ("url_name", "budget"),
    # home: the tallies' fingerprint, approved and open stances, the articles' newest and count
    [("home", 9), ("actors:actor-list", 8), ("actors:country-list", 8), ("articles:list", 8)],
)
def test_list_pages_cost_the_same_queries_with_more_data(
    client, editor, article_with_proposals, query_count, url_name, budget
):
    for stance in article_with_proposals[1]:
        stance_approve(stance=stance, editor=editor)
    client.force_login(editor)
    small = query_count(reverse(url_name), budget=budget)
    _more_stances_everywhere()
    assert query_count(reverse(url_name), budget=budget) == small


def test_timeline_query_count_is_constant(client, editor, article_with_proposals, query_count):
    _, stances = article_with_proposals
    for stance in stances:
        stance_approve(stance=stance, editor=editor)
    client.force_login(editor)
    actor = stances[0].actor
    country_page = reverse("actors:country", kwargs={"code": "PL"})
    actor_page = reverse("actors:actor", kwargs={"slug": actor.slug})
    # 10: the timeline is paged; its count comes from the cached tallies (their fingerprint
    # and, with nothing cached, the count of them all)
    small = query_count(country_page, budget=10), query_count(actor_page, budget=10)
    _more_stances_everywhere(actor=actor)
    assert (query_count(country_page, budget=10), query_count(actor_page, budget=10)) == small


def test_the_favicon_exists(client):
    from django.contrib.staticfiles import finders
    from django.templatetags.static import static

    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == static("favicon.svg")
    with open(finders.find("favicon.svg"), "rb") as icon:
        assert b"<svg" in icon.read()


def test_a_refused_page_is_a_styled_page_with_navigation(client, analyst):
    client.force_login(analyst)
    response = client.get(reverse("review:queue"))
    assert response.status_code == 403
    page = response.content.decode()
    assert "Not allowed" in page and 'aria-label="Main"' in page


def test_editors_see_no_link_to_the_flagged_queue(client, editor, article_with_proposals):
    from actors.review.services import stance_flag

    _article, (stance, _other) = article_with_proposals
    stance_flag(stance=stance, editor=editor, reason="Check the speaker")
    client.force_login(editor)
    page = client.get(reverse("review:queue")).content.decode()
    assert reverse("review:flagged") not in page


def test_no_password_reset_form_without_a_mail_server(client):
    assert client.get("/accounts/password_reset/").status_code == 404


def test_activity_renews_a_session_for_a_working_day(client, analyst, settings):
    from django.contrib.sessions.models import Session

    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60
    client.force_login(analyst)
    client.get(reverse("actors:actor-list"))
    session = Session.objects.get()
    Session.objects.update(expire_date=session.expire_date - timedelta(hours=7))
    store = client.session
    store["renewed_at"] = 0  # the last renewal was long ago
    store.save()
    client.get(reverse("actors:actor-list"))
    assert Session.objects.get().expire_date > timezone.now() + timedelta(hours=7)


def test_the_forwarded_protocol_is_trusted_only_behind_a_declared_proxy(settings):
    assert not hasattr(settings, "SECURE_PROXY_SSL_HEADER") or (
        settings.SECURE_PROXY_SSL_HEADER is None
    )


def test_an_actor_search_does_not_multiply_counts_by_aliases(client, analyst, editor, tusk):
    from actors.models import ActorAlias
    from tests.actors.review.test_corroboration import report

    ActorAlias.objects.get_or_create(actor=tusk, text="Tusk the Second")
    ActorAlias.objects.get_or_create(actor=tusk, text="Tusk the Third")
    stance_approve(stance=report("Alpha"), editor=editor)
    client.force_login(analyst)
    response = client.get(reverse("actors:actor-list"), {"q": "Tusk"})
    [found] = [a for a in response.context["page"] if a.pk == tusk.pk]
    assert found.approved == 1


def test_a_long_timeline_is_paged(client, analyst, editor, tusk):
    from actors.views import TIMELINE_PAGE_SIZE
    from tests.actors.review.test_corroboration import report

    for i in range(TIMELINE_PAGE_SIZE + 2):
        day = date(2025, 1, 1) + timedelta(days=3 * i)  # each its own statement
        stance_approve(stance=report(f"Outlet{i}", stated_on=day), editor=editor)
    client.force_login(analyst)
    first = client.get(reverse("actors:actor", kwargs={"slug": tusk.slug}))
    assert len(first.context["page"]) == TIMELINE_PAGE_SIZE
    assert "Page 1 of 2" in first.content.decode()
    second = client.get(reverse("actors:actor", kwargs={"slug": tusk.slug}), {"page": 2})
    assert len(second.context["page"]) == 2
