"""Shared page base, mixins and site-wide settings.

Every public page type inherits ``BasePage`` so that site-wide behaviour
(listing fields, SEO, language fallback) is a one-file change.
"""

from contextlib import contextmanager

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import build_localized_fieldname
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from portal.blocks import FooterSectionBlock
from portal.images import ALT_TEXT_HELP, DECORATIVE_HELP, translated_alt_text
from portal.page_form import PortalPageForm
from portal.site_urls import absolute_url


def image_field(verbose_name, **kwargs):
    """An optional image; deleting the image clears the field instead of the page."""
    return models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=verbose_name,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        **kwargs,
    )


def alt_text_field(verbose_name):
    """Alternative text written for an image on this page, stored per language; when
    empty the image's own description is used (the rule in portal/images.py)."""
    return models.CharField(verbose_name, max_length=250, blank=True, help_text=ALT_TEXT_HELP)


def decorative_image_field():
    """Marks an image as decorative: it gets no alternative text (``alt=""``)."""
    return models.BooleanField(_("decorative image"), default=False, help_text=DECORATIVE_HELP)


class ListingFieldsMixin(models.Model):
    """How a page presents itself on cards and in lists, when it differs from the page."""

    listing_title = models.CharField(
        _("teaser title"),
        max_length=255,
        blank=True,
        help_text=_("Shorter title for cards and lists; the page title is used when empty."),
    )
    listing_summary = models.TextField(
        _("teaser text"),
        blank=True,
        help_text=_("One or two sentences for cards and lists; the lead is used when empty."),
    )
    listing_image = image_field(
        _("teaser image"), help_text=_("Image for cards; the hero image is used when empty.")
    )

    listing_panels = [
        MultiFieldPanel(
            [
                FieldPanel("listing_title"),
                FieldPanel("listing_summary"),
                FieldPanel("listing_image"),
            ],
            heading=_("Cards and lists"),
        )
    ]

    class Meta:
        abstract = True


class SocialFieldsMixin(models.Model):
    """Image shared on social media (OpenGraph)."""

    social_image = image_field(
        _("social media image"),
        help_text=_("Shown when the page is shared; the hero or teaser image is used when empty."),
    )

    social_panels = [FieldPanel("social_image")]

    class Meta:
        abstract = True


