"""Odd input gets a 4xx with a message, never a 500."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from actors.review.services import stance_edit
from actors.services import ReviewError

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("actors:actor-list", {"q": "Ma\x00cron"}),
        ("articles:search", {"q": "talks\x00"}),
        ("review:queue", {"country": "P\x00L"}),
        ("analysis:changes", {"to": "0001-01-01"}),
        ("analysis:changes", {"from": "9999-12-31", "to": "0001-01-01"}),
    ],
)
def test_odd_query_strings_are_answered_without_a_server_error(client, editor, name, params):
    client.force_login(editor)
    response = client.get(reverse(name), params)
    assert response.status_code < 500
    if any("\x00" in v for v in params.values()):
        assert response.status_code == 400
        assert "NUL" in response.content.decode()


def test_a_flag_reason_with_a_nul_character_is_refused(client, editor, article_with_proposals):
    _article, (stance, _other) = article_with_proposals
    client.force_login(editor)
    response = client.post(
        reverse("review:stance-review", kwargs={"pk": stance.pk}),
        f"action=flag&reason=why%00&version={stance.version}",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400
    stance.refresh_from_db()
    assert not stance.is_flagged


def test_a_version_that_is_not_a_number_is_refused(client, editor, article_with_proposals):
    _article, (stance, _other) = article_with_proposals
    client.force_login(editor)
    response = client.post(
        reverse("review:stance-review", kwargs={"pk": stance.pk}),
        {"action": "approve", "version": "abc"},
    )
    assert response.status_code == 400
    stance.refresh_from_db()
    assert stance.status == "proposed"


@pytest.mark.parametrize("other", ["", "abc"])
def test_a_merge_without_a_report_number_is_refused(client, editor, article_with_proposals, other):
    _article, (stance, _other) = article_with_proposals
    client.force_login(editor)
    response = client.post(
        reverse("review:stance-group", kwargs={"pk": stance.pk}),
        {"action": "merge", "other": other},
    )
    assert response.status_code == 400


@pytest.mark.parametrize("stated_on", [date(9999, 12, 31), date(1, 1, 1)])
def test_statement_dates_outside_a_sane_range_are_refused(
    editor, article_with_proposals, stated_on
):
    _article, (stance, _other) = article_with_proposals
    with pytest.raises(ReviewError):
        stance_edit(
            stance=stance,
            editor=editor,
            label=stance.label,
            actor=stance.actor,
            topic=stance.topic,
            stated_on=stated_on,
            precision="day",
            quote=stance.quote,
        )


def test_a_reversed_period_is_an_error_on_the_page(client, analyst):
    client.force_login(analyst)
    response = client.get(reverse("analysis:changes"), {"from": "2026-03-01", "to": "2026-01-01"})
    assert response.status_code == 200
    assert "The period ends before it starts." in response.content.decode()
    response = client.get(reverse("analysis:changes"), {"to": "0001-01-01"})
    assert "Pick a date between 1990 and today." in response.content.decode()


@pytest.mark.parametrize(
    ("name", "params", "shown"),
    [
        ("analysis:europe", {"date_from": "bogus"}, "Enter a valid date"),
        ("analysis:network", {"window": "abc"}, "Enter a whole number"),
        ("analysis:europe", {"topic": "no-such-topic"}, "Select a valid choice"),
        ("analysis:europe", {"label": "maybe"}, "Select a valid choice"),
    ],
)
def test_bad_filter_values_are_errors_on_the_page(client, analyst, name, params, shown):
    client.force_login(analyst)
    page = client.get(reverse(name), params).content.decode()
    assert shown in page
    if name == "analysis:europe":
        assert "Some filters were not understood" in page
