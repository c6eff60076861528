"""The stored translation state of every page (``portal.translation_tools.state``).

The rows of pages that exist already are worked out once every migration has run, when
every table matches the code (``state.on_post_migrate``): here, today's page types could
read tables that later migrations still change.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0003_search_vector_inline_storage"),
        migrations.swappable_dependency(settings.WAGTAIL_PAGE_MODEL),
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
    ]
