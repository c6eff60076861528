"""Which award fields are stored per language (modeltranslation).

The year, the winner's name, organisation, image and website are facts stored once.
"""

from modeltranslation.translator import TranslationOptions, register

from .models import AwardCategory, AwardPage, AwardWinnerPage


@register(AwardPage)
class AwardPageTranslation(TranslationOptions):
    fields = ("description", "how_to_nominate")


@register(AwardCategory)
class AwardCategoryTranslation(TranslationOptions):
    fields = ("name", "slug", "description")
    required_languages = {"sv": ("name", "slug")}


@register(AwardWinnerPage)
class AwardWinnerPageTranslation(TranslationOptions):
    fields = ("motivation", "image_alt_text", "body")
