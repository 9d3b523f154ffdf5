from django.core.management.base import BaseCommand

from actors.monthly import stance_months_rebuild


class Command(BaseCommand):
    help = (
        "Count the monthly table of approved statements (StanceMonth) again from the stances. "
        "Its triggers keep it exact; this is for a table that was written around them."
    )

    def handle(self, *args, **options):
        cells = stance_months_rebuild()
        self.stdout.write(f"Counted {cells} cells of actor, topic, label and month.")