class BasePage(ListingFieldsMixin, SocialFieldsMixin, Page):
    """Abstract base of every public page type."""

    lead = models.TextField(
        _("lead"), blank=True, help_text=_("Introduction shown in larger text under the title.")
    )

    search_fields = Page.search_fields + [index.SearchField("lead")]

    base_form_class = PortalPageForm
    promote_panels = (
        Page.promote_panels + ListingFieldsMixin.listing_panels + SocialFieldsMixin.social_panels
    )

    # Pages that carry their own hero image override this.
    hero_image_field = None
    # A hero shown on the page itself has alternative text per language and may be
    # marked decorative: the names of those fields (alt_text_field, decorative_image_field).
    hero_alt_text_field = None
    hero_decorative_field = None
    # How the page looks as a card in lists; a page type may use its own.
    card_template = "components/card.html"
    # Whether cards and search results name the page type; False for a type whose
    # name means something to editors only ("standard page").
    show_type_to_readers = True

    class Meta:
        abstract = True

    # --- languages -----------------------------------------------------

    def has_translation(self, language_code):
        """True when the page has its own text in ``language_code``.

        Swedish is required, so it always has; another language counts when
        its title is filled in (the title is required for a translation).
        """
        if language_code == settings.LANGUAGE_CODE:
            return True
        return bool(getattr(self, build_localized_fieldname("title", language_code), ""))

    def full_clean(self, *args, **kwargs):
        with self._untranslated_titles_kept():
            super().full_clean(*args, **kwargs)

    def minimal_clean(self):
        with self._untranslated_titles_kept():
            super().minimal_clean()

    @contextmanager
    def _untranslated_titles_kept(self):
        """Wagtail cleans the title by reading and writing ``title``, which means the
        active language's copy: in the English admin, a page without an English title
        got the Swedish one (read through the fallback) as its English title and no
        longer counted as untranslated. A title left empty stays empty."""
        names = [build_localized_fieldname("title", code) for code, _name in settings.LANGUAGES]
        empty = {name: getattr(self, name) for name in names if not getattr(self, name)}
        try:
            yield
        finally:
            for name, value in empty.items():
                setattr(self, name, value)

    @property
    def is_fallback(self):
        """The active language has no text of its own: Swedish is shown."""
        return not self.has_translation(translation.get_language())

    def get_view_restrictions(self):
        """The privacy rules on this page and its ancestors, as Wagtail's queryset.

        Wagtail asks on every page served, two queries each time; the site's rules are
        few and change rarely, so they are kept with the page cache's generation (a
        changed rule renews it) and the queryset comes already filled. Any further
        query on it (the admin orders and counts them) goes to the database as usual.
        """
        from wagtail.models import PageViewRestriction

        if self.alias_of_id:
            return super().get_view_restrictions()  # an alias follows its source page
        rules = [rule for path, rule in page_view_restrictions() if self.path.startswith(path)]
        queryset = PageViewRestriction.objects.filter(pk__in=[rule.pk for rule in rules])
        queryset._result_cache = rules
        return queryset

    def get_url_in(self, language_code, request=None):
        with translation.override(language_code):
            return self.get_url(request=request)

    # --- preview in either language ---------------------------------------

    @property
    def preview_modes(self):
        """ "Svenska" and "English": each language's preview is what its readers will see."""
        return [
            (code, capfirst(translation.get_language_info(code)["name_local"]))
            for code, _name in settings.LANGUAGES
        ]

    @property
    def default_preview_mode(self):
        return settings.LANGUAGE_CODE

    def make_preview_request(
        self, original_request=None, preview_mode=None, extra_request_attrs=None
    ):
        """The preview as a request to the page's address in the mode's language: the
        language middleware, the page's links, its fallback notice all follow it."""
        language = preview_mode if preview_mode in dict(settings.LANGUAGES) else None
        language = language or self.default_preview_mode
        with translation.override(language):
            return super().make_preview_request(original_request, language, extra_request_attrs)

    def _get_dummy_header_url(self, original_request=None):
        # A page not saved yet has no address: its language's home page stands in.
        if self.full_url is None and original_request is not None:
            return original_request.build_absolute_uri(f"/{translation.get_language()}/")
        return super()._get_dummy_header_url(original_request)

    def serve_preview(self, request, mode_name):
        # Rendered here, in the mode's language (a template response renders later).
        with translation.override(mode_name or self.default_preview_mode):
            response = super().serve_preview(request, mode_name)
            if hasattr(response, "render"):
                response.render()
        return response

    # --- listing and SEO ------------------------------------------------

    @property
    def card_title(self):
        return self.listing_title or self.title

    @property
    def card_summary(self):
        return self.listing_summary or self.lead

    @property
    def card_image(self):
        return self.listing_image or self.get_hero_image()

    @classmethod
    def with_card_images(cls, queryset):
        """``queryset`` with the images a card shows, and their renditions, fetched up front.

        Lists of cards stay at a constant number of queries, however many cards.
        """
        fields = ["listing_image"] + ([cls.hero_image_field] if cls.hero_image_field else [])
        # A card shows no body: StreamFields (in every language) are left in the database.
        streamfields = [field.name for field in cls._meta.get_fields()
                        if isinstance(field, StreamField)]  # fmt: skip
        return (
            queryset.defer(*streamfields)
            .select_related(*fields)
            .prefetch_related(*(f"{field}__renditions" for field in fields))
        )

    # Fields whose value, shared with a sibling page of the same type, makes that sibling
    # the more related one (those of them the page type has; e.g. a winner's category).
    related_by = ("category",)

    def get_related_pages(self, limit=3):
        """Up to ``limit`` live pages of this type under the same parent, with their card
        images: those sharing a ``related_by`` value first, then the newest. Two queries
        at most, however many cards."""
        from django.db.models import Case, IntegerField, Value, When

        model = type(self)
        pages = public(model.objects.live().sibling_of(self, inclusive=False))
        shared = [
            When(**{f"{name}_id": getattr(self, f"{name}_id")}, then=Value(0))
            for name in self.related_by
            if any(field.name == name for field in model._meta.get_fields())
            and getattr(self, f"{name}_id", None) is not None
        ]
        if shared:
            pages = pages.annotate(
                unrelated=Case(*shared, default=Value(1), output_field=IntegerField())
            ).order_by("unrelated", "-first_published_at", "-pk")
        else:
            pages = pages.order_by("-first_published_at", "-pk")
        return list(model.with_card_images(pages)[:limit])

    def get_hero_image(self):
        return getattr(self, self.hero_image_field) if self.hero_image_field else None

    @property
    def hero_alt(self):
        """The hero image's alternative text for the text shown (portal/images.py)."""
        if not self.hero_alt_text_field:
            return ""
        language = settings.LANGUAGE_CODE if self.is_fallback else translation.get_language()
        decorative = getattr(self, self.hero_decorative_field)
        image = self.get_hero_image()
        return translated_alt_text(self, image, self.hero_alt_text_field, decorative, language)

    @property
    def meta_description(self):
        return self.search_description or self.listing_summary or self.lead

    @classmethod
    def reader_type_label(cls):
        """The page type as readers see it ("Story", "Timeline", …), or "" for none."""
        return cls._meta.verbose_name if cls.show_type_to_readers else ""

    @property
    def card_label(self):
        """The label above a card's title: the page type, unless the type hides it."""
        return self.reader_type_label()

    @property
    def share_image(self):
        return self.social_image or self.card_image

    def get_json_ld(self, request):
        """schema.org data for this page; subclasses refine it."""
        # A page without text of its own in the active language is the Swedish page:
        # its language and address are those of the Swedish page (the canonical one).
        language = translation.get_language() if not self.is_fallback else settings.LANGUAGE_CODE
        return {
            "@context": "https://schema.org",
            "@type": "WebPage",
            "name": self.title,
            "description": self.meta_description,
            "inLanguage": language,
            "url": absolute_url(self.get_url_in(language, request=request)),
        }


