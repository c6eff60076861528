"""Keep every language's old URLs working when a page's slug or place changes.

Wagtail creates redirects only for the URL of the language active while the
page is saved (``/sv/…`` when the editor works in Swedish): changing the
English slug, or moving a page, would otherwise break the old English address.
Here a page's URL path in every language is read from the database just before
it is saved and compared just after; for each language whose path changed, the
page and its live descendants get a permanent redirect from the old address.

Connected in ``PortalConfig.ready()``.
"""

from django.db.models import Q
from django.db.models.signals import post_save, pre_save
from django.urls import reverse
from django.utils import translation
from modeltranslation.utils import build_localized_fieldname
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page, Site

from .fields import source_language, target_languages

_SNAPSHOT = "_portal_url_paths_before_save"


def _languages():
    return [source_language(), *target_languages()]


def _url_path_fields():
    return [build_localized_fieldname("url_path", code) for code in _languages()]


def _path_fields_saved(update_fields):
    if update_fields is None:
        return True
    watched = {"slug", "url_path", *_url_path_fields()}
    watched |= {build_localized_fieldname("slug", code) for code in _languages()}
    return bool(watched & set(update_fields))


def remember_url_paths(sender, instance, update_fields=None, raw=False, **kwargs):
    if raw or not isinstance(instance, Page) or instance.pk is None:
        return
    if not _path_fields_saved(update_fields):
        return
    before = Page.objects.filter(pk=instance.pk).values("live", "path", *_url_path_fields()).first()
    setattr(instance, _SNAPSHOT, before)


def redirect_changed_url_paths(sender, instance, raw=False, **kwargs):
    before = instance.__dict__.pop(_SNAPSHOT, None)
    if raw or before is None or not before["live"]:
        return
    if Site.objects.filter(root_page_id=instance.pk).exists():
        # A site's root page is always served at "/<language>/"; its children keep their URLs.
        return
    for language in _languages():
        field = build_localized_fieldname("url_path", language)
        old_path, new_path = before[field], getattr(instance, field)
        if old_path and new_path and old_path != new_path:
            _redirect_page_and_descendants(instance, before["path"], language, old_path, new_path)


def _redirect_page_and_descendants(page, tree_path, language, old_path, new_path):
    field = build_localized_fieldname("url_path", language)
    _add_redirect(page.pk, language, old_path)
    descendants = Page.objects.filter(
        path__startswith=page.path, depth__gt=page.depth, live=True
    ).values_list("pk", field)
    for pk, url_path in descendants:
        if not url_path:
            continue
        # Descendants are updated after the page itself; accept either state.
        if url_path.startswith(old_path):
            old_descendant_path = url_path
        elif url_path.startswith(new_path):
            old_descendant_path = old_path + url_path[len(new_path) :]
        else:
            continue
        _add_redirect(pk, language, old_descendant_path)


def _add_redirect(page_id, language, url_path):
    for site_id, old_url in _site_urls(url_path, language):
        existing = Redirect.objects.filter(old_path=old_url).filter(
            Q(site_id=site_id) | Q(site__isnull=True)
        )
        if existing.filter(automatically_created=False).exists():
            continue  # an editor's own redirect wins
        redirect = existing.filter(site_id=site_id).first()
        if redirect is None:
            Redirect.objects.create(
                old_path=old_url,
                site_id=site_id,
                redirect_page_id=page_id,
                is_permanent=True,
                automatically_created=True,
            )
        elif redirect.redirect_page_id != page_id:
            # The old address was another page's before; it now leads to this one.
            redirect.redirect_page_id = page_id
            redirect.redirect_link = ""
            redirect.save(update_fields=["redirect_page", "redirect_link"])


def _site_urls(url_path, language):
    """The public path(s) a page with ``url_path`` had in ``language``: ``/en/about-us``."""
    root_field = build_localized_fieldname("url_path", language)
    default_root_field = build_localized_fieldname("url_path", source_language())
    urls = []
    for site in Site.objects.select_related("root_page"):
        root = site.root_page
        root_path = getattr(root, root_field) or getattr(root, default_root_field) or root.url_path
        if not root_path or not url_path.startswith(root_path):
            continue
        with translation.override(language):
            public_path = reverse("wagtail_serve", args=(url_path[len(root_path) :],))
        urls.append((site.pk, Redirect.normalise_path(public_path)))
    return urls


def connect():
    pre_save.connect(remember_url_paths, dispatch_uid="portal_remember_url_paths")
    post_save.connect(redirect_changed_url_paths, dispatch_uid="portal_redirect_url_paths")
