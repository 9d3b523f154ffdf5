"""Large uploads: refused whole from their declared size before the body is read, or
streamed through temporary files and read one file at a time."""

from __future__ import annotations

import io
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from articles.models import Article, IngestJob
from articles.uploads import UploadLimits, read_uploads
from tests.articles.test_uploads_flow import GOOD, upload

pytestmark = pytest.mark.django_db

MB = 1024 * 1024


@pytest.fixture
def enqueued():
    with mock.patch("articles.tasks.ingest_job_run_task.apply_async") as apply_async:
        yield apply_async


def _article_of(size: int, n: int) -> bytes:
    """A plain-text article of about ``size`` bytes, different for each ``n``."""
    line = f"Article {n}: Belgian Prime Minister Bart De Wever said Europe should talk to Russia.\n"
    return (f"Talks on the table, part {n}\n\n" + line * (size // len(line))).encode()


def test_an_upload_over_the_total_is_refused_unread_and_nothing_is_stored(
    client, admin_user_role, settings, django_capture_on_commit_callbacks
):
    settings.UPLOAD_MAX_TOTAL_BYTES = 1 * MB
    client.force_login(admin_user_role)
    files = [SimpleUploadedFile(f"a{n}.txt", _article_of(300 * 1024, n)) for n in range(4)]
    with (
        mock.patch(
            "django.http.request.MultiPartParser", side_effect=AssertionError("body was read")
        ),
        django_capture_on_commit_callbacks() as callbacks,
    ):
        response = upload(client, *files)
    assert response.status_code == 413
    page = response.content.decode()
    assert "more than the 1 MB one upload may hold: nothing was stored" in page
    assert IngestJob.objects.count() == 0
    assert Article.objects.count() == 0
    assert callbacks == []  # no work handed to the worker


def test_the_upload_page_names_the_total_limit(client, admin_user_role, settings):
    settings.UPLOAD_MAX_TOTAL_BYTES = 200 * MB
    client.force_login(admin_user_role)
    page = client.get(reverse("articles:upload")).content.decode()
    assert "At most 200 MB in one upload." in page
    assert f'data-max-total-bytes="{200 * MB}"' in page


def test_the_upload_still_needs_its_csrf_token(admin_user_role):
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_user_role)
    response = upload(client, SimpleUploadedFile("good.txt", GOOD.encode()))
    assert response.status_code == 403
    assert IngestJob.objects.count() == 0


def test_a_large_upload_within_the_limits_is_stored_whole(
    client, admin_user_role, settings, enqueued
):
    settings.STANCETRACKER_UPLOAD_LIMITS = {
        **settings.STANCETRACKER_UPLOAD_LIMITS,
        "max_article_chars": 5 * MB,
    }
    client.force_login(admin_user_role)
    contents = [_article_of(4 * MB, n) for n in range(6)]
    response = upload(
        client, *(SimpleUploadedFile(f"long-{n}.txt", data) for n, data in enumerate(contents))
    )
    assert response.status_code == 302
    job = IngestJob.objects.get()
    items = list(job.items.order_by("pk"))
    assert [item.name for item in items] == [f"long-{n}.txt" for n in range(6)]
    assert [len(item.raw) for item in items] == [len(data) for data in contents]


def test_many_files_near_the_file_limit_each_get_their_answer(client, admin_user_role, enqueued):
    """Twenty files of 4.9 MB (the drill of issue 11): too long as articles, so each is
    refused with its reason, the small one beside them is stored, and the request completes."""
    client.force_login(admin_user_role)
    big = [SimpleUploadedFile(f"big-{n}.txt", _article_of(int(4.9 * MB), n)) for n in range(20)]
    response = upload(client, *big, SimpleUploadedFile("good.txt", GOOD.encode()))
    assert response.status_code == 302
    job = IngestJob.objects.get()
    reasons = dict(job.items.values_list("name", "error"))
    assert len(reasons) == 21
    assert reasons["good.txt"] == ""
    assert all("too long" in reasons[f"big-{n}.txt"] for n in range(20))


class _Unreadable(io.BytesIO):
    def read(self, *args):
        raise AssertionError("an oversized file was read")


def test_a_file_over_the_size_limit_is_refused_without_being_read():
    oversized = _Unreadable(b"x" * 2000)
    result = read_uploads(
        [("big.txt", oversized), ("small.txt", io.BytesIO(b"A short article."))],
        limits=UploadLimits(max_file_bytes=1000),
    )
    assert [r.name for r in result.rejections] == ["big.txt"]
    assert "too large (2 KB, the limit is 1000 bytes)" in result.rejections[0].reason
    assert [a.raw for a in result.articles] == ["A short article."]
