"""The stored translation state of every page (``portal.translation_tools.state``).

Existing pages get their rows here, worked out from their text with today's page types.
Should those no longer match the database (later migrations of the page apps still to
run), the rows are left to ``manage.py translation_status``, which rebuilds them all,
and to the admin views, which work out what is missing a few hundred pages at a time.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import DatabaseError, migrations, models, transaction


def work_out_states(apps, schema_editor):
    from portal.translation_tools import state

    if schema_editor.connection.alias != "default":
        return
    Page = apps.get_model("wagtailcore", "Page")
    if not Page.objects.filter(depth__gt=1).exists():
        return
    try:
        with transaction.atomic():
            state.rebuild()
    except DatabaseError:
        pass


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0003_search_vector_inline_storage"),
        migrations.swappable_dependency(settings.WAGTAIL_PAGE_MODEL),
        # Today's page types, whose text the states are worked out from.
        ("home", "0004_fresh_site_home_page"),
        ("stories", "0003_body_timeline_excerpt_and_award_winners_blocks"),
        ("awards", "0002_body_timeline_excerpt_and_award_winners_blocks"),
    ]

    operations = [
        migrations.CreateModel(
            name="PageTranslationState",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("language", models.CharField(max_length=10)),
                ("state", models.CharField(max_length=12)),
                ("live", models.BooleanField(default=False)),
                ("missing", models.JSONField(default=list)),
                ("optional_missing", models.JSONField(default=list)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "page",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="translation_states",
                        to=settings.WAGTAIL_PAGE_MODEL,
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(
                        fields=["language", "live", "state"], name="page_translation_count_idx"
                    ),
                    models.Index(
                        condition=models.Q(("state", "stale")),
                        fields=["page"],
                        name="page_translation_stale_idx",
                    ),
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("page", "language"), name="unique_page_translation_state"
                    )
                ],
            },
        ),
        migrations.RunPython(work_out_states, migrations.RunPython.noop),
    ]
