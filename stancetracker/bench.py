"""The page benchmark behind `make bench` (issue 14): how each page's time grows with the data.

For every size it fills a PostgreSQL database of its own with demo data, serves it with
gunicorn as in production (DEBUG off), signs in as an admin and times every page and export
next to a trivial view (``/healthz``), one request at a time. Then it times one upload through
a real Celery worker with one process and with two. The figures go to the terminal and to
``var/bench-report.json``.

    python -m stancetracker.bench --sizes 1000:10000 100000:1000000
    python -m stancetracker.bench --profile "what changed" "search"   # where their time goes

Everything here is measurement; nothing in the app depends on it.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import math
import os
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
BENCH_ADMIN = "bench-admin"
INGEST_SEED = 1000  # other texts than the demo data's, so that nothing is a duplicate
SEARCH_WORDS = "ceasefire"


@dataclass
class Measure:
    name: str
    url: str
    samples_ms: list[float] = field(default_factory=list)
    bytes: int = 0
    status: str = "ok"  # ok, timed out, HTTP 500, no such page…

    @property
    def median_ms(self) -> float | None:
        return statistics.median(self.samples_ms) if self.samples_ms else None

    @property
    def p95_ms(self) -> float | None:
        if not self.samples_ms:
            return None
        ordered = sorted(self.samples_ms)
        return ordered[math.ceil(0.95 * len(ordered)) - 1]

    def as_dict(self, trivial_p95: float | None) -> dict:
        p95 = self.p95_ms
        return {
            "page": self.name,
            "url": self.url,
            "status": self.status,
            "requests": len(self.samples_ms),
            "median_ms": _round(self.median_ms),
            "p95_ms": _round(p95),
            "ratio": _round(p95 / trivial_p95) if p95 and trivial_p95 else None,
            "bytes": self.bytes,
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


# ---------------------------------------------------------------- environment and processes
def _environment(options) -> dict[str, str]:
    var_dir = ROOT / "var" / "bench"
    env = {
        **os.environ,
        "DATABASE_URL": options.database_url,
        "REDIS_URL": options.redis_url,
        "STANCETRACKER_VAR_DIR": str(var_dir),
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        # plain HTTP on the loopback: no HTTPS redirect, cookies sent without TLS
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "SECURE_HSTS_SECONDS": "0",
        "LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "stancetracker.settings",
    }
    return env


def _manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def _database_create(url: str) -> None:
    """Create the benchmark's database when it is missing (connecting to `postgres`)."""
    import psycopg

    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    admin_url = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')
            print(f"Created database {name}.")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _stop(process: subprocess.Popen, *, wait: float = 30) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(wait)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _rss_mb(pid: int) -> float:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    match = re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE)
    return int(match.group(1)) / 1024 if match else 0.0


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(child) for child in text.split()]


# ---------------------------------------------------------------- HTTP
class Browser:
    """One signed-in user, one request at a time, nothing cached."""

    def __init__(self, base: str, timeout: float):
        self.base = base
        self.timeout = timeout
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def get(self, path: str, timeout: float | None = None) -> tuple[int, int, float]:
        """Status, bytes and milliseconds for the whole answer, body included."""
        started = time.perf_counter()
        try:
            with self.opener.open(self.base + path, timeout=timeout or self.timeout) as answer:
                size = 0
                while chunk := answer.read(1 << 16):
                    size += len(chunk)
                    if time.perf_counter() - started > (timeout or self.timeout):
                        raise TimeoutError
                status = answer.status
        except urllib.error.HTTPError as error:
            size, status = len(error.read()), error.code
        return status, size, (time.perf_counter() - started) * 1000

    def login(self, username: str, password: str) -> None:
        with self.opener.open(self.base + "/accounts/login/", timeout=self.timeout) as answer:
            form = answer.read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
        data = urllib.parse.urlencode(
            {"username": username, "password": password, "csrfmiddlewaretoken": token}
        ).encode()
        with self.opener.open(self.base + "/accounts/login/", data=data, timeout=60) as answer:
            if "/accounts/login/" in answer.url:
                raise SystemExit("The benchmark's admin could not sign in.")

    def wait_until_up(self, seconds: float = 180) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                if self.get("/healthz", timeout=5)[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.5)
        raise SystemExit("The server did not answer /healthz.")


