"""Indexes on Wagtail's page table for routing and listings at any size.

* ``url_path_sv`` and ``url_path_en`` (added by wagtail-modeltranslation, which does
  not index them): ``portal.routing`` finds a page by its stored address in the active
  language in one query, which without them reads every row of the page table.
* ``(depth, path)``: the children of one page (a menu, an index's listing, Wagtail's
  ``get_children`` and ``child_of``) are one range of this index instead of every
  descendant of the page. ``path`` compares in the "C" collation on PostgreSQL, so a
  prefix (``LIKE '0001%'``) is a range of it too.

Plain SQL because the table is Wagtail's; ``IF NOT EXISTS`` works on SQLite and
PostgreSQL alike.

wagtail-modeltranslation adds the per-language columns of the page table after every
migration has run (its ``migrate`` ends with ``sync_page_translation_fields``): on a new
database they do not exist yet at this point, so this migration runs that step first.
It adds only missing columns, with the same SQL, and finds nothing to do afterwards.
"""

import contextlib
import io

from django.db import migrations

INDEXES = {
    "portal_page_url_path_sv_idx": "url_path_sv",
    "portal_page_url_path_en_idx": "url_path_en",
    "portal_page_depth_path_idx": "depth, path",
}


def add_missing_translation_columns(apps, schema_editor):
    from wagtail_modeltranslation.management.commands.sync_page_translation_fields import (
        Command,
    )

    with contextlib.redirect_stdout(io.StringIO()):
        Command().handle(interactive=False)


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0004_page_translation_state"),
        # After every migration of the page table (on SQLite, altering a table copies
        # it, and the copy would leave these indexes behind).
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        # Backwards the columns stay: they belong to wagtail-modeltranslation.
        migrations.RunPython(add_missing_translation_columns, migrations.RunPython.noop),
        *(
            migrations.RunSQL(
                sql=f"CREATE INDEX IF NOT EXISTS {name} ON wagtailcore_page ({columns})",
                reverse_sql=f"DROP INDEX IF EXISTS {name}",
            )
            for name, columns in INDEXES.items()
        ),
    ]
