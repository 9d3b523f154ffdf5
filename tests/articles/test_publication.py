"""Editors set an article's publication date; relative statement dates follow it."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from actors.models import Stance
from articles.services import article_create, article_extract
from tests.conftest import ARTICLE_TEXT

pytestmark = pytest.mark.django_db


@pytest.fixture
def extracted():
    article, _ = article_create(raw=ARTICLE_TEXT.replace(" date 2026-03-10 ", ""), name="x.txt")
    stances = article_extract(article=article)
    assert stances, "the shipped model proposes stances here"
    return article


def test_a_new_publication_date_dates_the_open_proposals_again(client, editor, extracted):
    client.force_login(editor)
    response = client.post(
        reverse("articles:publication", args=[extracted.pk]),
        {"published": "2026-03-17", "outlet": "El País"},
        follow=True,
    )
    assert "Publication saved" in response.content.decode()
    extracted.refresh_from_db()
    assert (extracted.published, extracted.outlet) == (date(2026, 3, 17), "El País")
    assert extracted.published_source == "editor"
    sanchez = Stance.objects.get(article=extracted, actor__name="Pedro Sánchez")
    assert sanchez.stated_on == date(2026, 3, 16)  # "on Monday" before Tuesday 17 March


def test_reviewed_stances_keep_their_dates(client, editor, extracted):
    from actors.review.services import stance_approve

    reviewed = Stance.objects.filter(article=extracted).first()
    stance_approve(stance=reviewed, editor=editor)
    before = reviewed.stated_on
    client.force_login(editor)
    client.post(reverse("articles:publication", args=[extracted.pk]), {"published": "2025-05-05"})
    reviewed.refresh_from_db()
    assert reviewed.stated_on == before


def test_a_future_publication_date_is_refused_on_the_page(client, editor, extracted):
    client.force_login(editor)
    response = client.post(
        reverse("articles:publication", args=[extracted.pk]), {"published": "2999-01-01"}
    )
    assert response.status_code == 400
    assert "between 1990 and today" in response.content.decode()
    extracted.refresh_from_db()
    assert extracted.published is None


def test_analysts_cannot_change_the_publication(client, analyst, extracted):
    client.force_login(analyst)
    response = client.post(
        reverse("articles:publication", args=[extracted.pk]), {"published": "2026-03-17"}
    )
    assert response.status_code == 403


def test_a_stance_added_by_hand_defaults_to_the_articles_date(client, editor, extracted):
    client.force_login(editor)
    client.post(reverse("articles:publication", args=[extracted.pk]), {"published": "2026-03-17"})
    page = client.get(extracted.get_absolute_url()).content.decode()
    assert 'value="2026-03-17"' in page
