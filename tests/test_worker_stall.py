"""A file that would stall the worker, with real worker processes: it fails on its time
limit and the worker goes on; a file that kills its worker is given up after its attempts
without taking the other files of its batch down with it."""

from __future__ import annotations

import signal

import pytest

from articles.models import Article, IngestItem, IngestJob
from articles.services import IncomingFile, ingest_job_create
from articles.tasks import ingest_job_start
from tests.workers import start_worker, stop_worker, wait_for

pytestmark = [
    pytest.mark.services,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SENTENCE = (
    "The foreign minister of Estonia said on Tuesday that talks with Russia about grain, gas "
    "and the border had stalled again, while officials in Brussels weighed new measures"
)


def _slow_file() -> IncomingFile:
    """A long article within the length limit: many seconds of parsing."""
    paragraphs = "\n\n".join(f"{SENTENCE} ({k})." for k in range(1000))
    return IncomingFile(name="slow.txt", raw=f"A very long report\n\n{paragraphs}")


def _good_file(n: int) -> IncomingFile:
    return IncomingFile(
        name=f"good-{n}.txt",
        raw=f"Short report {n}\n\nGreek Prime Minister Kyriakos Mitsotakis said Europe should "
        f"talk to Russia (report {n}).",
    )


@pytest.fixture
def workers():
    started = []

    def start(**env):
        started.append(start_worker(env={key: str(value) for key, value in env.items()}))
        return started[-1]

    yield start
    for process in started:
        stop_worker(process)


def _queued(files: list[IncomingFile]) -> IngestJob:
    job = ingest_job_create(kind=IngestJob.Kind.UPLOAD, files=files)
    ingest_job_start(job=job)
    return job


def _done(job: IngestJob):
    return lambda: IngestJob.objects.get(pk=job.pk).status == IngestJob.Status.DONE


def test_a_file_past_its_time_limit_fails_with_the_reason_and_the_worker_goes_on(workers):
    worker = workers(INGEST_FILE_SECONDS=2)
    job = _queued([_slow_file(), _good_file(1), _good_file(2)])
    wait_for(_done(job), worker=worker, seconds=240)

    slow = job.items.get(name="slow.txt")
    assert slow.status == IngestItem.Status.FAILED
    assert slow.error == "Processing took longer than 2 seconds, so it was stopped."
    assert set(job.items.exclude(pk=slow.pk).values_list("status", flat=True)) == {"created"}
    job.refresh_from_db()
    assert (job.articles_created, job.failures) == (2, 1)

    # the same worker takes the next job: it was not left stuck on the slow file
    later = _queued([_good_file(3)])
    wait_for(_done(later), worker=worker, seconds=120)
    assert Article.objects.count() == 3


def test_a_file_that_kills_its_worker_is_given_up_and_its_batch_mates_go_on(workers):
    limits = {"INGEST_FILE_SECONDS": 600, "INGEST_FILE_ATTEMPTS": 2}
    job = _queued([_slow_file(), _good_file(1)])
    slow = job.items.filter(name="slow.txt")

    # Two workers die while on the slow file (killed, as by the out-of-memory killer): the
    # first while parsing the batch, the second on the file alone.
    for attempts in (1, 2):
        worker = workers(**limits)
        wait_for(lambda n=attempts: slow.get().attempts >= n, worker=worker, seconds=180)
        worker.send_signal(signal.SIGKILL)
        worker.wait()
    assert slow.get().status == IngestItem.Status.PENDING

    third = workers(**limits)  # on start it queues the job's remaining files again
    wait_for(_done(job), worker=third, seconds=180)
    failed = slow.get()
    assert failed.status == IngestItem.Status.FAILED
    assert "stopped 2 times" in failed.error
    good = job.items.get(name="good-1.txt")
    assert good.status == "created", (good.status, good.error, good.attempts)
    assert (good.status, Article.objects.get().source_name) == ("created", "good-1.txt")
    job.refresh_from_db()
    assert (job.articles_created, job.failures) == (1, 1)
