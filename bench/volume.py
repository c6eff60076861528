"""Generated content for the benchmarks: the page volume of a grown site on top of
``seed_demo``, and the named pages ``make bench`` measures.

The text and the stories come from ``portal.volume``, the generator of
``manage.py seed_volume`` (stories written in bulk with their search index rows, Wagtail's
own admin search index and reference index left alone). The page benchmark's named pages
of a fixed size (a timeline of ``milestones`` milestones, an award programme with
``winners`` winners, a cultural project with partners and a gallery) are published here
one by one, as an editor would, with the same text.

Import after ``django.setup()``.
"""

import datetime
import random

# The generator's vocabulary and text, for the benchmarks' queries and pages.
from portal.volume.text import (  # noqa: F401
    ENGLISH_BASE,
    SWEDISH_BASE,
    page_text,
    words,
)


def without_admin_search_index():
    """Wagtail's own (admin) search index is not what is measured: skip its updates."""
    from django.test.utils import override_settings

    return override_settings(
        WAGTAILSEARCH_BACKENDS={
            "default": {"BACKEND": "wagtail.search.backends.database", "AUTO_UPDATE": False}
        }
    )


def add_stories(index, count, rng, english_share=1.0):
    """``count`` live stories under the site's story index ``index`` (the only one), a
    share of them with English text, the rest Swedish only; ``rng`` seeds them.

    Written in bulk by ``portal.volume`` with their search index rows; returns them."""
    from portal.volume import generate as generate_volume
    from stories.models import StoryIndexPage, StoryPage

    if StoryIndexPage.objects.live().first() != index:
        raise ValueError("Stories are generated under the site's only story index.")
    run = generate_volume(
        count, seed=rng.randrange(2**31), english_share=english_share, only=["story"]
    ).run
    return StoryPage.objects.filter(pk__gte=run.first_page_id, pk__lte=run.last_page_id)


