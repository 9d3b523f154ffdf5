"""Drills against the running app: gunicorn with DEBUG off, a real Celery worker,
PostgreSQL and Redis (``make drills``).

Three drills, each counted:

- **bad input**: odd query strings, form posts and uploads, each as the role that may send
  it; handled cleanly means no server error, and for uploads every bad file fails with a
  reason while the good ones become articles; nothing reviewed before is lost;
- **concurrent decisions**: rounds in which one editor bulk-approves a proposal while
  another rejects it at the same moment, over HTTP on two server processes; a round loses
  an update when both are told they succeeded, or the stance ends as the loser said;
- **roles**: every URL pattern as anonymous, no role, Analyst, Editor and Admin, GET and
  POST; a leak is a proposed or rejected stance, an editor's name or a flag note reaching
  someone who may not see it, or a page beyond the sign-in answering a user without a role.

The report goes to the terminal and to ``var/drills-report.json``.
"""

from __future__ import annotations

import argparse
import io
import json
import re
import secrets
import socket
import subprocess
import threading
import time
import urllib.parse
import zipfile
from dataclasses import dataclass, field

import httpx

from stancetracker.bench import (
    ROOT,
    VENV_BIN,
    _database_create,
    _free_port,
    _manage,
    _setup_django,
    _stop,
    _wait_for_worker,
    _worker,
)
from stancetracker.bench import _environment as _bench_environment

PASSWORD = "drills-" + secrets.token_urlsafe(12)
ROLES = ("anonymous", "no role", "Analyst", "Editor", "Admin")
REPORT = ROOT / "var" / "drills-report.json"


@dataclass
class Tally:
    tried: int = 0
    clean: int = 0
    failures: list[str] = field(default_factory=list)

    def add(self, ok: bool, what: str) -> None:
        self.tried += 1
        if ok:
            self.clean += 1
        else:
            self.failures.append(what)


# ---------------------------------------------------------------- set-up
def _environment(options) -> dict[str, str]:
    env = _bench_environment(options)
    env["STANCETRACKER_VAR_DIR"] = str(ROOT / "var" / "drills")
    env["UPLOAD_MAX_FILES"] = "20"
    env["INGEST_FILE_SECONDS"] = "20"
    return env


def _database_fresh(url: str) -> None:
    import psycopg

    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    with psycopg.connect(
        urllib.parse.urlunsplit(parts._replace(path="/postgres")), autocommit=True
    ) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _database_create(url)


def _users() -> dict[str, str]:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    names = {}
    for role in ROLES[1:] + ("Editor 2",):
        username = "drill-" + role.lower().replace(" ", "-")
        user = get_user_model().objects.create_user(username=username, password=PASSWORD)
        group = role.split()[0] if role != "no role" else None
        if group:
            user.groups.add(Group.objects.get(name=group))
        names[role] = username
    return names


def _gunicorn(env: dict[str, str], port: int) -> subprocess.Popen:
    return subprocess.Popen(
        [
            str(VENV_BIN / "gunicorn"),
            "stancetracker.wsgi:application",
            f"--bind=127.0.0.1:{port}",
            "--workers=2",
            "--threads=4",
            "--timeout=120",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env=env,
    )


class Session:
    """One user's browser: cookies, and the CSRF token on every post."""

    def __init__(self, base: str, username: str | None = None):
        self.client = httpx.Client(base_url=base, timeout=120, follow_redirects=False)
        if username:
            page = self.client.get("/accounts/login/").text
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
            answer = self.client.post(
                "/accounts/login/",
                data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token},
            )
            if answer.status_code != 302:
                raise SystemExit(f"{username} could not sign in ({answer.status_code}).")
        elif not self.client.get("/accounts/login/").is_success:
            raise SystemExit("The sign-in page does not answer.")

    def get(self, url: str, **kwargs) -> httpx.Response:
        return self.client.get(url, **kwargs)

    def post(self, url: str, **kwargs) -> httpx.Response:
        headers = {"X-CSRFToken": self.client.cookies.get("csrftoken", ""), "Referer": url}
        return self.client.post(url, headers=headers | kwargs.pop("headers", {}), **kwargs)


