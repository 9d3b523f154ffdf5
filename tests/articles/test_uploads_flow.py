"""Bulk upload from the admin's side: the page, the job report, faults."""

from __future__ import annotations

import io
import zipfile
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from kombu.exceptions import OperationalError as BrokerDown

from articles.models import Article, IngestItem, IngestJob
from articles.services import (
    ingest_item_process,
    ingest_job_retry_failed,
    ingest_job_run,
)
from articles.tasks import ingest_jobs_resume
from tests.conftest import ARTICLE_TEXT

pytestmark = pytest.mark.django_db

GOOD = (
    "Talks on the table\n\nBelgian Prime Minister Bart De Wever said Europe should talk to Russia."
)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40


def upload(client, *files, **fields):
    return client.post(reverse("articles:upload"), {"files": list(files), **fields})


def zipped(**members: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    return buffer.getvalue()


@pytest.fixture
def enqueued():
    with mock.patch("articles.tasks.ingest_job_run_task.apply_async") as apply_async:
        yield apply_async


def test_admin_uploads_files_and_every_bad_one_is_reported_with_a_reason(
    client, admin_user_role, enqueued, django_capture_on_commit_callbacks
):
    client.force_login(admin_user_role)
    csv_rows = "title,body,published\nRow one,Dutch leaders met.,2026-02-01\nRow two,,2026-02-02\n"
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(
            client,
            SimpleUploadedFile("good.txt", GOOD.encode()),
            SimpleUploadedFile("picture.txt", PNG),
            SimpleUploadedFile("rows.csv", csv_rows.encode()),
            SimpleUploadedFile("batch.zip", zipped(**{"a.txt": ARTICLE_TEXT, "../evil.txt": "x"})),
            published="2026-03-01",
            outlet="Example Times",
        )
    job = IngestJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == job.get_absolute_url()
    enqueued.assert_called_once_with((job.pk,), retry=False)
    failed = dict(job.items.filter(status="failed").values_list("name", "error"))
    assert "PNG" in failed["picture.txt"]
    assert "no body" in failed["rows.csv#row 3"]
    assert "outside it" in failed["batch.zip"]
    pending = job.items.get(name="good.txt")
    assert pending.status == IngestItem.Status.PENDING
    assert pending.outlet == "Example Times"
    assert str(pending.default_published) == "2026-03-01"

    ingest_job_run(job=job)
    job.refresh_from_db()
    assert job.status == IngestJob.Status.DONE
    assert job.articles_created == 2  # good.txt and the CSV's first row
    page = client.get(job.get_absolute_url()).content.decode()
    assert "It looks like a PNG image" in page or "PNG" in page
    assert "Row 3 has no body." in page


def test_a_duplicate_upload_is_linked_not_created_again(client, admin_user_role, enqueued):
    client.force_login(admin_user_role)
    upload(client, SimpleUploadedFile("first.txt", GOOD.encode()))
    ingest_job_run(job=IngestJob.objects.get())
    upload(client, SimpleUploadedFile("again.txt", GOOD.encode()))
    second = IngestJob.objects.order_by("-pk").first()
    ingest_job_run(job=second)
    item = second.items.get()
    assert item.status == IngestItem.Status.DUPLICATE
    assert Article.objects.count() == 1
    page = client.get(second.get_absolute_url()).content.decode()
    assert item.article.get_absolute_url() in page
    assert "already stored" in page


DATED_PAGE = b"""<html><head><title>Talks on the table | Example News</title>
<meta property="article:published_time" content="2026-01-14"></head><body><article>
<h1>Talks on the table</h1>
<p>Belgian Prime Minister Bart De Wever said Europe should talk to Russia.</p>
</article></body></html>"""


def test_an_uploaded_web_page_keeps_its_own_publication_date_and_says_where_it_was_found(
    client, admin_user_role, enqueued
):
    client.force_login(admin_user_role)
    upload(client, SimpleUploadedFile("page.html", DATED_PAGE), published="2026-03-01")
    ingest_job_run(job=IngestJob.objects.get())
    article = Article.objects.get()
    assert article.title == "Talks on the table"
    assert str(article.published) == "2026-01-14"
    assert article.published_source == Article.PublishedSource.HEADER


@pytest.mark.parametrize("role", ["analyst", "editor"])
def test_only_admins_upload(client, request, role):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("articles:upload")).status_code == 403
    response = upload(client, SimpleUploadedFile("good.txt", GOOD.encode()))
    assert response.status_code == 403
    assert IngestJob.objects.count() == 0


