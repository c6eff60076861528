"""Factories for the calendar: the event index, events and their organisers."""

import datetime

import factory

from events.models import EventIndexPage, EventOrganiser, EventPage, EventSeriesPage

from .base import TranslatedPageFactory


class EventIndexPageFactory(TranslatedPageFactory):
    title_sv = "Kalendarium"
    title_en = "Events"
    slug_sv = "kalendarium"
    slug_en = "events"

    class Meta:
        model = EventIndexPage


class EventPageFactory(TranslatedPageFactory):
    """An event; by default a whole day in Flemingsberg, a day apart from the previous
    one from 1 March 2030 (so upcoming). Pass ``start_time``/``end_time`` for times of
    day (Swedish time)."""

    title_sv = factory.Sequence(lambda n: f"Evenemang nummer {n}")
    title_en = factory.Sequence(lambda n: f"Event number {n}")
    start_date = factory.Sequence(lambda n: datetime.date(2030, 3, 1) + datetime.timedelta(days=n))
    place_name_sv = "Campus Flemingsberg"
    place_name_en = "Campus Flemingsberg"
    lead_sv = factory.LazyAttribute(lambda o: f"Ingress: {o.title_sv}")
    lead_en = factory.LazyAttribute(lambda o: f"Lead: {o.title_en}" if o.title_en else "")

    class Meta:
        model = EventPage
        skip_postgeneration_save = True

    @factory.post_generation
    def topics(self, create, extracted, **kwargs):
        if create and extracted:
            self.topics.set(extracted)
            self.save_revision().publish()  # commits the ParentalManyToMany relation

    @factory.post_generation
    def organisers(self, create, extracted, **kwargs):
        if create and extracted:
            for order, partner in enumerate(extracted):
                EventOrganiser.objects.create(page=self, partner=partner, sort_order=order)


class EventSeriesPageFactory(TranslatedPageFactory):
    title_sv = factory.Sequence(lambda n: f"Seminarieserie {n}")
    title_en = factory.Sequence(lambda n: f"Seminar series {n}")

    class Meta:
        model = EventSeriesPage
