"""The admin report of pages missing a language, and the dashboard panel's counts."""

import django_filters
from django.conf import settings
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import ContentTypeFilter, WagtailFilterSet
from wagtail.admin.ui.components import Component
from wagtail.admin.views.reports import PageReportView
from wagtail.models import Page, get_page_content_types
from wagtail.permission_policies.pages import PagePermissionPolicy

from .fields import target_languages
from .status import COMPLETE, PARTIAL, UNTRANSLATED, collect, page_statuses_by_id, summarise

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


def statuses_for(request):
    """Translation status of every live page, computed once per request."""
    if not hasattr(request, "_portal_translation_statuses"):
        request._portal_translation_statuses = page_statuses_by_id()
    return request._portal_translation_statuses


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

    def _matching(self, languages, states):
        return [
            pk
            for pk, status in statuses_for(self.request).items()
            if any(status.languages[code].state in states for code in languages)
        ]

    def filter_language(self, queryset, name, value):
        state = self.form.cleaned_data.get("state")
        states = [state] if state else [PARTIAL, UNTRANSLATED]
        return queryset.filter(pk__in=self._matching([value], states))

    def filter_state(self, queryset, name, value):
        language = self.form.cleaned_data.get("language")
        languages = [language] if language else target_languages()
        return queryset.filter(pk__in=self._matching(languages, [value]))


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
        incomplete = [
            pk for pk, status in statuses_for(self.request).items() if not status.is_complete()
        ]
        self.queryset = (
            self.permission_policy.instances_user_has_permission_for(self.request.user, "change")
            .filter(pk__in=incomplete)
            .select_related("content_type")
            .order_by("path")
        )
        return super().get_queryset()

    def decorate_paginated_queryset(self, object_list):
        statuses = statuses_for(self.request)
        for page in object_list:
            status = statuses[page.pk]
            model = type(status.obj)
            page.translation_rows = [
                {
                    "language": language_name(code),
                    "state": state.state,
                    "state_label": STATE_LABELS[state.state],
                    "fields": [field_label(model, gap.field) for gap in state.missing],
                }
                for code, state in status.languages.items()
                if state.state != COMPLETE
            ]
            page.translation_gaps = "; ".join(
                f"{row['language']}: {', '.join(str(f) for f in row['fields'])}"
                for row in page.translation_rows
            )
        return object_list


class TranslationStatusPanel(Component):
    """Dashboard counts: pages and snippets fully, partly and not translated."""

    name = "translation_status"
    template_name = "portal/admin/translation_status_panel.html"
    order = 150

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        # Only what this editor may edit: the report it links to lists no more.
        summary = summarise(collect(user=parent_context["request"].user))
        report_url = reverse("portal_translations:report")
        context["rows"] = [
            {
                "language": language_name(code),
                "pages": summary[code]["page"],
                "snippets": summary[code]["snippet"],
                "report_url": f"{report_url}?language={code}",
                "missing": summary[code]["page"][PARTIAL] + summary[code]["page"][UNTRANSLATED],
            }
            for code in target_languages()
        ]
        return context


def can_see_translation_status(user):
    return PagePermissionPolicy().user_has_any_permission(user, ["add", "change", "publish"])
