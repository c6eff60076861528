"""Absolute URLs from the site's configured address, never from the request.

The Host header is chosen by whoever sends the request, and the path can hold
anything (``//evil.example/``): neither may end up in a canonical link, a feed,
the sitemap or a mail.
"""

from urllib.parse import urlsplit

from django.conf import settings


def base_url():
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/")


def base_parts():
    """``(scheme, host[:port])`` of the configured address."""
    parts = urlsplit(base_url())
    return parts.scheme, parts.netloc


def safe_path(path):
    """``path`` as a path on this site: one leading slash, never a scheme-relative URL."""
    path = str(path or "")
    return "/" + path.lstrip("/\\")


def absolute_url(url):
    """``url`` (a path, or a full URL a page or storage already made) made absolute."""
    if not url:
        return ""
    url = str(url)
    if urlsplit(url).scheme in ("http", "https"):
        return url  # e.g. a page of another site, or a file on object storage
    return base_url() + safe_path(url)
