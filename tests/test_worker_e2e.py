"""End to end with real worker processes: the ingestion task goes through the
broker (Redis in CI, the filesystem transport locally) and the results land in
the database (PostgreSQL in CI). Nothing here is skipped when a service is
missing: the tests fail instead."""

from __future__ import annotations

import os
import signal

import pytest
from django.conf import settings
from django.db import connection

from actors.models import Stance
from articles.models import Article, IngestItem, IngestJob
from articles.services import IncomingFile, ingest_job_create, seed_files, seeds_load
from articles.tasks import ingest_job_start
from tests.conftest import SEEDS
from tests.workers import start_worker, stop_worker, wait_for

pytestmark = [
    pytest.mark.services,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def workers():
    started = []
    yield lambda: started.append(start_worker()) or started[-1]
    for process in started:
        stop_worker(process)


def test_a_real_worker_ingests_the_seeds_from_the_broker(workers):
    if os.environ.get("CI"):
        # In CI the suite must exercise the real services, not the embedded default.
        assert settings.CELERY_BROKER_URL.startswith("redis://")
        assert connection.vendor == "postgresql"
    worker = workers()
    job = seeds_load(folder=SEEDS)
    ingest_job_start(job=job)

    wait_for(lambda: IngestJob.objects.get(pk=job.pk).status == "done", worker=worker)
    job.refresh_from_db()
    assert job.articles_created == len(seed_files(folder=SEEDS)) == Article.objects.count()
    assert job.failures == 0
    assert Stance.objects.filter(article__ingest_job=job, status="proposed").count() > 5
    assert job.stances_proposed == Stance.objects.count()


def _long_article(n: int) -> IncomingFile:
    filler = " ".join(
        f"Paragraph {n}-{k}: ministers discussed grain, energy prices and rail links at length."
        for k in range(120)
    )
    text = (
        f"Report number {n}\n\nSpanish Prime Minister Pedro Sánchez said that Europe should "
        f"open talks with Russia (report {n}).\n\n{filler}"
    )
    return IncomingFile(name=f"report-{n:02d}.txt", raw=text)


def test_a_worker_killed_mid_job_loses_and_doubles_nothing(workers):
    files = [_long_article(n) for n in range(24)]
    first = workers()
    job = ingest_job_create(kind=IngestJob.Kind.UPLOAD, files=files)
    ingest_job_start(job=job)

    processed = IngestItem.objects.filter(job=job).exclude(status="pending")
    wait_for(lambda: processed.count() >= 3, worker=first)
    first.send_signal(signal.SIGKILL)
    first.wait()
    assert processed.count() < len(files), "the job finished before the kill; make it longer"

    second = workers()  # on start it resumes jobs that have pending files
    wait_for(lambda: IngestJob.objects.get(pk=job.pk).status == "done", worker=second)

    job.refresh_from_db()
    items = IngestItem.objects.filter(job=job)
    outcomes = sorted(set(items.values_list("status", "error")))
    assert items.filter(status="created").count() == len(files), outcomes
    assert job.articles_created == len(files) == Article.objects.count()
    assert job.duplicates == job.failures == 0
    for article in Article.objects.all():
        assert article.stances.count() == 1  # Sánchez, once: nothing doubled


def test_two_workers_share_one_upload_and_each_file_is_processed_once(workers, settings):
    files = [_long_article(n) for n in range(24)]
    one, two = workers(), workers()
    job = ingest_job_create(kind=IngestJob.Kind.UPLOAD, files=files)
    ingest_job_start(job=job)  # three batches of eight, one task each

    wait_for(lambda: IngestJob.objects.get(pk=job.pk).status == "done", worker=one)
    job.refresh_from_db()
    assert (job.articles_created, job.duplicates, job.failures) == (len(files), 0, 0)
    assert job.stances_proposed == Stance.objects.count() == len(files)
    assert set(job.items.values_list("status", flat=True)) == {"created"}
    assert two.poll() is None


STORE_WITH_BROKER_DOWN = """
from articles.services import IncomingFile, ingest_job_create
from articles.tasks import ingest_job_start
job = ingest_job_create(kind="upload", files=[IncomingFile("late.txt", {text!r})])
ingest_job_start(job=job)
print(job.pk)
"""


def test_an_upload_made_while_the_broker_is_down_runs_once_it_is_back(workers):
    import subprocess
    import sys

    from tests.conftest import ROOT
    from tests.workers import database_url_of_test_database

    text = (
        "Late news\n\nGreek Prime Minister Kyriakos Mitsotakis said Europe should talk to Russia."
    )
    # A web process whose broker is unreachable (nothing listens on port 9).
    stored = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", STORE_WITH_BROKER_DOWN.format(text=text)],
        cwd=ROOT,
        env={
            **os.environ,
            "DATABASE_URL": database_url_of_test_database(),
            "REDIS_URL": "redis://127.0.0.1:9/0",
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    job = IngestJob.objects.get(pk=int(stored.stdout.split()[-1]))
    assert job.status == IngestJob.Status.QUEUED
    assert "not reachable" in job.message
    assert job.items.get().raw == text

    # The broker is back: a worker starts and picks the waiting job up.
    worker = workers()
    wait_for(lambda: IngestJob.objects.get(pk=job.pk).status == "done", worker=worker)
    job.refresh_from_db()
    assert (job.articles_created, job.message) == (1, "")
