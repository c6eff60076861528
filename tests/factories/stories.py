import datetime

import factory

from stories.models import StoryIndexPage, StoryPage, Topic

from .base import TranslatedPageFactory


class TopicFactory(factory.django.DjangoModelFactory):
    name_sv = factory.Sequence(lambda n: f"Ämne {n}")
    name_en = factory.Sequence(lambda n: f"Topic {n}")
    slug_sv = factory.Sequence(lambda n: f"amne-{n}")
    slug_en = factory.Sequence(lambda n: f"topic-{n}")

    class Meta:
        model = Topic


class StoryIndexPageFactory(TranslatedPageFactory):
    title_sv = "Nyheter"
    title_en = "News"
    slug_sv = "nyheter"
    slug_en = "news"

    class Meta:
        model = StoryIndexPage


class StoryPageFactory(TranslatedPageFactory):
    title_sv = factory.Sequence(lambda n: f"Nyhet nummer {n}")
    title_en = factory.Sequence(lambda n: f"Story number {n}")
    date = factory.Sequence(lambda n: datetime.date(2025, 1, 1) + datetime.timedelta(days=n))
    lead_sv = factory.LazyAttribute(lambda o: f"Ingress: {o.title_sv}")
    lead_en = factory.LazyAttribute(lambda o: f"Lead: {o.title_en}" if o.title_en else "")
    author_name = "Carin Dahlberg"

    class Meta:
        model = StoryPage
        skip_postgeneration_save = True

    @factory.post_generation
    def topics(self, create, extracted, **kwargs):
        if create and extracted:
            self.topics.set(extracted)
            self.save()  # commits the ParentalManyToMany relation
