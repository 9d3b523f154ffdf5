"""Synthetic, deterministic demo data at any size: articles with bodies and the stances read
from them, for trying the pages on a realistic volume and for the benchmark (`make bench`).

Demo articles are told apart by their source URL, on a reserved host (``.invalid`` never
resolves), so that they can be replaced by a new run without touching anything else.
Every quote is a sentence of its article's body, at the offsets the stance records.
"""

from __future__ import annotations

import bisect
import math
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone

from actors.models import Actor, Stance
from actors.monthly import stance_month_triggers_paused
from actors.selectors import default_topic
from articles.models import Article, IngestItem
from articles.services import content_hash

DEMO_HOST = "demo.stancetracker.invalid"
DEMO_URL_PREFIX = f"https://{DEMO_HOST}/"
DEMO_EDITOR = "demo-editor"
EXTRACTOR_VERSION = "demo-data"

# Ten years of news, and more of it in recent years (density grows linearly).
FIRST_DAY = date(2016, 1, 1)
LAST_DAY = date(2025, 12, 31)

# How often each case occurs, as cumulative thresholds over one random draw.
UNDATED_ARTICLES = 0.02
STATUS_SHARES = (("approved", 0.83), ("proposed", 0.10), ("rejected", 0.07))
FLAGGED_SHARE_OF_PROPOSED = 0.03
PRECISION_SHARES = (("day", 0.80), ("month", 0.12), ("unknown", 0.08))
CORROBORATED = 0.05  # a report of a statement another article reported in the last fortnight
ON_MESSAGE = 0.75  # an actor's label is the one it holds at that time, otherwise any
ZIPF_EXPONENT = 1.0  # a few actors hold most stances

OUTLETS = (
    ("Reuters", 9),
    ("Associated Press", 7),
    ("AFP", 7),
    ("BBC News", 6),
    ("Politico Europe", 6),
    ("The Guardian", 5),
    ("Euronews", 5),
    ("Deutsche Welle", 5),
    ("Le Monde", 4),
    ("Der Spiegel", 4),
    ("Financial Times", 4),
    ("EUobserver", 3),
    ("Kyiv Independent", 3),
    ("Meduza", 3),
    ("TASS", 3),
    ("RIA Novosti", 2),
    ("Corriere della Sera", 2),
    ("El País", 2),
    ("Gazeta Wyborcza", 2),
    ("Yle", 1),
    ("ERR News", 1),
    ("LRT", 1),
    ("Kathimerini", 1),
    ("Irish Times", 1),
)

STATEMENTS = {
    "support": (
        "{actor} said Europe should reopen direct talks with Moscow.",
        "{actor} called for a new channel of dialogue between the European Union and Russia.",
        "{actor} argued that Europe cannot stay silent while others negotiate with the Kremlin.",
        "{actor} said it was time for European leaders to speak with Vladimir Putin again.",
        "{actor} urged the bloc to appoint an envoy for talks with Russia.",
        "{actor} said dialogue with Moscow was the only way to end the war.",
    ),
    "oppose": (
        "{actor} rejected any talks with Moscow while the invasion goes on.",
        "{actor} said there could be no dialogue with the Kremlin for now.",
        "{actor} warned that reopening talks with Russia would reward aggression.",
        "{actor} dismissed calls for a European channel to Moscow as naive.",
        "{actor} said Europe must not negotiate with Russia over the heads of Ukrainians.",
        "{actor} insisted that sanctions, not talks, were the answer to Moscow.",
    ),
    "conditional": (
        "{actor} said talks with Russia could come once a ceasefire holds.",
        "{actor} said Europe would talk to Moscow only with Kyiv at the table.",
        "{actor} said dialogue with Russia was possible if its troops withdraw first.",
        "{actor} said a channel to the Kremlin should open only after a verified truce.",
        "{actor} said any contact with Moscow must be agreed with Ukraine in advance.",
    ),
    "neutral": (
        "{actor} said the question of talks with Russia would be discussed at the next summit.",
        "{actor} declined to say whether Europe should open talks with Moscow.",
        "{actor} said the government was studying the proposals for dialogue with Russia.",
        "{actor} noted that several capitals had raised the idea of talks with the Kremlin.",
        "{actor} said it was too early to judge the calls for a dialogue with Moscow.",
    ),
}

HEADLINES = {
    "support": (
        "{actor} calls for talks with Moscow",
        "{actor} backs a European channel to Russia",
    ),
    "oppose": ("{actor} rules out talks with the Kremlin", "{actor} rejects dialogue with Russia"),
    "conditional": (
        "{actor} sets conditions for talks with Russia",
        "{actor} open to talks, on terms",
    ),
    "neutral": ("{actor} weighs the case for dialogue", "Talks with Russia on {actor}'s agenda"),
}

