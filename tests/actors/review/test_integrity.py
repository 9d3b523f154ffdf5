"""Integrity of decisions: flags, statement groups, concurrent editors, role limits."""

from __future__ import annotations

import threading
import time
from datetime import date

import pytest
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.urls import reverse

from actors.models import Stance
from actors.review.services import (
    StanceConflict,
    stance_approve,
    stance_flag,
    stance_reject,
    stance_relabel,
    stances_bulk_review,
    stances_merge,
)
from actors.services import ReviewError
from stancetracker.roles import ADMIN
from tests.actors.review.test_corroboration import report

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------- flags
def test_an_editor_cannot_decide_a_stance_another_editor_flagged(
    client, editor, django_user_model, article_with_proposals
):
    _article, (stance, _other) = article_with_proposals
    second = django_user_model.objects.create_user(username="second", password="x-pw-for-tests")
    second.groups.add(*editor.groups.all())
    stance_flag(stance=stance, editor=editor, reason="Is this Tusk or his spokesman?")
    for decide in (stance_approve, stance_reject):
        with pytest.raises(ReviewError):
            decide(stance=stance, editor=second)
    with pytest.raises(ReviewError):
        stance_relabel(stance=stance, editor=second, label="support")
    client.force_login(second)
    response = client.post(
        reverse("review:bulk"), {"action": "approve", "ids": [stance.pk]}, follow=True
    )
    assert "1 skipped: flagged." in response.content.decode()
    stance.refresh_from_db()
    assert stance.status == Stance.Status.PROPOSED


def test_an_admin_settles_a_flagged_stance(editor, admin_user_role, article_with_proposals):
    _article, (stance, _other) = article_with_proposals
    stance_flag(stance=stance, editor=editor, reason="Check the date")
    assert stance_approve(stance=stance, editor=admin_user_role).status == Stance.Status.APPROVED


# ---------------------------------------------------------------- statement groups
def test_a_proposed_stance_cannot_join_an_approved_statement(editor):
    approved = stance_approve(stance=report("Alpha"), editor=editor)
    proposed = report("Beta", stated_on=date(2026, 2, 1))
    with pytest.raises(ReviewError):
        stances_merge(primary=approved, others=[proposed], editor=editor)
    proposed.refresh_from_db()
    assert proposed.primary is None


def test_a_rejected_report_leaves_its_statement(editor):
    first = stance_approve(stance=report("Alpha"), editor=editor)
    second = stance_approve(stance=report("Beta"), editor=editor)
    assert second.primary == first
    stance_reject(stance=second, editor=editor)
    second.refresh_from_db()
    assert second.primary is None
    assert list(first.corroborations.all()) == []


def test_bulk_review_says_how_many_it_skipped_and_why(client, editor, article_with_proposals):
    _article, (tusk, sanchez) = article_with_proposals
    stance_reject(stance=tusk, editor=editor)
    result = stances_bulk_review(stances=[tusk, sanchez], editor=editor, status="approved")
    assert result.done == 1 and dict(result.skipped) == {"already decided": 1}