def generate(stories=1000, english_share=0.7, milestones=60, winners=40, seed=1975):
    """The volume on top of ``seed_demo``: named pages for the benchmark.

    ``stories`` stories (``english_share`` of them with English text) with images,
    topics and bodies; a timeline with ``milestones`` milestones and four eras; an award
    programme with four categories and ``winners`` winners; a cultural project with
    partners and a gallery.
    """
    from django.db import transaction
    from django.utils import translation
    from wagtail.models import Page, Site

    from awards.models import AwardCategory, AwardPage, AwardWinnerPage
    from home.models import StandardPage
    from portal.seed import add_page
    from portal.volume import generate as generate_volume
    from portal.volume.generators import Context
    from portal.volume.models import GeneratedContent
    from stories.models import (
        CultureProjectIndexPage,
        CultureProjectPage,
        CultureProjectPartner,
        DatePrecision,
        Milestone,
        Partner,
        StoryIndexPage,
        TimelineEra,
        TimelinePage,
    )

    rng = random.Random(seed)
    if stories:
        generate_volume(stories, seed=seed, english_share=english_share, only=["story"])
    with translation.override("sv"), transaction.atomic(), without_admin_search_index():
        home = Site.objects.get(is_default_site=True).root_page.specific
        index = StoryIndexPage.objects.live().first()
        images = Context(rng).images
        story_pages = list(Page.objects.live().type(StoryIndexPage).first().get_children()[:50])
        timeline = add_page(
            home,
            TimelinePage(
                title_sv="Sextio milstolpar",
                title_en="Sixty milestones",
                slug_sv="sextio-milstolpar",
                slug_en="sixty-milestones",
                lead_sv=words(rng, "sv", 25).capitalize() + ".",
                lead_en=words(rng, "en", 25).capitalize() + ".",
                intro_sv=[("paragraph", f"<p>{words(rng, 'sv', 60)}.</p>")],
                intro_en=[("paragraph", f"<p>{words(rng, 'en', 60)}.</p>")],
                listing_image=images[0],
                sort_chronologically=True,
                eras=[
                    TimelineEra(
                        sort_order=n,
                        title_sv=f"Epok {n + 1}",
                        title_en=f"Era {n + 1}",
                        start_year=1965 + 15 * n,
                        end_year=1965 + 15 * n + 14 if n < 3 else None,
                    )
                    for n in range(4)
                ],
                milestones=[
                    Milestone(
                        sort_order=n,
                        date=datetime.date(1966 + n, 1 + n % 12, 1 + n % 28),
                        date_precision=[DatePrecision.DAY, DatePrecision.MONTH, DatePrecision.YEAR][
                            n % 3
                        ],
                        title_sv=words(rng, "sv", 6).capitalize(),
                        title_en=words(rng, "en", 6).capitalize(),
                        text_sv=f"<p>{words(rng, 'sv', 40).capitalize()}.</p>",
                        text_en=f"<p>{words(rng, 'en', 40).capitalize()}.</p>",
                        image=images[n % len(images)] if n % 3 == 0 else None,
                        image_alt_text_sv="Abstrakt illustration" if n % 3 == 0 else "",
                        image_alt_text_en="Abstract illustration" if n % 3 == 0 else "",
                        link_page=story_pages[n % len(story_pages)] if n % 4 == 0 else None,
                    )
                    for n in range(milestones)
                ],
            ),
        )

        award = add_page(
            home,
            AwardPage(
                title_sv="Flemingsbergs forskningspris",
                title_en="Flemingsberg Research Prize",
                slug_sv="flemingsbergs-forskningspris",
                slug_en="flemingsberg-research-prize",
                image=images[1],
                lead_sv=words(rng, "sv", 20).capitalize() + ".",
                lead_en=words(rng, "en", 20).capitalize() + ".",
                description_sv=[("paragraph", f"<p>{words(rng, 'sv', 60)}.</p>")],
                description_en=[("paragraph", f"<p>{words(rng, 'en', 60)}.</p>")],
                categories=[
                    AwardCategory(
                        sort_order=n,
                        name_sv=f"Kategori {n + 1}",
                        name_en=f"Category {n + 1}",
                        slug_sv=f"kategori-{n + 1}",
                        slug_en=f"category-{n + 1}",
                        description_sv=words(rng, "sv", 15),
                        description_en=words(rng, "en", 15),
                    )
                    for n in range(4)
                ],
            ),
        )
        categories = list(award.categories.all())
        winner = None
        for n in range(winners):
            year, category = 2016 + n // 4, categories[n % 4]
            winner = add_page(
                award,
                AwardWinnerPage(
                    title_sv=f"Vinnare {year}: {words(rng, 'sv', 4)}",
                    title_en=f"Winner {year}: {words(rng, 'en', 4)}",
                    slug_sv=f"vinnare-{year}-{category.slug_sv}",
                    slug_en=f"winner-{year}-{category.slug_en}",
                    year=year,
                    category=category,
                    winner_name=f"Forskargrupp {n + 1}",
                    organisation="Karolinska Institutet",
                    lead_sv=words(rng, "sv", 20).capitalize() + ".",
                    lead_en=words(rng, "en", 20).capitalize() + ".",
                    motivation_sv=words(rng, "sv", 40).capitalize() + ".",
                    motivation_en=words(rng, "en", 40).capitalize() + ".",
                    image=images[n % len(images)],
                    image_alt_text_sv="Abstrakt illustration",
                    image_alt_text_en="Abstract illustration",
                    body_sv=[("paragraph", f"<p>{words(rng, 'sv', 80)}.</p>")],
                    body_en=[("paragraph", f"<p>{words(rng, 'en', 80)}.</p>")],
                ),
            )

        partners = [
            Partner.objects.filter(name=name).first() or Partner.objects.create(name=name)
            for name in ("Scenhuset", "Huddinge kommun", "Södertörns högskola")
        ]

        def gallery(language):
            alt = "Abstrakt illustration" if language == "sv" else "Abstract illustration"
            pictures = [
                {"image": image, "alt_text": alt, "decorative": False, "caption": "", "credit": ""}
                for image in images[:6]
            ]
            return [("gallery", {"heading": "", "images": pictures})]

        culture_index = CultureProjectIndexPage.objects.live().first()
        project = add_page(
            culture_index,
            CultureProjectPage(
                title_sv="Konst i Flemingsberg",
                title_en="Art in Flemingsberg",
                slug_sv="konst-i-flemingsberg",
                slug_en="art-in-flemingsberg",
                lead_sv=words(rng, "sv", 20).capitalize() + ".",
                lead_en=words(rng, "en", 20).capitalize() + ".",
                hero_image=images[2],
                hero_alt_text_sv="Abstrakt illustration",
                hero_alt_text_en="Abstract illustration",
                place_sv="Scenhuset, Flemingsberg",
                place_en="Scenhuset, Flemingsberg",
                start_date=datetime.date(2024, 3, 1),
                end_date=None,
                body_sv=page_text(rng, "sv", images[3])[2],
                body_en=page_text(rng, "en", images[3])[2],
                gallery_sv=gallery("sv"),
                gallery_en=gallery("en"),
                partner_links=[
                    CultureProjectPartner(partner=partner, sort_order=n)
                    for n, partner in enumerate(partners)
                ],
            ),
        )

    with translation.override("sv"):
        generated = (
            index.get_children().live().filter(GeneratedContent.page_filter()).order_by("pk")
        )
        story = generated.filter(title_en__isnull=False).specific().first()
        swedish_only = generated.filter(title_en__isnull=True).specific().first()
        return {
            "home": home,
            "story": story,
            "story_sv_only": swedish_only,
            "story_index": index,
            "timeline": timeline,
            "award": award,
            "winner": winner,
            "culture_project": project,
            "culture_index": culture_index,
            "standard": StandardPage.objects.live().filter(slug_sv="om-flemingsberg").first(),
        }
