"""A fresh database gets a real, empty home page in both languages.

Wagtail's own migrations root the default site at a bare placeholder page (no
template, an empty title in every language). This replaces it with an empty
HomePage named after the portal, so a new installation serves /sv/ and /en/ with the
site name, menu and footer. Databases that already hold pages are left alone.

Wagtail's Page table gets its per-language columns (title_sv, …) from
wagtail-modeltranslation's migrate command only after every migration has run; on a
fresh database they are added here first (the same columns that command would add,
which then finds nothing to do).
"""

from django.db import migrations
from django.utils import timezone

SITE_NAMES = {"sv": "Flemingsbergsportalen", "en": "Flemingsberg Portal"}
TITLES = {"sv": "Välkommen till Flemingsbergsportalen", "en": "Welcome to Flemingsberg Portal"}
SLUGS = {"sv": "hem", "en": "home"}
TAGLINES = {
    "sv": "Nyheter från vetenskapsstaden Flemingsberg",
    "en": "News from Flemingsberg, a science city",
}


def add_page_translation_columns(schema_editor):
    from wagtail.models import Page

    connection = schema_editor.connection
    with connection.cursor() as cursor:
        table = connection.introspection.get_table_description(cursor, Page._meta.db_table)
    existing = {column.name for column in table}
    already_deferred = len(schema_editor.deferred_sql)
    for field in Page._meta.local_fields:
        if field.name.endswith(("_sv", "_en")) and field.column not in existing:
            schema_editor.add_field(Page, field)
    # Their indexes now, not at the end of the migration (after the rows below).
    for statement in schema_editor.deferred_sql[already_deferred:]:
        schema_editor.execute(statement)
    del schema_editor.deferred_sql[already_deferred:]


def create_home_page(apps, schema_editor):
    Page = apps.get_model("wagtailcore", "Page")
    HomePage = apps.get_model("home", "HomePage")
    Site = apps.get_model("wagtailcore", "Site")
    Locale = apps.get_model("wagtailcore", "Locale")
    ContentType = apps.get_model("contenttypes", "ContentType")
    PortalSettings = apps.get_model("portal", "PortalSettings")

    page_type = ContentType.objects.get_for_model(Page)
    placeholders = Page.objects.filter(depth=2, content_type=page_type)
    # Only Wagtail's own starting point: one placeholder page, nothing below it.
    if HomePage.objects.exists() or Page.objects.filter(depth__gt=2).exists():
        return
    if Page.objects.filter(depth=2).count() != 1 or placeholders.count() != 1:
        return
    # Columns first: PostgreSQL refuses ALTER TABLE once rows changed in this transaction.
    add_page_translation_columns(schema_editor)
    placeholder = placeholders.get()
    root = Page.objects.get(depth=1)
    locale = Locale.objects.filter(language_code="sv").first() or placeholder.locale
    now = timezone.now()

    home = HomePage.objects.create(
        title=TITLES["sv"],
        draft_title=TITLES["sv"],
        slug=SLUGS["sv"],
        content_type=ContentType.objects.get_for_model(HomePage),
        locale=locale,
        # A sibling of the placeholder (treebeard paths need not be contiguous).
        path=root.path + "0002",
        depth=2,
        numchild=0,
        url_path=f"/{SLUGS['sv']}/",
        live=True,
        has_unpublished_changes=False,
        first_published_at=now,
        last_published_at=now,
        body_sv=[],
        body_en=[],
    )
    Site.objects.filter(root_page=placeholder).update(root_page=home)
    placeholder.delete()

    from wagtail.models import Page as CurrentPage

    CurrentPage.objects.filter(pk=home.pk).update(
        **{f"title_{code}": TITLES[code] for code in TITLES},
        **{f"slug_{code}": SLUGS[code] for code in SLUGS},
        **{f"url_path_{code}": f"/{SLUGS[code]}/" for code in SLUGS},
    )
    for site in Site.objects.filter(root_page=home):
        PortalSettings.objects.get_or_create(
            site=site,
            defaults={
                "site_name": SITE_NAMES["sv"],
                **{f"site_name_{code}": SITE_NAMES[code] for code in SITE_NAMES},
                "tagline": TAGLINES["sv"],
                **{f"tagline_{code}": TAGLINES[code] for code in TAGLINES},
            },
        )


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0003_body_timeline_excerpt_and_award_winners_blocks"),
        ("portal", "0002_pagesearchentry"),
        ("wagtailcore", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    run_before = []

    operations = [migrations.RunPython(create_home_page, migrations.RunPython.noop)]
