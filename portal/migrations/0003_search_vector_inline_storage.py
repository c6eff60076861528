"""Keep each search vector in its row on PostgreSQL (storage MAIN).

With the default storage, the long text columns push the vector out of line into the
TOAST table, so every match and every rank reads it back from there: a search that
matched 1,000 pages spent most of its time fetching vectors. Stored in the row
(compressed), the match and the rank read the page they are on. Existing vectors are
rewritten so they take the new storage. Other databases keep no vector: nothing to do.
"""

from django.db import migrations

TABLE = "portal_pagesearchentry"


def store_inline(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER TABLE {TABLE} ALTER COLUMN search_vector SET STORAGE MAIN")
    # A new value (the vector joined with an empty one) is stored the new way.
    schema_editor.execute(
        f"UPDATE {TABLE} SET search_vector = search_vector || ''::tsvector "
        "WHERE search_vector IS NOT NULL"
    )


def store_default(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER TABLE {TABLE} ALTER COLUMN search_vector SET STORAGE EXTENDED")


class Migration(migrations.Migration):
    dependencies = [("portal", "0002_pagesearchentry")]

    operations = [migrations.RunPython(store_inline, store_default, elidable=False)]
