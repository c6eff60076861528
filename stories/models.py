import datetime
import logging
import re
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    Subquery,
    When,
    Window,
)
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modeltranslation.utils import build_localized_fieldname
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.images.models import SourceImageIOError
from wagtail.models import Orderable, Page
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from portal.blocks import BodyBlock, GalleryBlock
from portal.images import translated_alt_text
from portal.models import (
    BasePage,
    alt_text_field,
    decorative_image_field,
    image_field,
    public,
)
from portal.page_cache import LazyList, cached_value, expire_by
from portal.site_urls import absolute_url

from . import listing

logger = logging.getLogger(__name__)


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

    # Numbered pages of the newest stories; older ones are in the archive by year
    # (stories/listing.py): their cost stays the same however many stories there are.
    NUMBERED_PAGES = 20

    def get_listed_stories(self):
        """The stories readers may see here, unordered and without their images."""
        return public(StoryPage.objects.child_of(self).live())

    def get_stories(self):
        stories = self.get_listed_stories().order_by("-date", "-pk")
        return StoryPage.with_card_images(stories).prefetch_related("topics")

    def get_topics(self):
        """Topics of at least one story listed here: for each topic (topics are few) the
        first such story, not a pass over every story. A subquery with a limit rather
        than EXISTS, which PostgreSQL may plan as a join of all stories and topics."""
        first_story = self.get_listed_stories().filter(topics=OuterRef("pk")).values("pk")[:1]
        return Topic.objects.alias(first_story=Subquery(first_story)).filter(
            first_story__isnull=False
        )

    def _anchor(self):
        return Page.objects.filter(pk=self.pk)

    def get_archive_years(self, request, topic=None):
        """Years with stories (of the topic), newest first; kept with the cache generation."""
        stories = self.get_listed_stories()
        if topic is not None:
            stories = stories.filter(topics=topic)
        return cached_value(request, "story-archive-years", [self.pk, topic.pk if topic else None],
                            lambda: listing.archive_years(stories, self._anchor()))  # fmt: skip

    @path("")
    def index_view(self, request):
        stories = self.get_stories()
        topic = None
        topic_slug = request.GET.get("topic", "").strip()
        if topic_slug:
            # Only slug-shaped values reach the database (no NUL bytes, no huge strings).
            if len(topic_slug) > 80 or not re.fullmatch(r"[-\w]+", topic_slug):
                raise Http404(_("Unknown topic"))
            topic = Topic.objects.filter(slug=topic_slug).first()
            if topic is None:
                raise Http404(_("Unknown topic"))
            stories = stories.filter(topics=topic)
        topic_query = {"topic": topic.slug} if topic else {}
        if request.GET.get("year", "").strip():
            return self.archive_view(request, stories, topic, topic_query)

        paginator = listing.NumberedPaginator(
            stories, settings.PORTAL_STORIES_PER_PAGE, self.NUMBERED_PAGES
        )
        try:
            stories_page = paginator.page(request.GET.get("page", 1))
        except PageNotAnInteger:
            stories_page = paginator.page(1)
        except EmptyPage as exc:
            # Past the numbered pages, the listing goes on in the archive.
            number = request.GET.get("page", "")
            if paginator.has_archive and number.isdigit() and int(number) > 1:
                return redirect(self._archive_url(request, paginator, topic_query))
            raise Http404(_("No such page of stories")) from exc
        archive = {
            "years": LazyList(lambda: self.get_archive_years(request, topic)),
            "older_url": (
                self._archive_url(request, paginator, topic_query)
                if paginator.has_archive and stories_page.number == paginator.num_pages
                else None
            ),
        }
        return self.render(
            request,
            context_overrides={
                "stories_page": stories_page,
                "topic": topic,
                "topics": LazyList(self.get_topics),
                "topic_query": urlencode(topic_query),
                "listing_key": f"page-{stories_page.number}",
                "archive": archive,
            },
        )

    def _archive_url(self, request, paginator, topic_query):
        """Where the archive continues after the last numbered page."""
        query = {**topic_query, **paginator.archive_start()}
        return f"{self.get_url(request=request)}?{urlencode(query)}"

    def archive_view(self, request, stories, topic, topic_query):
        """One page of a year's stories (``?year=``, then ``&before=`` or ``&after=``)."""
        year = listing.parse_year(request.GET.get("year", "").strip())
        before_value = request.GET.get("before", "").strip()
        after_value = request.GET.get("after", "").strip()
        before = listing.parse_story_id(before_value) if before_value else None
        after = listing.parse_story_id(after_value) if after_value else None
        if (
            year is None
            or (before_value and not before)
            or (after_value and not after)
            or (before and after)
        ):
            raise Http404(_("No such page of stories"))
        archive_page = listing.archive_page(
            stories, year, settings.PORTAL_STORIES_PER_PAGE, before=before, after=after
        )
        if archive_page is None:
            raise Http404(_("No such page of stories"))
        years = self.get_archive_years(request, topic)
        year_query = {**topic_query, "year": year}
        newer_query = older_query = older_year = None
        if archive_page.newer_cursor:
            newer_query = urlencode({**year_query, "after": archive_page.newer_cursor})
        if archive_page.older_cursor:
            older_query = urlencode({**year_query, "before": archive_page.older_cursor})
        else:  # the year's oldest stories: on to the year before that has some
            older_year = next((choice for choice in years if choice < year), None)
            if older_year:
                older_query = urlencode({**topic_query, "year": older_year})
        cursor = f"b{before}" if before else f"a{after}" if after else ""
        return self.render(
            request,
            context_overrides={
                "archive_page": archive_page,
                "topic": topic,
                "topics": LazyList(self.get_topics),
                "listing_key": f"year-{year}-{cursor}",
                "archive": {"years": years, "year": year},
                "topic_query": urlencode(topic_query),
                "newer_query": newer_query,
                "older_query": older_query,
                "older_year": older_year,
            },
        )

    @path("rss/")
    def feed_view(self, request):
        from .feeds import StoryFeed

        return StoryFeed(self)(request)


