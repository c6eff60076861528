"""Keeping the search index current: build a page's rows, and react to page signals.

A page is (re)indexed when it is published (including scheduled publishing) or
moved, its rows are removed when it is unpublished or expires, and deleting a page
deletes its rows with it (the foreign key cascades). ``rebuild_index`` builds the
whole index; ``manage.py rebuild_portal_search`` runs it.
"""

import logging

from django.conf import settings
from django.contrib.postgres.search import SearchVector
from django.db import connection, transaction
from django.db.models import Value
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from portal.models import BasePage

from .extract import fold, page_text
from .models import PageSearchEntry

logger = logging.getLogger(__name__)

# PostgreSQL text search configuration (stemmer and stop words) per language.
TEXT_SEARCH_CONFIGS = {"sv": "swedish", "en": "english"}


def text_search_config(language):
    return TEXT_SEARCH_CONFIGS.get(language, "simple")


def uses_full_text_search():
    """True on PostgreSQL, whose full-text search the index then uses."""
    return connection.vendor == "postgresql"


def is_indexable(page):
    """Live portal pages; aliases repeat another page's content and are left out."""
    return page.live and page.alias_of_id is None and isinstance(page, BasePage)


def build_entries(page):
    """Unsaved index rows of a specific page, one per language with its own text."""
    entries = []
    for language, _name in settings.LANGUAGES:
        if not page.has_translation(language):
            continue
        text = page_text(page, language)
        if not text.title:
            continue
        entry = PageSearchEntry(
            page_id=page.pk,
            language=language,
            title=text.title,
            heading_text=text.heading,
            summary=text.summary,
            keywords=text.keywords,
            body_text=text.body,
            folded_heading=fold(text.heading),
            folded_text=fold(" ".join([text.heading, text.summary, text.keywords, text.body])),
        )
        if uses_full_text_search():
            config = text_search_config(language)
            entry.search_vector = (
                SearchVector(Value(text.heading), config=config, weight="A")
                + SearchVector(Value(text.summary), Value(text.keywords), config=config, weight="B")
                + SearchVector(Value(text.body), config=config, weight="C")
            )
        entries.append(entry)
    return entries


def index_page(page_id):
    """Bring the rows of one page up to date with its live version."""
    page = Page.objects.filter(pk=page_id).specific().first()
    with transaction.atomic():
        PageSearchEntry.objects.filter(page_id=page_id).delete()
        if page is not None and is_indexable(page):
            PageSearchEntry.objects.bulk_create(build_entries(page))


def remove_page(page_id):
    PageSearchEntry.objects.filter(page_id=page_id).delete()


def rebuild_index(batch_size=500):
    """Rebuild every row; returns the number of rows written."""
    written = 0
    with transaction.atomic():
        PageSearchEntry.objects.all().delete()
        batch = []
        pages = Page.objects.live().filter(alias_of__isnull=True).specific()
        for page in pages.iterator(chunk_size=batch_size):
            if not is_indexable(page):
                continue
            batch.extend(build_entries(page))
            if len(batch) >= batch_size:
                written += len(PageSearchEntry.objects.bulk_create(batch))
                batch = []
        written += len(PageSearchEntry.objects.bulk_create(batch))
    return written


# --- signals ---------------------------------------------------------------


def _index_safely(page_ids):
    # Publishing must not fail because of the search index: log and carry on.
    for page_id in page_ids:
        try:
            index_page(page_id)
        except Exception:
            logger.exception("Search index: could not index page %s", page_id)


def on_page_published(sender, instance, **kwargs):
    _index_safely([instance.pk])


def on_page_unpublished(sender, instance, **kwargs):
    remove_page(instance.pk)


def on_page_moved(sender, instance, **kwargs):
    page_ids = instance.get_descendants(inclusive=True).live().values_list("pk", flat=True)
    _index_safely(list(page_ids))


def connect_signals():
    page_published.connect(on_page_published, dispatch_uid="portal_search_published")
    page_unpublished.connect(on_page_unpublished, dispatch_uid="portal_search_unpublished")
    post_page_move.connect(on_page_moved, dispatch_uid="portal_search_moved")
