from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Choices at module level as well as on their models, so that each model's constraints
# can name them (a Meta body cannot see its model's nested classes).


class IngestJobKind(models.TextChoices):
    SEED = "seed", _("Seed load")
    UPLOAD = "upload", _("Upload")
    SOURCE = "source", _("Source poll")


class IngestJobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class IngestJob(models.Model):
    """One batch of files to ingest: a seed load or an admin's upload."""

    Kind = IngestJobKind
    Status = IngestJobStatus

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="ingest_jobs",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    updated_at = models.DateTimeField(_("last progress"), auto_now=True)
    files_total = models.PositiveIntegerField(_("files"), default=0)
    articles_created = models.PositiveIntegerField(_("articles created"), default=0)
    duplicates = models.PositiveIntegerField(_("duplicates"), default=0)
    failures = models.PositiveIntegerField(_("failures"), default=0)
    stances_proposed = models.PositiveIntegerField(_("stances proposed"), default=0)
    message = models.TextField(_("message"), blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("ingest job")
        verbose_name_plural = _("ingest jobs")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=IngestJobStatus.values),
                name="ingestjob_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=IngestJobKind.values),
                name="ingestjob_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("articles:job", kwargs={"pk": self.pk})

    @property
    def is_done(self) -> bool:
        return self.status == self.Status.DONE

    @property
    def files_done(self) -> int:
        return self.articles_created + self.duplicates + self.failures

    @property
    def percent_done(self) -> int:
        return round(100 * self.files_done / self.files_total) if self.files_total else 100

    @property
    def elapsed(self):
        if self.started_at is None:
            return None
        return (self.finished_at or timezone.now()) - self.started_at


class IngestItemStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    CREATED = "created", _("Article created")
    DUPLICATE = "duplicate", _("Duplicate")
    FAILED = "failed", _("Failed")


