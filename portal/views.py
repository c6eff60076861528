import logging
import posixpath
from datetime import UTC, timedelta

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import (
    Http404,
    HttpResponse,
    HttpResponseNotFound,
    HttpResponseServerError,
    JsonResponse,
)
from django.template import loader
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.static import serve
from wagtail.documents.views import serve as wagtaildocs_serve

from .site_urls import absolute_url

logger = logging.getLogger(__name__)


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
        f"Sitemap: {absolute_url('/sitemap.xml')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_GET
def security_txt(request):
    """RFC 9116: where to report a security problem. Expires is kept half a year ahead."""
    expires = timezone.now().replace(microsecond=0) + timedelta(days=180)
    lines = [
        f"Contact: {settings.PORTAL_SECURITY_CONTACT}",
        f"Expires: {expires.astimezone(UTC).strftime('%Y-%m-%dT%H:%M:%SZ')}",
        "Preferred-Languages: sv, en",
        f"Canonical: {absolute_url('/.well-known/security.txt')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


# The only media folders anyone may fetch directly: Wagtail's image files. Documents
# (and anything else uploaded) go through Wagtail's serve view, which checks the
# collection's privacy on every download.
PUBLIC_MEDIA_FOLDERS = ("original_images", "images")


@require_GET
def public_media(request, path):
    normalized = posixpath.normpath(path.replace("\\", "/")).lstrip("/")
    if normalized.split("/", 1)[0] not in PUBLIC_MEDIA_FOLDERS or "/" not in normalized:
        raise Http404("Not a public media file.")
    return serve(request, normalized, document_root=settings.MEDIA_ROOT)


def serve_document(request, document_id, document_filename):
    """Wagtail's download view (privacy checks and all); a file missing from storage
    (local or object storage) is a 404 rather than a 500."""
    try:
        return wagtaildocs_serve.serve(request, document_id, document_filename)
    except FileNotFoundError as error:
        logger.warning("Document file missing: %s", error)
        raise Http404("The document's file is missing.") from error


def page_not_found(request, exception):
    # An error page has no canonical address and no alternates; its language
    # switcher offers the home pages (the requested path may be anything).
    template = loader.get_template("404.html")
    return HttpResponseNotFound(template.render({"is_error_page": True}, request))


def server_error(request):
    # No database access here: the error may be the database itself.
    template = loader.get_template("500.html")
    return HttpResponseServerError(template.render({"request_path": request.path}))