class StoryPage(BasePage):
    """A news story: symposium write-ups, research and company news, anniversaries."""

    # Empty only in a draft (Wagtail defers the required check of a nullable field to
    # publishing), so that a half-written story can be parked.
    date = models.DateField(
        _("date"), null=True, help_text=_("Publication date shown with the story.")
    )
    hero_image = image_field(_("hero image"))
    hero_alt_text = alt_text_field(_("hero image alternative text"))
    hero_decorative = decorative_image_field()
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
    hero_alt_text_field = "hero_alt_text"
    hero_decorative_field = "hero_decorative"
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
                FieldPanel("hero_decorative"),
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
        indexes = [
            # Every listing of stories is newest first: read in this order from here,
            # a page of them costs the same at any number of stories.
            models.Index(fields=["-date", "-page_ptr"], name="stories_story_newest_idx"),
        ]

    def get_related_stories(self, limit=3):
        chosen_ids = [link.story_id for link in self.related_stories.all()]
        if chosen_ids:
            live = StoryPage.objects.live().filter(pk__in=chosen_ids)
            by_id = {story.pk: story for story in StoryPage.with_card_images(live)}
            chosen = [by_id[pk] for pk in chosen_ids if pk in by_id]
            if chosen:
                return chosen[:limit]
        topic_ids = [topic.pk for topic in self.topics.all()]
        if not topic_ids:
            return []
        # Exists rather than a join and DISTINCT: the newest stories are read in order
        # (an index on the date) until three share a topic, not every story of them.
        through = StoryPage.topics.through
        shares_a_topic = through.objects.filter(storypage_id=OuterRef("pk"), topic_id__in=topic_ids)
        stories = (
            public(StoryPage.objects.live())
            .filter(Exists(shares_a_topic))
            .exclude(pk=self.pk)
            .order_by("-date", "-pk")
        )
        return list(StoryPage.with_card_images(stories)[:limit])

    def get_json_ld(self, request):
        data = super().get_json_ld(request)
        data["@type"] = "NewsArticle"
        data["headline"] = self.title
        if self.date:  # a draft's preview may have none yet
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
            try:
                rendition = self.hero_image.get_rendition("fill-1200x630")
            except SourceImageIOError:
                # The file is gone from storage: the page still shows, without this.
                logger.warning("Image file missing: %s", self.hero_image.file.name)
            else:
                data["image"] = absolute_url(rendition.url)
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


