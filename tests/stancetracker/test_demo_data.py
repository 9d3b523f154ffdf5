from __future__ import annotations

from collections import Counter
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from actors.models import Stance
from articles.models import Article
from articles.parsing import parse_article
from articles.services import article_create, content_hash
from stancetracker.demo_data import DEMO_URL_PREFIX, demo_data_generate, iter_demo_texts
from tests.conftest import ARTICLE_TEXT

pytestmark = pytest.mark.django_db


def _snapshot():
    articles = list(
        Article.objects.order_by("pk").values_list(
            "title", "body", "published", "published_source", "outlet", "content_hash"
        )
    )
    stances = list(
        Stance.objects.order_by("pk").values_list(
            "article__content_hash",
            "actor__name",
            "label",
            "stated_on",
            "stated_on_precision",
            "quote",
            "quote_start",
            "quote_end",
            "confidence",
            "status",
            "primary__quote_start",
            "primary__article__content_hash",
        )
    )
    return articles, stances


def test_the_command_makes_exactly_the_numbers_asked_for():
    out = StringIO()
    call_command("generate_demo_data", "--articles", "40", "--stances", "300", stdout=out)
    assert Article.objects.count() == 40
    assert Stance.objects.count() == 300
    assert "Generated 40 articles and 300 stances" in out.getvalue()


def test_the_same_seed_gives_the_same_data_and_another_seed_other_data():
    demo_data_generate(articles=30, stances=200, seed=7)
    first = _snapshot()
    summary = demo_data_generate(articles=30, stances=200, seed=7)
    assert summary.replaced_articles == 30
    assert _snapshot() == first
    demo_data_generate(articles=30, stances=200, seed=8)
    assert _snapshot() != first


def test_every_quote_is_the_text_of_its_article_at_its_offsets():
    demo_data_generate(articles=50, stances=400, seed=3)
    for stance in Stance.objects.select_related("article"):
        body = stance.article.body
        assert body[stance.quote_start : stance.quote_end] == stance.quote
        assert stance.actor.name in stance.quote
    for article in Article.objects.all():
        assert article.content_hash == content_hash(article.body)
        assert article.source_url.startswith(DEMO_URL_PREFIX)


def test_the_data_is_skewed_and_mixed_like_real_review_work():
    demo_data_generate(articles=200, stances=3000, seed=1)
    by_actor = Counter(Stance.objects.values_list("actor_id", flat=True))
    busiest = sum(count for _actor, count in by_actor.most_common(10))
    assert busiest > 0.35 * 3000  # ten actors out of some three hundred
    statuses = Counter(Stance.objects.values_list("status", flat=True))
    assert statuses["approved"] > statuses["proposed"] > 0 and statuses["rejected"] > 0
    assert {"day", "month", "unknown"} <= set(
        Stance.objects.values_list("stated_on_precision", flat=True)
    )
    years = {
        day.year
        for day in Article.objects.exclude(published=None).values_list("published", flat=True)
    }
    assert len(years) >= 5
    corroborations = Stance.objects.exclude(primary=None).select_related("primary")
    assert corroborations.exists()
    for stance in corroborations:
        assert stance.primary.status == stance.status == Stance.Status.APPROVED
        assert (stance.actor_id, stance.label) == (stance.primary.actor_id, stance.primary.label)
        assert stance.dates_agree(stance.primary)


def test_a_database_with_real_articles_is_refused_and_left_as_it_was():
    article, _created = article_create(raw=ARTICLE_TEXT, name="real.txt")
    with pytest.raises(CommandError, match="1 articles that are not demo data"):
        call_command("generate_demo_data", "--articles", "5", "--stances", "20")
    assert list(Article.objects.values_list("pk", flat=True)) == [article.pk]
    assert Stance.objects.count() == 0


def test_force_adds_demo_data_beside_real_articles_and_a_new_run_replaces_only_the_demo():
    article, _created = article_create(raw=ARTICLE_TEXT, name="real.txt")
    body = article.body
    call_command("generate_demo_data", "--articles", "5", "--stances", "20", "--force")
    call_command("generate_demo_data", "--articles", "8", "--stances", "30", "--force")
    assert Article.objects.count() == 9
    assert Stance.objects.filter(article__source_url__startswith=DEMO_URL_PREFIX).count() == 30
    article.refresh_from_db()
    assert article.body == body and not article.source_url.startswith(DEMO_URL_PREFIX)


def test_generated_ids_leave_the_sequences_ready_for_new_rows():
    demo_data_generate(articles=5, stances=20)
    article, created = article_create(raw=ARTICLE_TEXT, name="after.txt")
    assert created and article.pk > max(
        Article.objects.exclude(pk=article.pk).values_list("pk", flat=True)
    )


def test_upload_texts_read_back_as_their_title_date_and_body():
    names = set()
    for name, text in iter_demo_texts(count=20, seed=5):
        parsed = parse_article(text)
        assert parsed.published is not None and parsed.title and len(parsed.body) > 200
        names.add(name)
    assert len(names) == 20