LEADS = (
    "European leaders are divided over whether to open a direct line to Moscow.",
    "The debate over a European role in talks with Russia returned to {place} this week.",
    "Diplomats in {place} met on {weekday} to discuss the next round of sanctions.",
    "The question of talks with the Kremlin dominated a meeting of ministers in {place}.",
    "Officials in {place} said a decision on the next steps would follow within weeks.",
    "A new proposal for a ceasefire has revived the argument over dialogue with Russia.",
)

FILLERS = (
    "The remarks came after a meeting of foreign ministers in {place}.",
    "Officials said {n} delegations attended the talks on {weekday}.",
    "The European Commission did not comment on the proposal.",
    "Energy prices and the cost of sanctions were also on the agenda.",
    "Several governments have asked for a common European position before any talks.",
    "Kyiv has repeatedly said that nothing about Ukraine can be decided without Ukraine.",
    "The Kremlin said it had received no formal request for talks.",
    "The statement followed a phone call that lasted about {n} minutes.",
    "Opposition parties in {place} criticised the timing of the announcement.",
    "Analysts said the move reflected growing pressure from voters over the cost of the war.",
    "A spokesperson said further consultations were planned for {month}.",
    "The proposal will be discussed again at the European Council in {month}.",
    "Diplomats described the exchange as frank but inconclusive.",
    "Ukraine's foreign ministry said it had been informed in advance.",
)

PLACES = (
    "Brussels",
    "Berlin",
    "Paris",
    "Rome",
    "Warsaw",
    "Vienna",
    "Budapest",
    "Helsinki",
    "Riga",
    "Madrid",
    "Prague",
    "Moscow",
    "Kyiv",
    "Geneva",
    "Strasbourg",
)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
LABELS = ("support", "oppose", "conditional", "neutral")
FLAG_REASONS = (
    "The quote may be the journalist's summary, not the actor's words.",
    "Is this the same actor or a namesake?",
    "The date looks like the day of publication, not of the statement.",
)


class DemoDataError(Exception):
    """The database is not in a state to take demo data; the message says why."""


@dataclass(frozen=True)
class DemoDataSummary:
    articles: int
    stances: int
    replaced_articles: int
    seconds: float


def demo_articles():
    return Article.objects.filter(source_url__startswith=DEMO_URL_PREFIX)


def demo_data_delete() -> int:
    """Remove every demo article with its stances; other data only loses its links to them
    (corroborations and ingest items pointing at demo rows are unlinked, as Django's
    SET_NULL would). Plain SQL: deleting through the ORM would write a history row per stance."""
    articles = demo_articles()
    count = articles.count()
    if not count:
        return 0
    article_table, stance_table = Article._meta.db_table, Stance._meta.db_table
    demo_ids = f"SELECT id FROM {article_table} WHERE source_url LIKE %s"
    pattern = DEMO_URL_PREFIX + "%"
    with transaction.atomic():
        Stance.objects.filter(primary__article__in=articles).exclude(article__in=articles).update(
            primary=None
        )
        IngestItem.objects.filter(article__in=articles).update(article=None)
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {stance_table} WHERE article_id IN ({demo_ids})",
                [pattern],
            )
            cursor.execute(f"DELETE FROM {article_table} WHERE id IN ({demo_ids})", [pattern])
    return count


@dataclass
class _ActorProfile:
    id: int
    name: str
    is_russian: bool
    # (first day, label held from then on), in date order
    eras: list[tuple[date, str]] = field(default_factory=list)

    def label_on(self, day: date | None, rng: random.Random) -> str:
        if rng.random() >= ON_MESSAGE:
            return rng.choice(LABELS)
        if day is None:
            return self.eras[0][1]
        starts = [start for start, _label in self.eras]
        return self.eras[max(bisect.bisect_right(starts, day) - 1, 0)][1]