# --- dates shown to a chosen precision --------------------------------------


class DatePrecision(models.TextChoices):
    DAY = "day", _("Exact day")
    MONTH = "month", _("Month")
    YEAR = "year", _("Year only")


def date_with_precision(value, precision):
    """The date as readers see it in the active language: "12 November 1975",
    "November 1975" or "1975" (the language's own formats, as the ``date`` filter)."""
    if precision == DatePrecision.YEAR:
        return date_format(value, "Y")
    if precision == DatePrecision.MONTH:
        return date_format(value, "YEAR_MONTH_FORMAT")
    return date_format(value, "DATE_FORMAT")


def iso_date_with_precision(value, precision):
    """The value of ``<time datetime>``: 1975-11-12, 1975-11 or 1975."""
    if precision == DatePrecision.YEAR:
        return f"{value.year:04d}"
    if precision == DatePrecision.MONTH:
        return f"{value.year:04d}-{value.month:02d}"
    return value.isoformat()


def time_element(value, precision):
    return format_html(
        '<time datetime="{}">{}</time>',
        iso_date_with_precision(value, precision),
        date_with_precision(value, precision),
    )


def date_range(start, end, precision):
    """Two dates joined by an en dash, as Swedish and British style both write it: no
    spaces between years alone ("2024–2025"), spaces when a side has several words
    ("3 mars – 5 maj 2025", "mars 2024 – maj 2025")."""
    separator = "–" if precision == DatePrecision.YEAR else " – "
    return format_html("{}{}{}", start, separator, end)


def shows_swedish_fallback(instance, field_name):
    """The field has no text in the active language, so the Swedish text is shown."""
    language = translation.get_language()
    if language == settings.LANGUAGE_CODE:
        return False
    return not getattr(instance, build_localized_fieldname(field_name, language), None)


# --- milestone timelines ------------------------------------------------------


@dataclass
class TimelineGroup:
    """Consecutive milestones of one era (or of none) as they are shown."""

    era: "TimelineEra | None"
    milestones: list = field(default_factory=list)


