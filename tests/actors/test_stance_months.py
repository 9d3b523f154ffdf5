"""The monthly table of approved statements (``StanceMonth``) stays exact on every write path,
and the pages it serves show what the stances themselves give."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.db.models import F
from django.urls import reverse

from actors import views
from actors.analysis.selectors import (
    StanceFilters,
    europe_overview,
    europe_overview_from_stances,
    stance_changes,
    undated_stances,
)
from actors.models import Actor, Stance, StanceMonth, Topic
from actors.monthly import stance_months_rebuild
from actors.review.services import (
    stance_approve,
    stance_edit,
    stance_reject,
    stance_relabel,
    stance_split,
    stance_undo,
    stances_bulk_review,
    stances_merge,
)
from actors.selectors import statements_count
from actors.services import ReviewError, actor_merge
from articles.models import Article
from tests.factories import EVIDENCE, ActorFactory, ArticleFactory, CountryFactory, StanceFactory

pytestmark = pytest.mark.django_db

LABELS = [value for value, _ in Stance.Label.choices]


def dated(published: date | None) -> Article:
    """An article published that day, or of no known date."""
    if published is None:
        return ArticleFactory(published=None, published_source=Article.PublishedSource.NONE)
    return ArticleFactory(published=published)


def precision(day: date | None) -> str:
    return Stance.Precision.DAY if day is not None else Stance.Precision.UNKNOWN


def make_stance(**values) -> Stance:
    """A stance whose date precision goes with its date."""
    if "stated_on" in values:
        values["stated_on_precision"] = precision(values["stated_on"])
    return StanceFactory(**values)


def recount() -> dict[tuple, tuple]:
    """The table as it should be, counted here in Python from the stances: per (actor,
    topic, label, month) the number of approved statements and the newest one (newest date,
    then newest article, undated articles oldest, then highest id)."""
    cells: dict[tuple, list] = {}
    statements = Stance.objects.filter(
        status=Stance.Status.APPROVED, primary__isnull=True
    ).values_list("pk", "actor_id", "topic_id", "label", "stated_on", "article__published")
    for pk, actor, topic, label, stated_on, published in statements:
        month = (stated_on or date.min).replace(day=1)
        rank = (stated_on or date.min, published is not None, published or date.min, pk)
        cell = cells.setdefault((actor, topic, label, month), [0, None])
        cell[0] += 1
        if cell[1] is None or rank > cell[1][0]:
            cell[1] = (rank, pk, stated_on, published)
    return {key: (n, latest[1], latest[2], latest[3]) for key, (n, latest) in cells.items()}


def table() -> dict[tuple, tuple]:
    rows = StanceMonth.objects.filter(stances__gt=0).values_list(
        "actor_id",
        "topic_id",
        "label",
        "month",
        "stances",
        "latest_id",
        "latest_on",
        "latest_published",
    )
    return {tuple(row[:4]): tuple(row[4:]) for row in rows}


def assert_exact(step: str = "") -> None:
    assert table() == recount(), step
    # cells that lost their statements say so
    assert not StanceMonth.objects.filter(stances=0, latest__isnull=False).exists(), step


def test_the_table_follows_a_random_series_of_writes_through_every_path(editor):
    rng = random.Random(14)
    other_topic = Topic.objects.create(name="Sanctions", slug="sanctions")
    topics = [Topic.objects.get(slug=Topic.DEFAULT_SLUG), other_topic]
    actors = [ActorFactory() for _ in range(4)]
    days = [date(2025, 1, 30), date(2025, 1, 31), date(2025, 2, 1), date(2025, 3, 15), None]
    articles = [dated(rng.choice([*days[:4], None])) for _ in range(6)]

    spans = Counter()

    def new_stance(**values) -> Stance:
        article = rng.choice(articles)
        # a quote of its own in the article: one stance per evidence, actor and topic
        spans[article.pk] += 1
        start = article.body.index(EVIDENCE) + spans[article.pk]
        return make_stance(
            article=article,
            actor=rng.choice(actors),
            topic=rng.choice(topics),
            label=rng.choice(LABELS),
            stated_on=rng.choice(days),
            quote_start=start,
            quote_end=start + 12,
            **values,
        )

    for _ in range(12):
        new_stance(status=rng.choice(["approved", "proposed", "rejected"]))
    assert_exact("created")

    def pick(**where) -> Stance | None:
        found = list(Stance.objects.filter(**where).order_by("pk"))
        return rng.choice(found) if found else None

    def approve():
        if stance := pick(status="proposed"):
            stance_approve(stance=stance, editor=editor)

    def reject():
        if stance := pick(status="approved"):
            stance_reject(stance=stance, editor=editor)

    def relabel():
        if stance := pick():
            label = rng.choice([label for label in LABELS if label != stance.label])
            stance_relabel(stance=stance, editor=editor, label=label)

    def edit():
        if stance := pick():
            day = rng.choice(days)
            stance_edit(
                stance=stance,
                editor=editor,
                label=rng.choice(LABELS),
                actor=rng.choice(actors),
                topic=rng.choice(topics),
                stated_on=day,
                precision=precision(day),
                quote=stance.quote,
            )

    def bulk():
        chosen = list(Stance.objects.filter(status="proposed").order_by("?")[:3])
        status = rng.choice([Stance.Status.APPROVED, Stance.Status.REJECTED])
        stances_bulk_review(stances=chosen, editor=editor, status=status)

    def merge_reports():
        primary = pick(status="approved", primary__isnull=True)
        if primary:
            other = pick(status="approved", actor=primary.actor, primary__isnull=True)
            if other and other.pk != primary.pk:
                stances_merge(primary=primary, others=[other], editor=editor)

    def split():
        if stance := pick(primary__isnull=False):
            stance_split(stance=stance, editor=editor)

    def undo():
        # after an actor merge the desk refuses to hand a stance back to the actor merged away
        if stance := pick(pk__in=Stance.history.filter(history_user=editor).values("id")):
            stance_undo(stance=stance, editor=editor)

    def merge_actors():
        if len(actors) > 2:
            remove = actors.pop(rng.randrange(len(actors)))
            actor_merge(keep=rng.choice(actors), remove=remove, editor=editor)

    def delete_stance():
        if stance := pick():
            stance.delete()

    def delete_article():
        if len(articles) > 3:
            articles.pop(rng.randrange(len(articles))).delete()

    def move_article_date():
        article = rng.choice(articles)
        article.published = rng.choice([*days[:4], None])
        article.published_source = (
            Article.PublishedSource.NONE
            if article.published is None
            else Article.PublishedSource.HEADER
        )
        article.save(update_fields=["published", "published_source"])

    def queryset_update():
        # a write that bypasses save(): the triggers see it all the same
        chosen = [s.pk for s in Stance.objects.order_by("?")[:4]]
        day = rng.choice(days)
        Stance.objects.filter(pk__in=chosen).update(
            label=rng.choice(LABELS), stated_on=day, stated_on_precision=precision(day)
        )

    def add():
        new_stance(status=rng.choice(["approved", "proposed"]))

    writes = [
        approve,
        reject,
        relabel,
        edit,
        bulk,
        merge_reports,
        split,
        undo,
        merge_actors,
        delete_stance,
        delete_article,
        move_article_date,
        queryset_update,
        add,
        add,
    ]
    done = Counter()
    for step in range(90):
        write = rng.choice(writes)
        try:
            write()
        except ReviewError:
            continue  # a write the desk refuses changes nothing
        done[write.__name__] += 1
        assert_exact(f"step {step}: {write.__name__}")
    assert len(done) == len(writes) - 1  # every path was taken ("add" twice in the list)
    assert table(), "the series ends with statements in the table"


def test_the_rebuild_command_recounts_a_table_written_around_it(editor):
    StanceFactory.create_batch(3)
    make_stance(stated_on=None)
    expected = table()
    assert expected == recount()
    StanceMonth.objects.update(stances=F("stances") + 5)
    StanceMonth.objects.filter(pk=StanceMonth.objects.order_by("pk").first().pk).delete()
    assert table() != expected
    call_command("rebuild_stance_months", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert table() == expected
    assert stance_months_rebuild() == len(expected)


def test_country_and_actor_pages_count_their_statements_from_the_table(
    client, analyst, monkeypatch
):
    country = CountryFactory(code="XT", name="Testland")
    actor = ActorFactory(country=country)
    approved = StanceFactory.create_batch(3, actor=actor)
    make_stance(actor=actor, stated_on=None)
    make_stance(actor=actor, proposed=True)
    stances_merge(primary=approved[0], others=[approved[1]], editor=analyst)
    assert statements_count(country=country) == 3  # one merged report, no proposal
    assert statements_count(actor=actor) == 3
    monkeypatch.setattr(views, "TIMELINE_PAGE_SIZE", 1)
    client.force_login(analyst)
    for url in (
        reverse("actors:country", kwargs={"code": "XT"}),
        reverse("actors:actor", kwargs={"slug": actor.slug}),
    ):
        assert "Page 1 of 3" in client.get(url).content.decode()


def _overviews_equal(filters: StanceFilters) -> None:
    table_backed = europe_overview(filters=filters)
    direct = europe_overview_from_stances(filters=filters)
    assert table_backed == direct, filters
    return table_backed


def test_the_map_from_the_table_is_the_map_from_the_stances():
    rng = random.Random(3)
    countries = [CountryFactory(code=f"M{n}", name=f"Mapland {n}") for n in range(3)]
    actors = [ActorFactory(country=rng.choice(countries)) for _ in range(6)]
    actors.append(ActorFactory(country=None))
    topic = Topic.objects.create(name="Gas", slug="gas")
    start = date(2024, 11, 1)
    for _ in range(120):
        day = start + timedelta(days=rng.randrange(150))
        make_stance(
            actor=rng.choice(actors),
            label=rng.choice(LABELS),
            stated_on=rng.choice([day, day, day, None]),
            article=dated(rng.choice([day, day + timedelta(days=1), None])),
            status=rng.choice(["approved", "approved", "proposed", "rejected"]),
            topic=rng.choice([topic, Topic.objects.get(slug=Topic.DEFAULT_SLUG)]),
        )
    whole = _overviews_equal(StanceFilters())
    assert len(whole.months) >= 4 and len(whole.rows) == 3
    for filters in (
        StanceFilters(topic=topic),
        StanceFilters(labels=("oppose", "neutral")),
        StanceFilters(date_from=date(2024, 12, 10)),
        StanceFilters(date_to=date(2025, 2, 13)),
        StanceFilters(date_to=date(2025, 1, 31)),
        StanceFilters(date_from=date(2024, 12, 10), date_to=date(2025, 2, 13)),
        StanceFilters(date_from=date(2025, 1, 5), date_to=date(2025, 1, 20), topic=topic),
    ):
        _overviews_equal(filters)


def _changes_oracle(*, date_from, date_to, topic=None, labels=()):
    """What changed, straight from the definition, over every stance in Python."""
    history = [
        s
        for s in Stance.objects.filter(status="approved", primary__isnull=True)
        .exclude(stated_on=None)
        .select_related("article")
        if s.stated_on <= date_to
        and (topic is None or s.topic_id == topic.pk)
        and (not labels or s.label in labels)
    ]

    def newest(s):
        published = s.article.published
        return (s.stated_on, published is not None, published or date.min, s.pk)

    def oldest(s):
        published = s.article.published
        return (s.stated_on, published is None, published or date.min, s.pk)

    changed, new = [], []
    for actor in {s.actor_id for s in history}:
        own = [s for s in history if s.actor_id == actor]
        latest = max(own, key=newest)
        if latest.stated_on < date_from:
            continue
        earlier = [s for s in own if s.stated_on < latest.stated_on]
        previous = max(earlier, key=newest) if earlier else None
        first = min(own, key=oldest)
        if previous is not None and previous.label != latest.label:
            changed.append((newest(latest), latest.pk, previous.pk))
        if first.stated_on >= date_from:
            new.append((newest(latest), latest.pk, first.pk))
    return (
        [row[1:] for row in sorted(changed, reverse=True)],
        [row[1:] for row in sorted(new, reverse=True)],
    )


def test_what_changed_from_the_table_is_what_the_stances_say():
    rng = random.Random(5)
    actors = [ActorFactory() for _ in range(8)]
    topic = Topic.objects.create(name="Gas", slug="gas")
    start = date(2024, 6, 1)
    for _ in range(150):
        day = start + timedelta(days=rng.randrange(300))
        make_stance(
            actor=rng.choice(actors),
            label=rng.choice(LABELS),
            stated_on=rng.choice([day, day, day, None]),
            article=dated(rng.choice([day, day, None])),
            status=rng.choice(["approved", "approved", "proposed"]),
            topic=rng.choice([topic, Topic.objects.get(slug=Topic.DEFAULT_SLUG)]),
        )
    periods = [
        (date(2025, 1, 15), date(2025, 3, 20)),
        (date(2024, 6, 1), date(2025, 4, 30)),
        (date(2025, 3, 1), date(2025, 3, 31)),
    ]
    seen_changes = 0
    for date_from, date_to in periods:
        for topic_filter, labels in ((None, ()), (topic, ()), (None, ("support", "oppose"))):
            result = stance_changes(
                date_from=date_from,
                date_to=date_to,
                filters=StanceFilters(topic=topic_filter, labels=labels),
            )
            changed, new = _changes_oracle(
                date_from=date_from, date_to=date_to, topic=topic_filter, labels=labels
            )
            assert [(c.latest_id, c.previous_id) for c in result.changed] == changed
            assert [(c.latest_id, c.first_id) for c in result.new] == new
            seen_changes += len(changed)
    assert seen_changes, "the data has changes to find"


def test_the_count_of_undated_stances_comes_from_the_table():
    actor = ActorFactory()
    for _ in range(53):
        make_stance(actor=actor, stated_on=None)
    make_stance(actor=actor, stated_on=None, proposed=True)
    undated = undated_stances(filters=StanceFilters())
    assert undated.count == 53 and len(undated.stances) == 50
    assert undated_stances(filters=StanceFilters(labels=("oppose",))).count == 0


@pytest.mark.parametrize(
    "url",
    [
        ("analysis:europe", {}),
        ("analysis:changes", {}),
        ("actors:country", {"code": "PL"}),
        ("actors:actor", None),
    ],
)
def test_table_backed_pages_cost_the_same_queries_at_two_sizes(client, analyst, query_count, url):
    name, kwargs = url
    actor = Actor.objects.filter(country__code="PL").order_by("pk").first()
    kwargs = {"slug": actor.slug} if kwargs is None else kwargs

    def some(n):
        for i in range(n):
            make_stance(
                actor=actor if i % 2 else ActorFactory(),
                label=LABELS[i % 4],
                stated_on=date(2025, 1, 1) + timedelta(days=7 * i),
            )

    some(4)
    client.force_login(analyst)
    small = query_count(reverse(name, kwargs=kwargs), budget=15)
    some(40)
    assert query_count(reverse(name, kwargs=kwargs), budget=15) == small


def test_demo_data_leaves_the_table_exact():
    from stancetracker.demo_data import demo_data_generate

    demo_data_generate(articles=30, stances=200, seed=4)
    assert_exact("generated")
    demo_data_generate(articles=20, stances=120, seed=5)  # replacing the first
    assert_exact("replaced")
    assert (
        sum(n for n, *_ in table().values())
        == Stance.objects.filter(status="approved", primary__isnull=True).count()
    )


def test_cells_left_at_zero_mislead_no_page(client, analyst, editor):
    """A cell whose statements all left it stays, at 0 and with no latest stance, until the
    table is counted again: the map, what changed and the statement counts read past it.
    (On PostgreSQL such a cell's empty date would sort first among a month's cells, newest
    first, and give the map its label.)"""
    country = CountryFactory(code="XZ", name="Zeroland")
    kept, rejected, relabelled = (ActorFactory(country=country) for _ in range(3))
    make_stance(actor=kept, label="support", stated_on=date(2025, 2, 10))
    stance_reject(
        stance=make_stance(actor=rejected, label="oppose", stated_on=date(2025, 2, 20)),
        editor=editor,
    )
    # an actor whose one stance of the period was rejected
    stance_reject(
        stance=make_stance(actor=rejected, label="oppose", stated_on=date(2025, 3, 5)),
        editor=editor,
    )
    stance_relabel(
        stance=make_stance(actor=relabelled, label="oppose", stated_on=date(2025, 4, 2)),
        editor=editor,
        label="support",
    )
    empty = StanceMonth.objects.filter(stances=0, actor__in=[rejected, relabelled])
    assert sorted(empty.values_list("label", "month")) == [
        ("oppose", date(2025, 2, 1)),
        ("oppose", date(2025, 3, 1)),
        ("oppose", date(2025, 4, 1)),
    ]
    assert not empty.exclude(latest=None).exists()

    overview = _overviews_equal(StanceFilters())
    (row,) = [row for row in overview.rows if row.code == "XZ"]
    assert row.cells == {"2025-02": "support", "2025-04": "support"}
    assert "2025-03" not in overview.months

    for date_from, date_to in (
        (date(2025, 2, 15), date(2025, 3, 31)),
        (date(2025, 1, 1), date(2025, 12, 31)),
    ):
        found = stance_changes(date_from=date_from, date_to=date_to, filters=StanceFilters())
        listed = {ref.actor_id for ref in (*found.changed, *found.new)}
        assert rejected.pk not in listed
    assert statements_count(country=country) == 2
    assert statements_count(actor=rejected) == 0

    client.force_login(analyst)
    page = client.get(reverse("analysis:changes"), {"from": "2025-02-15", "to": "2025-03-31"})
    assert rejected.slug not in page.content.decode()
    assert "0 actors" in page.content.decode()
