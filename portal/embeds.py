"""Video embeds that never block saving a page.

Wagtail's ``EmbedBlock`` asks the embed provider (oEmbed, over the network) while the
page form is validated and refuses the whole page when the provider does not answer.
``VideoAddressBlock`` accepts any http(s) address instead; the page shows the embed
when the provider gives one and otherwise a link to the address. An editor who saves
a page with an address that gives no embed is warned (``warn_about_unresolved_embeds``,
called from ``portal/wagtail_hooks.py``).

An address that gives no embed is remembered in the cache for ``MISS_SECONDS``, so
that readers' requests do not ask the provider again and again.
"""

import logging
from urllib.parse import urlsplit

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.blocks import StreamValue, StructValue
from wagtail.blocks.list_block import ListValue
from wagtail.embeds.blocks import EmbedBlock, EmbedValue
from wagtail.embeds.exceptions import EmbedException

logger = logging.getLogger(__name__)

MISS_SECONDS = 60 * 60
SCHEMES = ("http", "https")
# Names readers know the video sites by; any other site is named by its host.
SITE_NAMES = {
    "youtube.com": "YouTube",
    "youtu.be": "YouTube",
    "youtube-nocookie.com": "YouTube",
    "vimeo.com": "Vimeo",
}


def _miss_key(url, max_width=None, max_height=None):
    from wagtail.embeds import embeds  # imports models; blocks are imported before apps load

    return "portal:embed-miss:" + embeds.get_embed_hash(url, max_width, max_height)


def embed_html(url, max_width=None, max_height=None):
    """The embed's HTML for ``url``, or "" when the provider gives none."""
    from wagtail.embeds import embeds

    key = _miss_key(url, max_width, max_height)
    if cache.get(key):
        return ""
    try:
        embed = embeds.get_embed(url, max_width, max_height)
    except EmbedException:
        embed = None
    except Exception:
        # A provider's odd answer must not make the page fail.
        logger.warning("Embed lookup failed for %s", url, exc_info=True)
        embed = None
    if embed is None or not embed.html:
        cache.set(key, True, MISS_SECONDS)
        return ""
    return render_to_string("wagtailembeds/embed_frontend.html", {"embed": embed})


def site_name(url):
    host = (urlsplit(url).hostname or "").lower().removeprefix("www.").removeprefix("m.")
    return SITE_NAMES.get(host, host)


class VideoAddress(EmbedValue):
    """The stored value: the address as the editor typed it (a string in the JSON)."""

    @cached_property
    def html(self):
        return embed_html(self.url, self.max_width, self.max_height)

    @property
    def site(self):
        return site_name(self.url)


class VideoAddressBlock(EmbedBlock):
    """An ``EmbedBlock`` whose validation asks no provider: any http(s) address is kept."""

    @cached_property
    def canonical_module_path(self):
        # Stored exactly like Wagtail's EmbedBlock (the address as a string), so the
        # migrations describe it as one and existing content needs no migration.
        return "wagtail.embeds.blocks.EmbedBlock"

    def _value(self, url):
        if not url:
            return None
        return VideoAddress(
            url, getattr(self.meta, "max_width", None), getattr(self.meta, "max_height", None)
        )

    def get_default(self):
        default = super().get_default()
        return self._value(default.url) if default else None

    def to_python(self, value):
        return self._value(value)

    def value_from_form(self, value):
        return self._value(value)

    def normalize(self, value):
        if isinstance(value, EmbedValue):
            return self._value(value.url)
        return self._value(value)

    def clean(self, value):
        # URLBlock's validation only: the address must be a URL, not that it embeds.
        value = super(EmbedBlock, self).clean(value)
        if value is not None and urlsplit(value.url).scheme.lower() not in SCHEMES:
            raise ValidationError(_("Enter an address that starts with https:// or http://."))
        return value


def _addresses(value):
    if isinstance(value, VideoAddress):
        yield value.url
    elif isinstance(value, StreamValue):
        for child in value:
            yield from _addresses(child.value)
    elif isinstance(value, StructValue):
        for child in value.values():
            yield from _addresses(child)
    elif isinstance(value, ListValue | list | tuple):
        for child in value:
            yield from _addresses(child)


def unresolved_addresses(page):
    """The video addresses on ``page`` (every language) that give no embed."""
    addresses = []
    for field in page._meta.concrete_fields:
        for url in _addresses(getattr(page, field.attname, None)):
            if url not in addresses and not embed_html(url):
                addresses.append(url)
    return addresses
