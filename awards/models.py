"""Award programmes (e.g. the Flemingsberg Science Award), their categories and winners.

Categories are an ordered inline of the programme (``AwardCategory``) rather than
a snippet: each programme has its own categories, edited on the programme's page,
so a winner can only be given a category of its own programme, and deleting a
programme removes its categories with it.
"""

import logging
import re
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count
from django.http import Http404
from django.utils import translation
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.images.models import SourceImageIOError
from wagtail.models import Orderable
from wagtail.search import index

from portal.blocks import BodyBlock
from portal.models import (
    BasePage,
    alt_text_field,
    decorative_image_field,
    image_field,
    public,
)
from portal.page_cache import cached_value
from portal.page_form import PortalPageForm
from portal.site_urls import absolute_url

logger = logging.getLogger(__name__)

FIRST_YEAR = 1900
LAST_YEAR = 2100
YEAR_PATTERN = re.compile(r"\d{4}")


class AwardPageForm(PortalPageForm):
    """Refuses two categories of one programme with the same filter address."""

    def clean(self):
        cleaned_data = super().clean()
        formset = self.formsets.get("categories")
        if formset is None or not formset.is_bound:
            return cleaned_data
        formset.is_valid()  # validates the category forms so that their cleaned data exist
        seen = {}
        for form in formset.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if not data or data.get("DELETE"):
                continue
            for field_name in [name for name in data if name.startswith("slug_")]:
                slug = data.get(field_name)
                if not slug:
                    continue
                key = (field_name, slug)
                if key in seen:
                    form.add_error(
                        field_name,
                        gettext("Another category of this award already uses this slug."),
                    )
                seen[key] = form
        return cleaned_data


