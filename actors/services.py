"""Writes for actors and stances: proposing actors, reviewing stances."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from actors.loading import unique_slug
from actors.models import Actor, Country, Stance


def actor_propose(*, name: str, country: Country | None) -> Actor:
    """An actor the extractor met outside the list, kept unconfirmed for an editor."""
    actor, _ = Actor.objects.get_or_create(
        name=name,
        defaults={
            "slug": unique_slug(Actor, name),
            "kind": Actor.Kind.PERSON,
            "country": country,
            "is_confirmed": False,
        },
    )
    return actor


@transaction.atomic
def stance_review(*, stance: Stance, editor, status: str) -> Stance:
    stance.status = status
    stance.reviewed_by = editor
    stance.reviewed_at = timezone.now()
    stance.save(update_fields=["status", "reviewed_by", "reviewed_at", "updated_at"])
    return stance


def stance_approve(*, stance: Stance, editor) -> Stance:
    return stance_review(stance=stance, editor=editor, status=Stance.Status.APPROVED)


def stance_reject(*, stance: Stance, editor) -> Stance:
    return stance_review(stance=stance, editor=editor, status=Stance.Status.REJECTED)


@transaction.atomic
def stance_relabel(*, stance: Stance, editor, label: str) -> Stance:
    if label not in Stance.Label.values:
        raise ValueError(f"Unknown label {label!r}.")
    stance.label = label
    stance.save(update_fields=["label", "updated_at"])
    return stance
