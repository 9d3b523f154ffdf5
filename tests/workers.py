"""Starting real Celery worker processes against the test database."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from django.db import connection

from tests.conftest import ROOT


def database_url_of_test_database() -> str:
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{db['NAME']}"
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def start_worker(*, extra_args: tuple[str, ...] = (), env: dict | None = None) -> subprocess.Popen:
    """One worker process doing the work itself (solo pool), so SIGKILL stops the work;
    ``extra_args`` (``--beat``...) and ``env`` add to its command line and environment."""
    env = {**os.environ, "DATABASE_URL": database_url_of_test_database(), **(env or {})}
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "stancetracker",
            "worker",
            *extra_args,
            "--pool=solo",
            "--loglevel=INFO",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def stop_worker(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_for(condition, *, worker: subprocess.Popen, seconds: float = 180) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        if worker.poll() is not None:
            raise AssertionError(f"the worker exited:\n{worker.stdout.read()}")
        time.sleep(0.2)
    worker.kill()
    raise AssertionError(f"timed out; worker output:\n{worker.stdout.read()}")
