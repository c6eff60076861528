from modeltranslation.translator import TranslationOptions, register

from .models import HomePage, StandardPage


@register(HomePage)
class HomePageTranslation(TranslationOptions):
    fields = ("hero_heading", "hero_alt_text", "body")


@register(StandardPage)
class StandardPageTranslation(TranslationOptions):
    fields = ("hero_alt_text", "body")