def test_upload_without_files_is_refused_with_a_message(client, admin_user_role):
    client.force_login(admin_user_role)
    response = client.post(reverse("articles:upload"), {})
    assert response.status_code == 400
    assert "This field is required" in response.content.decode()
    assert IngestJob.objects.count() == 0


def test_the_progress_region_is_served_alone_for_polling(client, admin_user_role, enqueued):
    client.force_login(admin_user_role)
    upload(client, SimpleUploadedFile("good.txt", GOOD.encode()))
    job = IngestJob.objects.get()
    response = client.get(
        job.get_absolute_url(), {"part": "progress"}, headers={"HX-Request": "true"}
    )
    fragment = response.content.decode()
    assert fragment.lstrip().startswith('<section id="job-progress"')
    assert 'hx-trigger="every 1s"' in fragment  # still queued: keeps polling
    ingest_job_run(job=job)
    fragment = client.get(
        job.get_absolute_url(), {"part": "progress"}, headers={"HX-Request": "true"}
    ).content.decode()
    assert "every 1s" not in fragment  # done: stops polling
    assert 'data-count="created">1<' in fragment


def test_with_the_broker_down_the_upload_is_stored_and_runs_when_it_is_back(
    client, admin_user_role, django_capture_on_commit_callbacks
):
    client.force_login(admin_user_role)
    with (
        mock.patch(
            "articles.tasks.ingest_job_run_task.apply_async", side_effect=BrokerDown("refused")
        ),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = upload(client, SimpleUploadedFile("good.txt", GOOD.encode()))
    job = IngestJob.objects.get()
    assert response.status_code == 302
    assert job.status == IngestJob.Status.QUEUED
    assert "not reachable" in job.message
    assert job.items.get().raw == GOOD
    assert "not reachable" in client.get(job.get_absolute_url()).content.decode()

    with mock.patch("articles.tasks.ingest_job_run_task.apply_async") as enqueue:
        assert ingest_jobs_resume() == [job.pk]
    enqueue.assert_called_once_with((job.pk,), retry=False)
    job.refresh_from_db()
    assert job.message == ""


def test_retry_queues_again_only_files_that_failed_while_processing(
    client, admin_user_role, enqueued
):
    client.force_login(admin_user_role)
    upload(
        client,
        SimpleUploadedFile("good.txt", GOOD.encode()),
        SimpleUploadedFile("picture.txt", PNG),
    )
    job = IngestJob.objects.get()
    with mock.patch("articles.services.article_extract", side_effect=RuntimeError("model down")):
        ingest_job_run(job=job)
    assert job.items.get(name="good.txt").error == "RuntimeError: model down"

    response = client.post(reverse("articles:job-retry", kwargs={"pk": job.pk}))
    assert response.status_code == 302
    assert job.items.get(name="good.txt").status == IngestItem.Status.PENDING
    assert job.items.get(name="picture.txt").status == IngestItem.Status.FAILED
    ingest_job_run(job=job)
    job.refresh_from_db()
    assert (job.status, job.articles_created, job.failures) == ("done", 1, 1)
    assert ingest_job_retry_failed(job=job) == 0


def test_an_item_is_processed_only_once_even_if_asked_twice(client, admin_user_role, enqueued):
    client.force_login(admin_user_role)
    upload(client, SimpleUploadedFile("good.txt", GOOD.encode()))
    item = IngestJob.objects.get().items.get()
    processed, _stances = ingest_item_process(item_id=item.pk)
    assert processed.status == IngestItem.Status.CREATED
    assert ingest_item_process(item_id=item.pk) is None
    item.refresh_from_db()
    assert item.status == IngestItem.Status.CREATED
    assert Article.objects.count() == 1


def test_job_list_shows_past_jobs(client, admin_user_role, enqueued):
    client.force_login(admin_user_role)
    upload(client, SimpleUploadedFile("good.txt", GOOD.encode()))
    job = IngestJob.objects.get()
    content = client.get(reverse("articles:jobs")).content.decode()
    assert job.get_absolute_url() in content


def test_one_empty_file_is_named_and_the_others_go_on(client, admin_user_role, enqueued):
    client.force_login(admin_user_role)
    response = upload(
        client,
        SimpleUploadedFile("empty.txt", b""),
        SimpleUploadedFile("good.txt", GOOD.encode()),
    )
    assert response.status_code == 302
    job = IngestJob.objects.get()
    items = {item.name: item for item in job.items.all()}
    assert items["empty.txt"].status == IngestItem.Status.FAILED
    assert "empty" in items["empty.txt"].error.lower()
    assert items["good.txt"].status == IngestItem.Status.PENDING


def test_more_files_than_the_limit_is_a_message_on_the_form(admin_user_role, settings):
    from django.test import Client

    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 2
    client = Client(enforce_csrf_checks=True)  # as a browser: the token is looked for first
    client.force_login(admin_user_role)
    client.get(reverse("articles:upload"))
    files = [SimpleUploadedFile(f"f{i}.txt", GOOD.encode()) for i in range(3)]
    response = upload(client, *files, csrfmiddlewaretoken=client.cookies["csrftoken"].value)
    assert response.status_code == 400
    assert "Too many files in one upload: at most 2" in response.content.decode()
    assert not IngestJob.objects.exists()


def test_the_job_page_tells_the_admin_about_replaced_bytes(client, admin_user_role, enqueued):
    client.force_login(admin_user_role)
    data = "Réunion à Bruxelles sur le dialogue avec la Russie.".encode() + b"\xfe"
    upload(client, SimpleUploadedFile("stray.txt", data))
    job = IngestJob.objects.get()
    page = client.get(job.get_absolute_url()).content.decode()
    assert "1 invalid byte replaced" in page


def test_a_job_page_links_to_exactly_its_proposals(client, admin_user_role):
    job = IngestJob.objects.create(kind=IngestJob.Kind.UPLOAD, stances_proposed=3)
    client.force_login(admin_user_role)
    page = client.get(job.get_absolute_url()).content.decode()
    assert f"/review/?job={job.pk}" in page and "Review the 3 stances" in page


def test_an_admin_cancels_a_job_and_no_worker_takes_its_waiting_files(
    client, admin_user_role, editor, enqueued
):
    from articles.services import ingest_job_run

    client.force_login(admin_user_role)
    upload(
        client,
        SimpleUploadedFile("a.txt", GOOD.encode()),
        SimpleUploadedFile("b.txt", GOOD.replace("Belgian", "Dutch").encode()),
    )
    job = IngestJob.objects.get()
    client.force_login(editor)
    assert client.post(reverse("articles:job-cancel", args=[job.pk])).status_code == 403
    client.force_login(admin_user_role)
    response = client.post(reverse("articles:job-cancel", args=[job.pk]), follow=True)
    assert "Cancelled: 2 files" in response.content.decode()
    ingest_job_run(job=job)  # a worker that had the job queued
    job.refresh_from_db()
    assert job.status == IngestJob.Status.DONE and job.failures == 2
    assert not Article.objects.exists()
    assert all("Cancelled by" in item.error for item in job.items.all())
