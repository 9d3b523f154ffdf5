"""Writes for live sources: adding and changing them, polling, OPML import.

A poll reads the feed (or the list of URLs), fetches the pages of entries it has not seen,
and hands them to ``articles.services.ingest_job_create``: the same path as an upload, so
duplicates are linked and proposals reach the review queue. Each entry is remembered per
source (``SourceEntry``) in the transaction that stores its job, and a source is polled by
one worker at a time (a lease taken under ``select_for_update``), so an entry becomes an
article once, whatever the number of polls, workers and restarts.
"""

from __future__ import annotations

import hashlib
import logging
import time
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from articles.models import FetchHost, IngestJob, Source, SourceEntry, SourcePoll
from articles.services import IncomingFile, ingest_job_create
from articles.sources.feeds import FeedEntry, FeedError, parse_feed
from articles.sources.fetching import Fetcher, FetchError, FetchSettings
from articles.sources.opml import OpmlFeed, opml_read
from articles.sources.pages import PageError, page_article, page_raw_text

logger = logging.getLogger(__name__)

POLLS_KEPT = 200


def _config() -> dict:
    return settings.STANCETRACKER_SOURCES


def entry_key(identity: str) -> str:
    return hashlib.sha256(identity.strip().encode("utf-8")).hexdigest()


# ---------------------------------------------------------------- the host gate
class DatabaseHostGate:
    """One request at a time per host, with a delay between two, for every worker
    process at once: the turn is a row per host, taken under ``select_for_update`` and
    held (with an expiry, in case its worker dies) for the length of the request."""

    def __init__(self, *, delay: float, hold: float) -> None:
        self.delay = delay
        self.hold = hold

    def wait(self, host: str) -> None:
        FetchHost.objects.get_or_create(host=host)
        give_up = time.monotonic() + self.hold + self.delay + 5
        while True:
            with transaction.atomic():
                row = FetchHost.objects.select_for_update().get(host=host)
                now = timezone.now()
                if (row.busy_until is None or row.busy_until <= now) and row.next_request_at <= now:
                    row.busy_until = now + timedelta(seconds=self.hold)
                    row.save(update_fields=["busy_until"])
                    return
                ready = max(row.next_request_at, row.busy_until or row.next_request_at)
            if time.monotonic() > give_up:
                raise FetchError(f"{host} stayed busy with other requests; try again later")
            time.sleep(min(max((ready - now).total_seconds(), 0.05), 0.5))

    def done(self, host: str) -> None:
        FetchHost.objects.filter(host=host).update(
            busy_until=None, next_request_at=timezone.now() + timedelta(seconds=self.delay)
        )


def fetcher_build() -> Fetcher:
    config = _config()
    fetch = FetchSettings(
        user_agent=config["user_agent"],
        timeout=config["timeout"],
        max_bytes=config["max_bytes"],
        max_redirects=config["max_redirects"],
    )
    gate = DatabaseHostGate(delay=config["host_delay"], hold=3 * config["timeout"] + 5)
    return Fetcher(fetch, gate=gate)


# ---------------------------------------------------------------- adding and changing
SOURCE_FIELDS = (
    "name",
    "kind",
    "url",
    "article_urls",
    "outlet",
    "language",
    "interval_minutes",
    "enabled",
)


def source_create(*, created_by=None, **fields) -> Source:
    """A new source; it is polled at the scheduler's next round."""
    unknown = set(fields) - set(SOURCE_FIELDS)
    if unknown:
        raise TypeError(f"Not fields of a source: {sorted(unknown)}")
    return Source.objects.create(created_by=created_by, next_poll_at=timezone.now(), **fields)


def source_update(*, source: Source, **fields) -> Source:
    unknown = set(fields) - set(SOURCE_FIELDS)
    if unknown:
        raise TypeError(f"Not fields of a source: {sorted(unknown)}")
    changed_url = "url" in fields and fields["url"] != source.url
    for name, value in fields.items():
        setattr(source, name, value)
    update = list(fields)
    if changed_url:
        # validators of the old feed mean nothing for the new one
        source.etag, source.last_modified = "", ""
        update += ["etag", "last_modified"]
    if fields.get("enabled") and source.paused_reason:
        source.paused_reason, source.consecutive_failures = "", 0
        source.next_poll_at = timezone.now()
        update += ["paused_reason", "consecutive_failures", "next_poll_at"]
    source.save(update_fields=update)
    return source


