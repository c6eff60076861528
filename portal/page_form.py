"""The edit form every page type builds on."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import build_localized_fieldname
from wagtail.admin.forms import WagtailAdminPageForm


class PortalPageForm(WagtailAdminPageForm):
    """An optional title never looks required: Wagtail's title panel gives every
    language's copy of the title the placeholder "Sidrubrik*", the optional English one
    too, unless the widget has one of its own."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code, _name in settings.LANGUAGES:
            field = self.fields.get(build_localized_fieldname("title", code))
            if field is not None and not field.required:
                field.widget.attrs.setdefault("placeholder", _("Page title"))
