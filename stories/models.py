from django import forms
from django.conf import settings
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import models
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Orderable
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from portal.blocks import BodyBlock
from portal.models import BasePage


@register_snippet
class Topic(index.Indexed, models.Model):
    """A subject that stories are tagged with; its name and slug are translated.

    A snippet rather than free-text tags, so that each topic has one Swedish and
    one English name and the filter URL is readable in both languages.
    """

    name = models.CharField(_("name"), max_length=80)
    slug = models.SlugField(
        _("slug"), max_length=80, allow_unicode=True, help_text=_("Used in the filter address.")
    )

    panels = [FieldPanel("name"), FieldPanel("slug")]
    search_fields = [index.SearchField("name")]

    class Meta:
        ordering = ["name_sv"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self):
        return self.name


class StoryIndexPage(RoutablePageMixin, BasePage):
    """News: all stories below it, newest first, paginated, filterable by topic, with a feed."""

    intro = StreamField(BodyBlock(), blank=True, verbose_name=_("introduction"))

    parent_page_types = ["home.HomePage"]
    subpage_types = ["stories.StoryPage"]
    max_count = 1

    content_panels = BasePage.content_panels + [FieldPanel("lead"), FieldPanel("intro")]

    class Meta:
        verbose_name = _("story index")
        verbose_name_plural = _("story indexes")

    def get_stories(self):
        return (
            StoryPage.objects.child_of(self)
            .live()
            .public()
            .order_by("-date", "-pk")
            .select_related("hero_image", "listing_image")
            .prefetch_related("topics", "hero_image__renditions", "listing_image__renditions")
        )

    def get_topics(self):
        return Topic.objects.filter(stories__in=self.get_stories()).distinct()

    @path("")
    def index_view(self, request):
        stories = self.get_stories()
        topic = None
        topic_slug = request.GET.get("topic", "").strip()
        if topic_slug:
            topic = Topic.objects.filter(slug=topic_slug).first()
            if topic is None:
                raise Http404(_("Unknown topic"))
            stories = stories.filter(topics=topic)
        paginator = Paginator(stories, settings.PORTAL_STORIES_PER_PAGE)
        try:
            stories_page = paginator.page(request.GET.get("page", 1))
        except PageNotAnInteger:
            stories_page = paginator.page(1)
        except EmptyPage as exc:
            raise Http404(_("No such page of stories")) from exc
        return self.render(
            request,
            context_overrides={
                "stories_page": stories_page,
                "topic": topic,
                "topics": self.get_topics(),
                "pagination_query": f"topic={topic.slug}" if topic else "",
            },
        )

    @path("rss/")
    def feed_view(self, request):
        from .feeds import StoryFeed

        return StoryFeed(self)(request)


class StoryPage(BasePage):
    """A news story: symposium write-ups, research and company news, anniversaries."""

    date = models.DateField(_("date"), help_text=_("Publication date shown with the story."))
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("hero image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    hero_alt_text = models.CharField(
        _("hero image alternative text"),
        max_length=250,
        blank=True,
        help_text=_("Describe what the image shows; leave empty if it is decorative."),
    )
    hero_caption = models.CharField(_("hero image caption"), max_length=300, blank=True)
    hero_credit = models.CharField(
        _("hero image credit"), max_length=150, blank=True, help_text=_("e.g. photographer")
    )
    author_name = models.CharField(
        _("author"), max_length=150, blank=True, help_text=_("Name of the person who wrote it.")
    )
    author_role = models.CharField(
        _("author's role"),
        max_length=200,
        blank=True,
        help_text=_("e.g. Scientific coordinator; translated."),
    )
    organisation = models.CharField(
        _("organisation"), max_length=150, blank=True, help_text=_("Organisation behind the story.")
    )
    topics = ParentalManyToManyField(
        Topic, blank=True, related_name="stories", verbose_name=_("topics")
    )
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))

    hero_image_field = "hero_image"
    og_type = "article"
    parent_page_types = ["stories.StoryIndexPage"]
    subpage_types = []

    search_fields = BasePage.search_fields + [
        index.SearchField("body"),
        index.RelatedFields("topics", [index.SearchField("name")]),
        index.FilterField("date"),
    ]

    content_panels = BasePage.content_panels + [
        FieldPanel("date"),
        FieldPanel("lead"),
        MultiFieldPanel(
            [
                FieldPanel("hero_image"),
                FieldPanel("hero_alt_text"),
                FieldPanel("hero_caption"),
                FieldPanel("hero_credit"),
            ],
            heading=_("Hero image"),
        ),
        MultiFieldPanel(
            [FieldPanel("author_name"), FieldPanel("author_role"), FieldPanel("organisation")],
            heading=_("Byline"),
        ),
        FieldPanel("topics", widget=forms.CheckboxSelectMultiple),
        FieldPanel("body"),
        InlinePanel(
            "related_stories",
            label=_("Related stories"),
            help_text=_("Chosen stories come first; otherwise stories sharing a topic are shown."),
            max_num=4,
        ),
    ]

    class Meta:
        verbose_name = _("story")
        verbose_name_plural = _("stories")
        ordering = ["-date"]

    def get_related_stories(self, limit=3):
        chosen = [
            link.story for link in self.related_stories.select_related("story") if link.story.live
        ]
        if chosen:
            return chosen[:limit]
        topic_ids = [topic.pk for topic in self.topics.all()]
        if not topic_ids:
            return []
        return list(
            StoryPage.objects.live()
            .public()
            .filter(topics__in=topic_ids)
            .exclude(pk=self.pk)
            .distinct()
            .order_by("-date", "-pk")
            .select_related("hero_image", "listing_image")
            .prefetch_related("hero_image__renditions", "listing_image__renditions")[:limit]
        )

    def get_json_ld(self, request):
        data = super().get_json_ld(request)
        data["@type"] = "NewsArticle"
        data["headline"] = self.title
        data["datePublished"] = self.date.isoformat()
        if self.last_published_at:
            data["dateModified"] = self.last_published_at.isoformat()
        if self.author_name:
            data["author"] = {"@type": "Person", "name": self.author_name}
            if self.organisation:
                data["author"]["affiliation"] = {"@type": "Organization", "name": self.organisation}
        elif self.organisation:
            data["author"] = {"@type": "Organization", "name": self.organisation}
        if self.hero_image:
            rendition = self.hero_image.get_rendition("fill-1200x630")
            data["image"] = request.build_absolute_uri(rendition.url)
        data["mainEntityOfPage"] = data["url"]
        return data

    @property
    def language_of_text(self):
        return translation.get_language() if not self.is_fallback else settings.LANGUAGE_CODE


class RelatedStory(Orderable):
    page = ParentalKey(StoryPage, on_delete=models.CASCADE, related_name="related_stories")
    story = models.ForeignKey(
        "stories.StoryPage",
        verbose_name=_("story"),
        on_delete=models.CASCADE,
        related_name="+",
    )

    panels = [FieldPanel("story")]

    class Meta(Orderable.Meta):
        verbose_name = _("related story")
        verbose_name_plural = _("related stories")
