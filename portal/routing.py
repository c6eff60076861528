"""Finding the page for an address in a fixed number of queries, however deep or wide
the tree.

wagtail-modeltranslation replaces ``Page.route`` with one that walks the tree level by
level and, at each level, loads every child to compare slugs in the active language:
a story under an index of 100,000 stories read 100,000 rows. Every page already stores
its address per language (``url_path_sv``, ``url_path_en``), so one query finds the
deepest page whose address begins the requested one, and that page's own ``route``
takes the rest: a routable page's sub-addresses (an index's ``rss/``), or Wagtail's
usual 404 for a child that does not exist. When no stored address matches (a page
saved without its per-language addresses), the tree walk decides, as before.
"""

from django.contrib.contenttypes.models import ContentType
from django.http import Http404
from django.utils import translation
from wagtail import views as wagtail_views
from wagtail.models import Page, Site

from portal.page_cache import cached_value


def _url_path_field():
    return f"url_path_{translation.get_language() or 'sv'}"


def site_for_request(request):
    """Wagtail's ``Site.find_for_request``, kept with the page cache's generation: its
    query is the most expensive of a page view to build (a CASE over every site)."""
    if hasattr(request, "_wagtail_site"):
        return request._wagtail_site
    try:
        parts = [request.get_host(), request.get_port()]
    except Exception:  # a host Django refuses: Wagtail's own lookup decides
        return Site.find_for_request(request)
    request._wagtail_site = cached_value(
        request, "site", parts, lambda: Site._find_for_request(request)
    )
    return request._wagtail_site


def _find_page(root, field, candidates):
    """(specific page, depth) of the deepest page whose stored address is one of
    ``candidates``, or None."""
    found = (
        Page.objects.filter(path__startswith=root.path, **{f"{field}__in": candidates})
        .order_by("-depth", "path")
        .values_list("pk", "content_type_id", "depth")
        .first()
    )
    if found is None:
        return None
    pk, content_type_id, depth = found
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    # The images every page shows in its head (share image, card image) come along.
    images = [name for name in ("listing_image", "social_image", getattr(model, "hero_image_field", None))
              if name and hasattr(model, name)]  # fmt: skip
    return model.objects.select_related(*images).get(pk=pk), depth


def find_route(request, path, site=None):
    """The ``RouteResult`` for ``path`` (below the language prefix) on the request's
    site in the active language, or None.

    The page found is kept with the page cache's generation (any publish, move or
    deletion renews it), so a page rendered past the page cache is routed without SQL.
    """
    site = site or site_for_request(request)
    if site is None:
        return None
    root = site.root_page
    components = [part for part in path.split("/") if part]
    field = _url_path_field()
    root_url_path = getattr(root, field, None) or root.url_path_sv or root.url_path
    candidates = [root_url_path + "".join(f"{part}/" for part in components[:depth])
                  for depth in range(1, len(components) + 1)]  # fmt: skip
    try:
        if candidates:
            found = cached_value(request, "route", [site.pk, candidates],
                                 lambda: _find_page(root, field, candidates))  # fmt: skip
        else:  # the site's root page itself
            found = cached_value(request, "route", [site.pk],
                                 lambda: (root.localized.specific, root.depth))  # fmt: skip
        if found is None:
            return root.localized.specific.route(request, components)
        page, depth = found
        return page.route(request, components[depth - root.depth :])
    except Http404:
        return None


def serve(request, path):
    """Wagtail's page view, with the route found as above (Wagtail reads it from the
    request and goes on exactly as usual: privacy checks, hooks, the page's serve)."""
    if not hasattr(request, "_wagtail_route_for_request"):
        request._wagtail_route_for_request = find_route(request, path)
    return wagtail_views.serve(request, path)
