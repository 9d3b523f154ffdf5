from django.contrib.auth.management import create_permissions
from django.db import migrations

from actors.roles import sync_roles


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations have run; the
    # groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    sync_roles(Group=apps.get_model("auth", "Group"), Permission=apps.get_model("auth", "Permission"))


class Migration(migrations.Migration):
    dependencies = [
        ("actors", "0002_builtin_actors_and_topic"),
        ("articles", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
