"""The sitemap: ``/sitemap.xml`` is an index of ``/sitemap-pages-<n>.xml`` files.

Each file lists every live, public page whose id falls in its block of ids, once per
language that has its own text: file ``n`` holds the pages with ids
``(n - 1) * k + 1`` to ``n * k``, where ``k`` is half of ``PORTAL_SITEMAP_LIMIT``
(default 2,000 addresses per file), so no file can list more than the limit even
when every page is in both languages. A file costs what its addresses cost, so the
default keeps files small: a full file costs the same at 1,000 pages as at 100,000
(about 1 MB with the alternates), where 10,000 addresses would cost five times as
much per request. A page therefore stays in the same file for
good: a new page lands in the last file, and a change to one page changes one file
and its ``lastmod`` in the index, not every file after it. A block whose pages are
all gone, unpublished or private has no file (its address answers 404) and the index
leaves it out; the other files keep their numbers.

Each ``<url>`` lists, as ``xhtml:link`` alternates, the page in every language with
a real translation plus ``x-default`` (the Swedish page), so the alternates of a
page's language versions are the same set and point at each other. A Swedish-only
page is listed once: its English address shows the Swedish text and is not
advertised. ``lastmod`` is the last publication; in the index, the newest in the file.

Neither the index nor a file loads a page object. A file reads its block through the
primary key (the same cost at 1,000 pages as at 100,000) and only the columns of the
page table it needs: the per-language addresses (``url_path_sv``, ``url_path_en``),
whether the English title is filled in (what ``BasePage.has_translation`` asks) and
the publication dates. The index reads a stored row per file (``SitemapBlock``: how
many pages the block lists and the newest ``lastmod``), not the page table: a change
to a page removes its block's row (now and when the change commits), a move, a
privacy rule or a site change removes every row, and the index works out the missing
rows again, for their blocks only. Both are kept with the page cache's generation, so
any publication, move or deletion is in the next answer. Addresses come from the
configured site address, never from the request's Host.
"""

import re
from urllib.parse import quote

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    F,
    IntegerField,
    Max,
    Q,
    QuerySet,
)
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import cached_property
from django.views.decorators.http import require_safe
from wagtail.models import Page

from .models import BasePage, SitemapBlock, public
from .page_cache import DRAFT_ONLY_FIELDS, cached_value, now_and_when_committed
from .routing import site_for_request
from .site_urls import base_parts, base_url

X_DEFAULT = "x-default"
DEFAULT_LIMIT = 2_000
FILE_PATH = "/sitemap-pages-{}.xml"
# A file number as it appears in the index: no sign, no leading zero, and small enough
# that its block of ids fits the database's integer column.
FILE_NUMBER = re.compile(r"[1-9][0-9]{0,8}")
MAX_PAGE_ID = 2**31 - 1
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"
# The characters Django's ``reverse`` leaves unquoted in a path.
PATH_SAFE = "!$&'()*+,;=/~:@"
CONTENT_TYPE = "application/xml; charset=utf-8"


def sitemap_limit():
    """Addresses per file at most (``PORTAL_SITEMAP_LIMIT``); two, a page in both
    languages, at the least."""
    return max(2, int(getattr(settings, "PORTAL_SITEMAP_LIMIT", DEFAULT_LIMIT)))


def languages():
    """The site's languages, the default (Swedish) first."""
    default = settings.LANGUAGE_CODE
    return [default, *(code for code, _name in settings.LANGUAGES if code != default)]


def pages_per_file():
    return sitemap_limit() // 2


def translated_content_type_ids():
    """The content types whose pages can have text in more than one language
    (``BasePage`` and every page type built on it). Django keeps content types in
    memory after the first lookup."""
    models = [model for model in apps.get_models() if issubclass(model, BasePage)]
    return sorted(ct.pk for ct in ContentType.objects.get_for_models(*models).values())


def has_translation_q(language_code):
    """``BasePage.has_translation(language_code)`` as a condition on the page table:
    Swedish always; another language where the page is of a translated type and its
    title in that language is filled in."""
    if language_code == settings.LANGUAGE_CODE:
        return Q(pk__isnull=False)
    title = f"title_{language_code}"
    return (
        Q(content_type_id__in=translated_content_type_ids())
        & Q(**{f"{title}__isnull": False})
        & ~Q(**{title: ""})
    )


LASTMOD = Coalesce("last_published_at", "latest_revision_created_at", "first_published_at")


