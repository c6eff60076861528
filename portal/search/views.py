"""The search results page: ``/sv/sok/`` and ``/en/search/``, with ``?q=…&type=…&page=…``."""

import re
from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import urlencode

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db.models import Count
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET
from modeltranslation.utils import build_localized_fieldname

from portal.models import public
from portal.routing import site_for_request

from .backends import get_backend
from .extract import clean_text
from .models import PageSearchEntry

QUERY_MAX_LENGTH = 200
# The page columns a result's address and type label need, in every language.
RESULT_PAGE_FIELDS = [
    "page__content_type",
    "page__depth",
    "page__path",
    "page__locale",
    "page__url_path",
    "page__slug",
    *(
        f"page__{build_localized_fieldname(name, code)}"
        for name in ("url_path", "slug")
        for code, _language in settings.LANGUAGES
    ),
]
RESULTS_PER_PAGE = 10

# Filters readers can narrow results by: key in the address, label, page models.
# Models are named, not imported, so a type appears once its app defines it.
SEARCH_TYPES = [
    ("story", _("Stories"), ["stories.StoryPage"]),
    ("timeline", _("Timelines"), ["stories.TimelinePage"]),
    ("award", _("Awards"), ["awards.AwardPage", "awards.AwardWinnerPage"]),
    (
        "culture",
        _("Culture projects"),
        ["stories.CultureProjectIndexPage", "stories.CultureProjectPage"],
    ),
    ("event", _("Events"), ["events.EventIndexPage", "events.EventPage"]),
]


@dataclass
class SearchType:
    key: str
    label: str
    content_type_ids: list
    count: int = 0


@dataclass
class SearchResult:
    url: str
    label: str
    title_html: str
    snippet_html: str
    entry: PageSearchEntry = field(repr=False)


class KnownCountPaginator(Paginator):
    """A paginator told its count (taken from the per-type counts: no second count)."""

    def __init__(self, object_list, per_page, count):
        super().__init__(object_list, per_page)
        self._known_count = count

    @cached_property
    def count(self):
        return self._known_count


def clean_query(raw):
    """The query as searched: no control characters, single spaces, at most 200 characters."""
    return clean_text(raw)[:QUERY_MAX_LENGTH].strip()


def available_types():
    """Search types whose page models exist, with their content type ids."""
    types = []
    for key, label, model_names in SEARCH_TYPES:
        models = []
        for name in model_names:
            try:
                models.append(apps.get_model(name))
            except LookupError:
                continue
        if models:
            content_types = ContentType.objects.get_for_models(*models, for_concrete_models=False)
            ids = sorted(content_type.pk for content_type in content_types.values())
            types.append(SearchType(key=key, label=label, content_type_ids=ids))
    return types


def visible_entries(language):
    """Index rows of live pages without view restrictions, in ``language``."""
    entries = PageSearchEntry.objects.filter(language=language, page__live=True)
    return public(entries, page_path="page__path")


def page_label(page):
    """The result's page type as readers see it, or "" (see BasePage.reader_type_label)."""
    model = ContentType.objects.get_for_id(page.content_type_id).model_class()
    if model is None:
        return ""
    if hasattr(model, "reader_type_label"):
        return model.reader_type_label()
    return model._meta.verbose_name


@require_GET
def search(request):
    language = translation.get_language()
    # The site every result's address is built for, from the cache (no query).
    site_for_request(request)
    query = clean_query(request.GET.get("q", ""))
    types = available_types()
    type_key = request.GET.get("type", "")
    # An unknown type is ignored: the reader sees every result.
    selected_type = next((t for t in types if t.key == type_key), None)

    results, page_obj, total = [], None, 0
    if re.search(r"\w", query):
        backend = get_backend()
        matches = backend.filter(visible_entries(language), query, language)
        # Hits per page type, in one query: the filter counts and the total.
        counts = dict(
            matches.order_by()
            .values("page__content_type")
            .annotate(hits=Count("pk"))
            .values_list("page__content_type", "hits")
        )
        total = sum(counts.values())
        for search_type in types:
            search_type.count = sum(counts.get(pk, 0) for pk in search_type.content_type_ids)
        if selected_type is not None:
            matches = matches.filter(page__content_type__in=selected_type.content_type_ids)
        shown_total = selected_type.count if selected_type else total
        # A result shows its title, type and address, and the text its backend
        # highlights in Python (none on PostgreSQL, where ts_headline does it).
        ordered = backend.order(matches.select_related("page"), query, language).only(
            "title", *backend.highlighted_fields, *RESULT_PAGE_FIELDS
        )
        paginator = KnownCountPaginator(ordered, RESULTS_PER_PAGE, shown_total)
        # A page number that is not a number, or out of range, gives the first or last page.
        page_obj = paginator.get_page(request.GET.get("page"))
        entries = list(page_obj.object_list)
        highlighted = backend.highlight(entries, query, language)
        for entry in entries:
            title_html, snippet_html = highlighted.get(entry.pk, (entry.title, ""))
            results.append(
                SearchResult(
                    url=entry.page.get_url(request=request),
                    label=page_label(entry.page),
                    title_html=title_html,
                    snippet_html=snippet_html,
                    entry=entry,
                )
            )

    type_links = [{"key": "", "label": _("All"), "count": total, "current": not selected_type}]
    type_links += [
        {
            "key": t.key,
            "label": t.label,
            "count": t.count,
            "current": selected_type is not None and t.key == selected_type.key,
        }
        for t in types
    ]
    for link in type_links:
        params = {"q": query, "type": link["key"]} if link["key"] else {"q": query}
        link["query"] = urlencode(params)
    default_language_search_url = ""
    if query and language != settings.LANGUAGE_CODE:
        with translation.override(settings.LANGUAGE_CODE):
            default_language_search_url = f"{reverse('search')}?{urlencode({'q': query})}"
    pagination_params = {"q": query}
    if selected_type:
        pagination_params["type"] = selected_type.key
    return TemplateResponse(
        request,
        "search.html",
        {
            "query": query,
            "results": results,
            "page_obj": page_obj,
            "result_count": page_obj.paginator.count if page_obj else 0,
            "total": total,
            "default_language_search_url": default_language_search_url,
            "selected_type": selected_type,
            "type_links": type_links,
            "pagination_query": urlencode(pagination_params),
        },
    )
