from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Abs, Coalesce, Lower
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


# Choices at module level as well as on their models, so that each model's constraints
# can name them (a Meta body cannot see its model's nested classes).
class CountryGroup(models.TextChoices):
    EU_MEMBER = "eu_member", _("EU member")
    EU_INSTITUTION = "eu_institution", _("EU institution")
    RUSSIA = "russia", _("Russia")
    OTHER = "other", _("Other")
    INTERNATIONAL = "international", _("International organisation")


class Country(models.Model):
    Group = CountryGroup

    code = models.CharField(
        _("code"),
        max_length=8,
        unique=True,
        help_text=_("ISO 3166-1 alpha-2, or EU / NATO for institutions."),
    )
    name = models.CharField(_("name"), max_length=100)
    group = models.CharField(_("group"), max_length=20, choices=Group.choices)
    adjectives = models.JSONField(_("adjectives"), default=list, blank=True)
    capital = models.CharField(_("capital"), max_length=100, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        constraints = [
            models.CheckConstraint(
                condition=Q(group__in=CountryGroup.values),
                name="country_group_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("actors:country", kwargs={"code": self.code})


class ActorKind(models.TextChoices):
    PERSON = "person", _("Person")
    INSTITUTION = "institution", _("Institution")
    GOVERNMENT = "government", _("Government")


class Actor(models.Model):
    Kind = ActorKind

    name = models.CharField(_("canonical name"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.PERSON)
    country = models.ForeignKey(
        Country,
        verbose_name=_("country"),
        on_delete=models.PROTECT,
        related_name="actors",
        null=True,
        blank=True,
    )
    role = models.CharField(_("role or title"), max_length=200, blank=True)
    speaks_for = models.ForeignKey(
        "self",
        verbose_name=_("speaks for"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="spokespeople",
        help_text=_("The institution or government this spokesperson speaks for."),
    )
    is_confirmed = models.BooleanField(
        _("confirmed"),
        default=True,
        help_text=_("Unconfirmed actors were proposed by the extractor and await an editor."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("actor")
        verbose_name_plural = _("actors")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ActorKind.values),
                name="actor_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("actors:actor", kwargs={"slug": self.slug})


class ActorAlias(models.Model):
    class Kind(models.TextChoices):
        NAME = "name", _("Other name or spelling")
        TITLE = "title", _("Title or office")

    actor = models.ForeignKey(
        Actor, verbose_name=_("actor"), on_delete=models.CASCADE, related_name="aliases"
    )
    text = models.CharField(_("text"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.NAME)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["text"]
        verbose_name = _("alias")
        verbose_name_plural = _("aliases")
        constraints = [
            # An alias names exactly one actor, or the extractor could not resolve it.
            models.UniqueConstraint(Lower("text"), name="actor_alias_text_unique_ci"),
            models.CheckConstraint(condition=~Q(text=""), name="actor_alias_text_not_empty"),
        ]

    def __str__(self) -> str:
        return self.text


class Topic(models.Model):
    # the topic the extractor proposes stances on
    DEFAULT_SLUG = "europe-russia-dialogue"

    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self) -> str:
        return self.name

    @property
    def is_default(self) -> bool:
        return self.slug == self.DEFAULT_SLUG


class StanceLabel(models.TextChoices):
    SUPPORT = "support", _("Support")
    OPPOSE = "oppose", _("Oppose")
    CONDITIONAL = "conditional", _("Conditional")
    NEUTRAL = "neutral", _("Neutral")


class StancePrecision(models.TextChoices):
    DAY = "day", _("Day")
    MONTH = "month", _("Month")
    UNKNOWN = "unknown", _("Unknown")


class StanceStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class Stance(models.Model):
    Label = StanceLabel
    Precision = StancePrecision
    Status = StanceStatus

    actor = models.ForeignKey(
        Actor, verbose_name=_("actor"), on_delete=models.PROTECT, related_name="stances"
    )
    topic = models.ForeignKey(
        Topic, verbose_name=_("topic"), on_delete=models.PROTECT, related_name="stances"
    )
    label = models.CharField(_("label"), max_length=12, choices=Label.choices)
    stated_on = models.DateField(_("stated on"), null=True, blank=True)
    stated_on_precision = models.CharField(
        _("date precision"), max_length=8, choices=Precision.choices, default=Precision.UNKNOWN
    )
    article = models.ForeignKey(
        "articles.Article",
        verbose_name=_("article"),
        on_delete=models.CASCADE,
        related_name="stances",
    )
    quote = models.TextField(_("evidence quote"))
    quote_start = models.PositiveIntegerField(_("quote start"))
    quote_end = models.PositiveIntegerField(_("quote end"))
    confidence = models.FloatField(_("confidence"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reviewed_stances",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    extractor_version = models.CharField(_("extractor version"), max_length=50, blank=True)
    version = models.PositiveIntegerField(
        _("version"),
        default=1,
        help_text=_(
            "Raised by every review change, so that two editors cannot overwrite each other."
        ),
    )
    primary = models.ForeignKey(
        "self",
        verbose_name=_("same statement as"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="corroborations",
        help_text=_(
            "Set when another article reports the same statement: timelines show the "
            "primary stance once, with every source."
        ),
    )
    flag_reason = models.TextField(_("reason for a second opinion"), blank=True)
    flagged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("flagged by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="flagged_stances",
    )
    flagged_at = models.DateTimeField(_("flagged at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["article_id", "quote_start"]
        verbose_name = _("stance")
        verbose_name_plural = _("stances")
        permissions = [
            ("review_stance", _("Can approve, reject and correct proposed stances")),
            ("resolve_flagged_stance", _("Can settle stances flagged for a second opinion")),
        ]
        indexes = [
            models.Index(fields=["status", "article", "quote_start"], name="stance_queue_idx"),
            models.Index(fields=["actor", "status", "stated_on"], name="stance_actor_timeline_idx"),
            # the newest change, which tells cached tallies and the analysis pages' cached
            # aggregates that they are stale
            models.Index(fields=["updated_at"], name="stance_updated_at_idx"),
            # the open proposals' tallies per actor and label, read from the index alone
            models.Index(
                fields=["actor", "label", "flagged_at"],
                name="stance_open_tally_idx",
                condition=Q(status=StanceStatus.PROPOSED),
            ),
            # the review queue in each of its orders: small, as they hold open proposals only
            models.Index(
                fields=["article", "quote_start", "id"],
                name="stance_open_queue_idx",
                condition=Q(status=StanceStatus.PROPOSED, flagged_at__isnull=True),
            ),
            models.Index(
                Abs(models.F("confidence") - 0.5),
                "id",
                name="stance_open_uncertain_idx",
                condition=Q(status=StanceStatus.PROPOSED, flagged_at__isnull=True),
            ),
            models.Index(
                fields=["confidence", "id"],
                name="stance_open_confidence_idx",
                condition=Q(status=StanceStatus.PROPOSED, flagged_at__isnull=True),
            ),
            # The analysis pages and the actor and country pages read statements (no merged
            # reports) newest first: an actor's timeline, and a period's (or the newest)
            # stances of every actor (migration 0014 dropped the list pages' own set).
            # "Undated last" as a day before any other, because SQLite refuses NULLS LAST in
            # an index: the order actors.analysis.selectors.newest_first() asks for.
            models.Index(
                models.F("actor"),
                models.F("status"),
                Coalesce(models.F("stated_on"), models.Value(date.min)).desc(),
                name="stance_analysis_actor_idx",
                condition=Q(primary__isnull=True),
            ),
            # every actor's statements newest first: a country's timeline reads it until it
            # has a page of its actors' stances
            models.Index(
                models.F("status"),
                Coalesce(models.F("stated_on"), models.Value(date.min)).desc(),
                name="stance_analysis_newest_idx",
                condition=Q(primary__isnull=True),
            ),
            models.Index(
                fields=["status", "stated_on"],
                name="stance_analysis_date_idx",
                condition=Q(primary__isnull=True),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(label__in=StanceLabel.values),
                name="stance_label_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=StanceStatus.values),
                name="stance_status_valid",
            ),
            models.CheckConstraint(
                condition=(
                    Q(stated_on__isnull=True, stated_on_precision=StancePrecision.UNKNOWN)
                    | Q(
                        stated_on__isnull=False,
                        stated_on_precision__in=[StancePrecision.DAY, StancePrecision.MONTH],
                    )
                ),
                name="stance_date_precision_consistent",
            ),
            models.CheckConstraint(
                condition=Q(confidence__gte=0) & Q(confidence__lte=1),
                name="stance_confidence_0_1",
            ),
            models.CheckConstraint(
                condition=Q(quote_end__gt=models.F("quote_start")),
                name="stance_quote_span_nonempty",
            ),
            models.CheckConstraint(
                condition=Q(status=StanceStatus.PROPOSED) | Q(reviewed_at__isnull=False),
                name="stance_reviewed_has_time",
            ),
            models.CheckConstraint(
                condition=Q(flagged_at__isnull=True) | ~Q(flag_reason=""),
                name="stance_flag_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(primary=models.F("pk")), name="stance_not_its_own_primary"
            ),
            # Extraction run twice over one article proposes nothing new.
            models.UniqueConstraint(
                fields=["article", "actor", "topic", "quote_start", "quote_end"],
                name="stance_unique_evidence",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.actor} – {self.get_label_display()} ({self.stated_on_display})"

    def get_absolute_url(self) -> str:
        return reverse("actors:stance", kwargs={"pk": self.pk})

    def dates_agree(self, other: Stance) -> bool:
        """Whether two dates can name the same occasion, each within its precision."""
        if self.stated_on is None or other.stated_on is None:
            return False
        if Stance.Precision.MONTH in (self.stated_on_precision, other.stated_on_precision):
            return self.stated_on.replace(day=1) == other.stated_on.replace(day=1)
        return self.stated_on == other.stated_on

    @property
    def is_flagged(self) -> bool:
        return self.flagged_at is not None

    @property
    def is_proposed(self) -> bool:
        return self.status == self.Status.PROPOSED

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED

    @property
    def is_rejected(self) -> bool:
        return self.status == self.Status.REJECTED

    @property
    def stated_on_display(self) -> str:
        if self.stated_on is None:
            return str(_("date unknown"))
        if self.stated_on_precision == self.Precision.MONTH:
            return date_format(self.stated_on, "YEAR_MONTH_FORMAT")
        return date_format(self.stated_on, "DATE_FORMAT")

    @property
    def stated_on_iso(self) -> str | None:
        if self.stated_on is None:
            return None
        if self.stated_on_precision == self.Precision.MONTH:
            return self.stated_on.strftime("%Y-%m")
        return self.stated_on.isoformat()


class StanceMonth(models.Model):
    """Approved statements (no corroborating reports) of one actor, topic and label in one
    month, and the newest of them: what the Europe map, "what changed" and the country
    and actor pages read instead of the stances themselves.

    Database triggers keep every row exact on each write to a stance or to an article's
    publication date (actors migration 0013; ``actors.monthly``), whichever path makes it:
    the review desk, bulk actions, merges, deletions, the admin or plain SQL. Undated
    statements are counted under the month of ``date.min`` (``UNDATED_MONTH``). A cell that
    lost its last statement stays with ``stances`` 0. ``manage.py rebuild_stance_months``
    recounts the table from scratch.
    """

    UNDATED_MONTH = date.min

    # plain columns rather than constraints: the triggers write this table inside the
    # stance's own statement, and a merge deletes an actor whose cells are then empty
    actor = models.ForeignKey(
        Actor, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    topic = models.ForeignKey(
        Topic, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    label = models.CharField(max_length=12, choices=StanceLabel.choices)
    month = models.DateField(help_text="the month's first day; date.min for undated statements")
    stances = models.PositiveIntegerField(default=0)
    # the newest statement: newest date, then newest article, then highest id
    latest = models.ForeignKey(
        Stance,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        null=True,
        related_name="+",
    )
    latest_on = models.DateField(null=True)
    latest_published = models.DateField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["actor", "topic", "label", "month"], name="stance_month_cell_unique"
            )
        ]
        indexes = [models.Index(fields=["month", "actor"], name="stance_month_month_idx")]

    def __str__(self) -> str:
        return f"{self.actor_id} {self.topic_id} {self.label} {self.month:%Y-%m}: {self.stances}"
