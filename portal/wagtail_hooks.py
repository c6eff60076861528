"""Admin additions for translators and editors.

* Reports → Missing translations: live pages lacking text in a language, and their
  text as a content PO file to translate.
* Dashboard panel: how many pages and snippets are fully, partly, not translated.
* Translate content (Translators group): the content PO round trip, download to apply.
* Page and snippet editor: "Copy from Swedish" next to every translated field.
* Admin CSS: readable colours for wagtail-modeltranslation's language picker.
* Add form: a Publish click that races autosave publishes the page autosave created.
"""

import datetime

from django.conf import settings
from django.templatetags.static import static
from django.urls import include, path, reverse
from django.utils import timezone
from django.utils.html import format_html, json_script
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from modeltranslation.utils import build_localized_fieldname
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.pages.edit import EditView
from wagtail.models import PageLogEntry

from portal.translation_tools import po_admin
from portal.translation_tools.copy_view import copy_translation_content
from portal.translation_tools.fields import source_language, target_languages
from portal.translation_tools.views import (
    MissingTranslationsReportView,
    TranslationStatusPanel,
    can_see_translation_status,
    missing_translations_po,
)

report_urls = (
    [
        path("", MissingTranslationsReportView.as_view(), name="report"),
        path(
            "results/",
            MissingTranslationsReportView.as_view(results_only=True),
            name="report_results",
        ),
        path("content.po", missing_translations_po, name="content_po"),
    ],
    "portal_translations",
)


# Ahead of wagtail-modeltranslation's own view at the same address (see copy_view.py).
@hooks.register("register_admin_urls", order=-1)
def replace_stream_field_copy_view():
    return [
        path(
            "pages/<int:page_id>/edit/copy_translation_content/",
            copy_translation_content,
            name="portal_copy_translation_content",
        )
    ]


@hooks.register("register_admin_urls")
def register_translation_report_urls():
    return [path("reports/missing-translations/", include(report_urls))]


class TranslationReportMenuItem(MenuItem):
    def is_shown(self, request):
        return can_see_translation_status(request.user)


@hooks.register("register_reports_menu_item")
def register_translation_report_menu_item():
    return TranslationReportMenuItem(
        gettext_lazy("Missing translations"),
        reverse("portal_translations:report"),
        name="missing-translations",
        icon_name="globe",
        order=1150,
    )


content_po_urls = (
    [
        path("", po_admin.ContentPOView.as_view(), name="index"),
        path("download/", po_admin.DownloadView.as_view(), name="download"),
        path("upload/", po_admin.UploadView.as_view(), name="upload"),
        path("review/<str:token>/", po_admin.ReviewView.as_view(), name="review"),
        path("apply/<str:token>/", po_admin.ApplyView.as_view(), name="apply"),
    ],
    "portal_content_po",
)


@hooks.register("register_admin_urls")
def register_content_po_urls():
    return [path("translate-content/", include(content_po_urls))]


class TranslateContentMenuItem(MenuItem):
    def is_shown(self, request):
        return po_admin.is_translator(request.user)


@hooks.register("register_admin_menu_item")
def register_content_po_menu_item():
    return TranslateContentMenuItem(
        gettext_lazy("Translate content"),
        reverse("portal_content_po:index"),
        name="translate-content",
        icon_name="globe",
        order=550,
    )


@hooks.register("construct_homepage_panels")
def add_translation_status_panel(request, panels):
    if can_see_translation_status(request.user):
        panels.append(TranslationStatusPanel())


@hooks.register("insert_global_admin_css")
def portal_admin_css():
    return format_html('<link rel="stylesheet" href="{}">', static("portal/admin.css"))


@hooks.register("insert_editor_js")
def copy_from_source_language_js():
    # The source language is Swedish by the product's design; the texts name it.
    strings = {
        "source": source_language(),
        "targets": target_languages(),
        "copyFrom": _("Copy from Swedish"),
        "confirmReplace": _(
            "This field already has text. Replace it with a copy of the Swedish text?"
        ),
    }
    return json_script(strings, "portal-translation-strings") + format_html(
        '<script src="{}" defer></script>', static("portal/admin.js")
    )


