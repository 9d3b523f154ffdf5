from __future__ import annotations

from datetime import date
from unittest import mock

import pytest

from actors.models import Actor, Stance
from articles.models import Article, IngestItem, IngestJob
from articles.services import (
    IncomingFile,
    article_extract,
    content_hash,
    ingest_job_run,
    seed_files,
)
from tests.conftest import ARTICLE_TEXT, SEEDS

pytestmark = pytest.mark.django_db


def _job_with(files: list[IncomingFile]) -> IngestJob:
    job = IngestJob.objects.create(kind=IngestJob.Kind.UPLOAD, files_total=len(files))
    IngestItem.objects.bulk_create(
        IngestItem(job=job, name=f.name, raw=f.raw, default_published=f.default_published)
        for f in files
    )
    return job


def test_content_hash_ignores_white_space_differences():
    assert content_hash("Macron  said\nhello.") == content_hash("Macron said hello. ")
    assert content_hash("Macron said hello.") != content_hash("Meloni said hello.")


def test_seed_files_become_articles_with_proposed_stances():
    job = _job_with(seed_files(folder=SEEDS))
    ingest_job_run(job=job)
    job.refresh_from_db()
    assert job.status == IngestJob.Status.DONE
    assert job.files_total == 5
    assert job.articles_created == 5
    assert job.failures == 0
    assert Article.objects.count() == 5
    assert job.stances_proposed == Stance.objects.count() > 5
    assert set(Stance.objects.values_list("status", flat=True)) == {"proposed"}
    dated = Article.objects.get(source_name="002_d5fbb319ba88df74.txt")
    assert dated.published == date(2026, 1, 20)
    assert dated.published_source == Article.PublishedSource.HEADER
    for stance in Stance.objects.select_related("article"):
        assert stance.article.body[stance.quote_start : stance.quote_end] == stance.quote
        assert stance.extractor_version


def test_ingesting_the_same_files_twice_creates_no_duplicates():
    ingest_job_run(job=_job_with(seed_files(folder=SEEDS)))
    articles, stances = Article.objects.count(), Stance.objects.count()

    again = _job_with(seed_files(folder=SEEDS))
    ingest_job_run(job=again)
    again.refresh_from_db()
    assert again.duplicates == 5
    assert again.articles_created == 0
    assert Article.objects.count() == articles
    assert Stance.objects.count() == stances
    assert again.items.count() == 5 and all(item.article_id for item in again.items.all())


def test_running_extraction_again_proposes_nothing_new():
    job = _job_with([IncomingFile("a.txt", (SEEDS / "003_a2d32abba07d458e.txt").read_text())])
    ingest_job_run(job=job)
    article = Article.objects.get()
    before = Stance.objects.count()
    article_extract(article=article)
    assert Stance.objects.count() == before


def test_empty_file_fails_with_a_reason_and_the_others_go_on():
    job = _job_with([IncomingFile("empty.txt", "   \n\n"), IncomingFile("good.txt", ARTICLE_TEXT)])
    ingest_job_run(job=job)
    job.refresh_from_db()
    empty = job.items.get(name="empty.txt")
    assert empty.status == IngestItem.Status.FAILED
    assert "no article text" in empty.error
    assert job.failures == 1
    assert job.articles_created == 1
    failed = job.items.filter(status=IngestItem.Status.FAILED)
    assert list(failed.values_list("name", "error")) == [("empty.txt", empty.error)]


def test_an_extraction_error_is_recorded_and_loses_no_stored_article():
    ingest_job_run(job=_job_with([IncomingFile("good.txt", ARTICLE_TEXT)]))
    stored = Article.objects.count()
    other = ARTICLE_TEXT.replace("Monday", "Tuesday")
    job = _job_with([IncomingFile("boom.txt", other)])
    with mock.patch(
        "articles.services.article_extract", side_effect=RuntimeError("model exploded")
    ):
        ingest_job_run(job=job)
    item = job.items.get()
    assert item.status == IngestItem.Status.FAILED
    assert item.error == "RuntimeError: model exploded"
    assert Article.objects.count() == stored  # the failed article was rolled back, nothing else


def test_a_processed_item_is_not_processed_again():
    job = _job_with([IncomingFile("good.txt", ARTICLE_TEXT)])
    ingest_job_run(job=job)
    item = job.items.get()
    with mock.patch("articles.services.article_create") as create:
        ingest_job_run(job=job)
    create.assert_not_called()
    item.refresh_from_db()
    assert item.status == IngestItem.Status.CREATED


def test_upload_date_is_used_when_the_file_has_none():
    text = "Talks in focus\n\nDutch Prime Minister Dick Schoof said Europe should talk to Russia."
    job = _job_with([IncomingFile("nodate.txt", text, default_published=date(2026, 2, 2))])
    ingest_job_run(job=job)
    article = Article.objects.get()
    assert article.published == date(2026, 2, 2)
    assert article.published_source == Article.PublishedSource.GIVEN


