"""A real HTTP server on 127.0.0.1 for the sources' tests: nothing reaches the internet."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from unittest import mock

import pytest

from articles.models import IngestJob
from articles.services import ingest_job_run


@dataclass
class Hit:
    path: str
    headers: dict[str, str]
    started: float
    ended: float = 0.0


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering: a page that times out
    handler: object = None  # a callable(request) -> (status, headers, body), when set


class LocalSite:
    """Routes by path; every request is logged with its headers and times."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.hits: list[Hit] = []
        self.active = 0
        self.most_at_once = 0
        self._lock = threading.Lock()
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):  # noqa: N802 - the name http.server calls
                site._serve(self)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.server.block_on_close = False
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def route(self, path: str, body: bytes | str = b"", **options) -> str:
        if isinstance(body, str):
            body = body.encode("utf-8")
        self.routes[path] = Route(body=body, **options)
        return self.url + path

    def paths(self) -> list[str]:
        return [hit.path for hit in self.hits]

    def _serve(self, request: BaseHTTPRequestHandler) -> None:
        hit = Hit(path=request.path, headers=dict(request.headers), started=time.monotonic())
        with self._lock:
            self.hits.append(hit)
            self.active += 1
            self.most_at_once = max(self.most_at_once, self.active)
        try:
            route = self.routes.get(request.path)
            if route is None:
                status, headers, body = 404, {"Content-Type": "text/plain"}, b"not here"
            elif route.handler is not None:
                status, headers, body = route.handler(request)
            else:
                status, headers, body = route.status, route.headers, route.body
            if route is not None and route.delay:
                time.sleep(route.delay)
            try:
                request.send_response(status)
                for name, value in {"Content-Length": str(len(body)), **headers}.items():
                    request.send_header(name, value)
                request.end_headers()
                if status != 304:
                    request.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up first, as it should with a slow page
        finally:
            with self._lock:
                self.active -= 1
                hit.ended = time.monotonic()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def site():
    served = LocalSite()
    yield served
    served.close()


@pytest.fixture
def fast_sources(settings):
    """Polite limits, made short for tests."""
    settings.STANCETRACKER_SOURCES = {
        **settings.STANCETRACKER_SOURCES,
        "timeout": 0.5,
        "host_delay": 0.0,
        "max_bytes": 100_000,
        "max_redirects": 3,
        "max_failures": 3,
        "entry_attempts": 2,
    }
    return settings.STANCETRACKER_SOURCES


@pytest.fixture
def ingest_queue():
    """The ingestion task, caught on its way to the broker; ``run()`` does what the worker
    would do with the jobs sent so far."""
    with mock.patch("articles.tasks.ingest_job_run_task.apply_async") as apply_async:

        class Queue:
            sent = apply_async

            @staticmethod
            def run() -> None:
                for job in IngestJob.objects.exclude(status=IngestJob.Status.DONE):
                    ingest_job_run(job=job)

        yield Queue


def rss(items: list[dict], *, title: str = "Baltic Wire") -> str:
    entries = "".join(
        "<item>"
        f"<title>{item['title']}</title><link>{item['link']}</link>"
        f"<guid>{item.get('guid', item['link'])}</guid>"
        + (f"<pubDate>{format_datetime(item['date'])}</pubDate>" if item.get("date") else "")
        + "</item>"
        for item in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{title}</title><link>http://example.invalid/</link>"
        f"<description>test feed</description>{entries}</channel></rss>"
    )


def article_page(
    title: str, paragraphs: list[str], *, published: str = "", author: str = ""
) -> str:
    meta = ""
    if published:
        meta += f'<meta property="article:published_time" content="{published}">'
    if author:
        meta += f'<meta name="author" content="{author}">'
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<!doctype html><html><head><title>{title}</title>{meta}</head><body>"
        f"<nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
        f"<article><h1>{title}</h1>{body}</article>"
        f"<footer>© Baltic Wire</footer></body></html>"
    )


HTML = {"Content-Type": "text/html; charset=utf-8"}
XML = {"Content-Type": "application/rss+xml; charset=utf-8"}