def source_set_enabled(*, source: Source, enabled: bool) -> Source:
    """Switch a source on or off. Switching it on clears a pause and polls it soon."""
    source.enabled = enabled
    update = ["enabled"]
    if enabled:
        source.paused_reason, source.consecutive_failures = "", 0
        source.next_poll_at = timezone.now()
        update += ["paused_reason", "consecutive_failures", "next_poll_at"]
    source.save(update_fields=update)
    return source


def source_delete(*, source: Source) -> None:
    """The source goes with its polls and remembered entries; its articles stay."""
    source.delete()


def sources_import_opml(
    *, content: bytes, created_by=None, interval_minutes: int = 60, enabled: bool = True
) -> dict:
    """Add every feed of an OPML file that is not a source yet.

    Returns the sources created, the feeds skipped because they are sources already, and
    the outlines that could not be used, with their reasons."""
    feeds, problems = opml_read(content)
    known = set(Source.objects.exclude(url="").values_list("url", flat=True))
    created, skipped = [], []
    for feed in feeds:
        if feed.url in known:
            skipped.append(feed.url)
            continue
        known.add(feed.url)
        created.append(
            Source(
                name=feed.name,
                kind=Source.Kind.FEED,
                url=feed.url,
                outlet=feed.outlet,
                language=feed.language,
                interval_minutes=interval_minutes,
                enabled=enabled,
                created_by=created_by,
                next_poll_at=timezone.now(),
            )
        )
    Source.objects.bulk_create(created)
    return {"created": created, "skipped": skipped, "problems": problems}


def sources_opml_feeds() -> list[OpmlFeed]:
    return [
        OpmlFeed(url=s.url, name=s.name, outlet=s.outlet, language=s.language)
        for s in Source.objects.filter(kind=Source.Kind.FEED).order_by("outlet", "name")
    ]


# ---------------------------------------------------------------- polling
@dataclass
class _Harvest:
    files: list[IncomingFile] = field(default_factory=list)
    fetched: list[tuple[str, FeedEntry, str]] = field(default_factory=list)  # key, entry, author
    failed: list[tuple[str, FeedEntry, str]] = field(default_factory=list)  # key, entry, reason


@dataclass
class _Listing:
    """What the source lists this time, with the feed's cache validators to keep."""

    entries: list[FeedEntry]
    unchanged: bool = False
    validators: dict = field(default_factory=dict)


class _SourceFailure(Exception):
    """The source itself could not be read this time (not one of its pages)."""


def _source_claim(*, source_id: int, requested: bool) -> Source | None:
    lease = timedelta(minutes=_config()["lease_minutes"])
    with transaction.atomic():
        source = Source.objects.select_for_update().filter(pk=source_id).first()
        if source is None:
            return None
        now = timezone.now()
        if source.polling_since is not None and source.polling_since > now - lease:
            # another worker is polling it; this request is answered by that poll
            Source.objects.filter(pk=source_id).update(queued_at=None)
            return None
        if not (source.enabled or requested):
            Source.objects.filter(pk=source_id).update(queued_at=None)
            return None
        source.polling_since = now
        source.queued_at = None
        source.save(update_fields=["polling_since", "queued_at"])
    return source


def source_poll(
    *, source_id: int, requested: bool = False, fetcher: Fetcher | None = None
) -> SourcePoll | None:
    """Poll one source now. ``None`` when it is gone, switched off (and the poll was not
    asked for by an admin), or being polled by another worker."""
    source = _source_claim(source_id=source_id, requested=requested)
    if source is None:
        return None
    poll = SourcePoll.objects.create(source=source)
    Source.objects.filter(pk=source.pk).update(last_poll=poll)
    own_fetcher = fetcher is None
    fetcher = fetcher or fetcher_build()
    try:
        try:
            _poll(source=source, poll=poll, fetcher=fetcher)
        except _SourceFailure as failure:
            _poll_failed(source=source, poll=poll, reason=str(failure))
        except Exception as error:  # noqa: BLE001 - recorded on the source for the admin
            logger.exception("Polling source %s failed", source.pk)
            _poll_failed(source=source, poll=poll, reason=f"{type(error).__name__}: {error}")
    finally:
        if own_fetcher:
            fetcher.close()
        Source.objects.filter(pk=source.pk).update(polling_since=None)
    # the history a source keeps: a feed polled hourly would grow by 8,760 rows a year
    old = SourcePoll.objects.filter(source=source).values_list("pk", flat=True)[POLLS_KEPT:]
    SourcePoll.objects.filter(pk__in=list(old)).delete()
    poll.refresh_from_db()
    return poll