class SiteSitemap:
    """The sitemap of one Wagtail site."""

    def __init__(self, site):
        self.site = site
        self.per_file = pages_per_file()

    @cached_property
    def root(self):
        """The site's root page: its tree path and its address in each language."""
        fields = ["path", "depth", *(f"url_path_{code}" for code in languages())]
        return Page.objects.filter(pk=self.site.root_page_id).values(*fields).first()

    def listed_pages(self):
        """Live, public pages of the site; an alias repeats another page, so only the
        original is listed."""
        root = self.root
        if root is None:
            return QuerySet(model=Page).none()
        # A plain queryset: wagtail-modeltranslation's would rework every row it returns.
        pages = QuerySet(model=Page).filter(
            live=True,
            path__startswith=root["path"],
            depth__gte=root["depth"],
            alias_of__isnull=True,
        )
        return public(pages)

    # --- the index -----------------------------------------------------------

    def files(self):
        """[(file number, newest lastmod)] of every file that lists something, from the
        stored rows; the rows a change removed are worked out again first."""
        last_id = QuerySet(model=Page).aggregate(last=Max("pk"))["last"]
        if not last_id:
            return []
        count = (last_id - 1) // self.per_file + 1
        stored = SitemapBlock.objects.filter(site=self.site, pages_per_file=self.per_file)
        blocks = {
            number: (pages, newest)
            for number, pages, newest in stored.values_list("number", "listed_pages", "newest")
        }
        missing = [number for number in range(1, count + 1) if number not in blocks]
        if missing:
            blocks.update(self.summarise(missing))
        return [
            (number, newest)
            for number, (pages, newest) in sorted(blocks.items())
            if pages and number <= count
        ]

    def summarise(self, numbers):
        """{number: (listed pages, newest lastmod)} of the blocks ``numbers``, worked
        out from the page table (one aggregate over their ids) and stored."""
        ranges = Q()
        for start, end in _runs(numbers):
            ranges |= Q(pk__gte=(start - 1) * self.per_file + 1, pk__lte=end * self.per_file)
        found = dict.fromkeys(numbers, (0, None))
        groups = (
            self.listed_pages()
            .filter(ranges)
            .annotate(
                block=ExpressionWrapper((F("pk") - 1) / self.per_file, output_field=IntegerField())
            )
            .values("block")
            .annotate(pages=Count("pk"), newest=Max(LASTMOD))
            .values_list("block", "pages", "newest")
        )
        for block, pages, newest in groups:
            found[block + 1] = (pages, newest)
        SitemapBlock.objects.bulk_create(
            [
                SitemapBlock(
                    site=self.site,
                    pages_per_file=self.per_file,
                    number=number,
                    listed_pages=pages,
                    newest=newest,
                )
                for number, (pages, newest) in found.items()
            ],
            ignore_conflicts=True,
        )
        return found

    def render_index(self):
        lines = ['<?xml version="1.0" encoding="UTF-8"?>', f'<sitemapindex xmlns="{SITEMAP_NS}">']
        for number, newest in self.files():
            lastmod = f"<lastmod>{w3c_datetime(newest)}</lastmod>" if newest else ""
            lines.append(
                f"<sitemap><loc>{escape(base_url() + FILE_PATH.format(number))}</loc>"
                f"{lastmod}</sitemap>"
            )
        lines.append("</sitemapindex>")
        return "\n".join(lines) + "\n"

    # --- one file ------------------------------------------------------------

    def rows(self, number):
        """The pages of file ``number`` in tree order: (address per language, whether
        it has its own text per language after the first, lastmod)."""
        first = (number - 1) * self.per_file + 1
        if first > MAX_PAGE_ID:
            return []
        codes = languages()
        flags = {
            f"has_{code}": ExpressionWrapper(has_translation_q(code), output_field=BooleanField())
            for code in codes[1:]
        }
        return (
            self.listed_pages()
            .filter(pk__gte=first, pk__lt=first + self.per_file)
            .annotate(lastmod=LASTMOD, **flags)
            .order_by("path")
            .values_list(*(f"url_path_{code}" for code in codes), *flags, "lastmod")
        )

    def render_file(self, number):
        """The file's XML, or None when it lists nothing."""
        scheme, host = base_parts()
        origin = escape(f"{scheme}://{host}")
        locations = Locations(self.root)
        codes = languages()
        count = len(codes)
        zone = timezone.get_current_timezone()
        entries = []
        for row in self.rows(number):
            default_path = row[0]
            alternates = {}
            for position, code in enumerate(codes):
                if position and not row[count + position - 1]:
                    continue  # no text of its own in this language
                path = locations.path(code, row[position] or default_path)
                if path is not None:
                    alternates[code] = origin + escape(path)
            if codes[0] not in alternates:
                continue
            alternates[X_DEFAULT] = alternates[codes[0]]
            links = "".join(
                f'<xhtml:link rel="alternate" hreflang="{code}" href="{href}"/>'
                for code, href in alternates.items()
            )
            lastmod = row[-1]
            if lastmod is not None:
                links = f"<lastmod>{w3c_datetime(lastmod, zone)}</lastmod>{links}"
            alternates.pop(X_DEFAULT)
            entries.extend(f"<url><loc>{href}</loc>{links}</url>" for href in alternates.values())
        if not entries:
            return None
        return "\n".join(
            [
                '<?xml version="1.0" encoding="UTF-8"?>',
                f'<urlset xmlns="{SITEMAP_NS}" xmlns:xhtml="{XHTML_NS}">',
                *entries,
                "</urlset>\n",
            ]
        )