# ---------------------------------------------------------------- bad input
def _bad_requests(proposed: int, approved: int) -> list[tuple[str, str, str, dict]]:
    """(who, method, url, request arguments) for every odd input tried."""
    nul, long = "a\x00b", "x" * 20_000
    gets = [
        "/actors/?q=" + urllib.parse.quote(nul),
        "/articles/search/?q=" + urllib.parse.quote(nul),
        "/articles/search/?q=" + long,
        "/articles/?page=abc",
        "/articles/?page=-3",
        "/articles/?page=99999999",
        "/review/?country=" + urllib.parse.quote(nul),
        "/review/?article=abc",
        "/review/?page=0",
        "/review/?after=abc",
        "/review/?before=-1",
        "/review/?after=99999999999999999999",
        "/review/?last=yes&order=nonsense",
        "/review/?min_confidence=2",
        "/review/?label=nonsense",
        "/review/?actor=" + long,
        "/analysis/changes/?to=0001-01-01",
        "/analysis/changes/?from=9999-12-31&to=0001-01-01",
        "/analysis/changes/?from=2026-13-45",
        "/analysis/network/?window=-5",
        "/analysis/network/?window=abc&mode=nonsense",
        "/analysis/network/?month=0000-00",
        "/analysis/compare/?actors=" + ",".join(["x"] * 500),
        "/analysis/europe/?month=99999-99",
        "/analysis/export/stances.csv?from=abc",
        "/analysis/export/stances.json?country=" + urllib.parse.quote(nul),
        "/analysis/export/network.graphml?from=0001-01-01&to=9999-12-31",
        "/countries/" + urllib.parse.quote(nul) + "/",
        "/countries/ZZZ/",
        "/actors/no-such-actor/",
        f"/stances/{10**12}/",
        "/articles/jobs/abc/",
    ]
    review = f"/stances/{proposed}/review/"
    posts = [
        (review, {"action": "approve", "version": "abc"}),
        (review, {"action": "approve", "version": ""}),
        (review, {"action": "explode", "version": "1"}),
        (review, {"action": "label", "label": "furious", "version": "1"}),
        (review, {"action": "flag", "reason": nul, "version": "1"}),
        (review, {"action": "flag", "reason": long, "version": "1"}),
        (f"/stances/{approved}/group/", {"action": "merge", "other": ""}),
        (f"/stances/{approved}/group/", {"action": "merge", "other": "abc"}),
        (f"/stances/{approved}/group/", {"action": "merge", "other": str(10**12)}),
        (f"/stances/{approved}/group/", {"action": "merge", "other": str(proposed)}),
        (f"/stances/{proposed}/edit/", {"stated_on": "9999-12-31", "version": "1"}),
        (f"/stances/{proposed}/edit/", {"stated_on": "0001-01-01", "version": "1"}),
        (f"/stances/{proposed}/edit/", {"stated_on": "yesterday", "version": "x"}),
        ("/review/bulk/", {"action": "approve"}),
        ("/review/bulk/", {"action": "approve", "ids": ["abc", str(10**12)]}),
        ("/review/bulk/", {"action": "reject", "article": "1", "min_confidence": "7"}),
        ("/review/bulk/", {"action": "approve", "next": "https://evil.example/"}),
    ]
    requests = [("Editor", "GET", url, {}) for url in gets]
    requests += [("Editor", "POST", url, {"data": data}) for url, data in posts]
    return requests


def _bad_uploads() -> list[tuple[str, list[tuple[str, bytes]], set[str]]]:
    """(what, files, what must come through): files whose names hold one of those words
    become articles, the rest fail with a reason; or, for an upload refused as a whole, the
    page says so in those words."""
    good = b"Talks ahead\n\nBelgian Prime Minister Bart De Wever said Europe should talk to Russia."
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as members:
        members.writestr("inside.txt", good.replace(b"Talks", b"Zipped talks"))
        members.writestr("nested.zip", b"PK\x03\x04 not really")
    return [
        ("an empty file beside a good one", [("empty.txt", b""), ("good.txt", good)], {"good.txt"}),
        ("a picture named .txt", [("picture.txt", b"\x89PNG\r\n\x1a\n" + bytes(200))], set()),
        (
            "UTF-8 with one stray byte",
            [("stray.txt", "Café talks\n\nMacron said Europe must talk.".encode() + b"\xff")],
            {"stray.txt"},
        ),
        ("JSONL with a NaN body", [("rows.jsonl", b'{"title": "T", "body": NaN}\n')], set()),
        (
            "a CSV row with a short body and no title",
            [("rows.csv", b"body\nEurope must talk.\n")],
            {"rows.csv"},
        ),
        ("a million very short lines", [("lines.txt", b"a\n" * 1_000_000)], set()),
        (
            "an article over the length limit",
            [("long.txt", b"Long\n\n" + b"Talk. " * 60_000)],
            set(),
        ),
        ("a zip holding a broken zip", [("bundle.zip", archive.getvalue())], {"inside.txt"}),
        (
            "more files than the limit",
            [(f"f{n}.txt", good + str(n).encode()) for n in range(21)],
            {"Too many files in one upload"},
        ),
        ("a binary file", [("random.bin", bytes(range(256)) * 40)], set()),
    ]