def _profiles(rng: random.Random) -> tuple[list[_ActorProfile], list[float]]:
    actors = list(
        Actor.objects.filter(is_confirmed=True)
        .order_by("name")
        .values_list("id", "name", "country__code")
    )
    if not actors:
        raise DemoDataError("There are no actors to give stances to: run `manage.py migrate`.")
    rng.shuffle(actors)
    span = (LAST_DAY - FIRST_DAY).days
    profiles = []
    for actor_id, name, country in actors:
        is_russian = country == "RU"
        first = rng.choices(LABELS, weights=(6, 1, 2, 1) if is_russian else (2, 3, 3, 2))[0]
        eras = [(FIRST_DAY, first)]
        for day in sorted(rng.randrange(span) for _ in range(rng.randint(0, 4))):
            eras.append((FIRST_DAY + timedelta(days=day), rng.choice(LABELS)))
        profiles.append(_ActorProfile(actor_id, name, is_russian, eras))
    weights = [1 / (rank**ZIPF_EXPONENT) for rank in range(1, len(profiles) + 1)]
    cumulative, total = [], 0.0
    for weight in weights:
        total += weight
        cumulative.append(total)
    return profiles, cumulative


def _pick(rng: random.Random, shares) -> str:
    draw, total = rng.random(), 0.0
    for value, share in shares:
        total += share
        if draw < total:
            return value
    return shares[-1][0]


def _published_days(rng: random.Random, count: int) -> list[date | None]:
    span = (LAST_DAY - FIRST_DAY).days
    days: list[date | None] = sorted(
        FIRST_DAY + timedelta(days=int(span * math.sqrt(rng.random()))) for _ in range(count)
    )
    for i in range(count):
        if rng.random() < UNDATED_ARTICLES:
            days[i] = None
    return days


def _stance_counts(rng: random.Random, articles: int, stances: int) -> list[int]:
    counts = [0] * articles
    for _ in range(stances):
        counts[rng.randrange(articles)] += 1
    return counts


def _fill(template: str, rng: random.Random, **values) -> str:
    return template.format(
        place=rng.choice(PLACES),
        weekday=rng.choice(WEEKDAYS),
        month=rng.choice(MONTHS),
        n=rng.randint(2, 90),
        **values,
    )


@dataclass(frozen=True)
class _Statement:
    stance_id: int
    label: str
    stated_on: date
    precision: str
    sentence: str


