from modeltranslation.translator import TranslationOptions, register

from .models import EventIndexPage, EventPage, EventSeriesPage, EventSession, Venue


@register(EventIndexPage)
class EventIndexPageTranslation(TranslationOptions):
    fields = ("intro",)


@register(EventPage)
class EventPageTranslation(TranslationOptions):
    # Dates, times, the address, links, organisers (partners), topics and the image
    # are stored once; the place's name, the price and the texts per language.
    fields = ("place_name", "price", "hero_alt_text", "body")


@register(Venue)
class VenueTranslation(TranslationOptions):
    # The address and the map position once; the names and notes per language.
    fields = ("name", "room", "accessibility_notes")


@register(EventSession)
class EventSessionTranslation(TranslationOptions):
    # Times, speakers' names and links once; the title and the room per language.
    fields = ("title", "room")


@register(EventSeriesPage)
class EventSeriesPageTranslation(TranslationOptions):
    fields = ("intro",)
