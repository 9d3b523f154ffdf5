"""An admin adds a feed on the Sources page and polls it now; its article arrives."""

from __future__ import annotations

import threading
from unittest import mock

import pytest
from django.db import connections

from actors.models import Stance
from articles.models import Article, Source
from tests.articles.sources.conftest import HTML, XML, LocalSite, article_page, rss
from tests.browser.conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SANCHEZ = [
    "Spanish Prime Minister Pedro Sánchez said that Europe should open talks with Russia, "
    "in an interview published on Tuesday.",
    "He argued that diplomacy had to start before the end of the war, not after it.",
]


def _in_a_thread(task):
    """Stands in for the worker: the task the page sends runs at once, beside the server."""

    def send(args, kwargs=None, **options):
        def run():
            try:
                task(*args, **(kwargs or {}))
            finally:
                connections.close_all()

        threading.Thread(target=run, daemon=True).start()

    return send


@pytest.fixture
def site():
    served = LocalSite()
    yield served
    served.close()


def test_an_admin_adds_a_feed_and_polls_it_now(page, live_server, admin_user_role, site, settings):
    from articles.sources.tasks import source_poll_task
    from articles.tasks import ingest_batch_task, ingest_job_run_task

    settings.STANCETRACKER_SOURCES = {**settings.STANCETRACKER_SOURCES, "host_delay": 0.0}
    site.route("/news/sanchez", article_page("Sánchez wants talks", SANCHEZ), headers=HTML)
    site.route(
        "/feed.xml",
        rss([{"title": "Sánchez wants talks", "link": f"{site.url}/news/sanchez"}]),
        headers=XML,
    )
    log_in(page, live_server, admin_user_role.username)
    page.click("nav >> text=Sources")
    page.fill("#id_name", "Iberian Wire")
    page.fill("#id_outlet", "Iberian Wire")
    page.fill("#id_url", site.url + "/feed.xml")
    page.fill("#id_interval_minutes", "30")
    page.click("#source-form button[type=submit]")
    page.wait_for_selector(".messages li")
    assert "Added “Iberian Wire”" in page.locator(".messages").inner_text()
    source = Source.objects.get()
    row = page.locator(f"#source-{source.pk}")
    assert "never" in row.inner_text()

    with (
        mock.patch.object(source_poll_task, "apply_async", _in_a_thread(source_poll_task)),
        mock.patch.object(ingest_job_run_task, "apply_async", _in_a_thread(ingest_job_run_task)),
        mock.patch.object(ingest_batch_task, "apply_async", _in_a_thread(ingest_batch_task)),
    ):
        row.get_by_role("button", name="Poll now").click()
        # the row refreshes itself until the poll and the ingestion are done
        page.wait_for_selector(
            f"#source-{source.pk} >> text=new articles 1 · duplicates 0 · failed 0",
            timeout=20_000,
        )
    assert "Polled: 1 page handed to ingestion, 0 failed." in row.inner_text()
    article = Article.objects.get(source_url=f"{site.url}/news/sanchez")
    assert Stance.objects.filter(article=article, status="proposed").exists()
    page.screenshot(path="var/screenshot-sources.png", full_page=True)
    row.get_by_role("link", name="new articles 1 · duplicates 0 · failed 0").click()
    page.wait_for_selector("#job-progress")
    assert "Sánchez wants talks" in page.locator("#job-progress").inner_text()
