"""A real worker with its beat takes a local feed to proposals in the review queue, on
schedule, once: the scheduler, the broker and the database are the real ones (the
embedded defaults locally, Redis and PostgreSQL in CI)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from actors.models import Stance
from articles.models import Article, IngestJob, Source, SourceEntry, SourcePoll
from articles.sources.services import source_create
from tests.articles.sources.conftest import HTML, XML, article_page, rss
from tests.workers import start_worker, stop_worker, wait_for

pytestmark = [
    pytest.mark.services,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SANCHEZ = [
    "Spanish Prime Minister Pedro Sánchez said that Europe should open talks with Russia, "
    "in an interview published on Tuesday.",
    "He argued that diplomacy had to start before the end of the war, not after it.",
]


@pytest.fixture
def worker_with_beat(tmp_path):
    process = start_worker(
        extra_args=("--beat", f"--schedule={tmp_path / 'beat-schedule'}"),
        env={"SOURCES_CHECK_INTERVAL": "1", "SOURCES_HOST_DELAY_SECONDS": "0"},
    )
    yield process
    stop_worker(process)


def test_beat_polls_a_feed_and_its_entry_becomes_one_article_with_proposals(site, worker_with_beat):
    site.route("/news/sanchez", article_page("Sánchez wants talks", SANCHEZ), headers=HTML)
    items = [{"title": "Sánchez wants talks", "link": f"{site.url}/news/sanchez"}]
    site.route("/feed.xml", rss(items), headers=XML)
    source = source_create(
        name="Iberian Wire",
        kind=Source.Kind.FEED,
        url=site.url + "/feed.xml",
        outlet="Iberian Wire",
        interval_minutes=5,
    )

    def proposed() -> bool:
        article = Article.objects.filter(source_url=f"{site.url}/news/sanchez").first()
        return bool(
            article
            and IngestJob.objects.filter(status="done", kind="source").exists()
            and Stance.objects.filter(article=article, status="proposed").exists()
        )

    wait_for(proposed, worker=worker_with_beat)
    article = Article.objects.get()
    assert (article.title, article.outlet) == ("Sánchez wants talks", "Iberian Wire")
    source.refresh_from_db()
    assert source.next_poll_at > timezone.now() + timezone.timedelta(minutes=4)

    # the next scheduled poll finds the entry known: nothing is fetched or created again
    Source.objects.filter(pk=source.pk).update(next_poll_at=timezone.now())
    wait_for(
        lambda: SourcePoll.objects.filter(source=source, finished_at__isnull=False).count() >= 2,
        worker=worker_with_beat,
    )
    assert Article.objects.count() == 1 and SourceEntry.objects.count() == 1
    assert site.paths().count("/news/sanchez") == 1
    assert SourcePoll.objects.filter(source=source).first().message == "No new entries."
