import functools

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils import translation
from django.utils.html import json_script
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from modeltranslation.utils import build_localized_fieldname
from wagtail.models import Page, Site, get_page_models

from portal.page_cache import cached_value
from portal.site_urls import absolute_url

register = template.Library()


def _language_name(code):
    return translation.get_language_info(code)["name_local"]


@register.simple_tag(takes_context=True)
def language_versions(context):
    """The current page in every language: url, whether it has its own text, and so on.

    Works for Wagtail pages (each language has its own slug) and for plain views
    such as search (the path is translated). An error page offers each language's
    home page: its own address is no page to link to.
    """
    request = context.get("request")
    page = context.get("page")
    current = translation.get_language()
    versions = []
    for code, _name in settings.LANGUAGES:
        if isinstance(page, Page) and hasattr(page, "has_translation"):
            url = page.get_url_in(code, request=request)
            has_translation = page.has_translation(code)
        elif context.get("is_error_page"):
            url = f"/{code}/"
            has_translation = True
        elif request is not None:
            url = _translated_path(request, code)
            has_translation = True
        else:
            continue
        if url is None:
            continue
        versions.append(
            {
                "code": code,
                "name": _language_name(code),
                "url": url,
                "absolute_url": absolute_url(url),
                "has_translation": has_translation,
                "is_current": code == current,
            }
        )
    return versions


def _translated_path(request, code):
    """The current view's address in language ``code``, or that language's home page."""
    path = request.get_full_path()
    if path.startswith(("//", "/\\")):
        return f"/{code}/"
    translated = translate_url(path, code)
    if translated == path and code != translation.get_language():
        return f"/{code}/"  # the path does not resolve in that language
    return translated


@register.simple_tag(takes_context=True)
def canonical_url(context, versions):
    """Absolute URL of the version search engines should index.

    A page shown in Swedish at its English address (no English text) points
    at its Swedish address.
    """
    current = next((v for v in versions if v["is_current"]), None)
    if current is None:
        return ""
    if not current["has_translation"]:
        default = next(v for v in versions if v["code"] == settings.LANGUAGE_CODE)
        return default["absolute_url"]
    return current["absolute_url"]


@register.simple_tag(takes_context=True)
def main_menu(context):
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    if site is None:
        return []
    return cached_value(
        request,
        "menu",
        [site.pk],
        lambda: list(site.root_page.get_children().live().public().in_menu()),
    )


@register.simple_tag(takes_context=True)
def site_root(context):
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    return site.root_page if site else None


@register.simple_tag(takes_context=True)
def page_json_ld(context, page):
    request = context.get("request")
    if not hasattr(page, "get_json_ld") or request is None:
        return ""
    # Kept with the fragments: it may read the parent, the category, the topics.
    data = cached_value(request, "json-ld", [page.pk], lambda: page.get_json_ld(request))
    script = json_script(data)
    # json_script escapes <, > and & inside the data, so this stays safe.
    return mark_safe(script.replace('type="application/json"', 'type="application/ld+json"', 1))  # noqa: S308


@register.filter
def absolute(url):
    """A path (or a storage URL) as an absolute URL on the site's configured address."""
    return absolute_url(url)


@register.filter
def startswith(value, prefix):
    return str(value).startswith(str(prefix))


OG_LOCALES = {"sv": "sv_SE", "en": "en_GB"}


@register.filter
def og_locale(language_code):
    return OG_LOCALES.get(language_code, language_code)


@register.simple_tag(takes_context=True)
def breadcrumb_trail(context, page):
    """The way from the site's home page down to ``page``, for breadcrumbs: each step's
    title in the reader's language, address and whether it shows Swedish text instead.
    The ancestors come in one query, whatever the depth."""
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    if (
        site is None
        or not page.path.startswith(site.root_page.path)
        or page.pk == site.root_page_id
    ):
        return []
    language = translation.get_language()
    title_field = build_localized_fieldname("title", language)
    ancestors = Page.objects.filter(depth__gte=site.root_page.depth).ancestor_of(page)
    trail = []
    for step in [*ancestors.order_by("depth"), page]:
        url = step.get_url(request=request)
        if url is None:
            return []
        trail.append(
            {
                # The home page's own title is a greeting: its crumb says where it leads.
                "title": step.title if trail else gettext("Home"),
                "url": url,
                "is_fallback": language != settings.LANGUAGE_CODE
                and not getattr(step, title_field, ""),
            }
        )
    return trail


@register.simple_tag
def breadcrumb_json_ld(trail):
    """The breadcrumbs as schema.org ``BreadcrumbList`` for search engines."""
    data = {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": number,
                "name": step["title"],
                "item": absolute_url(step["url"]),
            }
            for number, step in enumerate(trail, start=1)
        ],  # fmt: skip
    }
    script = json_script(data)
    # json_script escapes <, > and & inside the data, so this stays safe.
    return mark_safe(script.replace('type="application/json"', 'type="application/ld+json"', 1))  # noqa: S308


@functools.cache
def _feed_page_models():
    """The page types that offer a feed: only sections of these are read, however many
    other pages sit under the home page."""
    return tuple(
        model
        for model in get_page_models()
        if hasattr(model, "feed_url")
        or (
            hasattr(model, "get_subpage_urls")
            and "feed_view" in {route.name for route in model.get_subpage_urls()}
        )
    )


@register.simple_tag(takes_context=True)
def site_feeds(context):
    """The site's feeds for the footer: each section under the home page that offers one
    (the news as RSS, the calendar as iCalendar), in the reader's language."""
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    if site is None:
        return []
    feeds = []
    sections = site.root_page.get_children().live().public().type(*_feed_page_models())
    for section in sections.specific():
        if hasattr(section, "feed_url"):  # the calendar
            feeds.append(
                {"title": section.title, "url": section.feed_url(request), "kind": "iCalendar",
                 "type": "text/calendar"}
            )  # fmt: skip
        elif hasattr(section, "get_subpage_urls") and "feed_view" in {
            route.name for route in section.get_subpage_urls()
        }:
            url = section.get_url(request=request) + section.reverse_subpage("feed_view")
            feeds.append(
                {"title": section.title, "url": url, "kind": "RSS", "type": "application/rss+xml"}
            )
    return feeds
