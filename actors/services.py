"""Writes for actors and for stances outside the review desk: the extractor's proposals,
actors it meets outside the list, and merging actors. The desk's own writes are in
``actors/review/services.py``."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from actors.loading import unique_slug
from actors.models import Actor, ActorAlias, Country, Stance, Topic
from actors.monthly import stance_month_cells_lock


class ReviewError(Exception):
    """A review request that cannot be carried out; the message is for the editor."""


@dataclass(frozen=True)
class NewActor:
    """An actor an editor names that is not on the list yet."""

    name: str
    country: Country | None = None


def actor_get_or_propose(actor: Actor | NewActor) -> Actor:
    """The actor itself, or a new unconfirmed one for a name an editor asked to add."""
    if isinstance(actor, NewActor):
        return actor_propose(name=actor.name, country=actor.country)
    return actor


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


@dataclass(frozen=True)
class ProposedStance:
    """One stance the extractor proposes, its actor already resolved to a row."""

    actor: Actor
    label: str
    stated_on: date | None
    precision: str
    quote: str
    quote_start: int
    quote_end: int
    confidence: float

    @property
    def key(self) -> tuple[int, int, int]:
        return self.actor.pk, self.quote_start, self.quote_end

    def values(self, extractor_version: str) -> dict[str, Any]:
        return {
            "label": self.label,
            "stated_on": self.stated_on,
            "stated_on_precision": self.precision,
            "quote": self.quote,
            "confidence": round(min(max(self.confidence, 0.0), 1.0), 3),
            "extractor_version": extractor_version,
        }


def stances_propose(
    *, article: Any, topic: Topic, proposals: Iterable[ProposedStance], extractor_version: str
) -> list[Stance]:
    """Store proposals for review; a proposal already stored for the same evidence is kept."""
    stances = []
    for proposal in proposals:
        stance, _ = Stance.objects.get_or_create(
            article=article,
            actor=proposal.actor,
            topic=topic,
            quote_start=proposal.quote_start,
            quote_end=proposal.quote_end,
            defaults=proposal.values(extractor_version),
        )
        stances.append(stance)
    return stances


@transaction.atomic
def stances_repropose(
    *, article: Any, topic: Topic, proposals: Iterable[ProposedStance], extractor_version: str
) -> dict[str, int]:
    """A newer reading of an article: an open proposal made again takes the new label, date
    and confidence; an open, unflagged one no longer made is withdrawn; new ones join the
    queue. Reviewed stances are never touched."""
    by_key = {proposal.key: proposal for proposal in proposals}
    counts = {"updated": 0, "withdrawn": 0, "added": 0}
    open_stances = Stance.objects.select_for_update().filter(
        article=article, status=Stance.Status.PROPOSED
    )
    for stance in open_stances:
        proposal = by_key.pop((stance.actor_id, stance.quote_start, stance.quote_end), None)
        if proposal is None:
            if stance.flagged_at is None:
                stance.delete()
                counts["withdrawn"] += 1
            continue
        values = proposal.values(extractor_version)
        values.pop("quote")
        for field, value in values.items():
            setattr(stance, field, value)
        stance.version += 1
        stance.save()
        counts["updated"] += 1
    reviewed = set(
        Stance.objects.filter(article=article)
        .exclude(status=Stance.Status.PROPOSED)
        .values_list("actor_id", "quote_start", "quote_end")
    )
    fresh = [proposal for key, proposal in by_key.items() if key not in reviewed]
    counts["added"] = len(
        stances_propose(
            article=article, topic=topic, proposals=fresh, extractor_version=extractor_version
        )
    )
    return counts


EARLIEST_STATEMENT = date(1990, 1, 1)  # before the Soviet Union's end there is no "Russia"


@transaction.atomic
def actor_merge(*, keep: Actor, remove: Actor, editor) -> Actor:
    """Fold one actor into another: stances, aliases and spokespeople move to the
    one kept, whose aliases gain the removed actor's name. Recorded in history."""
    if keep.pk == remove.pk:
        raise ReviewError(_("Choose two different actors."))
    moving = list(
        Stance.objects.filter(actor=remove).order_by("pk").select_for_update(of=("self",))
    )
    # the monthly cells its statements leave and enter, locked now in one order (as a bulk
    # review does): written one stance at a time, they could wait on another transaction
    # that waits on this one
    statements = [s for s in moving if s.status == Stance.Status.APPROVED and s.primary_id is None]
    stance_month_cells_lock(
        [
            *statements,
            *(
                Stance(actor_id=keep.pk, topic_id=s.topic_id, label=s.label, stated_on=s.stated_on)
                for s in statements
            ),
        ]
    )
    for stance in moving:
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
