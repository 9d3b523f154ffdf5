"""Serve the web app with a Celery worker process beside it; Ctrl-C stops both."""

from __future__ import annotations

import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

WORKER_ARGS = [
    "-m",
    "celery",
    "-A",
    "stancetracker",
    "worker",
    "--loglevel=INFO",
    "--concurrency=1",
    "--beat",
    "--without-gossip",
    "--without-mingle",
]


class Command(BaseCommand):
    help = "Run the development server and a Celery worker together."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args, addrport, **options):
        worker = subprocess.Popen([sys.executable, *WORKER_ARGS], cwd=settings.BASE_DIR)
        self.stdout.write(f"Celery worker started (pid {worker.pid}).")
        try:
            call_command("runserver", addrport, use_reloader=False)
        finally:
            if worker.poll() is None:
                worker.terminate()
                try:
                    worker.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    worker.kill()
            self.stdout.write("Web server and worker stopped.")
