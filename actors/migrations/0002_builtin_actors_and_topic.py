from django.db import migrations

from actors.data import read_actor_file
from actors.loading import load_actor_data



def load(apps, schema_editor):
    Topic = apps.get_model("actors", "Topic")
    Topic.objects.get_or_create(
        slug="europe-russia-dialogue",
        defaults={
            "name": "Europe–Russia dialogue",
            "description": "Should Europe (the EU, its institutions, its governments) "
            "resume dialogue or negotiations with Russia?",
        },
    )
    load_actor_data(
        read_actor_file(),
        Country=apps.get_model("actors", "Country"),
        Actor=apps.get_model("actors", "Actor"),
        ActorAlias=apps.get_model("actors", "ActorAlias"),
    )


class Migration(migrations.Migration):
    dependencies = [("actors", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
