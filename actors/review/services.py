"""Writes for actors and stances: proposing actors, reviewing stances."""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from actors.models import Actor, Stance, Topic
from actors.monthly import stance_month_cells_lock
from actors.review.selectors import corroboration_candidates
from actors.services import (
    EARLIEST_STATEMENT,
    NewActor,
    ReviewError,
    actor_get_or_propose,
    stance_record_change,
)


class StanceConflict(Exception):
    """Someone changed the stance since the editor loaded it."""

    def __init__(self, stance: Stance):
        self.stance = stance
        who = stance.reviewed_by or _("another editor")
        super().__init__(
            _("%(who)s changed this stance while you were looking at it: it is now %(state)s.")
            % {"who": who, "state": f"{stance.get_status_display()} / {stance.get_label_display()}"}
        )


def _locked(stance: Stance, expected_version: int | None) -> Stance:
    """The current row, locked; refuses when it changed since the editor saw it."""
    current = (
        Stance.objects.select_for_update(of=("self",))
        .select_related("reviewed_by")
        .get(pk=stance.pk)
    )
    if expected_version is not None and current.version != expected_version:
        raise StanceConflict(current)
    return current


def _settled_in_flagged_queue(stance: Stance, editor) -> None:
    """A flagged stance waits for a second opinion: only those who settle flags decide it."""
    if stance.is_flagged and not editor.has_perm("actors.resolve_flagged_stance"):
        raise ReviewError(
            _("This stance is flagged for a second opinion; it is settled in the flagged queue.")
        )


@transaction.atomic
def stance_review(
    *, stance: Stance, editor, status: str, expected_version: int | None = None
) -> Stance:
    stance = _locked(stance, expected_version)
    _settled_in_flagged_queue(stance, editor)
    decided = status != Stance.Status.PROPOSED
    stance.status = status
    stance.reviewed_by = editor if decided else None
    stance.reviewed_at = timezone.now() if decided else None
    fields = ["status", "reviewed_by", "reviewed_at"]
    if status != Stance.Status.APPROVED:
        # a statement's group holds approved reports only
        if stance.corroborations.exists():
            _hand_group_on(stance=stance, editor=editor)
        if stance.primary_id is not None:
            stance.primary = None
            fields.append("primary")
    if status == Stance.Status.APPROVED and stance.primary_id is None:
        # Another article's approved report of the same statement: one stance, two sources.
        # Set in the same save, so that one undo takes back the whole approval.
        candidates = corroboration_candidates(stance=stance)
        if candidates and not stance.corroborations.exists():
            stance.primary = min(candidates, key=lambda other: other.pk)
            fields.append("primary")
    return stance_record_change(stance, editor, fields)


def stance_approve(*, stance: Stance, editor, expected_version: int | None = None) -> Stance:
    return stance_review(
        stance=stance,
        editor=editor,
        status=Stance.Status.APPROVED,
        expected_version=expected_version,
    )


def stance_reject(*, stance: Stance, editor, expected_version: int | None = None) -> Stance:
    return stance_review(
        stance=stance,
        editor=editor,
        status=Stance.Status.REJECTED,
        expected_version=expected_version,
    )


@transaction.atomic
def stance_relabel(
    *, stance: Stance, editor, label: str, expected_version: int | None = None
) -> Stance:
    if label not in Stance.Label.values:
        raise ReviewError(_("Choose one of the four labels."))
    stance = _locked(stance, expected_version)
    _settled_in_flagged_queue(stance, editor)
    stance.label = label
    return stance_record_change(stance, editor, ["label"])


def quote_span(*, body: str, quote: str, near: int) -> tuple[int, int]:
    """Offsets of the quote in the body: the occurrence closest to ``near``."""
    quote = quote.strip()
    if not quote:
        raise ReviewError(_("The evidence quote cannot be empty."))
    starts, position = [], body.find(quote)
    while position != -1:
        starts.append(position)
        position = body.find(quote, position + 1)
    if not starts:
        raise ReviewError(_("The evidence must be a verbatim passage of the article."))
    start = min(starts, key=lambda s: abs(s - near))
    return start, start + len(quote)


FLAG_REASON_MAX_LENGTH = 1000


