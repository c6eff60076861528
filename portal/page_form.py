"""The edit form every page type builds on."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import build_localized_fieldname
from wagtail.admin.forms import WagtailAdminPageForm

from portal.images import MISSING_ALT_TEXT, lacks_alt_text


class PortalPageForm(WagtailAdminPageForm):
    """An optional title never looks required: Wagtail's title panel gives every
    language's copy of the title the placeholder "Sidrubrik*", the optional English one
    too, unless the widget has one of its own.

    A published hero image has alternative text (written for the page or the image's own
    description) unless it is marked decorative; a draft may wait for it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code, _name in settings.LANGUAGES:
            field = self.fields.get(build_localized_fieldname("title", code))
            if field is not None and not field.required:
                field.widget.attrs.setdefault("placeholder", _("Page title"))

    def _update_errors(self, errors):
        # A page's clean() names a translated field by its model name ("place_name");
        # the form has only its copies per language ("place_name_sv"), and Django fails
        # on an error for a field it does not have (a 500 instead of the message). The
        # error goes under the Swedish copy, the one every language falls back on.
        for field in list(getattr(errors, "error_dict", {})):
            swedish = build_localized_fieldname(field, settings.LANGUAGE_CODE)
            if field not in self.fields and swedish in self.fields:
                errors.error_dict.setdefault(swedish, []).extend(errors.error_dict.pop(field))
        super()._update_errors(errors)

    def clean(self):
        cleaned_data = super().clean()
        if not self.is_deferred_validation:
            self.check_hero_alt_text(cleaned_data)
        return cleaned_data

    def check_hero_alt_text(self, cleaned_data):
        page_class = self._meta.model
        alt_field = page_class.hero_alt_text_field
        if not alt_field or page_class.hero_image_field not in cleaned_data:
            return
        # The Swedish text is the one every language falls back on.
        swedish_alt = build_localized_fieldname(alt_field, settings.LANGUAGE_CODE)
        if lacks_alt_text(
            cleaned_data.get(page_class.hero_image_field),
            [cleaned_data.get(swedish_alt)],
            cleaned_data.get(page_class.hero_decorative_field),
        ):
            self.add_error(swedish_alt, MISSING_ALT_TEXT)