def _timed_out(error: OSError) -> bool:
    return isinstance(error, TimeoutError) or isinstance(
        getattr(error, "reason", None), TimeoutError
    )


def measure(browser: Browser, result: Measure, *, requests: int, budget: float) -> Measure:
    """A warm-up request, then up to ``requests`` timed ones (fewer once ``budget`` seconds
    are spent, at least three). A page that times out is reported so and not asked again."""
    spent_from = time.monotonic()
    for number in range(requests + 1):
        try:
            status, size, elapsed = browser.get(result.url)
        except OSError as error:
            result.samples_ms = []
            if _timed_out(error):
                result.status = f"timed out (> {browser.timeout:.0f} s)"
            else:
                result.status = f"failed: {error}"
            # the server's worker is killed on its own timeout; wait for its successor
            browser.wait_until_up()
            _cancel_stray_queries()
            return result
        result.bytes = size
        if status != 200:
            result.status = f"HTTP {status}"
            result.samples_ms = []
            return result
        if not number:
            # the first request warms caches and connections; a page that slow is timed
            # fewer times, or the run would last hours
            fewest = 3 if elapsed < 10_000 else 1
            continue
        result.samples_ms.append(elapsed)
        if number >= fewest and time.monotonic() - spent_from > budget:
            break
    return result


