"""The search results page: ``/sv/sok/`` and ``/en/search/``, with ``?q=…&type=…&page=…``.

What a search costs does not grow with the archive: it reads the newest matches, at
most ``PORTAL_SEARCH_RESULT_LIMIT`` of them (1,000) plus one to know whether there are
more, through the index of page ids (newer pages have higher ids); ranks only those;
highlights only the ten shown. Past the limit the count reads "more than 1,000" and the
types are offered without numbers: nothing counts every match.
"""

import re
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import formats, translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET
from modeltranslation.utils import build_localized_fieldname
from wagtail.models import Page

from portal.models import page_view_restrictions
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
DEFAULT_RESULT_LIMIT = 1_000

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
    # Results of this type; None when not counted (more results than the limit).
    count: int | None = 0


@dataclass
class SearchResult:
    url: str
    label: str
    title_html: str
    snippet_html: str
    entry: PageSearchEntry = field(repr=False)


def result_limit():
    """How many matches, the newest first, are ranked and counted at most
    (``PORTAL_SEARCH_RESULT_LIMIT``); a page of results at the least."""
    return max(
        RESULTS_PER_PAGE, int(getattr(settings, "PORTAL_SEARCH_RESULT_LIMIT", DEFAULT_RESULT_LIMIT))
    )


def newest_matches(backend, matches, query, language, limit):
    """The newest ``limit`` + 1 matches, newest first, as (entry id, content type id,
    ranking key): read in the order of the index of page ids (newer pages have higher
    ids), so the database stops after them, and ranked as they are read."""
    columns = backend.rank_columns(query, language)
    page_type = QuerySet(model=Page).filter(pk=OuterRef("page_id")).values("content_type_id")
    rows = (
        matches.annotate(page_type=Subquery(page_type[:1]), **columns)
        .order_by("-page_id")
        .values_list("pk", "page_type", *columns)
    )
    return [(row[0], row[1], row[2:]) for row in rows[: limit + 1]]


def count_text(count, limit):
    """A count as readers see it: "1 000+" past the limit, "" when not counted."""
    if count is None:
        return ""
    if count > limit:
        return formats.number_format(limit, force_grouping=True) + "+"
    return formats.number_format(count, force_grouping=True)


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
    """Index rows of pages without view restrictions, in ``language``.

    Only live pages have rows (unpublishing removes them; the shown results check
    again). The rows are read without joining the page table: a match's page type
    is looked up for the rows read (``newest_matches``), and the pages under a
    privacy rule are left out as one set of ids."""
    entries = PageSearchEntry.objects.filter(language=language)
    private = Q()
    for path, _rule in page_view_restrictions():
        private |= Q(path__startswith=path)
    if private:
        entries = entries.exclude(page__in=QuerySet(model=Page).filter(private).values("pk"))
    return entries


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
    limit = result_limit()
    if re.search(r"\w", query):
        backend = get_backend()
        matches = backend.filter(visible_entries(language), query, language)
        newest = newest_matches(backend, matches, query, language, limit)
        total = len(newest)
        if total <= limit:
            # Every match is in hand: the counts per type are exact, without a query.
            counts = Counter(content_type for _pk, content_type, _key in newest)
            for search_type in types:
                search_type.count = sum(counts[pk] for pk in search_type.content_type_ids)
        else:
            # Counting every match per type would read them all: each type is offered
            # without a number.
            for search_type in types:
                search_type.count = None
        if selected_type is not None:
            wanted = set(selected_type.content_type_ids)
            if total <= limit:
                newest = [row for row in newest if row[1] in wanted]
            else:
                newest = newest_matches(
                    backend, matches.filter(page__content_type__in=wanted), query, language, limit
                )
        more_than_limit = len(newest) > limit
        # The newest matches, the limit at most, best first; only the ten shown are
        # loaded with their pages and highlighted.
        ranked = [pk for pk, _ct, _key in sorted(newest[:limit], key=backend.rank_order)]
        paginator = Paginator(ranked, RESULTS_PER_PAGE)
        # A page number that is not a number, or out of range, gives the first or last page.
        page_obj = paginator.get_page(request.GET.get("page"))
        page_obj.more_than_limit = more_than_limit
        shown = backend.shown(list(page_obj.object_list), query, language, RESULT_PAGE_FIELDS)
        for entry in shown:
            results.append(
                SearchResult(
                    url=entry.page.get_url(request=request),
                    label=page_label(entry.page),
                    title_html=entry.title_html,
                    snippet_html=entry.snippet_html,
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
    # A type is offered when it has results, or when they were not counted.
    for link in type_links:
        link["count_text"] = count_text(link["count"], limit)
        link["shown"] = link["count"] is None or link["count"] > 0 or link["current"]
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
            "more_than_limit": bool(page_obj and page_obj.more_than_limit),
            "result_limit": formats.number_format(limit, force_grouping=True),
            "total": total,
            "default_language_search_url": default_language_search_url,
            "selected_type": selected_type,
            "type_links": type_links,
            "pagination_query": urlencode(pagination_params),
        },
    )