class TimelinePage(BasePage):
    """Milestones in order, e.g. "50 years of life-changing therapies", optionally in eras."""

    intro = StreamField(BodyBlock(), blank=True, verbose_name=_("introduction"))
    sort_chronologically = models.BooleanField(
        _("sort chronologically"),
        default=True,
        help_text=_(
            "Show the milestones by date, whatever their order here. "
            "Untick to show them in the order they are entered."
        ),
    )

    parent_page_types = ["home.HomePage"]
    subpage_types = []

    # A timeline this long gets a list of its years to jump to.
    YEAR_NAVIGATION_MIN_MILESTONES = 8

    search_fields = BasePage.search_fields + [
        index.SearchField("intro"),
        index.RelatedFields(
            "milestones",
            [
                index.SearchField(build_localized_fieldname(name, code))
                for name in ("title", "text")
                for code, _name in settings.LANGUAGES
            ],
        ),
    ]

    content_panels = BasePage.content_panels + [
        FieldPanel("lead"),
        FieldPanel("intro"),
        FieldPanel("sort_chronologically"),
        InlinePanel("milestones", heading=_("Milestones"), label=_("Milestone")),
        InlinePanel(
            "eras",
            heading=_("Eras"),
            label=_("Era"),
            help_text=_(
                "Optional: milestones whose year falls within an era are grouped under it."
            ),
        ),
    ]

    class Meta:
        verbose_name = _("timeline")
        verbose_name_plural = _("timelines")

    def get_milestones(self, with_media=True):
        """Milestones in the order readers see them, each with a unique ``anchor``.

        The anchor is the year ("1975"); a second milestone in the same year gets
        "1975-2", and so on. Excerpts elsewhere link to these anchors, so they
        are always numbered over the whole timeline.
        """
        milestones = self.milestones.all()
        if with_media:
            milestones = milestones.select_related("image", "link_page").prefetch_related(
                "image__renditions"
            )
        # A milestone without its date exists only in a draft (a preview): left out.
        milestones = [milestone for milestone in milestones if milestone.date is not None]
        if self.sort_chronologically:
            milestones.sort(key=lambda milestone: milestone.sort_key)
        per_year = Counter()
        for milestone in milestones:
            year = milestone.date.year
            per_year[year] += 1
            milestone.anchor = str(year) if per_year[year] == 1 else f"{year}-{per_year[year]}"
        return milestones

    def group_by_era(self, milestones):
        """Split the milestones into runs that share an era (or have none)."""
        eras = list(self.eras.all())
        groups = []
        for milestone in milestones:
            era = next((era for era in eras if era.contains_year(milestone.date.year)), None)
            if groups and groups[-1].era is era:
                groups[-1].milestones.append(milestone)
            else:
                groups.append(TimelineGroup(era, [milestone]))
        return groups

    def get_year_navigation(self, milestones):
        """(year, anchor of its first milestone) pairs, for long timelines only."""
        if len(milestones) < self.YEAR_NAVIGATION_MIN_MILESTONES:
            return []
        years = {}
        for milestone in milestones:
            years.setdefault(milestone.date.year, milestone.anchor)
        return list(years.items()) if len(years) > 1 else []

    def get_excerpt(self, from_year=None, to_year=None, max_items=None):
        """Milestones for an excerpt on another page: within the years, at most ``max_items``."""
        milestones = [
            milestone
            for milestone in self.get_milestones(with_media=False)
            if (from_year is None or milestone.date.year >= from_year)
            and (to_year is None or milestone.date.year <= to_year)
        ]
        return milestones[:max_items] if max_items else milestones

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)

        # Lazy: read only when the timeline's fragment is not cached already.
        milestones = LazyList(self.get_milestones)
        context["timeline_groups"] = LazyList(lambda: self.group_by_era(milestones))
        context["year_navigation"] = LazyList(lambda: self.get_year_navigation(milestones))
        return context


