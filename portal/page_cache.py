"""The page cache: whole responses for anonymous readers, and rendered fragments.

Every entry belongs to a *generation*: a token that changes whenever anything a reader
can see changes (a page published, unpublished, moved or deleted, a snippet, a site
setting, an image, a document, a privacy rule). A changed token makes every cached page
and fragment stale at once, in both languages, so no dependency between pages (the home
page's cards, an index's listing, the feeds, the sitemap, a block that shows another
page) can be forgotten. Content changes rarely compared with reads, so this costs little.

Where the token lives: in the cache itself when the cache is shared (Redis), and in a
small file when it is local memory, so that every worker process on the machine sees a
change made by any other (an editor's request, ``publish_scheduled``, a command).

Only anonymous readers are served from the cache and fill it: a request with a session
cookie (an editor), a preview, the admin, search, errors, redirects and any response
that sets a cookie or carries a CSRF token pass straight through.
"""

import hashlib
import logging
import os
import tempfile
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache
from django.core.exceptions import DisallowedHost
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse
from django.utils import translation
from django.utils.cache import patch_cache_control

logger = logging.getLogger(__name__)

GENERATION_KEY = "portal:generation"
HEADER = "X-Portal-Cache"
# Views whose answers depend on more than the address, or must always be live.
NEVER_CACHED_VIEWS = {"search", "healthz", "public_media"}
NEVER_CACHED_PREFIXES = ("/admin/", "/django-admin/", "/documents/", "/static/", "/media/")


def page_cache_enabled():
    return getattr(settings, "PORTAL_PAGE_CACHE", True)


def _cache_is_process_local():
    return isinstance(caches["default"], (LocMemCache, DummyCache))


def _generation_file():
    configured = getattr(settings, "PORTAL_CACHE_GENERATION_FILE", "")
    if configured:
        return Path(configured)
    # One file per project checkout and database: two sites on one machine stay apart.
    database = settings.DATABASES["default"]
    identity = f"{settings.BASE_DIR}|{database.get('NAME')}|{database.get('HOST', '')}"
    digest = hashlib.sha256(identity.encode()).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"portal-cache-generation-{digest}"


def _read_generation_file():
    try:
        return _generation_file().read_text() or "0"
    except OSError:
        return "0"


def _write_generation_file(token):
    path = _generation_file()
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        temporary.write_text(token)
        os.replace(temporary, path)  # atomic: a reader sees the old token or the new one
    except OSError:
        logger.exception("Could not write the page cache generation file %s", path)


def current_generation():
    """The token every cache entry is checked against (one read per request)."""
    if _cache_is_process_local():
        return _read_generation_file()
    try:
        return cache.get(GENERATION_KEY) or "0"
    except Exception:  # a cache server that is down must not take the site with it
        logger.warning("Page cache unreachable", exc_info=True)
        return None


def new_generation(reason=""):
    """Make every cached page and fragment stale, here and in every other process."""
    token = uuid.uuid4().hex
    _write_generation_file(token)
    if not _cache_is_process_local():
        try:
            cache.set(GENERATION_KEY, token, None)
        except Exception:
            logger.warning("Page cache unreachable", exc_info=True)
    logger.debug("Page cache generation %s (%s)", token, reason)
    return token


def now_and_when_committed(function):
    """Run ``function`` now (this request sees it) and again once the transaction
    commits: whatever was worked out in between from the data before the change must
    not outlive it. For the cache's generation and for rows kept from pages."""
    function()
    transaction.on_commit(function)


def invalidate(reason=""):
    """A new generation, now and when the transaction commits."""
    now_and_when_committed(lambda: new_generation(reason))


# Responses -------------------------------------------------------------------------


def expire_by(request, moment):
    """Ask that the page rendered for ``request`` be cached no longer than ``moment``
    (an aware datetime): for content that changes with time alone, such as an event
    that moves from the upcoming list to the past one when it ends. A fragment being
    rendered at the time is kept no longer either, and passes the moment on to every
    page that later shows it from the cache (``cached_value``)."""
    if request is None or moment is None:
        return
    _expire_at(request, moment.timestamp())


def _expire_at(request, deadline):
    current = getattr(request, "_portal_expires_at", None)
    request._portal_expires_at = deadline if current is None else min(current, deadline)
    seconds = int(deadline - time.time())
    current = getattr(request, "_portal_cache_seconds", None)
    request._portal_cache_seconds = max(0, seconds if current is None else min(current, seconds))


def has_session(request):
    return settings.SESSION_COOKIE_NAME in request.COOKIES


