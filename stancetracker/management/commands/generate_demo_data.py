from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from stancetracker.demo_data import DemoDataError, demo_data_generate


class Command(BaseCommand):
    help = (
        "Fill the database with synthetic, deterministic demo data (articles and stances over "
        "the stored actors), replacing earlier demo data. Refused on a database with other "
        "articles unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, default=1000)
        parser.add_argument("--stances", type=int, default=10_000)
        parser.add_argument("--seed", type=int, default=0, help="The same seed, the same data.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Add demo data beside articles that are not demo data (they are not changed).",
        )
        parser.add_argument("--batch-size", type=int, default=5000)

    def handle(self, *args, articles, stances, seed, force, batch_size, **options):
        def progress(done: int, total: int) -> None:
            if options["verbosity"] > 1:
                self.stdout.write(f"  {done}/{total} articles")

        try:
            summary = demo_data_generate(
                articles=articles,
                stances=stances,
                seed=seed,
                force=force,
                batch_size=batch_size,
                progress=progress,
            )
        except DemoDataError as error:
            raise CommandError(str(error)) from error
        replaced = (
            f" (replacing {summary.replaced_articles} demo articles)"
            if summary.replaced_articles
            else ""
        )
        self.stdout.write(
            f"Generated {summary.articles} articles and {summary.stances} stances{replaced} "
            f"in {summary.seconds:.1f} s."
        )
