"""The admin names the root of the page tree in the editor's language.

Wagtail's migrations create the root page with the English title "Root", and the admin
shows it as data in the explorer's heading ("Exploring: Root"), breadcrumbs and page
choosers. Readers never see the root page. A root an administrator has renamed keeps
its own title.
"""

from django.utils.translation import pgettext
from wagtail.models import Page

WAGTAIL_ROOT_TITLE = "Root"


def connect():
    original = Page.get_admin_display_title
    if getattr(original, "names_root_in_admin_language", False):
        return

    def get_admin_display_title(self):
        title = original(self)
        if self.depth == 1 and title == WAGTAIL_ROOT_TITLE:
            return pgettext("the root of the page tree", "Root")
        return title

    get_admin_display_title.names_root_in_admin_language = True
    Page.get_admin_display_title = get_admin_display_title