def _request_is_cacheable(request):
    if request.method not in ("GET", "HEAD"):
        return False
    if has_session(request):
        return False
    return not request.path_info.startswith(NEVER_CACHED_PREFIXES)


def _response_is_cacheable(request, response):
    if response.status_code != 200 or response.streaming:
        return False
    if response.cookies or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False
    if getattr(request, "is_preview", False):
        return False
    match = getattr(request, "resolver_match", None)
    if match is not None and match.url_name in NEVER_CACHED_VIEWS:
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    cache_control = response.get("Cache-Control", "")
    if any(word in cache_control for word in ("private", "no-cache", "no-store")):
        return False
    # An address without a language prefix whose answer depends on Accept-Language.
    return not (
        not translation.get_language_from_path(request.path_info)
        and "accept-language" in response.get("Vary", "").lower()
    )


def _page_key(request):
    host = request.get_host()
    language = translation.get_language_from_path(request.path_info) or "-"
    address = hashlib.sha256(f"{host}{request.get_full_path()}".encode()).hexdigest()
    return f"portal:page:{language}:{address}"


def _fetch(key):
    """(generation, entry) in one round trip to a shared cache."""
    if _cache_is_process_local():
        return _read_generation_file(), cache.get(key)
    found = cache.get_many([GENERATION_KEY, key])
    return found.get(GENERATION_KEY) or "0", found.get(key)


def _rebuild(entry):
    _generation, status, headers, content = entry
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response.headers[name] = value
    response.headers[HEADER] = "hit"
    return response