class Milestone(Orderable):
    """A dated event on a timeline; the date, image and link are stored once."""

    page = ParentalKey(TimelinePage, on_delete=models.CASCADE, related_name="milestones")
    # Empty only in a draft timeline (required at publishing); readers never see one.
    date = models.DateField(
        _("date"), null=True, help_text=_("For a month or a year, any day within it will do.")
    )
    date_precision = models.CharField(
        _("show the date as"),
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        help_text=_('e.g. "12 November 1975", "November 1975" or "1975"'),
    )
    title = models.CharField(_("title"), max_length=255)
    text = RichTextField(_("text"), blank=True, features=["bold", "italic"])
    image = image_field(_("image"))
    image_alt_text = alt_text_field(_("image alternative text"))
    image_decorative = decorative_image_field()
    link_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("link to a page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Optional: a page that tells more about this milestone."),
    )

    panels = [
        FieldRowPanel([FieldPanel("date"), FieldPanel("date_precision")]),
        FieldPanel("title"),
        FieldPanel("text"),
        FieldPanel("image"),
        FieldPanel("image_alt_text"),
        FieldPanel("image_decorative"),
        FieldPanel("link_page"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self):
        return f"{self.display_date}: {self.title}"

    @property
    def sort_key(self):
        # A month or a year sorts at its start, whatever day was entered.
        date = self.date
        if self.date_precision == DatePrecision.YEAR:
            date = date.replace(month=1, day=1)
        elif self.date_precision == DatePrecision.MONTH:
            date = date.replace(day=1)
        return (date, self.sort_order if self.sort_order is not None else 0)

    @property
    def iso_date(self):
        return iso_date_with_precision(self.date, self.date_precision) if self.date else ""

    @property
    def display_date(self):
        # No date only in a draft; the admin still names the milestone.
        return date_with_precision(self.date, self.date_precision) if self.date else ""

    @property
    def is_fallback(self):
        return shows_swedish_fallback(self, "title")

    @property
    def image_alt(self):
        """The image's alternative text for the text shown (portal/images.py)."""
        language = settings.LANGUAGE_CODE if self.is_fallback else translation.get_language()
        return translated_alt_text(
            self, self.image, "image_alt_text", self.image_decorative, language
        )

    @property
    def live_link_page(self):
        return self.link_page if self.link_page and self.link_page.live else None


class TimelineEra(Orderable):
    """A span of years that groups the milestones within it."""

    page = ParentalKey(TimelinePage, on_delete=models.CASCADE, related_name="eras")
    title = models.CharField(_("title"), max_length=200)
    # Empty only in a draft timeline (required at publishing).
    start_year = models.PositiveSmallIntegerField(
        _("first year"), null=True, validators=[MinValueValidator(1), MaxValueValidator(9999)]
    )
    end_year = models.PositiveSmallIntegerField(
        _("last year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(9999)],
        help_text=_("Leave empty for an era that continues today."),
    )

    panels = [
        FieldPanel("title"),
        FieldRowPanel([FieldPanel("start_year"), FieldPanel("end_year")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("era")
        verbose_name_plural = _("eras")

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        if (
            self.start_year is not None
            and self.end_year is not None
            and self.end_year < self.start_year
        ):
            raise ValidationError({"end_year": _("The last year cannot be before the first year.")})

    @property
    def is_fallback(self):
        return shows_swedish_fallback(self, "title")

    def contains_year(self, year):
        if self.start_year is None:  # a draft's era without its first year holds nothing
            return False
        return self.start_year <= year and (self.end_year is None or year <= self.end_year)

    @property
    def years_display(self):
        if self.start_year is None:  # only in a draft
            return ""
        if self.end_year is None:
            return gettext("since %(year)s") % {"year": self.start_year}
        if self.end_year == self.start_year:
            return str(self.start_year)
        return f"{self.start_year}–{self.end_year}"


# --- cultural projects --------------------------------------------------------


@register_snippet
class Partner(index.Indexed, models.Model):
    """An organisation taking part in cultural projects, stored once for every language."""

    name = models.CharField(
        _("name"),
        max_length=200,
        help_text=_("The organisation's name as it is written in both languages."),
    )
    url = models.URLField(_("web address"), blank=True)
    logo = image_field(_("logo"))

    panels = [FieldPanel("name"), FieldPanel("url"), FieldPanel("logo")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")

    def __str__(self):
        return self.name


class CultureProjectIndexPage(BasePage):
    """Cultural projects: the current ones first, then the past ones."""

    intro = StreamField(BodyBlock(), blank=True, verbose_name=_("introduction"))

    parent_page_types = ["home.HomePage"]
    subpage_types = ["stories.CultureProjectPage"]
    max_count = 1

    content_panels = BasePage.content_panels + [FieldPanel("lead"), FieldPanel("intro")]

    class Meta:
        verbose_name = _("cultural project index")
        verbose_name_plural = _("cultural project indexes")

    # Projects on one page of the index; more than that and it is paginated.
    PROJECTS_PER_PAGE = 36

    def get_projects(self):
        projects = public(CultureProjectPage.objects.child_of(self).live())
        return CultureProjectPage.with_card_images(projects)

    def get_current_projects(self):
        """Ongoing and upcoming projects: those with no known start first, then the latest start."""
        today = timezone.localdate()
        return (
            self.get_projects()
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
            .order_by(F("start_date").desc(nulls_first=True), "-first_published_at", "-pk")
        )

    def get_past_projects(self):
        """Projects that have ended, the most recently ended first."""
        today = timezone.localdate()
        return (
            self.get_projects()
            .filter(end_date__lt=today)
            .order_by("-end_date", F("start_date").desc(nulls_last=True), "-pk")
        )

    def get_projects_in_order(self):
        """Current projects in their order, then past ones in theirs, as one queryset
        (``is_past`` on each): a page of the index is one slice of it, however many
        projects there are and wherever the page begins."""
        today = timezone.localdate()
        is_past = Q(end_date__lt=today)

        def current(name):
            field = CultureProjectPage._meta.get_field(name)
            return Case(When(is_past, then=None), default=F(name), output_field=field)

        def past(name):
            field = CultureProjectPage._meta.get_field(name)
            return Case(When(is_past, then=F(name)), default=None, output_field=field)

        return (
            self.get_projects()
            # Never NULL (a project without an end is current), so that it sorts alike in
            # every database.
            .annotate(
                is_past=Case(
                    When(is_past, then=True), default=False, output_field=models.BooleanField()
                )
            )
            .order_by(
                "is_past",
                current("start_date").desc(nulls_first=True),
                current("first_published_at").desc(),
                past("end_date").desc(),
                past("start_date").desc(nulls_last=True),
                "-pk",
            )
        )

    def project_listing(self, request):
        """One page of the index (``?page=``): its current projects, then its past ones.
        A page number that is not a number shows the first page; one past the last
        answers 404.

        Two queries: the page's ids in order with the number of projects (narrow rows
        to sort, however many projects there are), then those projects with images."""
        per_page = self.PROJECTS_PER_PAGE
        try:
            number = int(request.GET.get("page", "") or 1)
        except ValueError:
            number = 1
        ordered = self.get_projects_in_order()
        rows = []
        if 1 <= number <= 10**6:  # past that, no database is asked to skip so many rows
            offset = (number - 1) * per_page
            rows = list(
                ordered.annotate(total=Window(Count("pk")))
                .values_list("pk", "is_past", "total")[offset : offset + per_page]
            )  # fmt: skip
        if not rows and number != 1:
            raise Http404(gettext("No such page of projects"))
        total = rows[0][2] if rows else 0
        num_pages = max(1, -(-total // per_page))
        by_id = {project.pk: project for project in ordered.filter(pk__in=[row[0] for row in rows])}
        projects = [by_id[pk] for pk, _is_past, _total in rows if pk in by_id]
        return {
            "current_projects": [project for project in projects if not project.is_past],
            "past_projects": [project for project in projects if project.is_past],
            # What the pagination component reads of a page.
            "projects_pages": {
                "number": number,
                "has_other_pages": num_pages > 1,
                "has_previous": number > 1,
                "has_next": number < num_pages,
                "previous_page_number": number - 1,
                "next_page_number": number + 1,
                "paginator": {"num_pages": num_pages},
            },
        }

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Projects move from current to past with the date alone: kept per day, and the
        # cached page no longer than until midnight.
        today = timezone.localdate()
        expire_by(request, timezone.make_aware(datetime.datetime.combine(
            today + datetime.timedelta(days=1), datetime.time())))  # fmt: skip
        number = request.GET.get("page", "")
        context.update(
            cached_value(request, "culture-projects", [self.pk, today.isoformat(), number],
                         lambda: self.project_listing(request))
        )  # fmt: skip
        return context


class CultureProjectPage(BasePage):
    """A cultural project: partners, place, period, body and gallery."""

    hero_image = image_field(_("hero image"))
    hero_alt_text = alt_text_field(_("hero image alternative text"))
    hero_decorative = decorative_image_field()
    place = models.CharField(
        _("place"), max_length=200, blank=True, help_text=_("e.g. Scenhuset, Flemingsberg")
    )
    start_date = models.DateField(
        _("start"), null=True, blank=True, help_text=_("Leave empty when it is not known.")
    )
    end_date = models.DateField(
        _("end"), null=True, blank=True, help_text=_("Leave empty while the project goes on.")
    )
    period_precision = models.CharField(
        _("show the dates as"),
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.MONTH,
        help_text=_('e.g. "3 March 2025", "March 2025" or "2025"'),
    )
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))
    # A field of its own rather than a body block: the gallery always follows the
    # body, and an English page without its own gallery shows the Swedish one.
    gallery = StreamField(
        [("gallery", GalleryBlock())], blank=True, max_num=1, verbose_name=_("gallery")
    )

    hero_image_field = "hero_image"
    hero_alt_text_field = "hero_alt_text"
    hero_decorative_field = "hero_decorative"
    card_template = "stories/includes/culture_project_card.html"
    parent_page_types = ["stories.CultureProjectIndexPage"]
    subpage_types = []

    search_fields = BasePage.search_fields + [
        index.SearchField("place"),
        index.SearchField("body"),
        index.RelatedFields(
            "partner_links", [index.RelatedFields("partner", [index.SearchField("name")])]
        ),
    ]

    content_panels = BasePage.content_panels + [
        FieldPanel("lead"),
        MultiFieldPanel(
            [FieldPanel("hero_image"), FieldPanel("hero_alt_text"), FieldPanel("hero_decorative")],
            heading=_("Hero image"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("place"),
                FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
                FieldPanel("period_precision"),
            ],
            heading=_("Place and period"),
        ),
        InlinePanel(
            "partner_links",
            heading=_("Partners"),
            label=_("Partner"),
            help_text=_("Organisations are kept under Snippets › Partners and shared by projects."),
        ),
        FieldPanel("body"),
        FieldPanel("gallery"),
    ]

    class Meta:
        verbose_name = _("cultural project")
        verbose_name_plural = _("cultural projects")

    def clean(self):
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date cannot be before the start date.")})

    @property
    def is_ongoing(self):
        """No end date, or an end date that has not passed."""
        return self.end_date is None or self.end_date >= timezone.localdate()

    @property
    def is_upcoming(self):
        return self.start_date is not None and self.start_date > timezone.localdate()

    @property
    def period_display(self):
        """The period as a sentence in the active language, dates in ``<time>`` elements."""
        precision = self.period_precision
        start = time_element(self.start_date, precision) if self.start_date else ""
        end = time_element(self.end_date, precision) if self.end_date else ""
        period = date_range(start, end, precision) if start and end else ""
        if not self.is_ongoing:
            message = "%(period)s" if start else gettext("Ended %(end)s")
        elif self.is_upcoming:
            # Translators: %(period)s is the dates, e.g. "2026–2027" or "3 mars – 5 maj 2026".
            message = gettext("%(period)s (upcoming)") if end else gettext("From %(start)s")
        elif start and end:
            # Translators: %(period)s is the dates, e.g. "2024–2027" or "3 mars 2025 – 5 maj 2027".
            message = gettext("%(period)s (ongoing)")
        elif start:
            message = gettext("Since %(start)s (ongoing)")
        elif end:
            message = gettext("Until %(end)s (ongoing)")
        else:
            message = gettext("Ongoing")
        values = {"start": start, "end": end, "period": period}
        return mark_safe(conditional_escape(message) % values)  # noqa: S308

    def get_partners(self):
        links = self.partner_links.select_related("partner", "partner__logo").prefetch_related(
            "partner__logo__renditions"
        )
        return [link.partner for link in links]

    @property
    def gallery_is_fallback(self):
        """The English page shows the Swedish gallery (captions and alt text in Swedish)."""
        return bool(self.gallery) and shows_swedish_fallback(self, "gallery")


class CultureProjectPartner(Orderable):
    page = ParentalKey(CultureProjectPage, on_delete=models.CASCADE, related_name="partner_links")
    partner = models.ForeignKey(
        Partner, verbose_name=_("partner"), on_delete=models.CASCADE, related_name="project_links"
    )

    panels = [FieldPanel("partner")]

    class Meta(Orderable.Meta):
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