def _poll(*, source: Source, poll: SourcePoll, fetcher: Fetcher) -> None:
    listing = _source_listing(source=source, fetcher=fetcher)
    new = _entries_new(source=source, listed=listing.entries)
    retry = _entries_to_retry(source=source)
    harvest = _Harvest()
    for key, entry in [*new, *retry]:
        _harvest_entry(source=source, key=key, entry=entry, fetcher=fetcher, harvest=harvest)
    job = _store_once(source=source, harvest=harvest, retried={key for key, _entry in retry})
    _poll_record(source=source, poll=poll, listing=listing, new=len(new), harvest=harvest, job=job)


def _source_listing(*, source: Source, fetcher: Fetcher) -> _Listing:
    if source.kind != Source.Kind.FEED:
        return _Listing(entries=[FeedEntry(key=url, url=url) for url in source.url_list()])
    try:
        response = fetcher.get(source.url, etag=source.etag, last_modified=source.last_modified)
    except FetchError as error:
        raise _SourceFailure(str(error)) from error
    if response.not_modified:
        return _Listing(entries=[], unchanged=True)
    try:
        listed = parse_feed(response.content, url=response.url, content_type=response.content_type)
    except FeedError as error:
        raise _SourceFailure(str(error)) from error
    return _Listing(
        entries=listed,
        validators={"etag": response.etag[:500], "last_modified": response.last_modified},
    )


def _entries_new(*, source: Source, listed: list[FeedEntry]) -> list[tuple[str, FeedEntry]]:
    known = {
        entry.key: entry
        for entry in SourceEntry.objects.filter(source=source).only("key", "status", "attempts")
    }
    new, seen_now = [], set()
    for entry in listed:
        key = entry_key(entry.key)
        if key not in known and key not in seen_now:
            seen_now.add(key)
            new.append((key, entry))
    return new[: _config()["max_entries_per_poll"]]


def _entries_to_retry(*, source: Source) -> list[tuple[str, FeedEntry]]:
    # pages that failed before are tried again at the next polls, a few times
    config = _config()
    return [
        (entry.key, FeedEntry(key=entry.key, url=entry.url, title=entry.title))
        for entry in SourceEntry.objects.filter(
            source=source,
            status=SourceEntry.Status.FAILED,
            attempts__lt=config["entry_attempts"],
        ).exclude(url="")[: config["max_entries_per_poll"]]
    ]


def _store_once(*, source: Source, harvest: _Harvest, retried: set[str]) -> IngestJob | None:
    try:
        with transaction.atomic():
            return _store(source=source, harvest=harvest, retried=retried)
    except IntegrityError:
        # the lease expired under a very slow poll and another worker stored these first
        raise _SourceFailure(
            _("Another poll of this source stored the same entries first; nothing was added.")
        ) from None


def _poll_record(
    *,
    source: Source,
    poll: SourcePoll,
    listing: _Listing,
    new: int,
    harvest: _Harvest,
    job: IngestJob | None,
) -> None:
    tried = len(harvest.fetched) + len(harvest.failed)
    if tried and not harvest.fetched:
        reasons = sorted({reason for _key, _entry, reason in harvest.failed})
        message = _("Every page failed: %(reasons)s") % {"reasons": "; ".join(reasons[:3])}
        _poll_failed(
            source=source,
            poll=poll,
            reason=message,
            job=job,
            validators=listing.validators,
            counts={"entries_new": new, "entries_failed": len(harvest.failed)},
        )
        return
    outcome, message = _poll_outcome(unchanged=listing.unchanged, harvest=harvest)
    now = timezone.now()
    SourcePoll.objects.filter(pk=poll.pk).update(
        outcome=outcome,
        message=message,
        entries_new=new,
        entries_failed=len(harvest.failed),
        job=job,
        finished_at=now,
    )
    Source.objects.filter(pk=source.pk).update(
        consecutive_failures=0,
        next_poll_at=now + timedelta(minutes=source.interval_minutes),
        **listing.validators,
    )


def _poll_outcome(*, unchanged: bool, harvest: _Harvest) -> tuple[str, str]:
    """The outcome and message of a poll where at least one page was fetched, or none tried."""
    if not harvest.fetched and not harvest.failed:
        if unchanged:
            return SourcePoll.Outcome.UNCHANGED, _("The feed has not changed.")
        return SourcePoll.Outcome.OK, _("No new entries.")
    message = ngettext(
        "%(fetched)d page handed to ingestion, %(failed)d failed.",
        "%(fetched)d pages handed to ingestion, %(failed)d failed.",
        len(harvest.fetched),
    ) % {"fetched": len(harvest.fetched), "failed": len(harvest.failed)}
    return SourcePoll.Outcome.OK, message


