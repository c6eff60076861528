"""Renditions made before readers ask for them.

The first request for a page with images used to cut every rendition it shows (hero
sizes, cards, the share image), for seconds on a fresh site. Rendering the page once,
in each language, as an anonymous reader would see it, makes exactly the renditions
its templates use, and fills the fragment caches on the way. This runs at the end of
``seed_demo``, from ``warm_site`` (after a deploy or an import), and after an editor
publishes: for the page, its parent (the listing that shows it as a card) and the home
page.
"""

import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.http.request import validate_host
from django.test import RequestFactory
from django.utils import translation
from wagtail.models import Page, Site

logger = logging.getLogger(__name__)


def _host(site):
    """The site's own host name when the settings allow it, else the public address's
    (production allows only the hosts it is served under)."""
    if validate_host(site.hostname, settings.ALLOWED_HOSTS):
        return site.hostname
    return urlsplit(getattr(settings, "WAGTAILADMIN_BASE_URL", "")).hostname or site.hostname


def render_page(page, language):
    """Render ``page`` in ``language`` as an anonymous reader would get it."""
    site = page.get_site() or Site.objects.filter(is_default_site=True).first()
    if site is None:
        return
    with translation.override(language):
        path = page.get_url(request=None) or "/"
        request = RequestFactory().get(path, HTTP_HOST=_host(site), secure=True)
        request.user = AnonymousUser()
        request.LANGUAGE_CODE = language
        # Through the page's own route: an index's listing is its routable view's.
        routed, args, kwargs = page.route(request, [])
        response = routed.serve(request, *args, **kwargs)
        if hasattr(response, "render"):
            response.render()


def warm_pages(pages):
    """Render each live page in every language; failures are logged, never raised."""
    for page in pages:
        page = page.specific
        if not page.live:
            continue
        for language, _name in settings.LANGUAGES:
            try:
                render_page(page, language)
            except Exception:  # a page that cannot render must not stop a publish
                logger.warning("Could not pre-render %s in %s", page.pk, language, exc_info=True)


def warm_site():
    """Every live page of every site."""
    pages = Page.objects.live().filter(depth__gt=1).specific().order_by("path")
    warm_pages(pages)
    return len(pages)


def _after_publish(sender, instance, **kwargs):
    def warm():
        related = [instance]
        parent = instance.get_parent()
        if parent is not None and parent.depth > 1:
            related.append(parent)
        site = instance.get_site()
        if site is not None and site.root_page_id not in {page.pk for page in related}:
            related.append(site.root_page)
        warm_pages(related)

    transaction.on_commit(warm)


def connect():
    from wagtail.signals import page_published

    page_published.connect(_after_publish, dispatch_uid="portal-warm-renditions")
