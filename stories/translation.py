from modeltranslation.translator import TranslationOptions, register

from .models import StoryIndexPage, StoryPage, Topic


@register(Topic)
class TopicTranslation(TranslationOptions):
    fields = ("name", "slug")
    required_languages = ("sv",)


@register(StoryIndexPage)
class StoryIndexPageTranslation(TranslationOptions):
    fields = ("intro",)


@register(StoryPage)
class StoryPageTranslation(TranslationOptions):
    # Names (author, organisation, photographer) and the date are stored once.
    fields = ("hero_alt_text", "hero_caption", "author_role", "body")