def public(queryset, page_path="path"):
    """``queryset.public()`` without its query: the privacy rules come from the cache
    (see ``BasePage.get_view_restrictions``). ``page_path`` names the page's tree path
    for a queryset of rows that belong to pages (``"page__path"``)."""
    for path, _rule in page_view_restrictions():
        queryset = queryset.exclude(**{f"{page_path}__startswith": path})
    return queryset


def page_view_restrictions():
    """Every privacy rule of the site as (page path, rule), kept with the cache generation."""
    from wagtail.models import PageViewRestriction

    from portal.page_cache import cached_value

    def every_rule():
        return [
            (rule.page.path, rule)
            for rule in PageViewRestriction.objects.select_related("page").only(
                "restriction_type", "password", "page__path"
            )
        ]

    return cached_value(None, "page-view-restrictions", [], every_rule)


@register_setting(icon="site")
class PortalSettings(BaseSiteSetting):
    """Site-wide text editable in the admin (translated per language)."""

    site_name = models.CharField(_("site name"), max_length=100, default="Flemingsberg")
    tagline = models.CharField(_("tagline"), max_length=200, blank=True)
    footer_text = models.TextField(_("footer text"), blank=True)
    # The footer's "Contact us": every item is optional and an empty one is not shown.
    organisation_name = models.CharField(
        _("organisation"),
        max_length=150,
        blank=True,
        help_text=_("The organisation behind the site, named in the footer."),
    )
    visiting_address = models.TextField(
        _("visiting address"), blank=True, help_text=_("One line per row.")
    )
    postal_address = models.TextField(
        _("postal address"), blank=True, help_text=_("One line per row.")
    )
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    footer_sections = StreamField(
        [("section", FooterSectionBlock())],
        blank=True,
        verbose_name=_("footer link sections"),
        help_text=_("Headed lists of links, side by side in the footer."),
    )
    # Linked from every page's footer, in the reader's language, while the page is live.
    accessibility_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("accessibility statement"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The page with the accessibility statement, linked from every page's footer."),
    )
    privacy_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("privacy and cookies"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The page on personal data and cookies, linked from every page's footer."),
    )

    panels = [
        FieldPanel("site_name"),
        FieldPanel("tagline"),
        FieldPanel("footer_text"),
        MultiFieldPanel(
            [
                FieldPanel("organisation_name"),
                FieldPanel("visiting_address"),
                FieldPanel("postal_address"),
                FieldPanel("contact_email"),
                FieldPanel("phone"),
            ],
            heading=_("Contact us"),
        ),
        FieldPanel("footer_sections"),
        MultiFieldPanel(
            [FieldPanel("accessibility_page"), FieldPanel("privacy_page")],
            heading=_("Footer links"),
        ),
    ]

    class Meta:
        verbose_name = _("portal settings")

    @classmethod
    def for_site(cls, site):
        """Read on every page: kept with the page cache's generation (saving the
        settings renews it), so a page rendered past the page cache skips the query."""
        from portal.page_cache import cached_value

        if site is None:
            return super().for_site(site)
        return cached_value(
            None, "portal-settings", [site.pk], lambda: super(PortalSettings, cls).for_site(site)
        )


class SitemapBlock(models.Model):
    """What the sitemap index says of one file (``portal.sitemaps``): the newest
    ``lastmod`` among the listed pages of a block of page ids, and how many there are.
    Kept so that the index reads a row per file rather than every page; a change to a
    page removes its block's row, and a change that can reach a whole subtree (a move,
    a privacy rule, a site) removes them all. The next index request works out the
    missing rows again."""

    site = models.ForeignKey("wagtailcore.Site", on_delete=models.CASCADE, related_name="+")
    pages_per_file = models.PositiveIntegerField()
    number = models.PositiveIntegerField()
    listed_pages = models.PositiveIntegerField()
    newest = models.DateTimeField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["site", "pages_per_file", "number"], name="portal_sitemap_block_unique"
            )
        ]

    def __str__(self):
        return f"{self.site_id}/{self.pages_per_file}/{self.number}"


# The search index table lives in portal.search; importing it here registers it.
from portal.search.models import PageSearchEntry  # noqa: E402, F401

# The stored translation state of every page (portal.translation_tools), likewise.
from portal.translation_tools.models import (  # noqa: E402, F401
    ContentExportRecord,
    ContentPOUpload,
    PageTranslationState,
    TranslationCount,
)
