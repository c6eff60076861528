"""The admin report of pages missing a language, and the dashboard panel's counts.

Both read the stored states (``state.py``): the panel counts pages with one grouped
query, the report is a page queryset filtered and paginated by the database. Snippets
and settings (a few rows) are still worked out from their text on each view.
"""

from urllib.parse import urlencode

import django_filters
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, StreamingHttpResponse
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import ContentTypeFilter, WagtailFilterSet
from wagtail.admin.ui.components import Component
from wagtail.admin.views.reports import PageReportView
from wagtail.models import Page, get_page_content_types
from wagtail.permission_policies.pages import PagePermissionPolicy

from . import state as stored
from .content_po import pages_as_text
from .fields import target_languages
from .status import COMPLETE, PARTIAL, UNTRANSLATED, collect, summarise

STATE_LABELS = {
    COMPLETE: _("Fully translated"),
    PARTIAL: _("Partly translated"),
    UNTRANSLATED: _("Not translated"),
}


def language_name(code):
    return dict(settings.LANGUAGES).get(code, code)


def language_choices():
    return [(code, language_name(code)) for code in target_languages()]


def field_label(model, name):
    """What an editor calls a field: its label, and the inline list it belongs to."""
    relation_name, _sep, field_name = name.rpartition(".")
    try:
        if relation_name:
            child_model = model._meta.get_field(relation_name).related_model
            child_label = capfirst(child_model._meta.verbose_name_plural)
            return f"{child_label}: {child_model._meta.get_field(field_name).verbose_name}"
        return capfirst(model._meta.get_field(field_name).verbose_name)
    except Exception:  # a label is a nicety; the raw name still says which field
        return name


def refreshed(request):
    """Bring the stored states up to date, once per request; False when some pages wait."""
    if not hasattr(request, "_portal_translation_states_refreshed"):
        request._portal_translation_states_refreshed = stored.refresh()
    return request._portal_translation_states_refreshed


class MissingTranslationsFilterSet(WagtailFilterSet):
    language = django_filters.ChoiceFilter(
        label=_("Language"),
        choices=language_choices,
        method="filter_language",
        empty_label=_("Any language"),
    )
    state = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[(PARTIAL, STATE_LABELS[PARTIAL]), (UNTRANSLATED, STATE_LABELS[UNTRANSLATED])],
        method="filter_state",
        empty_label=_("Partly or not translated"),
    )
    content_type = ContentTypeFilter(
        label=_("Page type"),
        queryset=lambda request: get_page_content_types(include_base_page_type=False),
    )

    class Meta:
        model = Page
        fields = ["language", "state", "content_type"]

    def filter_language(self, queryset, name, value):
        state = self.form.cleaned_data.get("state")
        states = [state] if state else [PARTIAL, UNTRANSLATED]
        return queryset.filter(stored.with_state([value], states))

    def filter_state(self, queryset, name, value):
        language = self.form.cleaned_data.get("language")
        languages = [language] if language else target_languages()
        return queryset.filter(stored.with_state(languages, [value]))


