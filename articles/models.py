from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class IngestJob(models.Model):
    """One batch of files to ingest: a seed load or an admin's upload."""

    class Kind(models.TextChoices):
        SEED = "seed", _("Seed load")
        UPLOAD = "upload", _("Upload")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

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
                condition=Q(status__in=["queued", "running", "done", "failed"]),
                name="ingestjob_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["seed", "upload"]), name="ingestjob_kind_valid"
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


class IngestItem(models.Model):
    """One file of a job, stored before the worker sees it so that nothing is lost."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        CREATED = "created", _("Article created")
        DUPLICATE = "duplicate", _("Duplicate")
        FAILED = "failed", _("Failed")

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
                condition=Q(status__in=["pending", "created", "duplicate", "failed"]),
                name="ingestitem_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status="failed") | ~Q(error=""), name="ingestitem_failure_has_reason"
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


class Article(models.Model):
    class PublishedSource(models.TextChoices):
        HEADER = "header", _("Header line of the file")
        DATELINE = "dateline", _("Date line in the text")
        GIVEN = "given", _("Given at upload")
        URL = "url", _("Date in the source URL")
        EDITOR = "editor", _("Set by an editor")
        NONE = "none", _("Unknown")

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

    class Meta:
        ordering = ["-published", "-created_at"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        constraints = [
            models.CheckConstraint(
                condition=Q(published__isnull=True, published_source="none")
                | Q(
                    published__isnull=False,
                    published_source__in=["header", "dateline", "url", "given", "editor"],
                ),
                name="article_published_source_consistent",
            ),
            models.CheckConstraint(condition=~Q(body=""), name="article_body_not_empty"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("articles:detail", kwargs={"pk": self.pk})


class ExtractorModel(models.Model):
    """A trained version of the extractor's decision model, stored in a folder.

    At most one version is current; with none, the model shipped with the code is used.
    """

    class Status(models.TextChoices):
        TRAINING = "training", _("Training")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

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
                condition=Q(status__in=["training", "ready", "failed"]),
                name="extractormodel_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(is_current=False) | Q(status="ready"),
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
