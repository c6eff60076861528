"""``/sitemap.xml``: every live page in each language that has its own text.

Each ``<url>`` lists, as ``xhtml:link`` alternates, the page in every language with
a real translation plus ``x-default`` (the Swedish page), so the alternates of a
page's language versions are the same set and point at each other. A Swedish-only
page is listed once: its English address shows the Swedish text and is not
advertised. ``lastmod`` is the last publication. The pages are fetched with one
query plus one per page type, however many there are.
"""

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import sitemap as django_sitemap
from django.views.decorators.http import require_GET
from wagtail.models import Page, Site

from .models import BasePage
from .site_urls import base_parts

X_DEFAULT = "x-default"


class PageSitemap(Sitemap):
    i18n = True
    alternates = True
    # Django's x-default drops the language prefix, an address this site does not
    # serve; ``get_urls`` adds the Swedish page instead, as the page heads do.
    x_default = False

    def __init__(self, site):
        self.site = site
        self._pages = None

    def items(self):
        if self._pages is None:
            if self.site is None:
                self._pages = []
            else:
                self._pages = list(
                    Page.objects.live()
                    .public()
                    .descendant_of(self.site.root_page, inclusive=True)
                    # An alias repeats another page: only the original is listed.
                    .filter(alias_of__isnull=True)
                    .order_by("path")
                    .specific()
                )
        return self._pages

    def get_languages_for_item(self, page):
        if not isinstance(page, BasePage):
            return [settings.LANGUAGE_CODE]
        return [code for code, _name in settings.LANGUAGES if page.has_translation(code)]

    # Addresses come from the configured site address, never from the request's Host.
    def get_protocol(self, protocol=None):
        return base_parts()[0]

    def get_domain(self, site=None):
        return base_parts()[1]

    def location(self, page):
        # Called with the item's language active; the path carries the language prefix.
        _site_id, _root_url, page_path = page.get_url_parts()
        return page_path

    def lastmod(self, page):
        return page.last_published_at or page.latest_revision_created_at or page.first_published_at

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        for url in urls:
            default = next(
                (a for a in url["alternates"] if a["lang_code"] == settings.LANGUAGE_CODE), None
            )
            if default is not None:
                url["alternates"].append({"location": default["location"], "lang_code": X_DEFAULT})
        return urls


@require_GET
def sitemap(request):
    page_sitemap = PageSitemap(Site.find_for_request(request))
    return django_sitemap(request, sitemaps={"pages": page_sitemap})
