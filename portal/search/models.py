"""The search index table: one row per live page per language with its own text."""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Index


class SearchVectorIndex(GinIndex):
    """A GIN index on PostgreSQL; elsewhere a plain index, since SQLite has no GIN.

    SQLite never fills the vector column, so the plain index stays empty and cheap.
    """

    def create_sql(self, model, schema_editor, using="", **kwargs):
        if schema_editor.connection.vendor == "postgresql":
            return super().create_sql(model, schema_editor, using=using, **kwargs)
        return Index.create_sql(self, model, schema_editor, using=using, **kwargs)


class PageSearchEntry(models.Model):
    """The searchable text of one page in one language.

    A page gets a row for a language only when it has its own text in it, so a
    Swedish-only page is never an English hit. Text columns keep the original
    wording for snippets; the ``folded_*`` columns hold lower-cased words for
    databases without full-text search; ``search_vector`` is filled on PostgreSQL
    with the language's text search configuration (title A, summary and keywords B,
    body C).
    """

    page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="search_entries"
    )
    language = models.CharField(max_length=10)
    # The page title in this language, as shown in results.
    title = models.TextField()
    # Title plus alternative titles (SEO title, teaser title).
    heading_text = models.TextField(blank=True)
    # Lead, teaser text and search description: the start of a snippet.
    summary = models.TextField(blank=True)
    # Topics, categories and names of people and organisations.
    keywords = models.TextField(blank=True)
    # Everything else: StreamField bodies, captions, inline items.
    body_text = models.TextField(blank=True)
    folded_heading = models.TextField(blank=True)
    folded_text = models.TextField(blank=True)
    search_vector = SearchVectorField(null=True, blank=True)
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["page", "language"], name="unique_page_search_language")
        ]
        indexes = [
            models.Index(fields=["language"], name="page_search_language_idx"),
            SearchVectorIndex(fields=["search_vector"], name="page_search_vector_idx"),
        ]

    def __str__(self):
        return f"{self.title} ({self.language})"
