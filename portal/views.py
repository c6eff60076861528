import logging
import re
from urllib.parse import urlencode

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import DatabaseError, connection
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.template import loader
from django.template.response import TemplateResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.defaults import page_not_found as django_page_not_found
from wagtail.models import Page

logger = logging.getLogger(__name__)

SEARCH_QUERY_MAX_LENGTH = 200


@never_cache
@require_GET
def healthz(request):
    """Liveness and database check for load balancers and docker compose."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("Health check: database unreachable")
        return JsonResponse({"status": "error", "database": "error"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@require_GET
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def search(request):
    query = request.GET.get("q", "").replace("\x00", "").strip()[:SEARCH_QUERY_MAX_LENGTH]
    # Search on words only: quotes and operators would be parsed by the backend.
    terms = " ".join(re.findall(r"\w+", query))
    results = Page.objects.none()
    if terms:
        results = Page.objects.live().public().specific().search(terms)
    paginator = Paginator(results, 10)
    try:
        page_obj = paginator.page(request.GET.get("page", 1))
    except (EmptyPage, PageNotAnInteger):
        page_obj = paginator.page(1)
    return TemplateResponse(
        request,
        "search.html",
        {
            "query": query,
            "page_obj": page_obj,
            "pagination_query": urlencode({"q": query}),
        },
    )


def page_not_found(request, exception):
    return django_page_not_found(request, exception, template_name="404.html")


def server_error(request):
    # No database access here: the error may be the database itself.
    template = loader.get_template("500.html")
    return HttpResponseServerError(template.render({"request_path": request.path}))
