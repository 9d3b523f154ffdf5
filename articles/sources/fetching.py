"""Polite HTTP for sources: one maintained client (httpx), no Django.

Every request names the app in its User-Agent, asks robots.txt first, waits its turn at
the host (a ``HostGate`` decides: one request at a time per host, with a delay between
them), follows redirects itself so that each hop is checked again, gives up after a
timeout and refuses bodies over a size cap. Failures are ``FetchError`` with a reason an
admin can read.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import httpx

__all__ = ["FetchError", "FetchSettings", "Fetcher", "HostGate", "LocalHostGate", "Response"]

_REDIRECTS = {301, 302, 303, 307, 308}
# robots.txt rules by site, kept for an hour (RFC 9309 allows a day) across the polls of
# this process, so that an unchanged feed costs one request.
ROBOTS_TTL = 3600.0
_robots_cache: dict[str, tuple[float, RobotFileParser]] = {}
_robots_lock = threading.Lock()


class FetchError(Exception):
    """A URL that could not be fetched; the message says why, for the admin."""


class HostGate(Protocol):
    def wait(self, host: str) -> None:
        """Block until this process may send one request to ``host``."""

    def done(self, host: str) -> None:
        """The request to ``host`` is over; the next one waits the delay from now."""


class LocalHostGate:
    """A gate for one process: enough for scripts and tests of the fetcher alone."""

    def __init__(self, delay: float) -> None:
        self.delay = delay
        self._locks: dict[str, threading.Lock] = {}
        self._next: dict[str, float] = {}
        self._guard = threading.Lock()

    def wait(self, host: str) -> None:
        with self._guard:
            lock = self._locks.setdefault(host, threading.Lock())
        lock.acquire()
        pause = self._next.get(host, 0.0) - time.monotonic()
        if pause > 0:
            time.sleep(pause)

    def done(self, host: str) -> None:
        self._next[host] = time.monotonic() + self.delay
        self._locks[host].release()


@dataclass(frozen=True)
class FetchSettings:
    user_agent: str
    timeout: float = 15.0
    max_bytes: int = 5 * 1024 * 1024
    max_redirects: int = 5


@dataclass(frozen=True)
class Response:
    url: str  # the last URL, after redirects
    status: int
    content: bytes
    headers: httpx.Headers

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def etag(self) -> str:
        return self.headers.get("etag", "")

    @property
    def last_modified(self) -> str:
        return self.headers.get("last-modified", "")

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")

    def text(self) -> str:
        encoding = httpx.Response(200, headers=self.headers).charset_encoding or "utf-8"
        try:
            return self.content.decode(encoding, errors="replace")
        except LookupError:
            return self.content.decode("utf-8", errors="replace")


class Fetcher:
    """One client for one poll; robots.txt is read once per host and kept for its life."""

    def __init__(
        self,
        settings: FetchSettings,
        *,
        gate: HostGate,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.settings = settings
        self.gate = gate
        self.client = httpx.Client(
            headers={"User-Agent": settings.user_agent},
            timeout=httpx.Timeout(settings.timeout),
            follow_redirects=False,
            transport=transport,
        )
        self._robots: dict[str, RobotFileParser | str] = {}  # this poll's, failures included

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.client.close()

    def get(self, url: str, *, etag: str = "", last_modified: str = "") -> Response:
        """GET ``url``: conditional when ``etag`` or ``last_modified`` are given (a 304
        comes back as a ``Response`` whose ``not_modified`` is true)."""
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        seen = [url]
        for _hop in range(self.settings.max_redirects + 1):
            _check_scheme(url)
            self._check_robots(url)
            response = self._request(url, headers=headers)
            location = response.headers.get("location")
            if response.status in _REDIRECTS and location:
                url = urljoin(url, location)
                if url in seen:
                    raise FetchError(f"Redirect loop: {' -> '.join([*seen, url])}")
                seen.append(url)
                continue
            if response.status == 304 or 200 <= response.status < 300:
                return response
            raise FetchError(f"HTTP {response.status} from {url}")
        raise FetchError(
            f"More than {self.settings.max_redirects} redirects, from {seen[0]} to {url}"
        )

    def _request(self, url: str, *, headers: dict[str, str]) -> Response:
        host = urlsplit(url).netloc.lower()
        limit = self.settings.max_bytes
        # httpx's timeout is per read; a server that trickles bytes is cut off here.
        deadline = time.monotonic() + 2 * self.settings.timeout
        self.gate.wait(host)
        try:
            with self.client.stream("GET", url, headers=headers) as answer:
                declared = answer.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > limit:
                    raise FetchError(_too_large(url, limit))
                chunks, size = [], 0
                # decoded bytes are counted, so a compressed bomb is stopped too
                for chunk in answer.iter_bytes():
                    size += len(chunk)
                    if size > limit:
                        raise FetchError(_too_large(url, limit))
                    if time.monotonic() > deadline:
                        raise FetchError(
                            f"{url} took longer than {2 * self.settings.timeout:g} s to send"
                        )
                    chunks.append(chunk)
                return Response(
                    url=str(answer.url),
                    status=answer.status_code,
                    content=b"".join(chunks),
                    headers=answer.headers,
                )
        except httpx.TimeoutException as error:
            raise FetchError(
                f"No answer from {url} within {self.settings.timeout:g} s ({type(error).__name__})"
            ) from error
        except httpx.HTTPError as error:
            raise FetchError(f"Could not fetch {url}: {type(error).__name__}: {error}") from error
        finally:
            self.gate.done(host)

    def _check_robots(self, url: str) -> None:
        parts = urlsplit(url)
        if parts.path == "/robots.txt":
            return
        base = f"{parts.scheme}://{parts.netloc}"
        rules = self._robots.get(base)
        if rules is None:
            with _robots_lock:
                expires, cached = _robots_cache.get(base, (0.0, None))
            if cached is not None and expires > time.monotonic():
                rules = cached
            else:
                rules = self._read_robots(base)
                if not isinstance(rules, str):
                    with _robots_lock:
                        _robots_cache[base] = (time.monotonic() + ROBOTS_TTL, rules)
            self._robots[base] = rules
        if isinstance(rules, str):
            raise FetchError(rules)
        if not rules.can_fetch(self.settings.user_agent, url):
            raise FetchError(f"robots.txt of {base} does not allow {url}")

    def _read_robots(self, base: str) -> RobotFileParser | str:
        """The host's rules (RFC 9309): a missing file (4xx) allows everything; a host
        whose robots.txt cannot be read (5xx, no answer) is not crawled for now."""
        rules = RobotFileParser(f"{base}/robots.txt")
        url = f"{base}/robots.txt"
        try:
            for _hop in range(self.settings.max_redirects + 1):
                response = self._request(url, headers={})
                location = response.headers.get("location")
                if response.status in _REDIRECTS and location:
                    url = urljoin(url, location)
                    continue
                break
            else:
                return f"robots.txt of {base} redirects too often; not crawling the host"
        except FetchError as error:
            return f"robots.txt of {base} could not be read, so the host is not crawled: {error}"
        if 200 <= response.status < 300:
            rules.parse(response.text().splitlines())
        elif 400 <= response.status < 500:
            rules.allow_all = True
        else:
            return f"robots.txt of {base} answered HTTP {response.status}; not crawling the host"
        return rules


def _check_scheme(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise FetchError(f"Not a web address: {url}")


def _too_large(url: str, limit: int) -> str:
    return f"{url} is larger than the limit of {limit:,} bytes"
