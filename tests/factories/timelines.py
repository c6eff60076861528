"""Factories for timelines, their milestones and eras, and cultural projects."""

import datetime

import factory

from stories.models import (
    CultureProjectIndexPage,
    CultureProjectPage,
    CultureProjectPartner,
    DatePrecision,
    Milestone,
    Partner,
    TimelineEra,
    TimelinePage,
)

from .base import TranslatedPageFactory


class TimelinePageFactory(TranslatedPageFactory):
    lead_sv = factory.LazyAttribute(lambda o: f"Ingress för {o.title_sv}")
    lead_en = factory.LazyAttribute(lambda o: f"Lead of {o.title_en}" if o.title_en else "")

    class Meta:
        model = TimelinePage


class MilestoneFactory(factory.django.DjangoModelFactory):
    """A milestone; pass ``page=`` (a TimelinePage). Dates default to 12 November of a year."""

    page = None
    date = factory.Sequence(lambda n: datetime.date(1975 + n, 11, 12))
    date_precision = DatePrecision.DAY
    title_sv = factory.Sequence(lambda n: f"Milstolpe {n}")
    title_en = factory.Sequence(lambda n: f"Milestone {n}")
    title = factory.SelfAttribute("title_sv")
    text_sv = factory.LazyAttribute(lambda o: f"<p>Text om {o.title_sv}</p>")
    text_en = factory.LazyAttribute(
        lambda o: f"<p>Text about {o.title_en}</p>" if o.title_en else ""
    )
    sort_order = factory.Sequence(lambda n: n)

    class Meta:
        model = Milestone


class TimelineEraFactory(factory.django.DjangoModelFactory):
    page = None
    title_sv = factory.Sequence(lambda n: f"Epok {n}")
    title_en = factory.Sequence(lambda n: f"Era {n}")
    title = factory.SelfAttribute("title_sv")
    start_year = 1975
    end_year = None
    sort_order = factory.Sequence(lambda n: n)

    class Meta:
        model = TimelineEra


class PartnerFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Organisation {n}")
    url = ""

    class Meta:
        model = Partner


class CultureProjectIndexPageFactory(TranslatedPageFactory):
    title_sv = "Kulturprojekt"
    title_en = "Cultural projects"
    slug_sv = "kulturprojekt"
    slug_en = "cultural-projects"

    class Meta:
        model = CultureProjectIndexPage


class CultureProjectPageFactory(TranslatedPageFactory):
    lead_sv = factory.LazyAttribute(lambda o: f"Ingress för {o.title_sv}")
    lead_en = factory.LazyAttribute(lambda o: f"Lead of {o.title_en}" if o.title_en else "")
    place_sv = "Scenhuset, Flemingsberg"
    place_en = "Scenhuset, Flemingsberg"
    start_date = None
    end_date = None

    class Meta:
        model = CultureProjectPage


class CultureProjectPartnerFactory(factory.django.DjangoModelFactory):
    page = None
    partner = factory.SubFactory(PartnerFactory)
    sort_order = factory.Sequence(lambda n: n)

    class Meta:
        model = CultureProjectPartner
