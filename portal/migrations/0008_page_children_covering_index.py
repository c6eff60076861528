"""Two more indexes on Wagtail's page table, for listings of one page's children.

* On PostgreSQL, the ``(depth, path)`` index of 0005 also carries the page's id,
  ``live`` and ``first_published_at``: a listing of one page's children (an award
  programme's winners, the cultural projects, an index's count) joins the page table
  for those, and reads them from the index alone instead of visiting each child's row
  in a table of 100,000 pages (3,000 projects: 23 ms, now under 1). SQLite has no
  such indexes and keeps the plain one.
* The menu: the live children of the home page shown in menus, a handful among
  thousands of pages under the home page, read from a partial index of those pages
  only (on every page view whose menu is not cached).
"""

from django.db import migrations

COVERING = (
    "CREATE INDEX IF NOT EXISTS portal_page_children_idx "
    "ON wagtailcore_page (depth, path) INCLUDE (id, live, first_published_at)"
)
PLAIN = "CREATE INDEX IF NOT EXISTS portal_page_depth_path_idx ON wagtailcore_page (depth, path)"
MENU = (
    "CREATE INDEX IF NOT EXISTS portal_page_menu_idx ON wagtailcore_page (depth, path) "
    "WHERE live AND show_in_menus"
)


def covering_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(COVERING)
        schema_editor.execute("DROP INDEX IF EXISTS portal_page_depth_path_idx")


def plain_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PLAIN)
        schema_editor.execute("DROP INDEX IF EXISTS portal_page_children_idx")


class Migration(migrations.Migration):
    dependencies = [("portal", "0007_page_translation_state_content_type")]

    operations = [
        migrations.RunPython(covering_index, plain_index),
        migrations.RunSQL(MENU, "DROP INDEX IF EXISTS portal_page_menu_idx"),
    ]