def _cancel_stray_queries() -> None:
    """A query of a killed server worker may run on in PostgreSQL until it has rows to send:
    stop it, so that it does not slow down the next page."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE datname = "
            "current_database() AND state = 'active' AND pid <> pg_backend_pid()"
        )


# ---------------------------------------------------------------- the pages
def _setup_django(env: dict[str, str]) -> None:
    os.environ.update({key: env[key] for key in ("DATABASE_URL", "REDIS_URL")})
    os.environ["STANCETRACKER_VAR_DIR"] = env["STANCETRACKER_VAR_DIR"]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stancetracker.settings")
    os.environ["LOG_LEVEL"] = "WARNING"
    import django

    django.setup()


def _admin(password: str):
    from django.contrib.auth import get_user_model

    user, _created = get_user_model().objects.get_or_create(username=BENCH_ADMIN)
    user.is_superuser = user.is_staff = True
    user.set_password(password)
    user.save()
    return user


@dataclass
class _Subjects:
    """The rows the measured pages show: the busiest actors, a typical article and so on."""

    slugs: list[str]
    article_pk: int
    stance_pk: int
    year: int


def _subjects() -> _Subjects:
    from django.db.models import Count

    from actors.models import Stance
    from articles.models import Article
    from stancetracker.demo_data import DEMO_URL_PREFIX

    approved = Stance.objects.filter(status=Stance.Status.APPROVED)
    busiest = list(approved.values("actor__slug").annotate(n=Count("pk")).order_by("-n")[:3])
    demo = Article.objects.filter(source_url__startswith=DEMO_URL_PREFIX)
    typical = round(Stance.objects.count() / max(demo.count(), 1))
    article = (
        demo.annotate(n=Count("stances")).filter(n=typical).order_by("pk").first() or demo.first()
    )
    corroborated = approved.exclude(primary=None).order_by("pk").first()
    stance = corroborated.primary if corroborated else approved.order_by("pk").first()
    newest = approved.exclude(stated_on=None).order_by("-stated_on").first()
    return _Subjects(
        slugs=[row["actor__slug"] for row in busiest],
        article_pk=article.pk,
        stance_pk=stance.pk,
        year=newest.stated_on.year if newest else 2025,
    )


def _pages_wanted(subjects: _Subjects) -> list[tuple[str, str, dict, str]]:
    """(name, URL name, URL arguments, query) of each page, in the order they are timed."""
    slugs, year = subjects.slugs, subjects.year
    one_year = f"date_from={year}-01-01&date_to={year}-12-31"
    one_month = f"date_from={year}-12-01&date_to={year}-12-31&window=30"
    return [
        ("trivial view /healthz", "healthz", {}, ""),
        ("home", "home", {}, ""),
        ("article page", "articles:detail", {"pk": subjects.article_pk}, ""),
        ("article list", "articles:list", {}, ""),
        ("review queue, first page", "review:queue", {}, ""),
        # the deepest page the queue's cursor paging offers: its order read backwards
        ("review queue, last page", "review:queue", {}, "last=1"),
        ("actor list", "actors:actor-list", {}, ""),
        ("actor page, busiest actor", "actors:actor", {"slug": slugs[0]}, ""),
        ("analysis actor timeline, busiest", "analysis:actor", {"slug": slugs[0]}, ""),
        ("country page, Russia", "actors:country", {"code": "RU"}, ""),
        ("country analysis, Russia", "analysis:country", {"code": "RU"}, ""),
        ("Europe map", "analysis:europe", {}, ""),
        (
            "compare three actors",
            "analysis:compare",
            {},
            urllib.parse.urlencode([("actors", slug) for slug in slugs]),
        ),
        ("what changed", "analysis:changes", {}, ""),
        # past the end of both lists: their last pages
        ("what changed, last pages", "analysis:changes", {}, "changed_page=999&new_page=999"),
        ("network, one month", "analysis:network", {}, one_month),
        ("network, default", "analysis:network", {}, ""),
        ("search", "articles:search", {}, urllib.parse.urlencode({"q": SEARCH_WORDS})),
        ("CSV export, one year", "analysis:export-csv", {}, one_year),
        ("JSON export, one year", "analysis:export-json", {}, one_year),
        ("GraphML export, one year", "analysis:export-graphml", {}, one_year),
        ("stance page", "actors:stance", {"pk": subjects.stance_pk}, ""),
        ("analysis index", "analysis:index", {}, ""),
        ("country list", "actors:country-list", {}, ""),
    ]


def pages() -> list[tuple[str, str]]:
    """(name, URL) of every page and export the issue measures, with the data at hand."""
    from django.urls import NoReverseMatch, reverse

    found = []
    for name, url_name, kwargs, query in _pages_wanted(_subjects()):
        try:
            url = reverse(url_name, kwargs=kwargs)
        except NoReverseMatch:
            url = f"(no URL named {url_name})"
        found.append((name, url + (f"?{query}" if query else "")))
    return found


def _gunicorn(env: dict[str, str], port: int, timeout: float) -> subprocess.Popen:
    return subprocess.Popen(
        [
            str(VENV_BIN / "gunicorn"),
            "stancetracker.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            # a little past the client's patience: a page that times out does not keep the
            # worker busy for the next one
            "--timeout",
            str(int(timeout) + 5),
            "--graceful-timeout",
            "5",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )


def bench_size(options, env: dict[str, str], articles: int, stances: int) -> dict:
    from django.db import close_old_connections

    _bench_uploads_delete()
    generated_seconds = _demo_data_ensure(options, env, articles=articles, stances=stances)
    close_old_connections()
    password = secrets.token_urlsafe(20)
    _admin(password)
    trivial, results = _pages_measure(options, env, targets=pages(), password=password)
    report = {
        "articles": articles,
        "stances": stances,
        "generated_seconds": generated_seconds,
        "trivial": trivial.as_dict(trivial.p95_ms),
        "pages": [result.as_dict(trivial.p95_ms) for result in results],
    }
    _print_size(report)
    return report


def _demo_data_ensure(options, env: dict[str, str], *, articles: int, stances: int) -> float | None:
    """Generate the demo data unless the database holds just that size already; the seconds
    the generation took, ``None`` when it was kept."""
    from actors.models import Stance
    from articles.models import Article
    from stancetracker.demo_data import demo_articles

    have = (demo_articles().count(), Stance.objects.filter(article__in=demo_articles()).count())
    if (
        not options.regenerate
        and have == (articles, stances)
        and Article.objects.count() == articles
    ):
        print(f"\n== {articles} articles, {stances} stances: the demo data is there already")
        return None
    print(f"\n== generating {articles} articles, {stances} stances")
    started = time.monotonic()
    _manage(
        env,
        "generate_demo_data",
        f"--articles={articles}",
        f"--stances={stances}",
        f"--seed={options.seed}",
    )
    seconds = round(time.monotonic() - started, 1)
    _database_compact(options.database_url)
    return seconds


def _database_compact(url: str) -> None:
    """Rewrite the tables and indexes without the rows the generation deleted (VACUUM FULL,
    then fresh planner figures): a size that replaced a larger one is measured as if it
    had been loaded alone. Right after 1,000,000 stances, 10,000 otherwise sit among the
    million dead ones, and search, for one, took four times as long."""
    import psycopg

    started = time.monotonic()
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("VACUUM (FULL, ANALYZE)")
    print(f"Compacted the database (VACUUM FULL) in {time.monotonic() - started:.1f} s.")


def _pages_measure(
    options, env: dict[str, str], *, targets: list[tuple[str, str]], password: str
) -> tuple[Measure, list[Measure]]:
    """The trivial view (``targets[0]``) and every other page, timed on a server of their own."""
    port = _free_port()
    server = _gunicorn(env, port, options.timeout)
    try:
        browser = Browser(f"http://127.0.0.1:{port}", options.timeout)
        browser.wait_until_up()
        browser.login(BENCH_ADMIN, password)
        # the yardstick of every ratio: timed more often than the pages, before and after them
        trivial_requests = max(options.requests, 30)
        trivial = Measure(*targets[0])
        measure(browser, trivial, requests=trivial_requests, budget=options.budget)
        results = []
        for name, url in targets[1:]:
            if url.startswith("("):
                results.append(Measure(name, url, status="no such page"))
                continue
            print(f"   {name} …", end="", flush=True)
            result = measure(
                browser, Measure(name, url), requests=options.requests, budget=options.budget
            )
            print(f" {result.status}, p95 {_round(result.p95_ms)} ms")
            results.append(result)
        # the trivial view again at the end: its samples cover the whole run
        again = Measure(*targets[0])
        measure(browser, again, requests=trivial_requests, budget=options.budget)
        trivial.samples_ms += again.samples_ms
    finally:
        _stop(server)
    return trivial, results


# ---------------------------------------------------------------- where a page's time goes
@dataclass
class _Split:
    """One request's milliseconds: in all, in queries (those run while the template renders
    among them), in rendering the template (its queries included)."""

    total: float = 0.0
    queries: float = 0.0
    queries_n: int = 0
    render: float = 0.0
    render_queries: float = 0.0


def profile_pages(names: list[str], *, requests: int, top: int) -> list[dict]:
    """Pages of the database at hand, served in this process (Django's test client, DEBUG
    off, no gunicorn): per page the median time in queries, in rendering and in the rest
    (the view's Python, middleware, sessions), then the functions that cost the most in a
    profile of the same requests (``top`` of them, by own time)."""
    import cProfile
    import gc
    import io
    import pstats

    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.template.backends import django as django_backend
    from django.test import Client

    wanted = [(name, url) for name, url in pages() if not names or name in names]
    if names and len(wanted) != len(set(names)):
        known = ", ".join(name for name, _ in pages())
        raise SystemExit(f"Pages to profile, by their names in the table: {known}")
    split = _Split()
    rendering = [False]

    def timed_query(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent = (time.perf_counter() - started) * 1000
            split.queries += spent
            split.queries_n += 1
            if rendering[0]:
                split.render_queries += spent

    plain_render = django_backend.Template.render

    def timed_render(self, *args, **kwargs):
        if rendering[0]:
            return plain_render(self, *args, **kwargs)
        rendering[0] = True
        started = time.perf_counter()
        try:
            return plain_render(self, *args, **kwargs)
        finally:
            split.render += (time.perf_counter() - started) * 1000
            rendering[0] = False

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(get_user_model().objects.get(username=BENCH_ADMIN))
    found = []
    django_backend.Template.render = timed_render
    try:
        with connection.execute_wrapper(timed_query):
            for name, url in wanted:
                client.get(url)  # warm: connections, caches, templates
                splits = []
                for _ in range(requests):
                    gc.collect()
                    split.__init__()
                    started = time.perf_counter()
                    response = client.get(url)
                    body = b"".join(response) if response.streaming else response.content
                    split.total = (time.perf_counter() - started) * 1000
                    splits.append(_Split(**vars(split)))
                    if response.status_code != 200:
                        raise SystemExit(f"{name}: HTTP {response.status_code}")
                row = _profile_row(name, url, splits, len(body))
                # the profile of as many requests again: it slows down Python, not the
                # database, so the times above are taken without it
                profiler = cProfile.Profile()
                for _ in range(requests):
                    profiler.enable()
                    response = client.get(url)
                    b"".join(response) if response.streaming else response.content
                    profiler.disable()
                text = io.StringIO()
                pstats.Stats(profiler, stream=text).sort_stats("tottime").print_stats(top)
                row["profile"] = text.getvalue()
                found.append(row)
                _print_profile(row)
    finally:
        django_backend.Template.render = plain_render
    return found


def _profile_row(name: str, url: str, splits: list[_Split], size: int) -> dict:
    def median(field: str) -> float:
        return _round(statistics.median(getattr(split, field) for split in splits))

    total, queries, render = median("total"), median("queries"), median("render")
    render_queries = median("render_queries")
    return {
        "page": name,
        "url": url,
        "bytes": size,
        "requests": len(splits),
        "median_ms": total,
        "queries": int(statistics.median(split.queries_n for split in splits)),
        "queries_ms": queries,
        "render_ms": render,
        "render_queries_ms": render_queries,
        "rest_ms": _round(total - render - (queries - render_queries)),
    }


def _print_profile(row: dict) -> None:
    print(
        f"\n{row['page']} ({row['url']}, {row['bytes']:,} bytes, median of {row['requests']}):"
        f" {row['median_ms']} ms; queries {row['queries']} in {row['queries_ms']} ms;"
        f" template {row['render_ms']} ms (of which queries {row['render_queries_ms']} ms);"
        f" the rest (view, middleware, sessions) {row['rest_ms']} ms"
    )
    print("\n".join(row["profile"].splitlines()[:60]))  # the profile: its own requests


# ---------------------------------------------------------------- ingestion
def _bench_uploads_delete() -> None:
    """What earlier benchmark uploads stored, so that the same files are new again."""
    from articles.models import Article, IngestJob

    Article.objects.filter(ingest_job__created_by__username=BENCH_ADMIN).delete()
    IngestJob.objects.filter(created_by__username=BENCH_ADMIN).delete()


def _wait_for_worker(app, hostname: str, worker: subprocess.Popen) -> None:
    """Upload only once the worker is ready: on start it queues again every job with pending
    files, and a job queued twice would be worked on by two processes at once."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if worker.poll() is not None:
            raise SystemExit("The Celery worker did not start.")
        if app.control.ping(destination=[hostname], timeout=1):
            time.sleep(2)  # its worker_ready handlers run next to the first answer
            return
    raise SystemExit("The Celery worker did not answer within two minutes.")


def _worker(env: dict[str, str], concurrency: int, hostname: str) -> subprocess.Popen:
    return subprocess.Popen(
        [
            str(VENV_BIN / "celery"),
            "-A",
            "stancetracker",
            "--quiet",
            "worker",
            "--pool=prefork",
            f"--concurrency={concurrency}",
            "--loglevel=WARNING",
            "--without-gossip",
            "--without-mingle",
            f"--hostname={hostname}",
        ],
        cwd=ROOT,
        env=env,
    )


def bench_ingest(env: dict[str, str], *, files: int, concurrency: int) -> dict:
    from django.db import close_old_connections

    from stancetracker.celery import app

    close_old_connections()
    _bench_uploads_delete()
    app.control.purge()
    hostname = f"bench-{concurrency}-{os.getpid()}@{socket.gethostname()}"
    worker = _worker(env, concurrency, hostname)
    try:
        _wait_for_worker(app, hostname, worker)
        job = _bench_upload(files=files)
        after_50, end = _ingest_watch(job, worker)
        rss_end = _worker_rss(worker.pid)
    finally:
        _stop(worker, wait=60)
    job.refresh_from_db()
    result = _ingest_result(
        job, concurrency=concurrency, files=files, after_50=after_50, end=end, rss_end=rss_end
    )
    print(
        f"   ingest, {concurrency} worker process(es): {result['articles_per_s']} articles/s "
        f"({result['articles_per_s_after_50']} after the first 50), RSS after 50 "
        f"{result['rss_mb_after_50']}, at the end {result['rss_mb_end']}"
    )
    return result


def _bench_upload(*, files: int):
    """One upload of ``files`` generated articles by the benchmark's admin, queued."""
    from django.contrib.auth import get_user_model

    from articles.services import upload_ingest
    from articles.tasks import ingest_job_start
    from stancetracker.demo_data import iter_demo_texts

    uploads = [
        (name, text.encode()) for name, text in iter_demo_texts(count=files, seed=INGEST_SEED)
    ]
    admin = get_user_model().objects.get(username=BENCH_ADMIN)
    job = upload_ingest(files=uploads, created_by=admin)
    ingest_job_start(job=job)
    return job


def _ingest_watch(job, worker: subprocess.Popen) -> tuple[tuple | None, float]:
    """Wait for the job to finish: (files done, time, worker RSS) once 50 files are done,
    and the time it finished (or gave up after an hour)."""
    from articles.models import IngestItem, IngestJob

    after_50 = None
    deadline = time.monotonic() + 3600
    while time.monotonic() < deadline:
        done = job.items.exclude(status=IngestItem.Status.PENDING).count()
        if after_50 is None and done >= 50:
            after_50 = (done, time.monotonic(), _worker_rss(worker.pid))
        job.refresh_from_db()
        if job.status == IngestJob.Status.DONE:
            break
        if worker.poll() is not None:
            raise SystemExit("The Celery worker stopped during the ingest benchmark.")
        time.sleep(0.25)
    return after_50, time.monotonic()


def _ingest_result(
    job, *, concurrency: int, files: int, after_50: tuple | None, end: float, rss_end: dict
) -> dict:
    seconds = (job.finished_at - job.started_at).total_seconds() if job.finished_at else None
    steady = None
    if after_50 and end > after_50[1]:
        steady = (job.files_done - after_50[0]) / (end - after_50[1])
    return {
        "concurrency": concurrency,
        "files": files,
        "articles_created": job.articles_created,
        "stances_proposed": job.stances_proposed,
        "failures": job.failures,
        "seconds": _round(seconds),
        "articles_per_s": _round(job.files_done / seconds) if seconds else None,
        "articles_per_s_after_50": _round(steady),
        "rss_mb_after_50": after_50[2] if after_50 else None,
        "rss_mb_end": rss_end,
    }


def _worker_rss(pid: int) -> dict:
    children = _children(pid)
    sizes = [round(_rss_mb(child), 1) for child in children]
    return {
        "main": round(_rss_mb(pid), 1),
        "pool": sizes,
        "busiest": max(sizes, default=0.0),
    }


# ---------------------------------------------------------------- the report
def _fmt(value: float | None, digits: int = 1) -> str:
    return "–" if value is None else f"{value:,.{digits}f}"


def _print_size(report: dict) -> None:
    trivial = report["trivial"]
    print(
        f"\n{report['articles']:,} articles, {report['stances']:,} stances "
        f"(trivial view: median {_fmt(trivial['median_ms'], 2)} ms, p95 "
        f"{_fmt(trivial['p95_ms'], 2)} ms)"
    )
    print(f"{'page':<38} {'median ms':>10} {'p95 ms':>10} {'ratio':>8} {'bytes':>12}  n  status")
    for row in report["pages"]:
        print(
            f"{row['page']:<38} {_fmt(row['median_ms']):>10} {_fmt(row['p95_ms']):>10} "
            f"{_fmt(row['ratio']):>8} {row['bytes']:>12,} {row['requests']:>2}  {row['status']}"
        )


def growth(sizes: list[dict]) -> list[dict]:
    """Each page's ratio at the largest size over its ratio at the smallest."""
    if len(sizes) < 2:
        return []
    small, large = sizes[0], sizes[-1]
    by_name = {_page_key(row["page"]): row for row in small["pages"]}
    rows = []
    for row in large["pages"]:
        before = by_name.get(_page_key(row["page"]))
        if before is None:
            continue
        ratio = row["ratio"] / before["ratio"] if row["ratio"] and before["ratio"] else None
        rows.append(
            {
                "page": _page_key(row["page"]),
                "ratio_small": before["ratio"],
                "ratio_large": row["ratio"],
                "status_large": row["status"],
                "growth": _round(ratio),
            }
        )
    return rows


def _page_key(name: str) -> str:
    # reports of earlier runs named the review queue's last page by its number
    return re.sub(r"page \d+", "last page", name)


def _print_growth(rows: list[dict], small: dict, large: dict) -> None:
    if not rows:
        return
    print(
        f"\nGrowth of the ratio to the trivial view from {small['stances']:,} to "
        f"{large['stances']:,} stances (target: at most 1.5)"
    )
    for row in rows:
        growth_text = _fmt(row["growth"], 2) if row["growth"] else row["status_large"]
        print(
            f"{row['page']:<38} {_fmt(row['ratio_small']):>8} -> {_fmt(row['ratio_large']):>8}"
            f"  {growth_text}"
        )


def _sizes(values: list[str]) -> list[tuple[int, int]]:
    sizes = []
    for value in values:
        match = re.fullmatch(r"(\d+):(\d+)", value)
        if not match:
            raise SystemExit(f"A size is ARTICLES:STANCES, e.g. 100000:1000000, not {value!r}.")
        sizes.append((int(match.group(1)), int(match.group(2))))
    return sizes


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", nargs="+", default=["1000:10000", "100000:1000000"])
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/stancetracker_bench"
    )
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/7")
    parser.add_argument("--requests", type=int, default=20, help="timed requests per page")
    parser.add_argument("--timeout", type=float, default=60, help="seconds before a page times out")
    parser.add_argument(
        "--budget", type=float, default=30, help="seconds per page after which it stops (n >= 3)"
    )
    parser.add_argument("--ingest-files", type=int, default=500, help="0: no ingest benchmark")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--regenerate", action="store_true", help="even if the data is there")
    parser.add_argument("--report", default=str(ROOT / "var" / "bench-report.json"))
    parser.add_argument(
        "--profile",
        nargs="*",
        metavar="PAGE",
        help="no benchmark: where the time of these pages (names as in the table; none: all) "
        "goes in the database at hand, in this process; --requests of each",
    )
    parser.add_argument("--profile-top", type=int, default=25, help="functions per profile")
    options = parser.parse_args(argv)
    if not options.database_url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("The benchmark measures PostgreSQL: give a postgres:// database URL.")
    sizes = _sizes(options.sizes)

    env = _environment(options)
    if options.profile is not None:
        os.environ.update(env)  # the server's settings: DEBUG off and so on
        _setup_django(env)
        rows = profile_pages(options.profile, requests=options.requests, top=options.profile_top)
        report_path = Path(options.report).with_name("bench-profile.json")
        report_path.write_text(json.dumps(rows, indent=2) + "\n")
        print(f"\nWritten to {report_path}")
        return
    _database_create(options.database_url)
    _manage(env, "migrate", "--noinput", "-v0")
    _manage(env, "collectstatic", "--noinput", "-v0")
    _setup_django(env)

    report: dict = {"sizes": [], "growth": [], "ingest": [], "options": vars(options)}
    for articles, stances in sizes:
        report["sizes"].append(bench_size(options, env, articles, stances))
    report["growth"] = growth(report["sizes"])
    _print_growth(report["growth"], report["sizes"][0], report["sizes"][-1])
    if options.ingest_files:
        print(f"\n== ingest: one upload of {options.ingest_files} files")
        for concurrency in (1, 2):
            report["ingest"].append(
                bench_ingest(env, files=options.ingest_files, concurrency=concurrency)
            )
        one, two = report["ingest"]
        if one["articles_per_s"] and two["articles_per_s"]:
            report["ingest_speedup"] = _round(two["articles_per_s"] / one["articles_per_s"])
            print(f"   two worker processes / one: {report['ingest_speedup']}x")
    Path(options.report).parent.mkdir(parents=True, exist_ok=True)
    Path(options.report).write_text(json.dumps(report, indent=2, default=str) + "\n")
    print(f"\nWritten to {options.report}")


if __name__ == "__main__":
    main()
