"""Writes for actors and stances: proposing actors, reviewing stances."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from actors.loading import unique_slug
from actors.models import Actor, ActorAlias, Country, Stance


class ReviewError(Exception):
    """A review request that cannot be carried out; the message is for the editor."""


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


EARLIEST_STATEMENT = date(1990, 1, 1)  # before the Soviet Union's end there is no "Russia"


@transaction.atomic
def actor_merge(*, keep: Actor, remove: Actor, editor) -> Actor:
    """Fold one actor into another: stances, aliases and spokespeople move to the
    one kept, whose aliases gain the removed actor's name. Recorded in history."""
    if keep.pk == remove.pk:
        raise ReviewError(_("Choose two different actors."))
    for stance in Stance.objects.filter(actor=remove).select_for_update(of=("self",)):
        same_evidence = Stance.objects.filter(
            article_id=stance.article_id,
            actor=keep,
            topic_id=stance.topic_id,
            quote_start=stance.quote_start,
            quote_end=stance.quote_end,
        ).exists()
        stance._history_user = editor  # noqa: SLF001
        if same_evidence:
            stance.delete()  # the kept actor already holds this very evidence
        else:
            stance.actor = keep
            stance_record_change(stance, editor, ["actor"])
    taken = {
        text.lower()
        for text in ActorAlias.objects.filter(actor=keep).values_list("text", flat=True)
    }
    for alias in ActorAlias.objects.filter(actor=remove):
        if alias.text.lower() in taken or alias.text.lower() == keep.name.lower():
            alias.delete()
        else:
            alias.actor = keep
            alias.save(update_fields=["actor", "updated_at"])
    Actor.objects.filter(speaks_for=remove).update(speaks_for=keep)
    old_name = remove.name
    remove._history_user = editor  # noqa: SLF001
    remove.delete()
    if old_name.lower() not in taken and old_name.lower() != keep.name.lower():
        ActorAlias.objects.create(actor=keep, text=old_name, kind=ActorAlias.Kind.NAME)
    keep._history_user = editor  # noqa: SLF001
    keep.save(update_fields=["updated_at"])
    return keep


def stance_record_change(stance: Stance, editor, fields: list[str]) -> Stance:
    """Save a reviewed change: a new version, authored by the editor in the history."""
    stance.version += 1
    stance._history_user = editor  # noqa: SLF001 - simple_history's way to name the author
    stance.save(update_fields=[*fields, "version", "updated_at"])
    return stance
