"""The database going away: a friendly 503 in the reader's language, never a 500.

Any request that needs the database while it cannot be reached (refused, terminated,
restarting) gets the page ``503.html`` in the language of its address prefix, with
``Retry-After``. Rendering it touches no database: no page, no site setting, no menu.
Pages already in the page cache are still served from it (that middleware sits in
front of this one). Django reconnects by itself once the database is back: a broken
connection is closed at the end of its request (``conn_health_checks``), and the next
request opens a new one.

A view's error reaches ``process_exception``. An error in a middleware further in
(sessions, authentication, the locale or redirect middleware's database lookups) has
already been turned into a 500 by Django before it gets here, so the exception is
remembered from ``got_request_exception`` and the 500 is replaced.
"""

import logging
import sys

from django.conf import settings
from django.core.signals import got_request_exception
from django.db.utils import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_vary_headers

logger = logging.getLogger(__name__)

OUTAGE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30
_REMEMBERED = "_portal_request_exception"


def outage_language(request):
    """The address prefix decides; without one, the reader's browser (no database)."""
    language = translation.get_language_from_path(request.path_info)
    if language:
        return language
    try:
        return translation.get_language_from_request(request, check_path=False)
    except Exception:  # an unreadable header must not stop the error page
        return settings.LANGUAGE_CODE


def outage_response(request):
    language = outage_language(request)
    with translation.override(language):
        content = loader.get_template("503.html").render({"LANGUAGE_CODE": language})
    response = HttpResponse(content, status=503, content_type="text/html; charset=utf-8")
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Content-Language"] = language
    add_never_cache_headers(response)
    if not translation.get_language_from_path(request.path_info):
        patch_vary_headers(response, ("Accept-Language",))
    return response


def _remember_exception(sender, request=None, **kwargs):
    if request is not None:
        setattr(request, _REMEMBERED, sys.exc_info()[1])


got_request_exception.connect(_remember_exception, dispatch_uid="portal-outage-remember")


class DatabaseOutageMiddleware:
    """Sits after the page cache (cached pages still show) and before sessions, so it
    also covers the database work of every middleware after it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 500 and isinstance(
            getattr(request, _REMEMBERED, None), OUTAGE_ERRORS
        ):
            return outage_response(request)
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, OUTAGE_ERRORS):
            logger.warning(
                "Database unreachable: %s %s", request.method, request.path, exc_info=True
            )
            return outage_response(request)
        return None
