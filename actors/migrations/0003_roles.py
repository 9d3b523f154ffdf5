from django.db import migrations

from stancetracker.roles import sync_roles_migration


class Migration(migrations.Migration):
    dependencies = [
        ("actors", "0002_builtin_actors_and_topic"),
        ("articles", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(sync_roles_migration, migrations.RunPython.noop)]