def _runs(numbers):
    """(first, last) of each run of consecutive numbers in the sorted ``numbers``."""
    runs = []
    for number in numbers:
        if runs and runs[-1][1] == number - 1:
            runs[-1][1] = number
        else:
            runs.append([number, number])
    return runs


class Locations:
    """A page's path in a language from its stored address, as ``Page.get_url_parts``
    builds it (the address below the site's root, under the language prefix), without
    a page object or a ``reverse`` per page."""

    def __init__(self, root):
        self.roots = {}
        self.prefixes = {}
        append_slash = getattr(settings, "WAGTAIL_APPEND_SLASH", True)
        self.strip_slash = not append_slash
        for code in languages():
            self.roots[code] = (
                root[f"url_path_{code}"] or root[f"url_path_{settings.LANGUAGE_CODE}"]
            )
            with translation.override(code):
                self.prefixes[code] = reverse("wagtail_serve", args=("",))

    def path(self, code, url_path):
        root = self.roots[code]
        if not url_path or not root or not url_path.startswith(root):
            return None
        path = self.prefixes[code] + quote(url_path[len(root) :], safe=PATH_SAFE)
        if self.strip_slash and path != "/":
            path = path.rstrip("/")
        return path


def w3c_datetime(moment, zone=None):
    return moment.astimezone(zone or timezone.get_current_timezone()).isoformat(timespec="seconds")


def escape(text):
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def _cached(request, name, parts, compute):
    # The sitemap has no language of its own: one entry whatever the reader's language.
    with translation.override(settings.LANGUAGE_CODE):
        return cached_value(request, name, [*parts, sitemap_limit(), base_url()], compute)


@require_safe
def sitemap_index(request):
    site = site_for_request(request)
    if site is None:
        raise Http404("No site.")
    content = _cached(request, "sitemap-index", [site.pk], lambda: SiteSitemap(site).render_index())
    return HttpResponse(content, content_type=CONTENT_TYPE)


@require_safe
def sitemap_file(request, number):
    if not FILE_NUMBER.fullmatch(number):
        raise Http404("No such sitemap file.")
    site = site_for_request(request)
    if site is None:
        raise Http404("No site.")
    content = _cached(
        request,
        "sitemap-file",
        [site.pk, int(number)],
        lambda: SiteSitemap(site).render_file(int(number)),
    )
    if content is None:
        raise Http404("No such sitemap file.")
    return HttpResponse(content, content_type=CONTENT_TYPE)


# What makes the index's stored rows stale ------------------------------------------


def forget_block(page_id):
    """The stored row of the block of ``page_id`` (and rows of another file size) go."""
    size = pages_per_file()
    stale = Q(pages_per_file=size, number=(page_id - 1) // size + 1) | ~Q(pages_per_file=size)
    now_and_when_committed(lambda: SitemapBlock.objects.filter(stale).delete())


def forget_all():
    """Every stored row goes (a change that can reach a whole subtree or site)."""
    now_and_when_committed(lambda: SitemapBlock.objects.all().delete())


def _on_page_saved(sender, instance, update_fields=None, raw=False, **kwargs):
    # Publishing and unpublishing save the page too: no receiver of their own.
    if raw or instance.pk is None:
        return
    if update_fields and set(update_fields) <= DRAFT_ONLY_FIELDS:
        return
    forget_block(instance.pk)


def _on_page_deleted(sender, instance, **kwargs):
    if instance.pk is not None:
        forget_block(instance.pk)


def _on_subtree_change(sender, raw=False, **kwargs):
    if not raw:
        forget_all()


def connect():
    from django.db.models.signals import post_delete, post_save
    from wagtail.models import PageViewRestriction, Site, get_page_models
    from wagtail.signals import post_page_move

    # Each page model by name, as the translation states do: a receiver for every model
    # would keep Django from deleting any model's rows without loading them first.
    for model in {Page, *get_page_models()}:
        label = model._meta.label_lower
        post_save.connect(_on_page_saved, sender=model, dispatch_uid=f"{label}-sitemap-saved")
        post_delete.connect(_on_page_deleted, sender=model, dispatch_uid=f"{label}-sitemap-deleted")
    post_page_move.connect(_on_subtree_change, dispatch_uid="portal-sitemap-moved")
    for model in (PageViewRestriction, Site):
        label = model._meta.label_lower
        post_save.connect(_on_subtree_change, sender=model, dispatch_uid=f"{label}-sitemap-save")
        post_delete.connect(
            _on_subtree_change, sender=model, dispatch_uid=f"{label}-sitemap-delete"
        )
