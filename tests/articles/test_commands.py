from __future__ import annotations

import json
import subprocess
import sys
from io import StringIO
from unittest import mock

import pytest
from django.core.management import CommandError, call_command

from actors.models import Stance
from articles.models import Article, IngestJob
from tests.conftest import ROOT, SEEDS

pytestmark = pytest.mark.django_db


def test_extract_stances_prints_one_json_object_per_proposal_and_writes_nothing():
    out = StringIO()
    call_command("extract_stances", str(SEEDS), "--format", "jsonl", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines
    records = [json.loads(line) for line in lines]
    assert {r["file"] for r in records} <= {p.name for p in SEEDS.glob("*.txt")}
    for record in records:
        assert {
            "file",
            "actor",
            "country",
            "label",
            "stated_on",
            "quote",
            "confidence",
        } <= record.keys()
        assert record["label"] in {"support", "oppose", "conditional", "neutral"}
        assert 0 <= record["confidence"] <= 1
        assert record["stated_on"] is None or len(record["stated_on"]) in (7, 10)
    macron = [r for r in records if r["actor"] == "Emmanuel Macron"]
    assert macron and all(r["country"] == "FR" for r in macron)
    assert Article.objects.count() == 0
    assert Stance.objects.count() == 0


def test_extract_stances_takes_single_files():
    out = StringIO()
    path = SEEDS / "002_d5fbb319ba88df74.txt"
    call_command("extract_stances", str(path), stdout=out)
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    assert records and {r["file"] for r in records} == {path.name}


def test_extract_stances_reports_a_missing_path():
    with pytest.raises(CommandError, match="No such file or folder"):
        call_command("extract_stances", "/nonexistent/article.txt")


def test_load_seeds_queues_one_job_with_every_seed_file(
    settings, django_capture_on_commit_callbacks
):
    settings.STANCETRACKER_SEEDS_DIR = SEEDS
    out = StringIO()
    with (
        mock.patch("articles.tasks.ingest_job_run_task.apply_async") as enqueue,
        django_capture_on_commit_callbacks(execute=True),
    ):
        call_command("load_seeds", stdout=out)
    job = IngestJob.objects.get()
    assert job.files_total == 5 == job.items.count()
    assert job.status == IngestJob.Status.QUEUED
    enqueue.assert_called_once_with((job.pk,), retry=False)
    assert f"#{job.pk}" in out.getvalue()


def test_load_seeds_again_queues_nothing_when_every_seed_is_stored(settings):
    from articles.services import ingest_job_run

    settings.STANCETRACKER_SEEDS_DIR = SEEDS
    with mock.patch("articles.tasks.ingest_job_run_task.apply_async"):
        call_command("load_seeds", stdout=StringIO())
    ingest_job_run(job=IngestJob.objects.get())
    out = StringIO()
    call_command("load_seeds", stdout=out)
    assert IngestJob.objects.count() == 1
    assert "stored already" in out.getvalue()


def test_ensure_demo_admin_creates_the_account_once(django_user_model):
    out = StringIO()
    call_command("ensure_demo_admin", stdout=out)
    assert "password" in out.getvalue()
    assert django_user_model.objects.filter(is_superuser=True).count() == 1
    again = StringIO()
    call_command("ensure_demo_admin", stdout=again)
    assert again.getvalue() == ""
    assert django_user_model.objects.count() == 1


def test_extract_stances_stdout_has_only_json_lines_as_a_process(tmp_path):
    """The command as other tools call it: a fresh process, stdout holds JSON lines only."""
    env_db = tmp_path / "cli.sqlite3"
    env = {
        "PATH": "/usr/bin:/bin",
        "DATABASE_URL": f"sqlite:///{env_db}",
        "STANCETRACKER_VAR_DIR": str(tmp_path),
        "HOME": str(tmp_path),
    }
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "extract_stances",
            str(SEEDS / "003_a2d32abba07d458e.txt"),
            "--format",
            "jsonl",
        ],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    lines = result.stdout.splitlines()
    assert lines
    assert all(json.loads(line)["file"] == "003_a2d32abba07d458e.txt" for line in lines)
