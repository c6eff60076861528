import factory

from awards.models import AwardCategory, AwardPage, AwardWinnerPage

from .base import ImageFactory, TranslatedPageFactory


class AwardPageFactory(TranslatedPageFactory):
    title_sv = "Flemingsberg Science Award"
    title_en = "Flemingsberg Science Award"
    slug_sv = "flemingsberg-science-award"
    slug_en = "flemingsberg-science-award"
    lead_sv = "Vetenskapsstadens pris."
    lead_en = "The science city's award."

    class Meta:
        model = AwardPage


class AwardCategoryFactory(factory.django.DjangoModelFactory):
    """A category of ``programme`` (an AwardPage, required)."""

    name_sv = factory.Sequence(lambda n: f"Kategori {n}")
    name_en = factory.Sequence(lambda n: f"Category {n}")
    slug_sv = factory.Sequence(lambda n: f"kategori-{n}")
    slug_en = factory.Sequence(lambda n: f"category-{n}")
    sort_order = factory.Sequence(lambda n: n)

    class Meta:
        model = AwardCategory


class AwardWinnerPageFactory(TranslatedPageFactory):
    """A winner; pass ``parent`` (an AwardPage) and ``category`` (one of its categories)."""

    year = 2025
    winner_name = factory.Sequence(lambda n: f"Vinnare {n}")
    lead_sv = factory.LazyAttribute(lambda o: f"Ingress för {o.title_sv}")
    lead_en = factory.LazyAttribute(lambda o: f"Lead of {o.title_en}" if o.title_en else "")
    motivation_sv = "Juryns motivering."
    motivation_en = "The jury's citation."
    image = factory.SubFactory(ImageFactory)

    class Meta:
        model = AwardWinnerPage
