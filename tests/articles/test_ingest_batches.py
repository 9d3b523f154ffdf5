"""The worker's unit of work is a batch of files parsed together; counters grow with each
file; a slow pass falls back to one file at a time; jobs are queued again only when no
worker will reach them."""

from __future__ import annotations

import threading
import time
from datetime import timedelta
from unittest import mock

import pytest
from django.db import connection, transaction
from django.utils import timezone

from actors.models import Stance
from articles.models import IngestItem, IngestJob
from articles.nlp.extractor import Extractor
from articles.services import (
    IncomingFile,
    ingest_item_process,
    ingest_job_batches,
    ingest_job_create,
    ingest_job_run,
)
from articles.tasks import ingest_job_run_task, ingest_jobs_resume

pytestmark = pytest.mark.django_db


def _file(n: int, *, extra: str = "") -> IncomingFile:
    return IncomingFile(
        name=f"report-{n}.txt",
        raw=f"Report {n}\n\nSpanish Prime Minister Pedro Sánchez said Europe should open talks "
        f"with Russia (report {n}).{extra}",
    )


def _job(files: list[IncomingFile]) -> IngestJob:
    return ingest_job_create(kind=IngestJob.Kind.UPLOAD, files=files)


def test_files_are_parsed_in_batches_and_the_counts_are_right(settings):
    settings.STANCETRACKER_INGEST_BATCH_FILES = 2
    job = _job([_file(n) for n in range(5)] + [_file(0)])  # the last one is a duplicate
    batches = ingest_job_batches(job=job)
    assert [len(batch) for batch in batches] == [2, 2, 2]

    real = Extractor.extract_many
    passes = []

    def extract_many(self, items, **kwargs):
        items = list(items)
        passes.append(len(items))
        return real(self, items, **kwargs)

    with mock.patch.object(Extractor, "extract_many", extract_many):
        ingest_job_run(job=job)
    assert passes == [2, 2, 1]  # the duplicate is not parsed again
    job.refresh_from_db()
    assert job.status == IngestJob.Status.DONE
    assert (job.articles_created, job.duplicates, job.failures) == (5, 1, 0)
    assert job.stances_proposed == Stance.objects.count() == 5


def test_files_a_worker_started_on_before_go_alone():
    job = _job([_file(n) for n in range(4)])
    first, second, *_ = job.items.all()
    first.attempts = 1
    first.save()
    assert ingest_job_batches(job=job, size=8) == [
        [pk for pk in job.items.values_list("pk", flat=True) if pk != first.pk],
        [first.pk],
    ]


def test_a_pass_past_its_time_limit_goes_file_by_file_and_only_the_slow_file_fails(settings):
    settings.STANCETRACKER_INGEST_FILE_SECONDS = 1
    real = Extractor.extract_many

    def extract_many(self, items, **kwargs):
        items = list(items)
        if any("stalls the parser" in text for text, _published in items):
            time.sleep(10)  # stands for a pathological input
        return real(self, items, **kwargs)

    job = _job([_file(1), _file(2, extra=" A sentence that stalls the parser."), _file(3)])
    started = time.monotonic()
    with mock.patch.object(Extractor, "extract_many", extract_many):
        ingest_job_run(job=job)
    assert time.monotonic() - started < 8  # the pass's 3 s, then the slow file's 1 s
    outcome = dict(job.items.values_list("name", "status"))
    assert outcome == {
        "report-1.txt": "created",
        "report-2.txt": "failed",
        "report-3.txt": "created",
    }
    slow = job.items.get(name="report-2.txt")
    assert slow.error == "Processing took longer than 1 seconds, so it was stopped."
    assert slow.attempts == 1  # the pass that ran out of time was no worker's death
    job.refresh_from_db()
    assert (job.articles_created, job.failures) == (2, 1)


def test_the_worker_is_handed_one_task_per_batch(settings):
    settings.STANCETRACKER_INGEST_BATCH_FILES = 3
    job = _job([_file(n) for n in range(7)])
    with mock.patch("articles.tasks.ingest_batch_task.apply_async") as send:
        ingest_job_run_task(job.pk)
    sent = [call.args[0] for call in send.call_args_list]
    assert [(job_id, len(ids)) for job_id, ids in sent] == [(job.pk, 3), (job.pk, 3), (job.pk, 1)]
    assert sorted(pk for _job_id, ids in sent for pk in ids) == sorted(
        job.items.values_list("pk", flat=True)
    )
    job.refresh_from_db()
    assert job.status == IngestJob.Status.RUNNING


def _aged(job: IngestJob, *, status: str, minutes: int) -> None:
    long_ago = timezone.now() - timedelta(minutes=minutes)
    IngestJob.objects.filter(pk=job.pk).update(
        status=status, created_at=long_ago, updated_at=long_ago
    )


def test_a_job_left_by_a_dead_worker_is_queued_again_only_once_no_job_progresses():
    left = _job([_file(1)])
    _aged(left, status=IngestJob.Status.RUNNING, minutes=10)
    busy = _job([_file(2)])
    _aged(busy, status=IngestJob.Status.RUNNING, minutes=0)
    with mock.patch("articles.tasks.ingest_job_run_task.apply_async") as send:
        # a worker is busy with another job: the batches behind it are waiting their turn
        assert ingest_jobs_resume() == []
        # a worker that starts may be replacing the dead one: it takes both at once
        assert sorted(ingest_jobs_resume(on_start=True)) == sorted([left.pk, busy.pk])
        _aged(busy, status=IngestJob.Status.RUNNING, minutes=5)
        assert sorted(ingest_jobs_resume()) == sorted([left.pk, busy.pk])
    assert send.call_count == 4


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_a_file_is_processed_while_another_process_holds_its_job():
    """Two worker processes on one job: each file's lock is its own, not its job's."""
    job = _job([_file(1), _file(2)])
    first, second = job.items.all()
    holding, release = threading.Event(), threading.Event()

    def other_process():
        # what another process does while it stores its file: its own row, the job's counters
        with transaction.atomic():
            IngestItem.objects.select_for_update().get(pk=first.pk)
            IngestJob.objects.filter(pk=job.pk).update(updated_at=timezone.now())
            holding.set()
            release.wait(30)
        connection.close()

    thread = threading.Thread(target=other_process)
    thread.start()
    try:
        assert holding.wait(30)
        processed = ingest_item_process(item_id=second.pk)
    finally:
        release.set()
        thread.join()
    assert processed is not None, "skipped as if another worker had it"
    assert processed[0].status == IngestItem.Status.CREATED