class IngestItem(models.Model):
    """One file of a job, stored before the worker sees it so that nothing is lost."""

    Status = IngestItemStatus

    job = models.ForeignKey(
        IngestJob, verbose_name=_("job"), on_delete=models.CASCADE, related_name="items"
    )
    name = models.CharField(_("file name"), max_length=255)
    raw = models.TextField(_("raw text"))
    default_published = models.DateField(
        _("publication date if the file has none"), null=True, blank=True
    )
    outlet = models.CharField(_("outlet"), max_length=200, blank=True)
    source_url = models.URLField(_("source URL"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    error = models.TextField(_("error"), blank=True)
    note = models.TextField(_("note"), blank=True, help_text=_("What the admin should know."))
    attempts = models.PositiveSmallIntegerField(
        _("attempts"), default=0, help_text=_("How many times a worker has started on it.")
    )
    article = models.ForeignKey(
        "Article",
        verbose_name=_("article"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["job", "pk"]
        verbose_name = _("ingest item")
        verbose_name_plural = _("ingest items")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=IngestItemStatus.values),
                name="ingestitem_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status=IngestItemStatus.FAILED) | ~Q(error=""),
                name="ingestitem_failure_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_failed(self) -> bool:
        return self.status == self.Status.FAILED

    @property
    def is_duplicate(self) -> bool:
        return self.status == self.Status.DUPLICATE


class ArticlePublishedSource(models.TextChoices):
    HEADER = "header", _("Header line of the file")
    DATELINE = "dateline", _("Date line in the text")
    GIVEN = "given", _("Given at upload")
    URL = "url", _("Date in the source URL")
    EDITOR = "editor", _("Set by an editor")
    NONE = "none", _("Unknown")


class Article(models.Model):
    PublishedSource = ArticlePublishedSource

    title = models.CharField(_("title"), max_length=500)
    body = models.TextField(_("body"))
    published = models.DateField(_("published"), null=True, blank=True)
    published_source = models.CharField(
        _("publication date found in"),
        max_length=10,
        choices=PublishedSource.choices,
        default=PublishedSource.NONE,
    )
    outlet = models.CharField(_("outlet"), max_length=200, blank=True)
    source_url = models.URLField(_("source URL"), max_length=500, blank=True)
    source_name = models.CharField(_("source file"), max_length=255, blank=True)
    content_hash = models.CharField(_("content hash"), max_length=64, unique=True)
    ingest_job = models.ForeignKey(
        IngestJob,
        verbose_name=_("created by job"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="articles",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # Title (weight A) and body (B) as PostgreSQL's English full-text search sees them. A
    # trigger of migration 0007 writes it on every insert and every change of the text, however
    # the row is written (save, bulk_create, COPY); a GIN index makes a search a lookup. On
    # SQLite it stays empty and search falls back to substring matching.
    search_vector = SearchVectorField(_("search vector"), null=True, editable=False)

    class Meta:
        ordering = ["-published", "-created_at"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        # the article list's order, read a page at a time instead of sorting every article
        indexes = [models.Index(fields=["-published", "-created_at"], name="article_list_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(published__isnull=True, published_source=ArticlePublishedSource.NONE)
                | Q(
                    published__isnull=False,
                    published_source__in=[
                        ArticlePublishedSource.HEADER,
                        ArticlePublishedSource.DATELINE,
                        ArticlePublishedSource.URL,
                        ArticlePublishedSource.GIVEN,
                        ArticlePublishedSource.EDITOR,
                    ],
                ),
                name="article_published_source_consistent",
            ),
            models.CheckConstraint(condition=~Q(body=""), name="article_body_not_empty"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("articles:detail", kwargs={"pk": self.pk})


class ExtractorModelStatus(models.TextChoices):
    TRAINING = "training", _("Training")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


class ExtractorModel(models.Model):
    """A trained version of the extractor's decision model, stored in a folder.

    At most one version is current; with none, the model shipped with the code is used.
    """

    Status = ExtractorModelStatus

    version = models.CharField(_("version"), max_length=50, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.TRAINING
    )
    path = models.CharField(_("folder"), max_length=500, blank=True)
    is_current = models.BooleanField(_("current"), default=False)
    progress = models.CharField(_("progress"), max_length=200, blank=True)
    message = models.TextField(_("message"), blank=True)
    meta = models.JSONField(_("training data and figures"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="extractor_models",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("extractor model")
        verbose_name_plural = _("extractor models")
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"], condition=Q(is_current=True), name="one_current_model"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ExtractorModelStatus.values),
                name="extractormodel_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(is_current=False) | Q(status=ExtractorModelStatus.READY),
                name="current_model_is_ready",
            ),
        ]

    def __str__(self) -> str:
        return self.version or _("model #%(pk)s") % {"pk": self.pk}

    def get_absolute_url(self) -> str:
        return reverse("articles:models")

    @property
    def is_training(self) -> bool:
        return self.status == self.Status.TRAINING

    @property
    def is_ready(self) -> bool:
        return self.status == self.Status.READY

    @property
    def examples(self) -> int:
        return sum((self.meta.get("examples") or {}).values())


# ---------------------------------------------------------------- live sources
class SourceKind(models.TextChoices):
    FEED = "feed", _("RSS or Atom feed")
    URLS = "urls", _("List of article URLs")


class Source(models.Model):
    """A news feed or a list of article URLs that the worker polls on its own."""

    Kind = SourceKind

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.FEED)
    url = models.URLField(_("feed URL"), max_length=500, blank=True)
    article_urls = models.TextField(_("article URLs"), blank=True, help_text=_("One a line."))
    outlet = models.CharField(_("outlet"), max_length=200)
    language = models.CharField(_("language"), max_length=20, blank=True)
    interval_minutes = models.PositiveIntegerField(_("polling interval (minutes)"), default=60)
    enabled = models.BooleanField(_("on"), default=True)
    paused_reason = models.TextField(_("paused because"), blank=True)
    consecutive_failures = models.PositiveIntegerField(_("failed polls in a row"), default=0)
    etag = models.CharField(_("ETag"), max_length=500, blank=True)
    last_modified = models.CharField(_("Last-Modified"), max_length=100, blank=True)
    next_poll_at = models.DateTimeField(_("next poll"), null=True, blank=True)
    # A poll sent to the worker and not started yet; the scheduler does not send it twice.
    queued_at = models.DateTimeField(_("poll queued"), null=True, blank=True)
    # The lease of the worker polling it now: a second worker leaves the source alone.
    polling_since = models.DateTimeField(_("polling since"), null=True, blank=True)
    last_poll = models.ForeignKey(
        "SourcePoll",
        verbose_name=_("last poll"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sources",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=SourceKind.values), name="source_kind_valid"
            ),
            models.CheckConstraint(
                condition=~Q(kind=SourceKind.FEED) | ~Q(url=""), name="source_feed_has_url"
            ),
            models.CheckConstraint(
                condition=Q(interval_minutes__gte=1), name="source_interval_positive"
            ),
            models.UniqueConstraint(
                fields=["url"],
                condition=~Q(url=""),
                name="source_feed_url_unique",
                violation_error_message=_("A source with this feed URL exists already."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("articles:source", kwargs={"pk": self.pk})

    def url_list(self) -> list[str]:
        return [line.strip() for line in self.article_urls.splitlines() if line.strip()]


class SourcePollOutcome(models.TextChoices):
    RUNNING = "running", _("Polling")
    OK = "ok", _("Polled")
    UNCHANGED = "unchanged", _("Unchanged since the last poll")
    FAILED = "failed", _("Failed")


class SourcePoll(models.Model):
    """One poll of a source: what it found and what became of it."""

    Outcome = SourcePollOutcome

    source = models.ForeignKey(
        Source, verbose_name=_("source"), on_delete=models.CASCADE, related_name="polls"
    )
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    outcome = models.CharField(
        _("result"), max_length=10, choices=Outcome.choices, default=Outcome.RUNNING
    )
    message = models.TextField(_("message"), blank=True)
    entries_new = models.PositiveIntegerField(_("new entries"), default=0)
    entries_failed = models.PositiveIntegerField(_("entries that failed"), default=0)
    job = models.ForeignKey(
        IngestJob,
        verbose_name=_("ingest job"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="source_polls",
    )

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("source poll")
        verbose_name_plural = _("source polls")
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome__in=SourcePollOutcome.values),
                name="sourcepoll_outcome_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} @ {self.started_at:%Y-%m-%d %H:%M}"


class SourceEntryStatus(models.TextChoices):
    INGESTED = "ingested", _("Handed to ingestion")
    FAILED = "failed", _("Failed")


class SourceEntry(models.Model):
    """An entry of a source seen once: remembered so that it becomes an article only once."""

    Status = SourceEntryStatus

    source = models.ForeignKey(
        Source, verbose_name=_("source"), on_delete=models.CASCADE, related_name="entries"
    )
    # SHA-256 of the feed entry's id (or of its URL when it has none): ids can be long.
    key = models.CharField(_("entry key"), max_length=64)
    url = models.URLField(_("URL"), max_length=1000, blank=True)
    title = models.CharField(_("title"), max_length=500, blank=True)
    author = models.CharField(_("author"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    error = models.TextField(_("error"), blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=1)
    item = models.ForeignKey(
        IngestItem,
        verbose_name=_("ingest item"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    first_seen_at = models.DateTimeField(_("first seen"), auto_now_add=True)
    last_tried_at = models.DateTimeField(_("last tried"), default=timezone.now)

    class Meta:
        ordering = ["-last_tried_at", "-pk"]
        verbose_name = _("source entry")
        verbose_name_plural = _("source entries")
        constraints = [
            models.UniqueConstraint(fields=["source", "key"], name="sourceentry_once_per_source"),
            models.CheckConstraint(
                condition=Q(status__in=SourceEntryStatus.values), name="sourceentry_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status=SourceEntryStatus.FAILED) | ~Q(error=""),
                name="sourceentry_failure_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.url or self.key


class FetchHost(models.Model):
    """When a host may next be asked for a page, shared by every worker process."""

    host = models.CharField(_("host"), max_length=255, unique=True)
    busy_until = models.DateTimeField(_("busy until"), null=True, blank=True)
    next_request_at = models.DateTimeField(_("next request at"), default=timezone.now)

    class Meta:
        verbose_name = _("fetched host")
        verbose_name_plural = _("fetched hosts")

    def __str__(self) -> str:
        return self.host