def drill_bad_input(sessions: dict[str, Session], *, stances: dict) -> dict:
    from actors.models import Stance
    from articles.models import IngestJob

    tally = Tally()
    reviewed = set(Stance.objects.exclude(status="proposed").values_list("pk", "status"))
    for who, method, url, kwargs in _bad_requests(stances["proposed"], stances["approved"]):
        answer = getattr(sessions[who], method.lower())(url, **kwargs)
        tally.add(answer.status_code < 500, f"{method} {url[:80]}: {answer.status_code}")
    for what, files, good in _bad_uploads():
        before = set(IngestJob.objects.values_list("pk", flat=True))
        answer = sessions["Admin"].post(
            "/articles/upload/", files=[("files", (name, body)) for name, body in files]
        )
        if answer.status_code >= 500:
            tally.add(False, f"upload {what}: {answer.status_code}")
            continue
        job = IngestJob.objects.exclude(pk__in=before).first()
        if job is None:  # refused as a whole: the page must say why
            said = any(words in answer.text for words in good)
            tally.add(400 <= answer.status_code < 500 and said, f"upload {what}: refused unsaid")
            continue
        deadline = time.monotonic() + 180
        while job.status != "done" and time.monotonic() < deadline:
            time.sleep(0.5)
            job.refresh_from_db()
        items = list(job.items.values_list("name", "status", "error"))
        ok = job.status == "done" and all(
            (status in ("created", "duplicate"))
            if any(words in name for words in good)
            else (status == "failed" and error)
            for name, status, error in items
        )
        tally.add(ok, f"upload {what}: {items}")
    lost = reviewed - set(Stance.objects.values_list("pk", "status"))
    tally.add(not lost, f"reviewed stances changed by bad input: {sorted(lost)[:5]}")
    return {"tried": tally.tried, "clean": tally.clean, "not clean": tally.failures}


