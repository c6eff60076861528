import factory
import wagtail_factories
from django.utils.text import slugify


class TranslatedPageFactory(wagtail_factories.PageFactory):
    """A page with Swedish text and, unless ``title_en`` is empty, English text.

    Pass ``title_en=""`` for a page that exists only in Swedish.
    """

    title_sv = factory.Sequence(lambda n: f"Svensk sida {n}")
    title_en = factory.Sequence(lambda n: f"English page {n}")
    slug_sv = factory.LazyAttribute(lambda o: slugify(o.title_sv))
    slug_en = factory.LazyAttribute(lambda o: slugify(o.title_en) if o.title_en else None)
    title = factory.SelfAttribute("title_sv")
    slug = factory.SelfAttribute("slug_sv")

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        if not kwargs.get("title_en"):
            kwargs["title_en"] = None
        return super()._create(model_class, *args, **kwargs)


class ImageFactory(wagtail_factories.ImageFactory):
    title = factory.Sequence(lambda n: f"Bild {n}")
    file = factory.django.ImageField(width=1200, height=800, color="teal")
