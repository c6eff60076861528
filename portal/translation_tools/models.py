"""The translation state of every page, per language, kept so that the admin counts in SQL.

One row per page and target language: complete, partial or untranslated (see
``status.py``), the fields that lack text, and whether the page is live. Saving a
page (or one of its inline children) marks its rows *stale*; they are worked out
again from the page's stored content when it is published, and otherwise by the
next dashboard or report view. ``manage.py translation_status`` rebuilds every row.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

STALE = "stale"


class PageTranslationState(models.Model):
    page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="translation_states"
    )
    language = models.CharField(max_length=10)
    # "complete", "partial", "untranslated", or "stale" until worked out again.
    state = models.CharField(max_length=12)
    # Copies of the page's own live flag and type: counts need no join with the page table.
    live = models.BooleanField(default=False)
    content_type = models.ForeignKey(
        "contenttypes.ContentType",
        on_delete=models.CASCADE,
        related_name="+",
        null=True,
        db_index=False,
    )
    # [{"field": "lead", "missing": 1, "texts": 1}, ...]: required texts without translation.
    missing = models.JSONField(default=list)
    # Names of the optional fields (SEO title, search description) left untranslated.
    optional_missing = models.JSONField(default=list)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["page", "language"], name="unique_page_translation_state"
            )
        ]
        indexes = [
            models.Index(
                fields=["language", "live", "state", "content_type"],
                name="page_translation_counts_idx",
            ),
            models.Index(
                fields=["page"], condition=Q(state=STALE), name="page_translation_stale_idx"
            ),
        ]

    def __str__(self):
        return f"page {self.page_id} [{self.language}]: {self.state}"


class TranslationCount(models.Model):
    """How many live pages are in each state, per language: what the dashboard shows,
    kept so that it reads a few rows rather than every page's. Any change to the states
    removes them all (``state.forget_counts``); the next reader counts again."""

    language = models.CharField(max_length=10)
    state = models.CharField(max_length=12)
    pages = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["language", "state"], name="unique_translation_count")
        ]

    def __str__(self):
        return f"{self.language} {self.state}: {self.pages}"


class ContentExportRecord(models.Model):
    """What translators last downloaded of a page or snippet, per language: a fingerprint
    of its Swedish text, so that a later download can hold only what changed since."""

    language = models.CharField(max_length=10)
    object_key = models.CharField(max_length=200)  # "page:42", "stories.topic:7"
    source_fingerprint = models.CharField(max_length=40)
    exported_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["language", "object_key"], name="unique_content_export_record"
            )
        ]

    def __str__(self):
        return f"{self.object_key} [{self.language}]: {self.exported_at:%Y-%m-%d %H:%M}"


class ContentPOUpload(models.Model):
    """A content PO file a translator uploaded in the admin, kept between its review and
    its application so that what is applied is exactly what was reviewed; reachable only
    by its random token and only by the translator who uploaded it."""

    token = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    language = models.CharField(max_length=10)
    file_name = models.CharField(max_length=255, blank=True)
    content = models.TextField()
    uploaded_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.file_name or self.token} [{self.language}]"