class AwardPage(BasePage):
    """An award programme: what it is, how to nominate, its categories and its winners."""

    image = image_field(_("image"), help_text=_("Shown on cards and when the page is shared."))
    description = StreamField(BodyBlock(), blank=True, verbose_name=_("description"))
    how_to_nominate = StreamField(
        BodyBlock(),
        blank=True,
        verbose_name=_("how to nominate"),
        help_text=_("Who can nominate, how and by when."),
    )

    hero_image_field = "image"
    parent_page_types = ["home.HomePage"]
    subpage_types = ["awards.AwardWinnerPage"]
    base_form_class = AwardPageForm

    search_fields = BasePage.search_fields + [
        index.SearchField("description"),
        index.SearchField("how_to_nominate"),
    ]

    content_panels = BasePage.content_panels + [
        FieldPanel("lead"),
        FieldPanel("image"),
        FieldPanel("description"),
        InlinePanel(
            "categories",
            label=_("Categories"),
            help_text=_(
                "A winner's category is chosen from this list; publish the award page "
                "before giving a winner a new category."
            ),
            min_num=1,
        ),
        FieldPanel("how_to_nominate"),
    ]

    class Meta:
        verbose_name = _("award")
        verbose_name_plural = _("awards")

    # --- winners ----------------------------------------------------------

    def get_winners(self):
        """Live winners, newest year first, then in category order."""
        winners = (
            public(AwardWinnerPage.objects.child_of(self).live())
            .select_related("category")
            .order_by("-year", "category__sort_order", "path")
        )
        return AwardWinnerPage.with_card_images(winners)

    def get_latest_winners(self, limit=3):
        return list(self.get_winners()[:limit])

    # Winners on one page of the listing; more than that and it is paginated.
    WINNERS_PER_PAGE = 48

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Kept with the fragments, per filter (a bad filter raises 404 before it is kept).
        filters = [request.GET.get(name, "") for name in ("year", "category", "page")]
        context.update(
            cached_value(request, "winner-listing", [self.pk, *filters],
                         lambda: self.winner_listing(request))
        )  # fmt: skip
        return context

    def winner_counts(self):
        """{(year, category id): number of live winners}, from one aggregate query."""
        awarded = public(AwardWinnerPage.objects.child_of(self).live())
        rows = awarded.order_by().values_list("year", "category_id").annotate(n=Count("pk"))
        return {(year, category_id): n for year, category_id, n in rows}

    def winner_listing(self, request):
        """Winners grouped by year, narrowed by ``?year=`` and ``?category=``,
        ``WINNERS_PER_PAGE`` a page (``?page=``).

        The years and categories offered, and which years a page spans, come from one
        aggregate over the winners; only the winners shown are loaded (skipping at most
        part of one year). So the page costs the same with a handful of winners and with
        thousands. A malformed year, a year
        without winners, an unknown category or a page past the last answers 404; a
        valid year and category that have no winner together give the page with a
        short notice.
        """
        categories = list(self.categories.all())
        counts = self.winner_counts()
        years = sorted({year for year, _category in counts}, reverse=True)

        year = None
        year_value = request.GET.get("year", "").strip()
        if year_value:
            if not YEAR_PATTERN.fullmatch(year_value) or int(year_value) not in years:
                raise Http404(gettext("No winners for that year"))
            year = int(year_value)

        category = None
        category_value = request.GET.get("category", "").strip()
        if category_value:
            category = next((c for c in categories if c.slug == category_value), None)
            if category is None:
                raise Http404(gettext("Unknown award category"))

        # Pages of WINNERS_PER_PAGE in the listing's order, newest year first: the counts
        # per year say which years a page spans and where in the first of them it starts.
        per_year = {}
        for (winner_year, category_id), n in counts.items():
            if (year is None or winner_year == year) and (
                category is None or category_id == category.pk
            ):
                per_year[winner_year] = per_year.get(winner_year, 0) + n
        per_page = self.WINNERS_PER_PAGE
        num_pages = max(1, -(-sum(per_year.values()) // per_page))
        # A page number that is not a number shows the first page, as in the news.
        try:
            number = int(request.GET.get("page", "") or 1)
        except ValueError:
            number = 1
        if not 1 <= number <= num_pages:
            raise Http404(gettext("No such page of winners"))
        first, years_on_page, skip, position = (number - 1) * per_page, [], 0, 0
        for winner_year in sorted(per_year, reverse=True):
            if position + per_year[winner_year] > first:
                if not years_on_page:
                    skip = first - position
                years_on_page.append(winner_year)
            position += per_year[winner_year]
            if position >= first + per_page:
                break

        groups = []
        if years_on_page:
            winners = self.get_winners().filter(year__in=years_on_page)
            if category is not None:
                winners = winners.filter(category=category)
            for winner in winners[skip : skip + per_page]:
                if not groups or groups[-1]["year"] != winner.year:
                    groups.append({"year": winner.year, "winners": []})
                groups[-1]["winners"].append(winner)

        awarded_category_ids = {category_id for _year, category_id in counts}

        def query(year_choice, category_choice):
            params = {}
            if year_choice is not None:
                params["year"] = year_choice
            if category_choice is not None:
                params["category"] = category_choice.slug
            return urlencode(params)

        year_links = [{"label": None, "query": query(None, category), "current": year is None}]
        year_links += [
            {"label": choice, "query": query(choice, category), "current": choice == year}
            for choice in years
        ]
        category_links = [{"label": None, "query": query(year, None), "current": category is None}]
        category_links += [
            {
                "label": choice.name,
                "query": query(year, choice),
                "current": category is not None and choice.pk == category.pk,
            }
            for choice in categories
            if choice.pk in awarded_category_ids
        ]
        return {
            "categories": categories,
            "winner_groups": groups,
            # What the pagination component reads of a page.
            "winners_pages": {
                "number": number,
                "has_other_pages": num_pages > 1,
                "has_previous": number > 1,
                "has_next": number < num_pages,
                "previous_page_number": number - 1,
                "next_page_number": number + 1,
                "paginator": {"num_pages": num_pages},
            },
            "filter_query": query(year, category),
            "has_winners": bool(years),
            "selected_year": year,
            "selected_category": category,
            "is_filtered": year is not None or category is not None,
            "year_links": year_links,
            "category_links": category_links,
        }


class AwardCategory(Orderable):
    """A category of one award programme, e.g. IDEA."""

    programme = ParentalKey(AwardPage, on_delete=models.CASCADE, related_name="categories")
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(
        _("slug"),
        max_length=100,
        allow_unicode=True,
        help_text=_("Used in the address when readers filter winners, e.g. idea."),
    )
    description = models.TextField(_("description"), blank=True)
    allows_several_winners = models.BooleanField(
        _("allows several winners"),
        default=False,
        help_text=_("Tick if this category may have more than one winner in the same year."),
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("description"),
        FieldPanel("allows_several_winners"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("award category")
        verbose_name_plural = _("award categories")

    def __str__(self):
        return self.name


class AwardWinnerPageForm(PortalPageForm):
    """Offers only the categories of the programme the winner belongs to."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("category")
        if field is not None:
            programme_id = self.parent_page.pk if self.parent_page else None
            field.queryset = AwardCategory.objects.filter(programme_id=programme_id)


class AwardWinnerPage(BasePage):
    """One winner of a programme in one year and category, with the story behind it."""

    ORGANISATION = "organisation"
    PERSON = "person"

    # Empty only in a draft (Wagtail defers the required check of a nullable field to
    # publishing), like the category and the name: a half-written winner can be parked.
    year = models.PositiveSmallIntegerField(
        _("year"),
        null=True,
        validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)],
    )
    category = models.ForeignKey(
        AwardCategory,
        verbose_name=_("category"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="winners",
    )
    winner_name = models.CharField(
        _("winner"),
        max_length=200,
        help_text=_("Name of the person, group or organisation; the same in every language."),
    )
    winner_kind = models.CharField(
        _("the winner is"),
        max_length=20,
        choices=[(ORGANISATION, _("an organisation or group")), (PERSON, _("a person"))],
        default=ORGANISATION,
    )
    organisation = models.CharField(
        _("organisation"),
        max_length=200,
        blank=True,
        help_text=_("The winner's organisation or affiliation, if any."),
    )
    motivation = models.TextField(
        _("jury's citation"), blank=True, help_text=_("Why the jury chose this winner.")
    )
    image = image_field(_("image"))
    image_alt_text = alt_text_field(_("image alternative text"))
    image_decorative = decorative_image_field()
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))
    website = models.URLField(
        _("winner's website"), blank=True, help_text=_("Optional link to the winner's own site.")
    )

    hero_image_field = "image"
    hero_alt_text_field = "image_alt_text"
    hero_decorative_field = "image_decorative"
    card_template = "awards/includes/winner_card.html"
    og_type = "article"
    parent_page_types = ["awards.AwardPage"]
    subpage_types = []
    base_form_class = AwardWinnerPageForm

    search_fields = BasePage.search_fields + [
        index.SearchField("winner_name", boost=2),
        index.SearchField("organisation"),
        index.SearchField("motivation"),
        index.SearchField("body"),
        index.FilterField("year"),
    ]

    content_panels = BasePage.content_panels + [
        FieldPanel("lead"),
        MultiFieldPanel(
            [
                FieldPanel("year"),
                FieldPanel("category"),
                FieldPanel("winner_name"),
                FieldPanel("winner_kind"),
                FieldPanel("organisation"),
                FieldPanel("website"),
            ],
            heading=_("Winner"),
        ),
        FieldPanel("motivation"),
        MultiFieldPanel(
            [FieldPanel("image"), FieldPanel("image_alt_text"), FieldPanel("image_decorative")],
            heading=_("Image"),
        ),
        FieldPanel("body"),
    ]

    class Meta:
        verbose_name = _("award winner")
        verbose_name_plural = _("award winners")
        ordering = ["-year"]
        indexes = [
            # The programme's listing: newest year first, one year, one category's; with
            # the page's id, its count per year and category reads this index alone
            # (PostgreSQL; elsewhere the index is made without it).
            models.Index(
                fields=["-year", "category"], include=["page_ptr"], name="awards_winner_year_idx"
            ),
        ]

    def clean(self):
        super().clean()
        if self.category_id is None or self.year is None:
            return
        category = self.category
        parent = self.get_parent() if self.path and self.depth else None
        if parent is not None and category.programme_id != parent.pk:
            raise ValidationError(
                {"category": gettext("Choose one of this award's own categories.")}
            )
        if category.allows_several_winners:
            return
        rival = (
            AwardWinnerPage.objects.filter(category_id=category.pk, year=self.year)
            .exclude(pk=self.pk)
            .first()
        )
        if rival is not None:
            raise ValidationError(
                {
                    "category": gettext(
                        "%(winner)s already won %(category)s in %(year)s. A category has one "
                        "winner a year unless it is marked as allowing several winners."
                    )
                    % {"winner": rival.winner_name, "category": category.name, "year": self.year}
                }
            )

    # --- presentation -----------------------------------------------------

    @cached_property
    def programme(self):
        """The award page above this winner (its category's programme before it is placed)."""
        if self.path and self.depth and self.depth > 1:
            parent = self.get_parent()
            if parent is not None:
                return parent
        return self.category.programme if self.category_id else None

    @property
    def award_name(self):
        """e.g. "Flemingsberg Science Award IDEA 2025", in the active language."""
        parts = [self.programme.title if self.programme else ""]
        if self.category_id:
            parts.append(self.category.name)
        parts.append(str(self.year or ""))  # a draft's preview may have no year yet
        return " ".join(part for part in parts if part)

    @property
    def card_label(self):
        year = str(self.year or "")
        if self.category_id:
            return f"{self.category.name} {year}".strip()
        return year

    @property
    def card_summary(self):
        return self.listing_summary or self.lead or self.motivation

    @property
    def meta_description(self):
        return self.search_description or self.listing_summary or self.lead or self.motivation

    @property
    def language_of_text(self):
        return translation.get_language() if not self.is_fallback else settings.LANGUAGE_CODE

    def get_json_ld(self, request):
        page_url = absolute_url(self.get_url(request=request))
        data = {
            "@context": "https://schema.org",
            "@type": "Person" if self.winner_kind == self.PERSON else "Organization",
            "name": self.winner_name,
            "award": self.award_name,
            "url": self.website or page_url,
            "mainEntityOfPage": {
                "@type": "WebPage",
                "@id": page_url,
                "name": self.title,
                "inLanguage": self.language_of_text,
            },
        }
        description = self.motivation or self.meta_description
        if description:
            data["description"] = description
        if self.organisation:
            key = "affiliation" if self.winner_kind == self.PERSON else "parentOrganization"
            data[key] = {"@type": "Organization", "name": self.organisation}
        if self.image:
            try:
                rendition = self.image.get_rendition("fill-1200x630")
            except SourceImageIOError:
                # The file is gone from storage: the page still shows, without this.
                logger.warning("Image file missing: %s", self.image.file.name)
            else:
                data["image"] = absolute_url(rendition.url)
        return data
