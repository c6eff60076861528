from modeltranslation.translator import TranslationOptions, register

from .models import (
    CultureProjectIndexPage,
    CultureProjectPage,
    Milestone,
    StoryIndexPage,
    StoryPage,
    TimelineEra,
    TimelinePage,
    Topic,
)


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


@register(TimelinePage)
class TimelinePageTranslation(TranslationOptions):
    fields = ("intro",)


@register(Milestone)
class MilestoneTranslation(TranslationOptions):
    # The date, its precision, the image and the linked page are stored once.
    fields = ("title", "text", "image_alt_text")
    required_languages = ("sv",)


@register(TimelineEra)
class TimelineEraTranslation(TranslationOptions):
    fields = ("title",)
    required_languages = ("sv",)


@register(CultureProjectIndexPage)
class CultureProjectIndexPageTranslation(TranslationOptions):
    fields = ("intro",)


@register(CultureProjectPage)
class CultureProjectPageTranslation(TranslationOptions):
    # Partners (names, logos, links), dates and the hero image are stored once; the
    # gallery is per language for its captions and alternative text, and the English
    # page shows the Swedish gallery when it has none of its own.
    fields = ("hero_alt_text", "place", "body", "gallery")
