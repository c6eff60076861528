from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from portal.blocks import BodyBlock
from portal.models import (
    BasePage,
    alt_text_field,
    decorative_image_field,
    image_field,
    public,
)
from portal.page_cache import LazyList


class HomePage(BasePage):
    """The front page of the portal; the root of the site."""

    hero_heading = models.CharField(
        _("hero heading"),
        max_length=200,
        blank=True,
        help_text=_("Large heading over the hero image; the page title is used when empty."),
    )
    hero_image = image_field(_("hero image"))
    hero_alt_text = alt_text_field(_("hero image alternative text"))
    hero_decorative = decorative_image_field()
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))

    hero_image_field = "hero_image"
    hero_alt_text_field = "hero_alt_text"
    hero_decorative_field = "hero_decorative"
    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    search_fields = BasePage.search_fields + [index.SearchField("body")]

    content_panels = BasePage.content_panels + [
        MultiFieldPanel(
            [
                FieldPanel("hero_heading"),
                FieldPanel("lead"),
                FieldPanel("hero_image"),
                FieldPanel("hero_alt_text"),
                FieldPanel("hero_decorative"),
            ],
            heading=_("Hero"),
        ),
        InlinePanel(
            "featured_items",
            label=_("Featured"),
            help_text=_("Pages shown as large cards on the front page, in this order."),
            max_num=6,
        ),
        FieldPanel("body"),
    ]

    class Meta:
        verbose_name = _("home page")
        verbose_name_plural = _("home pages")

    LATEST_STORIES = 3

    def get_featured_pages(self, featured_ids):
        """The featured live pages in the editor's order, as specific pages with card images.

        One query for the page types, then one per type (plus its images).
        """
        types = dict(
            Page.objects.filter(pk__in=featured_ids).live().values_list("pk", "content_type")
        )
        by_id = {}
        for content_type_id in set(types.values()):
            model = ContentType.objects.get_for_id(content_type_id).model_class()
            pages = model.objects.filter(
                pk__in=[pk for pk, ct in types.items() if ct == content_type_id]
            )
            if hasattr(model, "with_card_images"):
                pages = model.with_card_images(pages)
            by_id.update((page.pk, page) for page in pages)
        return [by_id[pk] for pk in featured_ids if pk in by_id]

    def get_latest_stories(self, featured_ids=()):
        from stories.models import StoryPage

        stories = (
            public(StoryPage.objects.live())
            .descendant_of(self)
            .exclude(pk__in=featured_ids)
            .order_by("-date", "-pk")
        )
        return list(StoryPage.with_card_images(stories)[: self.LATEST_STORIES])

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Lazy: read only when the cards' fragment is not cached already.
        featured_ids = LazyList(lambda: [item.page_id for item in self.featured_items.all()])
        context["featured_pages"] = LazyList(lambda: self.get_featured_pages(list(featured_ids)))
        context["latest_stories"] = LazyList(lambda: self.get_latest_stories(list(featured_ids)))
        return context


class HomeFeaturedItem(Orderable):
    home = ParentalKey(HomePage, on_delete=models.CASCADE, related_name="featured_items")
    page = models.ForeignKey(
        "wagtailcore.Page", verbose_name=_("page"), on_delete=models.CASCADE, related_name="+"
    )

    panels = [FieldPanel("page")]

    class Meta(Orderable.Meta):
        verbose_name = _("featured page")
        verbose_name_plural = _("featured pages")


class StandardPage(BasePage):
    """A general content page: About, Contact and the like."""

    hero_image = image_field(_("image"))
    hero_alt_text = alt_text_field(_("image alternative text"))
    hero_decorative = decorative_image_field()
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))

    hero_image_field = "hero_image"
    hero_alt_text_field = "hero_alt_text"
    hero_decorative_field = "hero_decorative"
    # "Standard page" is the admin's word: readers see such a page without a type label.
    show_type_to_readers = False
    parent_page_types = ["home.HomePage", "home.StandardPage"]
    subpage_types = ["home.StandardPage"]

    search_fields = BasePage.search_fields + [index.SearchField("body")]

    content_panels = BasePage.content_panels + [
        FieldPanel("lead"),
        MultiFieldPanel(
            [FieldPanel("hero_image"), FieldPanel("hero_alt_text"), FieldPanel("hero_decorative")],
            heading=_("Image"),
        ),
        FieldPanel("body"),
    ]

    class Meta:
        verbose_name = _("standard page")
        verbose_name_plural = _("standard pages")