class PageCacheMiddleware:
    """Serves anonymous readers from the cache; stores what may be shared.

    Sits after the security and CSP middleware (they add their headers to every
    response, cached or not) and before sessions (a hit touches no session)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not page_cache_enabled() or not _request_is_cacheable(request):
            response = self.get_response(request)
            if has_session(request) and "Cache-Control" not in response:
                # An editor's view is theirs alone: never kept by a proxy or CDN.
                patch_cache_control(response, private=True, no_cache=True)
            return response
        try:
            key = _page_key(request)
            generation, entry = _fetch(key)
        except DisallowedHost:
            return self.get_response(request)
        except Exception:
            logger.warning("Page cache unreachable", exc_info=True)
            return self.get_response(request)
        request._portal_cache_generation = generation
        if entry is not None and entry[0] == generation:
            return _rebuild(entry)

        response = self.get_response(request)
        if not _response_is_cacheable(request, response):
            if "Cache-Control" not in response:
                patch_cache_control(response, no_cache=True)
            return response
        timeout = settings.PORTAL_PAGE_CACHE_SECONDS
        if getattr(request, "_portal_cache_seconds", None) is not None:
            timeout = min(timeout, request._portal_cache_seconds)
        patch_cache_control(
            response, public=True, max_age=0, s_maxage=min(timeout, settings.PORTAL_CDN_MAX_AGE)
        )
        response.headers[HEADER] = "miss"
        if timeout > 0:
            self._store(key, generation, response, timeout)
        return response

    def _store(self, key, generation, response, timeout):
        def store(rendered):
            headers = [(name, value) for name, value in rendered.headers.items() if name != HEADER]
            entry = (generation, rendered.status_code, headers, rendered.content)
            try:
                cache.set(key, entry, timeout)
            except Exception:
                logger.warning("Page cache unreachable", exc_info=True)

        if hasattr(response, "render") and callable(response.render):
            if response.is_rendered:
                store(response)
            else:
                response.add_post_render_callback(store)
        else:
            store(response)


# Fragments -------------------------------------------------------------------------


def fragment_key(request, name, parts):
    generation = getattr(request, "_portal_cache_generation", None) if request else None
    if generation is None:
        generation = current_generation()
        if request is not None:
            request._portal_cache_generation = generation
    if generation is None:
        return None
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    return f"portal:fragment:{generation}:{translation.get_language()}:{name}:{digest}"


def cached_value(request, name, parts, compute, timeout=None):
    """``compute()``, kept for the current generation and language (not in previews).

    Without a request (model code), the generation is read afresh."""
    if getattr(request, "is_preview", False) or not getattr(
        settings, "PORTAL_FRAGMENT_CACHE", True
    ):
        return compute()
    key = fragment_key(request, name, parts)
    if key is None:
        return compute()
    try:
        value = cache.get(key)
    except Exception:
        logger.warning("Page cache unreachable", exc_info=True)
        return compute()
    if isinstance(value, _Expiring):
        if value.deadline > time.time():
            _expire_at(request, value.deadline)
            return value.value
        value = None
    if value is None:
        value, deadline = _compute_noting_expiry(request, compute)
        timeout = timeout or settings.PORTAL_PAGE_CACHE_SECONDS
        stored = value
        if deadline is not None:
            timeout = min(timeout, int(deadline - time.time()))
            stored = _Expiring(value, deadline)
        if timeout > 0:
            try:
                cache.set(key, stored, timeout)
            except Exception:
                logger.warning("Page cache unreachable", exc_info=True)
    return value


class _Expiring:
    """A cached value that holds only until ``deadline`` (a timestamp), because
    ``expire_by`` was asked while it was computed."""

    def __init__(self, value, deadline):
        self.value = value
        self.deadline = deadline


def _compute_noting_expiry(request, compute):
    """``compute()`` and the earliest ``expire_by`` moment asked for while it ran (or
    None); the moment stays asked for the request as well."""
    if request is None:
        return compute(), None
    outer = getattr(request, "_portal_expires_at", None)
    request._portal_expires_at = None
    try:
        value = compute()
    finally:
        inner = getattr(request, "_portal_expires_at", None)
        request._portal_expires_at = inner if outer is None else min(outer, inner or outer)
    return value, inner


class LazyList:
    """A list computed on first use: a view hands it to a template, and the query runs
    only if the fragment that shows it is not cached already."""

    def __init__(self, compute):
        self._compute = compute
        self._items = None

    def _evaluated(self):
        if self._items is None:
            self._items = list(self._compute())
        return self._items

    def __iter__(self):
        return iter(self._evaluated())

    def __len__(self):
        return len(self._evaluated())

    def __bool__(self):
        return bool(self._evaluated())

    def __getitem__(self, index):
        return self._evaluated()[index]


# What makes the cache stale ----------------------------------------------------------

# Saving a draft, autosave, locking and scheduling touch only these columns of a page:
# readers see nothing of them, so they leave the cache alone.
DRAFT_ONLY_FIELDS = {
    "wagtail_admin_comments",
    "latest_revision",
    "latest_revision_created_at",
    "draft_title",
    "has_unpublished_changes",
    "locked",
    "locked_at",
    "locked_by",
    "go_live_at",
    "expire_at",
    "approved_go_live_at",
    # An image or document notes its size and hash the first time it is read.
    "file_size",
    "file_hash",
}
CONTENT_APPS = {"portal", "home", "stories", "awards", "events", "taggit"}
WAGTAIL_CONTENT_MODELS = {
    "wagtailcore.site",
    "wagtailcore.collection",
    "wagtailcore.pageviewrestriction",
    "wagtailcore.collectionviewrestriction",
    "wagtaildocs.document",
    "wagtailimages.image",
    "wagtailembeds.embed",
}


# Bookkeeping kept from pages, which readers never see themselves.
DERIVED_MODELS = {"portal.sitemapblock", "portal.translationcount"}


def _shows_on_pages(sender):
    meta = sender._meta
    if meta.label_lower in DERIVED_MODELS:
        return False
    return meta.app_label in CONTENT_APPS or meta.label_lower in WAGTAIL_CONTENT_MODELS


def _on_save(sender, instance, created=False, update_fields=None, raw=False, **kwargs):
    if raw or not _shows_on_pages(sender):
        return
    from wagtail.contrib.settings.models import BaseSiteSetting

    if created and isinstance(instance, BaseSiteSetting):
        return  # made with its defaults on first read: what readers already see
    if update_fields and set(update_fields) <= DRAFT_ONLY_FIELDS:
        return
    from wagtail.models import Page

    if isinstance(instance, Page) and not instance.live and not update_fields:
        # A draft page saved whole (created as a draft, or its first revision) shows
        # nowhere yet; unpublishing sends update_fields with "live" and counts.
        return
    invalidate(f"{meta_label(sender)} saved")


def _on_delete(sender, instance, **kwargs):
    if _shows_on_pages(sender):
        invalidate(f"{meta_label(sender)} deleted")


def meta_label(sender):
    return sender._meta.label


def _on_page_event(sender, instance=None, **kwargs):
    invalidate(f"page event {meta_label(sender)}")


def connect():
    from wagtail.signals import page_published, page_unpublished, post_page_move

    post_save.connect(_on_save, dispatch_uid="portal-page-cache-save")
    post_delete.connect(_on_delete, dispatch_uid="portal-page-cache-delete")
    page_published.connect(_on_page_event, dispatch_uid="portal-page-cache-published")
    page_unpublished.connect(_on_page_event, dispatch_uid="portal-page-cache-unpublished")
    post_page_move.connect(_on_page_event, dispatch_uid="portal-page-cache-moved")
