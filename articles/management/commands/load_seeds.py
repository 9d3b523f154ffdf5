from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from articles.services import IngestError, seeds_load
from articles.tasks import ingest_job_start


class Command(BaseCommand):
    help = "Queue the seed articles for ingestion by the Celery worker (duplicates are skipped)."

    def add_arguments(self, parser):
        parser.add_argument("--folder", default=None, help="Default: the project's seeds/ folder.")

    def handle(self, *args, folder, **options):
        folder = Path(folder) if folder else Path(settings.STANCETRACKER_SEEDS_DIR)
        try:
            job = seeds_load(folder=folder)
            if job is not None:
                ingest_job_start(job=job)
        except IngestError as error:
            raise CommandError(str(error)) from error
        if job is None:
            self.stdout.write(f"The seed files in {folder} are stored already: nothing queued.")
            return
        self.stdout.write(f"Queued {job.files_total} seed files as ingest job #{job.pk}.")