class MissingTranslationsReportView(PageReportView):
    page_title = _("Missing translations")
    header_icon = "globe"
    results_template_name = "portal/admin/missing_translations_results.html"
    filterset_class = MissingTranslationsFilterSet
    index_url_name = "portal_translations:report"
    index_results_url_name = "portal_translations:report_results"
    any_permission_required = ["add", "change", "publish"]
    list_export = PageReportView.list_export + ["translation_gaps"]
    export_headings = {**PageReportView.export_headings, "translation_gaps": _("Missing")}

    def get_filename(self):
        return "missing-translations"

    def get_queryset(self):
        self.pending = not refreshed(self.request)
        self.queryset = (
            missing_pages(self.request.user).select_related("content_type").order_by("path")
        )
        return super().get_queryset()

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context["pending"] = self.pending
        context["po_downloads"] = self.po_downloads()
        return context

    def po_downloads(self):
        """A content PO download per language the report shows, with the same filters."""
        data = self.filters.form.cleaned_data if self.filters and self.filters.is_valid() else {}
        filters = {
            name: self.request.GET[name] for name in ("state", "content_type") if data.get(name)
        }
        languages = [data["language"]] if data.get("language") else target_languages()
        url = reverse("portal_translations:content_po")
        return [
            {
                "language": language_name(code),
                "url": f"{url}?{urlencode({'language': code, **filters})}",
            }
            for code in languages
        ]

    def get_paginator(self, queryset, per_page, **kwargs):
        paginator = super().get_paginator(queryset, per_page, **kwargs)
        if stored.editable_pages(self.request.user) is None:
            # Every page counts: the rows alone give the number (the listing still
            # comes from the page queryset, a page of results at a time).
            paginator.count = stored.count_with_state(*self.counted())
        return paginator

    def counted(self):
        """``(languages, states, content type id)`` the filters ask for."""
        data = self.filters.form.cleaned_data if self.filters and self.filters.is_valid() else {}
        languages = [data["language"]] if data.get("language") else target_languages()
        states = [data["state"]] if data.get("state") else [PARTIAL, UNTRANSLATED]
        content_type = data.get("content_type")
        return languages, states, content_type.pk if content_type else None

    def decorate_paginated_queryset(self, object_list):
        object_list = list(object_list)
        rows = stored.rows_by_page(page.pk for page in object_list)
        for page in object_list:
            model = page.specific_class
            page.translation_rows = [
                {
                    "language": language_name(code),
                    "state": row.state,
                    "state_label": STATE_LABELS[row.state],
                    "fields": [field_label(model, gap["field"]) for gap in row.missing],
                }
                for code in target_languages()
                if (row := rows[page.pk].get(code)) is not None
                and row.state in (PARTIAL, UNTRANSLATED)
            ]
            page.translation_gaps = "; ".join(
                f"{row['language']}: {', '.join(str(f) for f in row['fields'])}"
                for row in page.translation_rows
            )
        return object_list


def missing_pages(user):
    """Live pages ``user`` may change that are partly or not translated in a language."""
    return (
        PagePermissionPolicy()
        .instances_user_has_permission_for(user, "change")
        .filter(live=True, depth__gt=1, alias_of__isnull=True)
        .filter(stored.with_state(target_languages(), [PARTIAL, UNTRANSLATED]))
    )


def missing_translations_po(request):
    """The content PO file of the pages the report lists for one language (its filters
    apply): each page's latest text, drafts included, to translate and import."""
    if not can_see_translation_status(request.user):
        raise PermissionDenied
    language = request.GET.get("language") or target_languages()[0]
    if language not in target_languages():
        raise Http404
    refreshed(request)
    data = request.GET.copy()
    data["language"] = language
    pages = MissingTranslationsFilterSet(
        data, queryset=missing_pages(request.user), request=request
    ).qs
    response = StreamingHttpResponse(
        pages_as_text(language, pages), content_type="text/x-gettext-translation; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="missing-translations-{language}.po"'
    return response


class TranslationStatusPanel(Component):
    """Dashboard counts: pages and snippets fully, partly and not translated."""

    name = "translation_status"
    template_name = "portal/admin/translation_status_panel.html"
    order = 150

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        request = parent_context["request"]
        context["pending"] = not refreshed(request)
        # Only what this editor may edit: the report it links to lists no more.
        pages = stored.page_counts(user=request.user)
        snippets = summarise(collect(pages=False, user=request.user))
        report_url = reverse("portal_translations:report")
        context["rows"] = [
            {
                "language": language_name(code),
                "pages": pages[code],
                "snippets": snippets[code]["snippet"],
                "report_url": f"{report_url}?language={code}",
                "missing": pages[code][PARTIAL] + pages[code][UNTRANSLATED],
            }
            for code in target_languages()
        ]
        return context


def can_see_translation_status(user):
    return PagePermissionPolicy().user_has_any_permission(user, ["add", "change", "publish"])
