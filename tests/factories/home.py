import factory

from home.models import HomePage, StandardPage

from .base import TranslatedPageFactory


class HomePageFactory(TranslatedPageFactory):
    title_sv = "Välkommen till Flemingsberg"
    title_en = "Welcome to Flemingsberg"
    slug_sv = "hem"
    slug_en = "home"
    lead_sv = "Forskning, vård och kultur i Flemingsberg."
    lead_en = "Research, healthcare and culture in Flemingsberg."

    class Meta:
        model = HomePage


class StandardPageFactory(TranslatedPageFactory):
    lead_sv = factory.LazyAttribute(lambda o: f"Ingress för {o.title_sv}")
    lead_en = factory.LazyAttribute(lambda o: f"Lead of {o.title_en}" if o.title_en else "")

    class Meta:
        model = StandardPage