def _checked_stance_values(
    *,
    article,
    actor: Actor,
    topic: Topic,
    label: str,
    stated_on: date | None,
    precision: str,
    quote: str,
    near: int,
    other_than: Stance | None = None,
) -> tuple[date | None, str, int, int]:
    """What an editor typed, checked and normalised: the date with its precision (a month
    is stored as its first day) and the evidence's offsets in the article."""
    if label not in Stance.Label.values:
        raise ReviewError(_("Choose one of the four labels."))
    if stated_on is not None and not (EARLIEST_STATEMENT <= stated_on <= timezone.localdate()):
        raise ReviewError(
            _("A statement date lies between %(earliest)s and today.")
            % {"earliest": EARLIEST_STATEMENT.year}
        )
    if stated_on is None:
        precision = Stance.Precision.UNKNOWN
    elif precision == Stance.Precision.UNKNOWN:
        raise ReviewError(_("A date needs a precision: day or month."))
    elif precision == Stance.Precision.MONTH:
        stated_on = stated_on.replace(day=1)
    start, end = quote_span(body=article.body, quote=quote, near=near)
    same_evidence = Stance.objects.filter(
        article=article, actor=actor, topic=topic, quote_start=start, quote_end=end
    )
    if other_than is not None:
        same_evidence = same_evidence.exclude(pk=other_than.pk)
    if same_evidence.exists():
        raise ReviewError(_("This actor already has a stance with this evidence in the article."))
    return stated_on, precision, start, end


@transaction.atomic
def stance_edit(
    *,
    stance: Stance,
    editor,
    expected_version: int | None = None,
    label: str,
    actor: Actor | NewActor,
    topic: Topic,
    stated_on: date | None,
    precision: str,
    quote: str,
) -> Stance:
    """Correct what the extractor proposed; the stance stays in the queue. A new actor is
    created only if the correction is stored."""
    stance = _locked(stance, expected_version)
    actor = actor_get_or_propose(actor)
    stated_on, precision, start, end = _checked_stance_values(
        article=stance.article,
        actor=actor,
        topic=topic,
        label=label,
        stated_on=stated_on,
        precision=precision,
        quote=quote,
        near=stance.quote_start,
        other_than=stance,
    )
    stance.label, stance.actor, stance.topic = label, actor, topic
    stance.stated_on, stance.stated_on_precision = stated_on, precision
    stance.quote, stance.quote_start, stance.quote_end = stance.article.body[start:end], start, end
    return stance_record_change(
        stance,
        editor,
        [
            "label",
            "actor",
            "topic",
            "stated_on",
            "stated_on_precision",
            "quote",
            "quote_start",
            "quote_end",
        ],
    )


@transaction.atomic
def stance_flag(
    *, stance: Stance, editor, reason: str, expected_version: int | None = None
) -> Stance:
    reason = reason.strip()
    if not reason:
        raise ReviewError(_("Say why this stance needs a second opinion."))
    if len(reason) > FLAG_REASON_MAX_LENGTH:
        raise ReviewError(
            _("Keep the reason under %(n)d characters.") % {"n": FLAG_REASON_MAX_LENGTH}
        )
    stance = _locked(stance, expected_version)
    stance.flag_reason, stance.flagged_by, stance.flagged_at = reason, editor, timezone.now()
    return stance_record_change(stance, editor, ["flag_reason", "flagged_by", "flagged_at"])


@transaction.atomic
def stance_unflag(*, stance: Stance, editor, expected_version: int | None = None) -> Stance:
    stance = _locked(stance, expected_version)
    stance.flag_reason, stance.flagged_by, stance.flagged_at = "", None, None
    return stance_record_change(stance, editor, ["flag_reason", "flagged_by", "flagged_at"])


_UNDOABLE = [
    "primary_id",
    "status",
    "label",
    "reviewed_by_id",
    "reviewed_at",
    "actor_id",
    "topic_id",
    "stated_on",
    "stated_on_precision",
    "quote",
    "quote_start",
    "quote_end",
    "flag_reason",
    "flagged_by_id",
    "flagged_at",
]


@transaction.atomic
def stance_undo(*, stance: Stance, editor, expected_version: int | None = None) -> Stance:
    """Put back the values the stance had before this editor's last change."""
    stance = _locked(stance, expected_version)
    last = stance.history.order_by("-history_id").first()
    previous = last.prev_record if last is not None else None
    if last is None or previous is None or last.history_user_id != editor.pk:
        raise ReviewError(_("There is no change of yours to undo on this stance."))
    values: dict[str, Any] = {field: getattr(previous, field) for field in _UNDOABLE}
    if not Actor.objects.filter(pk=values["actor_id"]).exists():
        # merged into another actor since: the old actor is gone, and with it the change
        raise ReviewError(
            _(
                "The actor this stance had before was merged into another one since: "
                "undo is no longer possible."
            )
        )
    if (
        values["primary_id"] is not None
        and not Stance.objects.filter(pk=values["primary_id"]).exists()
    ):
        raise ReviewError(
            _("The statement this report belonged to no longer exists: undo is no longer possible.")
        )
    for field, value in values.items():
        setattr(stance, field, value)
    return stance_record_change(stance, editor, [field.removesuffix("_id") for field in _UNDOABLE])


@dataclasses.dataclass
class BulkResult:
    done: int = 0
    skipped: Counter = dataclasses.field(default_factory=Counter)  # reason -> how many


