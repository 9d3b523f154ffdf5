from __future__ import annotations

from django.core.management.base import BaseCommand

from actors.data import ACTOR_FILE, read_actor_file
from actors.loading import load_actor_data
from actors.models import Actor, ActorAlias, Country


class Command(BaseCommand):
    help = (
        "Add the actors of an actor list file (default: the built-in list) that are not yet stored."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=None)

    def handle(self, *args, path, **options):
        data = read_actor_file(path or ACTOR_FILE)
        report = load_actor_data(data, Country=Country, Actor=Actor, ActorAlias=ActorAlias)
        self.stdout.write(
            f"{report.countries_created} countries, {report.actors_created} actors and "
            f"{report.aliases_created} aliases added."
        )
        for conflict in report.conflicts:
            self.stderr.write(f"Skipped alias {conflict}.")