# ---------------------------------------------------------------- concurrency
def drill_concurrency(base: str, users: dict[str, str], *, rounds: int) -> dict:
    from actors.models import Stance

    one, two = Session(base, users["Editor"]), Session(base, users["Editor 2"])
    candidates = list(
        Stance.objects.filter(status="proposed", flagged_at__isnull=True).values_list(
            "pk", flat=True
        )[:rounds]
    )
    lost, results, details = 0, [], []
    for pk in candidates:
        version = Stance.objects.get(pk=pk).version
        told: dict[str, bool] = {}
        said: dict[str, object] = {}
        barrier = threading.Barrier(2)

        def bulk(pk=pk, told=told, said=said, barrier=barrier):
            barrier.wait()
            answer = one.post("/review/bulk/", data={"action": "approve", "ids": [str(pk)]})
            page = one.get(answer.headers.get("location", "/review/")).text
            told["bulk"] = "1 proposals approved" in page
            said["bulk"] = re.findall(r"\d+ (?:proposals approved|skipped[^<]*)", page)

        def single(pk=pk, version=version, told=told, said=said, barrier=barrier):
            barrier.wait()
            # as the review page's button sends it (HTMX): 200 with the item, 409 on a conflict
            answer = two.post(
                f"/stances/{pk}/review/",
                data={"action": "reject", "version": str(version)},
                headers={"HX-Request": "true"},
            )
            told["single"] = answer.status_code == 200
            said["single"] = answer.status_code

        threads = [threading.Thread(target=bulk), threading.Thread(target=single)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        status = Stance.objects.get(pk=pk).status
        winners = [name for name, ok in told.items() if ok]
        expected = {"bulk": "approved", "single": "rejected"}
        if len(winners) != 1 or status != expected[winners[0]]:
            lost += 1
            details.append({"stance": pk, "told": told, "said": said, "ended": status})
        results.append(winners[0] if len(winners) == 1 else "+".join(winners) or "none")
    return {
        "rounds": len(candidates),
        "lost updates": lost,
        "bulk won": results.count("bulk"),
        "single won": results.count("single"),
        "lost rounds": details,
    }


# ---------------------------------------------------------------- roles
def _walk_urls(stances: dict) -> list[str]:
    from django.urls import URLPattern, URLResolver, get_resolver

    from actors.models import Stance
    from articles.models import IngestJob, Source

    values = {
        "slug": Stance.objects.get(pk=stances["approved"]).actor.slug,
        "code": "RU",
        "uidb64": "x",
        "token": "y",
    }
    kinds = {
        "articles/sources": [Source.objects.values_list("pk", flat=True).first() or 1],
        "articles/jobs": [IngestJob.objects.values_list("pk", flat=True).first() or 1],
        "articles/models": [1],
        "articles/": [Stance.objects.get(pk=stances["proposed"]).article_id],
        "": [stances["proposed"], stances["rejected"], stances["approved"]],
    }

    def routes(resolver, prefix=""):
        for entry in resolver.url_patterns:
            route = prefix + str(entry.pattern)
            if isinstance(entry, URLResolver) and not route.startswith("admin/"):
                yield from routes(entry, route)
            elif isinstance(entry, URLPattern):
                yield route

    urls = set()
    for route in routes(get_resolver()):
        pks = next(pks for start, pks in kinds.items() if route.startswith(start))
        for pk in pks:

            def fill(match, pk=pk):
                name = match.group(1).split(":")[-1]
                return str(pk) if name.endswith("pk") else str(values.get(name, "x"))

            urls.add("/" + re.sub(r"<([^>]+)>", fill, route))
    return sorted(urls) + ["/admin/", "/admin/auth/user/", "/admin/actors/stance/"]


def _secrets(stances: dict, users: dict[str, str]) -> list[str]:
    from actors.models import Stance

    hidden = [
        marker
        for pk in (stances["proposed"], stances["rejected"])
        for marker in (f'id="stance-{pk}"', f"/stances/{pk}/")
    ]
    flagged = Stance.objects.get(pk=stances["proposed"])
    return [*hidden, flagged.flag_reason, users["Editor"], users["Admin"]]


def drill_roles(base: str, users: dict[str, str], *, stances: dict) -> dict:
    urls = _walk_urls(stances)
    secret_list = _secrets(stances, users)
    walked, leaks = 0, []
    for role in ROLES:
        session = Session(base, users.get(role))
        for url in urls:
            for method in ("GET", "POST"):
                if url == "/accounts/logout/" and method == "POST":
                    continue
                if method == "GET":
                    answer = session.get(url)
                else:
                    answer = session.post(url, data={"action": "approve", "version": "1"})
                walked += 1
                if answer.status_code >= 500:
                    leaks.append(f"{role} {method} {url}: {answer.status_code}")
                if role in ("anonymous", "no role", "Analyst"):
                    body = answer.text if answer.status_code < 300 else ""
                    leaks += [f"{role} {method} {url}: {s}" for s in secret_list if s in body]
                if role in ("anonymous", "no role") and answer.status_code == 200:
                    allowed = url in ("/", "/healthz") or url.startswith("/accounts/")
                    if not allowed:
                        leaks.append(f"{role} {method} {url}: 200")
    return {"patterns": len(urls), "roles": len(ROLES), "requests": walked, "leaks": leaks}


# ---------------------------------------------------------------- main
def _subjects() -> dict:
    from actors.models import Stance

    proposed = Stance.objects.filter(status="proposed", flagged_at__isnull=False).first()
    return {
        "proposed": proposed.pk,
        "rejected": Stance.objects.filter(status="rejected").values_list("pk", flat=True)[0],
        "approved": Stance.objects.filter(status="approved").values_list("pk", flat=True)[0],
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/stancetracker_drills"
    )
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/8")
    parser.add_argument("--rounds", type=int, default=30)
    options = parser.parse_args(argv)

    env = _environment(options)
    _database_fresh(options.database_url)
    _manage(env, "migrate", "--noinput", "-v0")
    _manage(env, "collectstatic", "--noinput", "-v0")
    _manage(env, "generate_demo_data", "--articles", "200", "--stances", "2000", "--seed", "11")
    _setup_django(env)
    from stancetracker.celery import app

    users = _users()
    stances = _subjects()
    port = _free_port()
    server = _gunicorn(env, port)
    hostname = f"drills-{port}@{socket.gethostname()}"
    worker = _worker(env, 1, hostname)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(240):
            try:
                if httpx.get(base + "/healthz", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.5)
        _wait_for_worker(app, hostname, worker)
        sessions = {role: Session(base, users.get(role)) for role in ROLES}
        report = {
            "bad input": drill_bad_input(sessions, stances=stances),
            "concurrent decisions": drill_concurrency(base, users, rounds=options.rounds),
            "roles": drill_roles(base, users, stances=stances),
        }
    finally:
        _stop(server)
        _stop(worker, wait=60)
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(json.dumps(report, indent=2))
    bad, rounds, roles = report["bad input"], report["concurrent decisions"], report["roles"]
    print(f"bad input: {bad['tried']} tried, {bad['clean']} handled cleanly")
    for failure in bad["not clean"]:
        print(f"   not clean: {failure}")
    print(f"concurrent decisions: {rounds['rounds']} rounds, {rounds['lost updates']} lost updates")
    print(
        f"roles: {roles['patterns']} URLs x {roles['roles']} roles, GET and POST = "
        f"{roles['requests']} requests, {len(roles['leaks'])} leaks"
    )
    for leak in roles["leaks"]:
        print(f"   leak: {leak}")
    print(f"Report: {REPORT}")


if __name__ == "__main__":
    main()
