import re

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail import views as wagtail_views
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls
from wagtail.documents.views import serve as wagtaildocs_serve

from . import routing, views
from .search import views as search_views
from .sitemaps import sitemap_file, sitemap_index
from .throttle import throttled_password_view

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path(".well-known/security.txt", views.security_txt, name="security_txt"),
    # The sitemap index and its files (portal/sitemaps.py); a file number that is not
    # one of the index's answers 404.
    path("sitemap.xml", sitemap_index, name="sitemap"),
    re_path(r"^sitemap-pages-(?P<number>[^/]*)\.xml$", sitemap_file, name="sitemap_file"),
    path("admin/", include(wagtailadmin_urls)),
    # Wagtail's password forms for documents and pages, throttled like the admin login
    # (the same addresses and names, ahead of Wagtail's own).
    path(
        "documents/authenticate_with_password/<int:restriction_id>/",
        throttled_password_view(
            wagtaildocs_serve.authenticate_with_password, "document", "restriction_id"
        ),
        name="wagtaildocs_authenticate_with_password",
    ),
    # Wagtail's download view, answering 404 when the file is gone from storage.
    re_path(r"^documents/(\d+)/(.*)$", views.serve_document, name="wagtaildocs_serve"),
    path("documents/", include(wagtaildocs_urls)),
]

if settings.DEBUG or settings.PORTAL_SERVE_MEDIA:
    # Uploaded images only (a proxy or object storage can take over in production);
    # documents are served by /documents/, which checks their collection's privacy.
    urlpatterns += [
        re_path(
            rf"^{re.escape(settings.MEDIA_URL.lstrip('/'))}(?P<path>.*)$",
            views.public_media,
            name="public_media",
        )
    ]

urlpatterns += i18n_patterns(
    # Translators: the search page's address after the language prefix (/sv/sok/): lower-case
    # a–z and a closing slash. Changing it moves a public address.
    path(_("search/"), search_views.search, name="search"),
    # The Swedish search page's former address /sv/search/, for old links and bookmarks:
    # a permanent redirect to /sv/sok/ with the query string (in English the pattern above
    # answers first).
    path(
        "search/",
        RedirectView.as_view(pattern_name="search", permanent=True, query_string=True),
        name="search_moved",
    ),
    path(
        "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/",
        throttled_password_view(
            wagtail_views.authenticate_with_password, "page", "page_view_restriction_id"
        ),
        name="wagtailcore_authenticate_with_password",
    ),
    # Wagtail's catch-all page serving comes last; its page view (same pattern and
    # name) finds the page in a fixed number of queries (portal/routing.py).
    re_path(r"^((?:[\w\-]+/)*)$", routing.serve, name="wagtail_serve"),
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)

handler404 = "portal.views.page_not_found"
handler500 = "portal.views.server_error"