@hooks.register("insert_global_admin_js")
def admin_accessibility_js():
    # Names for the date picker's arrow buttons, which have none of their own.
    strings = {
        "previousMonth": _("Previous month"),
        "nextMonth": _("Next month"),
        "today": _("Go to today"),
        "earlierTimes": _("Earlier times"),
        "laterTimes": _("Later times"),
    }
    return json_script(strings, "portal-accessibility-strings") + format_html(
        '<script src="{}" defer></script>', static("portal/admin_accessibility.js")
    )


@hooks.register("after_create_page")
@hooks.register("after_edit_page")
def warn_about_unresolved_embeds(request, page):
    """The page is saved; an address that gives no embed shows as a link to the video."""
    from django.contrib import messages

    from portal.embeds import unresolved_addresses

    addresses = unresolved_addresses(page)
    if addresses:
        messages.warning(
            request,
            _(
                "No video could be embedded from %(addresses)s. The page was saved and "
                "shows a link to the video instead; check the address."
            )
            % {"addresses": ", ".join(addresses)},
        )


# --- a Publish click that races autosave -------------------------------------------
#
# Wagtail's autosave (a background JSON request) creates a new page and only then points
# the add form at the page's edit view. An editor who clicks Publish (or Save draft)
# while that request is on its way posts the add form a second time: a second create,
# refused with "This slug is already in use". The add view hands such a click to the
# edit view of the page autosave created, so the click does what the editor meant.

CREATED_BY_AUTOSAVE = "created_by_autosave"  # marks the page's "wagtail.create" log entry
AUTOSAVE_HAND_OVER_WINDOW = datetime.timedelta(minutes=10)


def is_autosave(request):
    # Autosave asks for JSON; the editor's own submit for the HTML page.
    return request.method == "POST" and not request.accepts("text/html")


@hooks.register("after_create_page")
def mark_page_created_by_autosave(request, page):
    if not is_autosave(request):
        return
    entry = PageLogEntry.objects.filter(page=page, action="wagtail.create").first()
    if entry is not None:
        entry.data = {**(entry.data or {}), CREATED_BY_AUTOSAVE: True}
        entry.save(update_fields=["data"])


def page_autosave_created(request, parent_page, page_class):
    """The page autosave created from this add form moments ago, or None: the same user,
    parent, type and (Swedish) slug, created by autosave, never published."""
    slug_field = build_localized_fieldname("slug", settings.LANGUAGE_CODE)
    title_field = build_localized_fieldname("title", settings.LANGUAGE_CODE)
    # An empty slug is made from the title, as Wagtail does when it saves.
    slug = request.POST.get(slug_field) or slugify(
        request.POST.get(title_field, ""),
        allow_unicode=getattr(settings, "WAGTAIL_ALLOW_UNICODE_SLUGS", True),
    )
    if not slug:
        return None
    candidates = page_class.objects.child_of(parent_page).filter(
        **{slug_field: slug},
        owner=request.user,
        live=False,
        first_published_at__isnull=True,
        alias_of__isnull=True,
    )
    entry = (
        PageLogEntry.objects.filter(
            page__in=candidates.values("pk"),
            action="wagtail.create",
            user=request.user,
            timestamp__gte=timezone.now() - AUTOSAVE_HAND_OVER_WINDOW,
            **{f"data__{CREATED_BY_AUTOSAVE}": True},
        )
        .order_by("-timestamp")
        .first()
    )
    return entry and entry.page


class AutosavedPageEditView(EditView):
    """The edit view, taking the add form's POST. That form holds the page's whole set of
    inline children (none of them with an id yet), so they replace the ones autosave
    stored instead of being added to them."""

    def get_object(self):
        page = super().get_object()
        form_class = self.page_class.get_edit_handler().get_form_class()
        for relation in form_class.formsets:
            if relation != "comments":
                getattr(page, relation).set([])
        return page


@hooks.register("before_create_page")
def hand_over_to_page_autosave_created(request, parent_page, page_class):
    if request.method != "POST" or is_autosave(request):
        return None
    page = page_autosave_created(request, parent_page, page_class)
    if page is None:
        return None
    return AutosavedPageEditView.as_view()(request, page_id=page.pk)
