"""Purging a cache in front of the site (a CDN, Varnish) in both languages.

Wagtail's frontend-cache app purges a published page's address in the language of
the request that published it only, and its language option rewrites just the
/sv/ prefix, which misses translated slugs (/sv/nyheter/… is /en/news/…). Here a
publish or unpublish purges the page and every page above it (the indexes and the
home page list it) at each language's own address.
"""

from django.conf import settings
from django.utils import translation
from wagtail.contrib.frontend_cache.utils import PurgeBatch
from wagtail.signals import page_published, page_unpublished

from .site_urls import absolute_url


def addresses_in_every_language(page):
    """The page and its ancestors below the tree root, at each language's address."""
    pages = [*page.get_ancestors().filter(depth__gt=1).specific(), page.specific]
    urls = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            for each in pages:
                # The public address, as in canonical links (not the Site's hostname).
                url = absolute_url(each.get_url())
                if url:
                    urls += [url + path.lstrip("/") for path in each.get_cached_paths()]
    return list(dict.fromkeys(urls))


def purge_in_every_language(sender, instance, **kwargs):
    if not getattr(settings, "WAGTAILFRONTENDCACHE", None):
        return
    batch = PurgeBatch()
    batch.add_urls(addresses_in_every_language(instance))
    batch.purge()


def connect():
    page_published.connect(purge_in_every_language, dispatch_uid="portal-purge-published")
    page_unpublished.connect(purge_in_every_language, dispatch_uid="portal-purge-unpublished")
