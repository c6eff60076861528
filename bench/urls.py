"""The site's URLs plus ``/<language>/bench/bare/``: a trivial view behind the same
middleware, the yardstick of ``bench/page_bench.py``."""

from django.conf.urls.i18n import i18n_patterns
from django.http import HttpResponse
from django.urls import path

from portal.urls import handler404, handler500  # noqa: F401
from portal.urls import urlpatterns as portal_urlpatterns


def bare(request):
    response = HttpResponse(b"bare", content_type="text/plain; charset=utf-8")
    # Passes through the page cache's lookup like every page, but is never served from
    # it: the yardstick is the stack without any page work, not a cache hit.
    response["Cache-Control"] = "no-cache"
    return response


urlpatterns = [
    *i18n_patterns(path("bench/bare/", bare, name="bench_bare"), prefix_default_language=True),
    *portal_urlpatterns,
]
