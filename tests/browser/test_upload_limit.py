"""The upload page says at once when the chosen files are more than one upload may hold."""

from __future__ import annotations

import pytest

from articles.models import IngestJob
from tests.browser.conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _file(name: str, size: int) -> dict:
    return {"name": name, "mimeType": "text/plain", "buffer": b"Talks with Russia. " * (size // 19)}


def test_files_over_the_total_are_named_and_not_sent(page, live_server, admin_user_role, settings):
    settings.UPLOAD_MAX_TOTAL_BYTES = 100_000
    log_in(page, live_server, admin_user_role.username)
    page.goto(f"{live_server.url}/articles/upload/")
    summary = page.locator("[data-drop-summary]")
    posts = []
    page.on(
        "request", lambda request: posts.append(request.url) if request.method == "POST" else None
    )

    page.set_input_files("input[type=file]", [_file("a.txt", 60_000), _file("b.txt", 60_000)])
    assert "more than the 0.1 MB one upload may hold" in summary.inner_text()
    page.click("#upload-form button[type=submit]")
    page.wait_for_timeout(500)
    assert posts == []  # the browser never sent it (the server would refuse it with a 413)
    assert IngestJob.objects.count() == 0

    page.set_input_files("input[type=file]", [_file("a.txt", 60_000)])
    assert summary.inner_text() == "1 file ready to upload."
    page.click("#upload-form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/articles/jobs/*/")
    assert IngestJob.objects.count() == 1
