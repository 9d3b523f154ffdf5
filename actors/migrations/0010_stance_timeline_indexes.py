"""Indexes in the timelines' order, newest first and undated last, over approved statements
(no corroborating reports): one actor's, and all actors' (a country's page walks it and keeps
the stances of its actors). PostgreSQL only: SQLite cannot index ``NULLS LAST``, and its
small databases sort quickly without them.
"""

from django.db import migrations

CREATE = """
CREATE INDEX stance_actor_statements_idx ON actors_stance
    (actor_id, stated_on DESC NULLS LAST, id DESC)
    WHERE primary_id IS NULL AND status = 'approved';
CREATE INDEX stance_statements_idx ON actors_stance
    (stated_on DESC NULLS LAST, id DESC, actor_id)
    WHERE primary_id IS NULL AND status = 'approved';
"""
DROP = """
DROP INDEX IF EXISTS stance_actor_statements_idx;
DROP INDEX IF EXISTS stance_statements_idx;
"""


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("actors", "0009_stance_review_queue_indexes"),
    ]

    operations = [
        migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(DROP), elidable=False),
    ]
