"""Admin additions for the calendar: "Import events" in a calendar's "…" menu (in its
own listing's header and on its row in its parent's listing), leading to the upload
page of ``admin_views``."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.menus.pages import PageMenuItem

from .admin_views import ImportCalendarView, may_import
from .models import EventIndexPage


@hooks.register("register_admin_urls")
def register_import_urls():
    return [
        path(
            "events/<int:index_id>/import/",
            ImportCalendarView.as_view(),
            name="events_import_ics",
        )
    ]


class ImportEventsButton(PageMenuItem):
    label = _("Import events (.ics)")
    icon_name = "download"

    @property
    def url(self):
        return reverse("events_import_ics", args=[self.page.pk])


def _import_buttons(page, user):
    page_type = page.specific_class
    if page_type and issubclass(page_type, EventIndexPage) and may_import(user, page):
        yield ImportEventsButton(page=page, priority=12)


@hooks.register("register_page_header_buttons")
def calendar_header_buttons(page, user, view_name=None, next_url=None):
    yield from _import_buttons(page, user)


@hooks.register("register_page_listing_more_buttons")
def calendar_listing_buttons(page, user, next_url=None):
    yield from _import_buttons(page, user)
