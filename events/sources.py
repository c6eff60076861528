"""Where a partner's calendar file comes from (a path, an http(s) address, an upload),
read no further than the importer's size limit; and which calendar it goes into."""

import re
import urllib.error
import urllib.request
from pathlib import Path

from django.utils.translation import gettext
from wagtail.models import Site

from .importer import MAX_BYTES
from .models import EventIndexPage

FETCH_TIMEOUT = 15  # seconds, for connecting and for each read
WEB_ADDRESS = re.compile(r"https?://", re.IGNORECASE)
USER_AGENT = "Flemingsberg Portal calendar import"


class SourceError(Exception):
    """The file could not be read or fetched; the message says why."""


def _read_limited(stream):
    """At most one byte more than the limit: enough for the importer to refuse it."""
    return stream.read(MAX_BYTES + 1)


def fetch(address):
    request = urllib.request.Request(address, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=FETCH_TIMEOUT) as response:
            return _read_limited(response)
    except (urllib.error.URLError, TimeoutError, OSError, ValueError) as error:
        reason = getattr(error, "reason", None) or error
        raise SourceError(
            gettext("Could not fetch %(address)s: %(reason)s")
            % {"address": address, "reason": reason}
        ) from error


def read_source(source):
    """The bytes of a file path or an http(s) address."""
    if WEB_ADDRESS.match(source):
        return fetch(source)
    try:
        with Path(source).open("rb") as stream:
            return _read_limited(stream)
    except OSError as error:
        raise SourceError(
            gettext("Could not read %(path)s: %(reason)s")
            % {"path": source, "reason": error.strerror or error}
        ) from error


def read_upload(upload):
    """The bytes of an uploaded file (a larger one is not read past the limit)."""
    upload.seek(0)
    return _read_limited(upload)


def find_calendar(value):
    """The calendar named by its page id or its Swedish address ("kalendarium",
    "/sv/kalendarium/"), or None."""
    value = (value or "").strip()
    if value.isdigit():
        return EventIndexPage.objects.filter(pk=int(value)).first()
    segments = [segment for segment in value.strip("/").split("/") if segment]
    if segments[:1] == ["sv"]:
        segments = segments[1:]
    if not segments:
        return None
    sites = Site.objects.select_related("root_page").order_by("-is_default_site", "pk")
    for site in sites:
        page = site.root_page
        for segment in segments:
            page = page.get_children().filter(slug_sv=segment).first()
            if page is None:
                break
        if page is not None and isinstance(page.specific, EventIndexPage):
            return page.specific
    return None
