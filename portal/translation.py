"""Which fields are stored per language (modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register

from .models import BasePage, PortalSettings


@register(BasePage)
class BasePageTranslation(TranslationOptions):
    # Inherited by every page type's own registration.
    fields = ("lead", "listing_title", "listing_summary")


@register(PortalSettings)
class PortalSettingsTranslation(TranslationOptions):
    fields = (
        "site_name",
        "tagline",
        "footer_text",
        "organisation_name",
        "visiting_address",
        "postal_address",
    )
