# The reader search reads a stored vector instead of recomputing one per row and query.
#
# PostgreSQL only (on SQLite nothing happens; search falls back to a substring match):
# - jtvc_hebrew_forms(text): for every Hebrew word that starts with one-letter prefixes
#   (ו ה ב ל מ ש כ, up to three of them, at least three letters left), the word without
#   them, so "בירושלים" is also indexed as "ירושלים". No dictionary: a bare word that merely
#   starts with one of those letters is indexed under a shorter form too, which only widens
#   what a search finds.
# - articles_article.search_vector, a STORED generated column (title A, standfirst B,
#   body C; each in the 'english' and 'simple' configurations, the Hebrew forms added to
#   'simple'), kept up to date by PostgreSQL on every INSERT/UPDATE, bulk loads included.
# - its GIN index, which replaces 0003's expression index.
# The model does not declare the column: Django never writes it (a generated column cannot
# be written) and the search reads it by name (articles/reader/search.py).

from django.db import migrations

HEBREW_FORMS_SQL = r"""
CREATE OR REPLACE FUNCTION jtvc_hebrew_forms(doc text) RETURNS text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE STRICT AS $$
DECLARE
    word text;
    forms text := '';
    stripped int;
BEGIN
    IF doc !~ '[א-ת]' THEN
        RETURN '';
    END IF;
    FOR word IN SELECT m[1] FROM regexp_matches(doc, '([א-ת]{4,})', 'g') AS m LOOP
        stripped := 0;
        WHILE stripped < 3 AND char_length(word) > 3
              AND left(word, 1) IN ('ו', 'ה', 'ב', 'ל', 'מ', 'ש', 'כ') LOOP
            word := substr(word, 2);
            forms := forms || ' ' || word;
            stripped := stripped + 1;
        END LOOP;
    END LOOP;
    RETURN forms;
END
$$;
"""


def vector_sql():
    parts = []
    for field, weight in (("title", "A"), ("dek", "B"), ("body", "C")):
        text = f'COALESCE("{field}", \'\')'
        parts.append(f"setweight(to_tsvector('english'::regconfig, {text}), '{weight}')")
        parts.append(
            f"setweight(to_tsvector('simple'::regconfig, {text} || jtvc_hebrew_forms({text})),"
            f" '{weight}')"
        )
    return " || ".join(parts)


FORWARD = [
    HEBREW_FORMS_SQL,
    "DROP INDEX IF EXISTS article_search_gin",
    f"ALTER TABLE articles_article ADD COLUMN search_vector tsvector "
    f"GENERATED ALWAYS AS ({vector_sql()}) STORED",
    "CREATE INDEX article_search_vector_gin ON articles_article USING gin (search_vector)",
    "ANALYZE articles_article",
]


def expression_index_sql():
    """0003's expression index, put back when this migration is reversed."""
    parts = [
        f"setweight(to_tsvector('{config}'::regconfig, COALESCE(\"{field}\", '')), '{weight}')"
        for field, weight in (("title", "A"), ("dek", "B"), ("body", "C"))
        for config in ("english", "simple")
    ]
    return f"CREATE INDEX article_search_gin ON articles_article USING gin (({' || '.join(parts)}))"


BACKWARD = [
    "DROP INDEX IF EXISTS article_search_vector_gin",
    "ALTER TABLE articles_article DROP COLUMN IF EXISTS search_vector",
    "DROP FUNCTION IF EXISTS jtvc_hebrew_forms(text)",
    expression_index_sql(),
]


class PostgresOnlyRunSQL(migrations.RunSQL):
    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    dependencies = [("articles", "0005_featured_index")]

    operations = [PostgresOnlyRunSQL(sql=FORWARD, reverse_sql=BACKWARD)]