class _Generator:
    """Builds rows in id order; ids are given here so that corroborations can point back."""

    def __init__(self, *, seed: int, first_article_id: int, first_stance_id: int, editor_id: int):
        self.rng = random.Random(seed)
        self.profiles, self.cumulative = _profiles(self.rng)
        self.topic_id = default_topic().pk
        self.outlets = [name for name, _weight in OUTLETS]
        self.outlet_weights = [weight for _name, weight in OUTLETS]
        self.article_id = first_article_id
        self.stance_id = first_stance_id
        self.editor_id = editor_id
        self.now = timezone.now()
        self.recent: dict[int, _Statement] = {}  # actor id -> latest approved statement
        self.hashes: set[str] = set()

    def _actor(self) -> _ActorProfile:
        draw = self.rng.random() * self.cumulative[-1]
        return self.profiles[bisect.bisect_left(self.cumulative, draw)]

    def article(self, published: date | None, stance_count: int) -> tuple[dict, list[dict]]:
        rng = self.rng
        article_id = self.article_id
        self.article_id += 1
        actors = [self._actor() for _ in range(stance_count)]
        parts: list[str] = []
        length = 0
        stances = []

        def add(text: str) -> int:
            nonlocal length
            start = length
            parts.append(text)
            length += len(text)
            return start

        add(_fill(rng.choice(LEADS), rng))
        for actor in actors:
            add("\n\n")
            if rng.random() < 0.6:
                add(_fill(rng.choice(FILLERS), rng) + " ")
            row = self._stance(article_id, published, actor)
            row["quote_start"] = add(row["quote"])
            row["quote_end"] = row["quote_start"] + len(row["quote"])
            if rng.random() < 0.5:
                add(" " + _fill(rng.choice(FILLERS), rng))
            stances.append(row)
        for _ in range(rng.randint(1, 3)):
            add("\n\n" + _fill(rng.choice(FILLERS), rng))
        body = "".join(parts)
        digest = content_hash(body)
        while digest in self.hashes:
            body += " " + _fill(rng.choice(FILLERS), rng)
            digest = content_hash(body)
        self.hashes.add(digest)

        if actors:
            headline = rng.choice(HEADLINES[stances[0]["label"]]).format(actor=actors[0].name)
        else:
            headline = _fill("Ministers meet in {place} as the war goes on", rng)
        if published is None:
            url, source = f"{DEMO_URL_PREFIX}articles/{article_id}", Article.PublishedSource.NONE
        else:
            url = f"{DEMO_URL_PREFIX}{published:%Y/%m/%d}/article-{article_id}"
            source = rng.choices(("header", "dateline", "url", "given"), weights=(4, 3, 2, 1))[0]
        article = {
            "id": article_id,
            "title": headline[:500],
            "body": body,
            "published": published,
            "published_source": source,
            "outlet": rng.choices(self.outlets, weights=self.outlet_weights)[0],
            "source_url": url,
            "source_name": f"demo-{article_id:07d}.txt",
            "content_hash": digest,
            "ingest_job_id": None,
            "created_at": self.now,
        }
        return article, stances

    def _stance(self, article_id: int, published: date | None, actor: _ActorProfile) -> dict:
        rng = self.rng
        stance_id = self.stance_id
        self.stance_id += 1
        earlier = self.recent.get(actor.id)
        if (
            published is not None
            and earlier is not None
            and (published - earlier.stated_on).days <= 14
            and rng.random() < CORROBORATED
        ):
            # Another outlet reporting the same words: one statement, several sources.
            return self._row(
                stance_id,
                article_id,
                actor,
                published,
                label=earlier.label,
                stated_on=earlier.stated_on,
                precision=earlier.precision,
                quote=earlier.sentence,
                status="approved",
                primary_id=earlier.stance_id,
            )
        precision = _pick(rng, PRECISION_SHARES) if published else "unknown"
        if precision == "day":
            stated_on = published - timedelta(days=rng.choice((0, 0, 0, 1, 1, 2, 3)))
        elif precision == "month":
            stated_on = published.replace(day=1)
        else:
            stated_on = None
        label = actor.label_on(stated_on or published, rng)
        quote = rng.choice(STATEMENTS[label]).format(actor=actor.name)
        status = _pick(rng, STATUS_SHARES)
        row = self._row(
            stance_id,
            article_id,
            actor,
            published,
            label=label,
            stated_on=stated_on,
            precision=precision,
            quote=quote,
            status=status,
            primary_id=None,
        )
        if status == "approved" and precision == "day":
            self.recent[actor.id] = _Statement(stance_id, label, stated_on, precision, quote)
        return row

    def _row(self, stance_id, article_id, actor, published, *, status, **values) -> dict:
        rng = self.rng
        # editors approve what the extractor was sure of, and reject what it doubted
        low, high, mode = {
            "approved": (0.45, 1.0, 0.9),
            "proposed": (0.05, 1.0, 0.55),
            "rejected": (0.05, 0.85, 0.3),
        }[status]
        confidence = rng.triangular(low, high, mode)
        reviewed_at = None
        if status != "proposed":
            day = (published or LAST_DAY) + timedelta(days=rng.randint(0, 30))
            reviewed_at = datetime.combine(day, time(rng.randint(8, 18), rng.randrange(60)), UTC)
        flagged = status == "proposed" and rng.random() < FLAGGED_SHARE_OF_PROPOSED
        return {
            "id": stance_id,
            "actor_id": actor.id,
            "topic_id": self.topic_id,
            "label": values["label"],
            "stated_on": values["stated_on"],
            "stated_on_precision": values["precision"],
            "article_id": article_id,
            "quote": values["quote"],
            "confidence": round(confidence, 3),
            "status": status,
            "reviewed_by_id": self.editor_id if reviewed_at else None,
            "reviewed_at": reviewed_at,
            "extractor_version": EXTRACTOR_VERSION,
            "version": 1 if status == "proposed" else 2,
            "primary_id": values["primary_id"],
            "flag_reason": rng.choice(FLAG_REASONS) if flagged else "",
            "flagged_by_id": self.editor_id if flagged else None,
            "flagged_at": self.now if flagged else None,
            "created_at": self.now,
            "updated_at": self.now,
        }


class _Writer:
    """Rows into tables: COPY on PostgreSQL (psycopg 3), bulk_create elsewhere."""

    def __init__(self, model, batch_size: int):
        self.model = model
        self.batch_size = batch_size
        self.fields = [f for f in model._meta.concrete_fields]
        self.rows: list[dict] = []

    def add(self, row: dict) -> None:
        self.rows.append(row)
        if len(self.rows) >= self.batch_size:
            self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        if connection.vendor == "postgresql":
            # the columns the rows give: the database fills the others (Article's search
            # vector, by its trigger)
            fields = [f for f in self.fields if f.attname in self.rows[0]]
            columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
            table = connection.ops.quote_name(self.model._meta.db_table)
            with (
                connection.cursor() as cursor,
                cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
            ):
                for row in self.rows:
                    copy.write_row([row[f.attname] for f in fields])
        else:
            self.model.objects.bulk_create(
                [self.model(**row) for row in self.rows], batch_size=self.batch_size
            )
        self.rows = []