@transaction.atomic
def stances_bulk_review(*, stances: Iterable[Stance], editor, status: str) -> BulkResult:
    """Approve or reject many proposals; those already decided or flagged are skipped.

    Each row is locked and read again before the decision, so a proposal another editor
    decided or flagged a moment ago is skipped, never overwritten.
    """
    if status not in (Stance.Status.APPROVED, Stance.Status.REJECTED):
        raise ReviewError(_("Bulk review approves or rejects."))
    result = BulkResult()
    stances = sorted(stances, key=lambda s: s.pk)  # one lock order for every editor
    # every row first, then the monthly cells the approvals will enter (in one order): the
    # transaction then waits for nothing while it holds a cell
    ids = [stance.pk for stance in stances]
    locked = list(Stance.objects.filter(pk__in=ids).order_by("pk").select_for_update())
    if status == Stance.Status.APPROVED:
        stance_month_cells_lock(
            s for s in locked if s.status == Stance.Status.PROPOSED and not s.is_flagged
        )
    for stance in stances:
        current = _locked(stance, None)
        if current.status != Stance.Status.PROPOSED:
            result.skipped[_("already decided")] += 1
        elif current.is_flagged:
            result.skipped[_("flagged")] += 1
        else:
            stance_review(stance=current, editor=editor, status=status)
            result.done += 1
    return result


@transaction.atomic
def stance_add(
    *,
    article,
    editor,
    actor: Actor | NewActor,
    topic: Topic,
    label: str,
    stated_on: date | None,
    precision: str,
    quote: str,
    near: int = 0,
) -> Stance:
    """A stance the extractor missed, added by an editor: approved by that editor. A new
    actor is created only if the stance is stored."""
    actor = actor_get_or_propose(actor)
    stated_on, precision, start, end = _checked_stance_values(
        article=article,
        actor=actor,
        topic=topic,
        label=label,
        stated_on=stated_on,
        precision=precision,
        quote=quote,
        near=near,
    )
    stance = Stance(
        article=article,
        actor=actor,
        topic=topic,
        label=label,
        stated_on=stated_on,
        stated_on_precision=precision,
        quote=article.body[start:end],
        quote_start=start,
        quote_end=end,
        confidence=1.0,
        status=Stance.Status.APPROVED,
        reviewed_by=editor,
        reviewed_at=timezone.now(),
        extractor_version="",
    )
    stance._history_user = editor  # noqa: SLF001
    stance.save()
    return stance


@transaction.atomic
def stances_merge(
    *,
    primary: Stance,
    others: Iterable[Stance],
    editor,
    expected_versions: dict[int, int] | None = None,
) -> Stance:
    """Make several reports one statement: the others (and theirs) point to the primary.
    ``expected_versions`` maps a stance's id to the version the editor saw."""
    expected = expected_versions or {}
    others = sorted(others, key=lambda s: s.pk)
    # the rows in one order, then the monthly cells the others leave: the transaction then
    # waits for nothing while it holds a cell
    locked = list(
        Stance.objects.filter(pk__in=[primary.pk, *(o.pk for o in others)])
        .order_by("pk")
        .select_for_update()
    )
    primary = _locked(primary, expected.get(primary.pk))
    if primary.primary_id is not None:
        primary = _locked(primary.primary, None)
    if primary.status != Stance.Status.APPROVED:
        raise ReviewError(_("Only approved stances can be one statement."))
    stance_month_cells_lock(
        s
        for s in locked
        if s.pk != primary.pk and s.status == Stance.Status.APPROVED and s.primary_id is None
    )
    for other in others:
        if other.pk == primary.pk:
            continue
        if other.actor_id != primary.actor_id:
            raise ReviewError(_("Only stances of the same actor can be one statement."))
        other = _locked(other, expected.get(other.pk))
        if other.status != Stance.Status.APPROVED:
            raise ReviewError(_("Only approved stances can be one statement."))
        Stance.objects.filter(primary=other).update(primary=primary)
        other.primary = primary
        stance_record_change(other, editor, ["primary"])
    return primary


@transaction.atomic
def stance_split(*, stance: Stance, editor, expected_version: int | None = None) -> Stance:
    """Take a report out of its group; a primary hands the group to its first source."""
    stance = _locked(stance, expected_version)
    if stance.primary_id is not None:
        stance.primary = None
        return stance_record_change(stance, editor, ["primary"])
    _hand_group_on(stance=stance, editor=editor)
    return stance


def _hand_group_on(*, stance: Stance, editor) -> None:
    """A primary leaves its group: the first other source becomes the primary."""
    followers = list(stance.corroborations.order_by("pk"))
    if followers:
        heir = followers[0]
        Stance.objects.filter(pk__in=[f.pk for f in followers[1:]]).update(primary=heir)
        heir.primary = None
        stance_record_change(heir, editor, ["primary"])