def test_a_person_outside_the_actor_list_is_proposed_as_an_unconfirmed_actor():
    from articles.nlp import Proposal
    from articles.services import article_create, article_propose

    article, _ = article_create(raw=ARTICLE_TEXT)
    quote = "Europe should open talks with Russia"
    start = article.body.index(quote)
    proposal = Proposal(
        actor="Jane Newcomer",
        country="ES",
        label="support",
        stated_on=None,
        precision="unknown",
        quote=quote,
        start=start,
        end=start + len(quote),
        sentence_start=start,
        sentence_end=start + len(quote),
        confidence=0.5,
        is_new_actor=True,
    )
    [stance] = article_propose(article=article, proposals=[proposal])
    actor = Actor.objects.get(name="Jane Newcomer")
    assert stance.actor == actor
    assert actor.is_confirmed is False
    assert actor.country.code == "ES"


def test_an_alias_added_in_the_app_takes_effect_on_the_next_extraction():
    from actors.models import ActorAlias
    from articles.services import article_create

    text = (
        "Nicknames in politics\n\n"
        "The Iron Lady of Warsaw said on Monday that Europe should open talks with Russia."
    )
    article, _ = article_create(raw=f" date 2026-03-04 World\n{text}")
    assert article_extract(article=article) == []

    tusk = Actor.objects.get(name="Donald Tusk")
    ActorAlias.objects.create(actor=tusk, text="The Iron Lady of Warsaw")
    [stance] = article_extract(article=article)
    assert stance.actor == tusk
    assert stance.label == "support"


@pytest.mark.django_db
def test_an_article_without_a_date_in_its_text_takes_the_date_in_its_url():
    from articles.services import article_create

    raw = "Leaders weigh talks\n\nMacron said Europe should talk to Russia.\n"
    article, _ = article_create(
        raw=raw,
        source_url="https://example.org/2024/06/25/leaders-weigh-talks",
        default_published=date(2024, 7, 1),
    )
    assert article.published == date(2024, 6, 25)
    assert article.published_source == "url"
    dated, _ = article_create(
        raw=" date 2024-06-20\n" + raw.replace("Macron", "Meloni"),
        source_url="https://example.org/2024/06/25/x",
    )
    assert (dated.published, dated.published_source) == (date(2024, 6, 20), "header")


@pytest.mark.django_db
def test_an_article_over_the_length_limit_is_refused_with_the_limit_named(settings):
    from articles.services import IngestError, article_create

    settings.STANCETRACKER_UPLOAD_LIMITS = {
        **settings.STANCETRACKER_UPLOAD_LIMITS,
        "max_article_chars": 1_000,
    }
    with pytest.raises(IngestError, match="the limit is 1,000"):
        article_create(raw="Long\n\n" + "Europe should talk to Russia. " * 100)
    assert not Article.objects.exists()


def test_a_file_that_runs_past_its_time_limit_fails_and_the_job_goes_on(settings):
    import time

    from articles import services

    settings.STANCETRACKER_INGEST_FILE_SECONDS = 1
    slow_text = "Slow report\n\nA text the parser takes forever over."
    real_parse = services.parse_article

    def parse(raw):
        if raw == slow_text:
            time.sleep(5)  # stands for a pathological input
        return real_parse(raw)

    job = _job_with([IncomingFile("slow.txt", slow_text), IncomingFile("good.txt", ARTICLE_TEXT)])
    started = time.monotonic()
    with mock.patch("articles.services.parse_article", side_effect=parse):
        ingest_job_run(job=job)
    assert time.monotonic() - started < 4
    slow, good = job.items.get(name="slow.txt"), job.items.get(name="good.txt")
    assert slow.status == IngestItem.Status.FAILED
    assert "longer than 1 seconds" in slow.error
    assert good.status == IngestItem.Status.CREATED
    assert Article.objects.count() == 1


def test_a_file_that_stopped_the_worker_twice_is_not_tried_again():
    job = _job_with([IncomingFile("poison.txt", ARTICLE_TEXT)])
    # two workers started on it and died before finishing (the count is all that is left)
    job.items.update(attempts=2)
    ingest_job_run(job=job)
    item = job.items.get()
    assert item.status == IngestItem.Status.FAILED
    assert "not tried again on its own" in item.error
    assert not Article.objects.exists()


def test_every_start_on_a_file_is_counted_and_a_retry_by_an_admin_starts_afresh():
    from articles.services import ingest_job_retry_failed

    job = _job_with([IncomingFile("good.txt", ARTICLE_TEXT)])
    job.items.update(attempts=2, status=IngestItem.Status.FAILED, error="gave up")
    assert ingest_job_retry_failed(job=job) == 1
    ingest_job_run(job=job)
    item = job.items.get()
    assert (item.status, item.attempts) == (IngestItem.Status.CREATED, 1)
