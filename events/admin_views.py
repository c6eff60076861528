"""The admin page where an editor uploads a partner's iCalendar file into a calendar
(reached from the calendar's "…" menu in the page explorer) and reads what became of
each event, in the admin's language."""

from django import forms
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from . import importer, sources
from .models import EventIndexPage


def may_import(user, index):
    """Whoever may add pages under the calendar may import events into it."""
    return index.permissions_for_user(user).can_add_subpage()


class CalendarFileForm(forms.Form):
    file = forms.FileField(
        label=_("Calendar file (.ics)"),
        help_text=_(
            "An iCalendar file from a partner, at most 2 MB. Its events arrive as drafts "
            "for you to review and publish; events imported before are updated when the "
            "file has a newer version of them."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".ics,text/calendar"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > importer.MAX_BYTES:
            raise ValidationError(importer.too_large_message())
        return upload


class ImportCalendarView(WagtailAdminTemplateMixin, FormView):
    form_class = CalendarFileForm
    template_name = "events/admin/import_ics.html"
    header_icon = "date"

    def dispatch(self, request, *args, index_id, **kwargs):
        self.index = get_object_or_404(EventIndexPage, pk=index_id)
        if not may_import(request.user, self.index):
            # A 403 in the admin's frame (Wagtail turns PermissionDenied into a redirect).
            context = {"forbidden": True, "index": self.index, "breadcrumbs_items": []}
            context["page_title"] = self.get_page_title()
            return TemplateResponse(request, self.template_name, context, status=403)
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return gettext("Import events")

    def get_page_subtitle(self):
        return self.index.get_admin_display_title()

    def get_breadcrumbs_items(self):
        return []

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["index"] = self.index
        context["action_url"] = reverse("events_import_ics", args=[self.index.pk])
        context["explore_url"] = reverse("wagtailadmin_explore", args=[self.index.pk])
        return context

    def form_valid(self, form):
        data = sources.read_upload(form.cleaned_data["file"])
        report = importer.import_calendar(data, self.index, user=self.request.user)
        if report.refused:
            form.add_error("file", report.refused)
            return self.form_invalid(form)
        for outcome in report.created + report.updated + report.unchanged:
            if outcome.page is not None:
                outcome.edit_url = reverse("wagtailadmin_pages:edit", args=[outcome.page.pk])
        return self.render_to_response(self.get_context_data(form=self.form_class(), report=report))
