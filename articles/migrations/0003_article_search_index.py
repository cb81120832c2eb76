# A GIN index on the reader search's weighted vector (articles/search.py). PostgreSQL only:
# on SQLite the operation does nothing, and search falls back to a substring match.

from django.db import migrations


def _vector_sql():
    parts = []
    for field, weight in (("title", "A"), ("dek", "B"), ("body", "C")):
        for config in ("english", "simple"):
            parts.append(
                f"setweight(to_tsvector('{config}'::regconfig, COALESCE(\"{field}\", '')), "
                f"'{weight}')"
            )
    return " || ".join(parts)


class PostgresOnlyRunSQL(migrations.RunSQL):
    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    dependencies = [("articles", "0002_newsroom_roles")]

    operations = [
        PostgresOnlyRunSQL(
            sql=f"CREATE INDEX article_search_gin ON articles_article USING gin (({_vector_sql()}))",
            reverse_sql="DROP INDEX IF EXISTS article_search_gin",
        ),
    ]
