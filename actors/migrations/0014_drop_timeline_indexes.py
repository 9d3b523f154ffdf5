"""The list pages' timeline indexes of migration 0010 (partial, NULLS LAST, PostgreSQL only)
go: the actor and country pages now order by the coalesced date, as the analysis pages do,
and the indexes of migration 0012 serve both (EXPLAIN ANALYZE on the benchmark's million
stances: the busiest actor's first page 0.5 ms, Russia's 1.5 ms, the smallest country's
18 ms, against 2.1, 1.6 and 38 ms with the old order and indexes).
"""

from django.db import migrations

DROP = """
DROP INDEX IF EXISTS stance_actor_statements_idx;
DROP INDEX IF EXISTS stance_statements_idx;
"""
CREATE = """
CREATE INDEX stance_actor_statements_idx ON actors_stance
    (actor_id, stated_on DESC NULLS LAST, id DESC)
    WHERE primary_id IS NULL AND status = 'approved';
CREATE INDEX stance_statements_idx ON actors_stance
    (stated_on DESC NULLS LAST, id DESC, actor_id)
    WHERE primary_id IS NULL AND status = 'approved';
"""


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("actors", "0013_stance_month"),
    ]

    operations = [
        migrations.RunPython(_on_postgresql(DROP), _on_postgresql(CREATE), elidable=False),
    ]