# ---------------------------------------------------------------- concurrency
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_concurrent_bulk_approve_and_reject_lose_no_update(
    django_user_model, article_with_proposals
):
    from tests.conftest import _user

    one = _user(django_user_model, "one", "Editor")
    two = _user(django_user_model, "two", "Editor")
    article, _ = article_with_proposals
    lost = 0
    rounds = 30
    for _round in range(rounds):
        stance = Stance.objects.filter(article=article).first()
        Stance.objects.filter(pk=stance.pk).update(
            status="proposed", reviewed_by=None, reviewed_at=None, version=1
        )
        stance.refresh_from_db()
        told: dict[str, bool] = {}
        barrier = threading.Barrier(2)

        def bulk(stance=stance, told=told, barrier=barrier):
            barrier.wait()
            try:
                told["bulk"] = (
                    stances_bulk_review(stances=[stance], editor=one, status="approved").done == 1
                )
            finally:
                connection.close()

        def single(stance=stance, told=told, barrier=barrier):
            barrier.wait()
            try:
                stance_reject(stance=stance, editor=two, expected_version=1)
                told["single"] = True
            except StanceConflict:
                told["single"] = False
            finally:
                connection.close()

        threads = [threading.Thread(target=bulk), threading.Thread(target=single)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        stance.refresh_from_db()
        winners = [name for name, ok in told.items() if ok]
        expected = {"bulk": "approved", "single": "rejected"}
        if len(winners) != 1 or stance.status != expected[winners[0]]:
            lost += 1
    assert lost == 0


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_a_bulk_approval_and_a_single_one_in_the_same_month_neither_wait_for_each_other(
    django_user_model,
):
    """The monthly table's triggers lock a cell until the transaction ends: a bulk approval
    that locked its cell with its first stance, then waited for the row of its second,
    which a single approval held while waiting for that cell, would deadlock. The bulk
    approval locks its rows and cells first."""
    from actors.review.services import stance_approve
    from tests.conftest import _user
    from tests.factories import ActorFactory, StanceFactory

    one = _user(django_user_model, "one", "Editor")
    two = _user(django_user_model, "two", "Editor")
    actor = ActorFactory()
    first, second = (StanceFactory(proposed=True, actor=actor) for _ in range(2))
    errors: list[Exception] = []
    second_held = threading.Event()
    bulk_started = threading.Event()

    def single():
        try:
            with transaction.atomic():
                Stance.objects.select_for_update().get(pk=second.pk)
                second_held.set()
                bulk_started.wait(5)
                time.sleep(0.5)  # the bulk approval is under way meanwhile
                stance_approve(stance=second, editor=two)
        except Exception as error:  # noqa: BLE001 - the test reports any
            errors.append(error)
        finally:
            connection.close()

    def bulk():
        try:
            second_held.wait(5)
            bulk_started.set()
            result = stances_bulk_review(stances=[first, second], editor=one, status="approved")
            assert (result.done, dict(result.skipped)) == (1, {"already decided": 1})
        except Exception as error:  # noqa: BLE001
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=single), threading.Thread(target=bulk)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert set(Stance.objects.filter(actor=actor).values_list("status", flat=True)) == {"approved"}


# ---------------------------------------------------------------- roles
def _staff_admin(admin_user_role):
    admin_user_role.is_staff = True
    admin_user_role.save()
    return admin_user_role


def test_an_admin_role_user_cannot_make_anyone_superuser_or_staff(client, admin_user_role, analyst):
    client.force_login(_staff_admin(admin_user_role))
    url = reverse("admin:auth_user_change", args=[analyst.pk])
    page = client.get(url).content.decode()
    assert 'name="is_superuser"' not in page and 'name="user_permissions"' not in page
    response = client.post(
        url,
        {
            "username": analyst.username,
            "is_active": "on",
            "is_superuser": "on",
            "is_staff": "on",
            "groups": [Group.objects.get(name=ADMIN).pk],
            "date_joined_0": "2026-01-01",
            "date_joined_1": "10:00:00",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    analyst.refresh_from_db()
    assert not analyst.is_superuser and not analyst.is_staff
    assert list(analyst.groups.values_list("name", flat=True)) == [ADMIN]


def test_an_admin_role_user_sees_no_superuser_and_only_the_three_roles(
    client, admin_user_role, django_user_model
):
    root = django_user_model.objects.create_superuser("root", password="root-pw-for-tests")
    Group.objects.create(name="Secret")
    client.force_login(_staff_admin(admin_user_role))
    assert client.get(reverse("admin:auth_user_change", args=[root.pk])).status_code == 302
    assert client.get(reverse("admin:auth_user_password_change", args=[root.pk])).status_code in (
        302,
        404,
    )
    page = client.get(reverse("admin:auth_user_change", args=[admin_user_role.pk])).content
    assert b"Secret" not in page and b"Editor" in page


def test_a_flag_reason_longer_than_the_form_allows_is_refused(editor, article_with_proposals):
    _article, (stance, _other) = article_with_proposals
    with pytest.raises(ReviewError):
        stance_flag(stance=stance, editor=editor, reason="x" * 1001)
    stance.refresh_from_db()
    assert not stance.is_flagged
