"""End to end: a real Celery worker process takes the ingestion task from the
broker (Redis in CI, the filesystem transport locally) and the proposals land
in the database (PostgreSQL in CI). Nothing here is skipped when a service is
missing: the test fails instead."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.db import connection

from actors.models import Stance
from articles.models import Article, IngestJob
from articles.services import seed_files, seeds_load
from tests.conftest import ROOT, SEEDS

pytestmark = [
    pytest.mark.services,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _database_url_of_test_database() -> str:
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{db['NAME']}"
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def worker():
    env = {**os.environ, "DATABASE_URL": _database_url_of_test_database()}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "stancetracker",
            "worker",
            "--pool=solo",
            "--loglevel=INFO",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    yield process
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


def test_a_real_worker_ingests_the_seeds_from_the_broker(worker):
    if os.environ.get("CI"):
        # In CI the suite must exercise the real services, not the embedded default.
        assert settings.CELERY_BROKER_URL.startswith("redis://")
        assert connection.vendor == "postgresql"

    job = seeds_load(folder=SEEDS)

    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.status == IngestJob.Status.DONE:
            break
        assert worker.poll() is None, worker.stdout.read()
        time.sleep(0.5)
    else:
        worker.terminate()
        pytest.fail(f"the worker did not finish the job in time:\n{worker.stdout.read()}")

    assert job.articles_created == len(seed_files(folder=SEEDS)) == Article.objects.count()
    assert job.failures == 0
    assert Stance.objects.filter(article__ingest_job=job, status="proposed").count() > 5
    assert job.stances_proposed == Stance.objects.count()
