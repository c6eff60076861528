"""One rule for the alternative text of an image shown on a page.

An image shown as a page's hero or in an image block gets, in this order:

1. nothing (``alt=""``) when the editor marked it decorative: screen readers skip it;
2. the alternative text the editor wrote for it on this page, in the language shown;
3. the image's own description (Images › Description), written once for every page;
4. on an English page, the text written for the Swedish page.

Every field and block that takes alternative text says so in its help text
(``ALT_TEXT_HELP``), and every template that shows a hero or an image block asks
``alt_text`` (through ``BasePage.hero_alt`` or the block value's ``alt``).
"""

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import build_localized_fieldname

ALT_TEXT_HELP = _(
    "Describe what the image shows, for readers who cannot see it. Left empty, the "
    "image's own description (Images › Description) is used. Tick “Decorative image” "
    "if the image adds nothing to the text: it then has no alternative text."
)
DECORATIVE_HELP = _("Tick if the image adds nothing to the text; screen readers then skip it.")
MISSING_ALT_TEXT = _("Describe the image, or mark it as decorative.")


def alt_text(image, page_alt="", decorative=False, default_language_alt=""):
    """The ``alt`` of ``image`` as shown: see the module's docstring."""
    if image is None or decorative:
        return ""
    return page_alt or getattr(image, "description", "") or default_language_alt or ""


def translated_alt_text(instance, image, field_name, decorative, language):
    """``alt_text`` for an alternative text stored per language in ``field_name`` of
    ``instance``, for text shown in ``language``."""

    def written(code):
        return getattr(instance, build_localized_fieldname(field_name, code), None) or ""

    return alt_text(image, written(language), decorative, written(settings.LANGUAGE_CODE))


def lacks_alt_text(image, written_alts, decorative):
    """True when a published image would have no alternative text at all: not
    decorative, nothing written for the page, and no description of its own."""
    return (
        bool(image)
        and not decorative
        and not any(written_alts)
        and not getattr(image, "description", "")
    )
