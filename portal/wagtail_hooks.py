"""Admin additions for translators and editors.

* Reports → Missing translations: live pages lacking text in a language, and their
  text as a content PO file to translate.
* Dashboard panel: how many pages and snippets are fully, partly, not translated.
* Translate content (Translators group): the content PO round trip, download to apply.
* Page and snippet editor: "Copy from Swedish" next to every translated field.
* Admin CSS: readable colours for wagtail-modeltranslation's language picker.
"""

from django.templatetags.static import static
from django.urls import include, path, reverse
from django.utils.html import format_html, json_script
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem

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