def _harvest_entry(
    *, source: Source, key: str, entry: FeedEntry, fetcher: Fetcher, harvest: _Harvest
) -> None:
    if not entry.url:
        harvest.failed.append((key, entry, _("The entry links to no page.")))
        return
    try:
        response = fetcher.get(entry.url)
        if response.not_modified:  # not asked for; a server that answers 304 anyway
            raise PageError(f"{entry.url} answered 304 to a plain request")
        # without a charset in the header, trafilatura reads the page's own <meta charset>
        declared = "charset=" in response.content_type.lower()
        page = page_article(response.text() if declared else response.content, url=response.url)
    except (FetchError, PageError) as error:
        harvest.failed.append((key, entry, str(error)))
        return
    note = _("From the source “%(source)s”") % {"source": source.name}
    if page.author:
        note += _(", by %(author)s") % {"author": page.author}
    harvest.files.append(
        IncomingFile(
            name=(page.title or entry.title or entry.url)[:255],
            raw=page_raw_text(page, fallback_title=entry.title),
            default_published=entry.published,
            outlet=source.outlet,
            source_url=entry.url[:500],
            note=note + ".",
        )
    )
    harvest.fetched.append((key, replace_title(entry, page.title), page.author))


def replace_title(entry: FeedEntry, title: str) -> FeedEntry:
    return FeedEntry(
        key=entry.key,
        url=entry.url,
        title=title or entry.title,
        author=entry.author,
        published=entry.published,
    )


def _store(*, source: Source, harvest: _Harvest, retried: set[str]) -> IngestJob | None:
    """The job and the remembered entries, in one transaction: an entry is marked seen
    exactly when its page is stored for ingestion (or its failure recorded)."""
    if not harvest.files and not harvest.failed:
        return None
    rejections = [
        (entry.title or entry.url or key, reason) for key, entry, reason in harvest.failed
    ]
    job = ingest_job_create(kind=IngestJob.Kind.SOURCE, files=harvest.files, rejections=rejections)
    items = list(job.items.order_by("pk").values_list("pk", flat=True))
    now = timezone.now()
    outcomes = [
        (key, entry, SourceEntry.Status.INGESTED, "", author, item)
        for (key, entry, author), item in zip(harvest.fetched, items, strict=False)
    ] + [
        (key, entry, SourceEntry.Status.FAILED, reason, entry.author, item)
        for (key, entry, reason), item in zip(
            harvest.failed, items[len(harvest.fetched) :], strict=False
        )
    ]
    for key, entry, status, error, author, item in outcomes:
        values = {
            "url": entry.url[:1000],
            "title": entry.title[:500],
            "author": (author or entry.author)[:300],
            "status": status,
            "error": error,
            "item_id": item,
            "last_tried_at": now,
        }
        if key in retried:
            SourceEntry.objects.filter(source=source, key=key).update(
                attempts=F("attempts") + 1, **values
            )
        else:
            SourceEntry.objects.create(source=source, key=key, **values)
    return job


def _poll_failed(
    *,
    source: Source,
    poll: SourcePoll,
    reason: str,
    job: IngestJob | None = None,
    validators: dict | None = None,
    counts: dict | None = None,
) -> None:
    """A failed poll: shown with its reason, the next one backs off, and after too many in
    a row the source is paused, saying why."""
    config = _config()
    failures = source.consecutive_failures + 1
    now = timezone.now()
    update = {"consecutive_failures": failures, **(validators or {})}
    if failures >= config["max_failures"]:
        update |= {
            "enabled": False,
            "next_poll_at": None,
            "paused_reason": _("Paused after %(n)d failed polls in a row. The last one: %(reason)s")
            % {"n": failures, "reason": reason},
        }
    else:
        interval = timedelta(minutes=source.interval_minutes)
        update["next_poll_at"] = now + min(interval * 2**failures, max(timedelta(days=1), interval))
    Source.objects.filter(pk=source.pk).update(**update)
    SourcePoll.objects.filter(pk=poll.pk).update(
        outcome=SourcePoll.Outcome.FAILED,
        message=reason,
        job=job,
        finished_at=now,
        **(counts or {}),
    )


__all__ = [
    "DatabaseHostGate",
    "entry_key",
    "fetcher_build",
    "source_create",
    "source_delete",
    "source_poll",
    "source_set_enabled",
    "source_update",
    "sources_import_opml",
    "sources_opml_feeds",
]
