"""A GIN index over the English full-text vector of each stance's quote (PostgreSQL only),
so that quote search is an index lookup instead of a vector computed for every row.

The expression is exactly the one ``articles.selectors.stance_search`` filters on; on other
databases search matches substrings and needs no index.
"""

from django.db import migrations

CREATE = """
CREATE INDEX stance_quote_search_idx ON actors_stance
    USING gin (to_tsvector('english'::regconfig, COALESCE(quote, '')));
"""
DROP = "DROP INDEX IF EXISTS stance_quote_search_idx;"


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("actors", "0006_stance_corroboration"),
    ]

    operations = [
        migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(DROP), elidable=False),
    ]