def _next_id(model) -> int:
    last = model.objects.order_by("-pk").values_list("pk", flat=True).first()
    return (last or 0) + 1


def _demo_editor_id() -> int:
    user, created = get_user_model().objects.get_or_create(
        username=DEMO_EDITOR, defaults={"first_name": "Demo", "last_name": "Editor"}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user.pk


def demo_data_generate(
    *,
    articles: int,
    stances: int,
    seed: int = 0,
    force: bool = False,
    batch_size: int = 5000,
    progress: Callable[[int, int], None] | None = None,
) -> DemoDataSummary:
    """Replace the demo data with ``articles`` articles and ``stances`` stances made from
    ``seed`` (the same seed gives the same data). Refused when the database holds articles
    that are not demo data, unless ``force``: then the demo data is added beside them and
    nothing stored is changed."""
    _demo_data_check(articles=articles, stances=stances, force=force)
    started = timezone.now()
    # the monthly table is recounted once at the end rather than a cell per row
    with transaction.atomic(), stance_month_triggers_paused():
        replaced = demo_data_delete()
        _demo_rows_write(
            generator=_generator_start(seed=seed),
            articles=articles,
            stances=stances,
            batch_size=batch_size,
            progress=progress,
        )
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), [Article, Stance]):
                cursor.execute(sql)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {Article._meta.db_table}, {Stance._meta.db_table}")
    return DemoDataSummary(
        articles=articles,
        stances=stances,
        replaced_articles=replaced,
        seconds=(timezone.now() - started).total_seconds(),
    )


def _demo_data_check(*, articles: int, stances: int, force: bool) -> None:
    if articles < 1 or stances < 0:
        raise DemoDataError("Ask for at least one article and no negative number of stances.")
    others = Article.objects.exclude(source_url__startswith=DEMO_URL_PREFIX).count()
    if others and not force:
        raise DemoDataError(
            f"The database holds {others} articles that are not demo data. Use a database of "
            "its own for demo data, or pass --force to add it beside them (nothing stored is "
            "changed)."
        )


def _generator_start(*, seed: int) -> _Generator:
    generator = _Generator(
        seed=seed,
        first_article_id=_next_id(Article),
        first_stance_id=_next_id(Stance),
        editor_id=_demo_editor_id(),
    )
    # a generated text may not share its content hash with an article kept beside it
    generator.hashes.update(
        Article.objects.exclude(source_url__startswith=DEMO_URL_PREFIX).values_list(
            "content_hash", flat=True
        )
    )
    return generator


def _demo_rows_write(
    *,
    generator: _Generator,
    articles: int,
    stances: int,
    batch_size: int,
    progress: Callable[[int, int], None] | None,
) -> None:
    article_writer = _Writer(Article, batch_size)
    stance_writer = _Writer(Stance, batch_size)
    counts = _stance_counts(generator.rng, articles, stances)
    days = _published_days(generator.rng, articles)
    for done, (day, count) in enumerate(zip(days, counts, strict=True), start=1):
        article, rows = generator.article(day, count)
        article_writer.add(article)
        if len(stance_writer.rows) + len(rows) >= batch_size:
            # stances point at their article: it must be written first
            article_writer.flush()
        for row in rows:
            stance_writer.add(row)
        if progress is not None and done % 10_000 == 0:
            progress(done, articles)
    article_writer.flush()
    stance_writer.flush()


def iter_demo_texts(*, count: int, seed: int) -> Iterator[tuple[str, str]]:
    """Article files as an editor would upload them (title, date line, paragraphs), made
    from the same generator as the demo data, for measuring ingestion. Names are unique."""
    generator = _Generator(seed=seed, first_article_id=1, first_stance_id=1, editor_id=0)
    rng = random.Random(seed + 1)
    for n, day in enumerate(_published_days(rng, count), start=1):
        article, _rows = generator.article(day or LAST_DAY, rng.randint(3, 12))
        dateline = f"{(day or LAST_DAY).day} {MONTHS[(day or LAST_DAY).month - 1]} "
        dateline += str((day or LAST_DAY).year)
        yield (
            f"upload-{seed}-{n:05d}.txt",
            f"{article['title']}\n\n{dateline}\n\n{article['body']}\n",
        )


__all__ = [
    "DEMO_URL_PREFIX",
    "DemoDataError",
    "DemoDataSummary",
    "demo_articles",
    "demo_data_delete",
    "demo_data_generate",
    "iter_demo_texts",
]
