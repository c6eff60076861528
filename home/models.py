from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from portal.blocks import BodyBlock
from portal.models import BasePage


class HomePage(BasePage):
    """The front page of the portal; the root of the site."""

    hero_heading = models.CharField(
        _("hero heading"),
        max_length=200,
        blank=True,
        help_text=_("Large heading over the hero image; the page title is used when empty."),
    )
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("hero image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))

    hero_image_field = "hero_image"
    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    search_fields = BasePage.search_fields + [index.SearchField("body")]

    content_panels = BasePage.content_panels + [
        MultiFieldPanel(
            [FieldPanel("hero_heading"), FieldPanel("lead"), FieldPanel("hero_image")],
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

    def get_featured_pages(self):
        items = self.featured_items.select_related("page")
        pages = [item.page for item in items if item.page.live]
        return _specific_with_images(pages)

    def get_latest_stories(self):
        from stories.models import StoryPage

        featured_ids = {item.page_id for item in self.featured_items.all()}
        return list(
            StoryPage.objects.live()
            .public()
            .descendant_of(self)
            .exclude(pk__in=featured_ids)
            .order_by("-date", "-pk")
            .select_related("hero_image", "listing_image")
            .prefetch_related("hero_image__renditions", "listing_image__renditions")[
                : self.LATEST_STORIES
            ]
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["featured_pages"] = self.get_featured_pages()
        context["latest_stories"] = self.get_latest_stories()
        return context


def _specific_with_images(pages):
    """Specific pages in the given order, fetched with one query per page type."""
    if not pages:
        return []
    by_id = {
        page.pk: page
        for page in Page.objects.filter(pk__in=[p.pk for p in pages]).specific(defer=False)
    }
    return [by_id[p.pk] for p in pages if p.pk in by_id]


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

    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))

    hero_image_field = "hero_image"
    parent_page_types = ["home.HomePage", "home.StandardPage"]
    subpage_types = ["home.StandardPage"]

    search_fields = BasePage.search_fields + [index.SearchField("body")]

    content_panels = BasePage.content_panels + [
        FieldPanel("lead"),
        FieldPanel("hero_image"),
        FieldPanel("body"),
    ]

    class Meta:
        verbose_name = _("standard page")
        verbose_name_plural = _("standard pages")
