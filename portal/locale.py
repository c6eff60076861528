"""Language prefixes: add one only where it leads somewhere.

Django's LocaleMiddleware answers a 404 without a language prefix with a redirect to
the same path under the reader's language whenever that path *could* match, and
Wagtail's catch-all page route matches every path: ``/de/`` became a redirect to
``/sv/de/`` (then a 404), ``/media/documents/`` one to ``/sv/media/documents/``. Here
the redirect happens only when the prefixed path reaches a view other than the page
route, or a page that exists.
"""

from django.middleware.locale import LocaleMiddleware
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.cache import patch_vary_headers
from wagtail.models import Site

from portal.routing import find_route


def leads_somewhere(request, language):
    path = request.path_info
    for candidate in (f"/{language}{path}", f"/{language}{path}/"):
        try:
            match = resolve(candidate)
        except Resolver404:
            continue
        if match.url_name != "wagtail_serve":
            return True
        site = Site.find_for_request(request)
        if site is None:
            return False
        path_in_site = match.args[0] if match.args else match.kwargs.get("path", "")
        components = [part for part in path_in_site.split("/") if part]
        with translation.override(language):
            if find_route(request, "/".join(components), site=site) is not None:
                return True
    return False


class PortalLocaleMiddleware(LocaleMiddleware):
    def process_response(self, request, response):
        if (
            response.status_code == 404
            and not translation.get_language_from_path(request.path_info)
            and not leads_somewhere(request, translation.get_language())
        ):
            patch_vary_headers(response, ("Accept-Language",))
            response.headers.setdefault("Content-Language", translation.get_language())
            return response
        return super().process_response(request, response)
