"""Generated content for the benchmarks: text in Swedish and English, and the page volume
of a grown site (stories, a long timeline, an award programme with many winners, a
cultural project) on top of ``seed_demo``.

Import after ``django.setup()``. Pages are added with ``add_child`` inside one
transaction and with Wagtail's own search index switched off while they are made
(``rebuild_portal_search`` builds the portal's index afterwards); a handful of pages
are published through revisions as an editor would.
"""

import datetime
import random

# Content words, with compounds for variety; drawn with Zipf-like frequencies so that
# some words are on most pages and others on a few, as in real text.
SWEDISH_BASE = (
    "forskning forskare forskarna vård vården patient patienterna transplantation "
    "transplantationen deltagare deltagarna vinnare vinnaren symposium symposiet cellterapi "
    "samverkan universitet universitetet sjukhus sjukhuset kultur konst utbildning studenter "
    "studenterna innovation företag företagen projekt projektet miljö stad staden pris priset "
    "kliniker industri nätverk samarbete framsteg läkemedel terapi behandling laboratorium"
).split()
SWEDISH_PREFIXES = (
    "njur hjärt stam gen bio nano cancer hjärn lung immun lever blod hud öga ben "
    "muskel nerv tarm barn äldre"
).split()
SWEDISH_STEMS = (
    "forskning terapi transplantation behandling projekt laboratoriet kirurgi diagnostik "
    "medicin studie klinik vård"
).split()
SWEDISH_FUNCTION_WORDS = "och i på med för av som att en ett den det till från".split()
ENGLISH_BASE = (
    "research researchers healthcare care patient patients transplantation transplantations "
    "participant participants winner winners symposium symposia cell therapy collaboration "
    "university universities hospital hospitals culture art education students innovation "
    "company companies project projects environment city award awards clinicians industry "
    "network partnership progress medicine treatment laboratory"
).split()
ENGLISH_PREFIXES = (
    "kidney heart stem gene bio nano cancer brain lung immune liver blood skin eye bone "
    "muscle nerve gut child elderly"
).split()
ENGLISH_STEMS = (
    "research therapy transplant treatment project laboratory surgery diagnostics "
    "medicine study clinic care"
).split()
ENGLISH_FUNCTION_WORDS = "and in on with for of which that a the to from".split()


def vocabulary(base, prefixes, stems):
    compounds = [f"{prefix}{stem}" for prefix in prefixes for stem in stems]
    words = base + compounds
    cumulative, total = [], 0.0
    for rank in range(1, len(words) + 1):
        total += 1 / rank
        cumulative.append(total)
    return words, cumulative


VOCABULARIES = {
    "sv": (vocabulary(SWEDISH_BASE, SWEDISH_PREFIXES, SWEDISH_STEMS), SWEDISH_FUNCTION_WORDS),
    "en": (vocabulary(ENGLISH_BASE, ENGLISH_PREFIXES, ENGLISH_STEMS), ENGLISH_FUNCTION_WORDS),
}


def words(rng, language, count):
    (content, cumulative), function_words = VOCABULARIES[language]
    content_words = iter(rng.choices(content, cum_weights=cumulative, k=count))
    return " ".join(
        rng.choice(function_words) if rng.random() < 0.4 else next(content_words)
        for _ in range(count)
    )


def page_text(rng, language, image=None):
    """(title, lead, body) of a story-like page; the body gets an image block if given."""
    title = words(rng, language, rng.randint(4, 8)).capitalize()
    lead = words(rng, language, 25).capitalize() + "."
    body = [("heading", {"text": words(rng, language, 4).capitalize(), "level": "h2"})]
    for number in range(4):
        body.append(("paragraph", f"<p>{words(rng, language, 70).capitalize()}.</p>"))
        if number == 1 and image is not None:
            body.append(
                (
                    "image",
                    {
                        "image": image,
                        "alt_text": words(rng, language, 5).capitalize(),
                        "decorative": False,
                        "caption": words(rng, language, 8).capitalize(),
                        "credit": "A. Fotograf",
                    },
                )
            )
    body.append(
        (
            "key_figures",
            {
                "heading": words(rng, language, 3),
                "figures": [{"value": "150+", "label": words(rng, language, 2)}],
            },
        )
    )
    body.append(("quote", {"text": words(rng, language, 20), "attribution": "A. Person"}))
    return title, lead, body


def without_admin_search_index():
    """Wagtail's own (admin) search index is not what is measured: skip its updates."""
    from django.test.utils import override_settings

    return override_settings(
        WAGTAILSEARCH_BACKENDS={
            "default": {"BACKEND": "wagtail.search.backends.database", "AUTO_UPDATE": False}
        }
    )


def add_stories(index, count, rng, english_share=1.0, images=(), topics=(), first_number=0):
    """``count`` live stories under ``index``; a share of them has English text, the rest
    is Swedish only. Each gets a hero image and up to three topics when given.

    In bulk: tree paths are numbered here instead of by ``add_child`` (which validates
    each new page against all its siblings, quadratic in the number of stories), pages
    are saved without validation (the generated values are valid), and Wagtail's
    reference index and admin search index, which readers never use, are not updated
    meanwhile. Per-language URL paths are still set by the page's own save."""
    from django.db.models import F
    from django.db.models.signals import post_save
    from django.utils import timezone
    from modelsearch.signal_handlers import post_save_signal_handler
    from wagtail.models import Page
    from wagtail.signal_handlers import (
        connect_reference_index_signal_handlers,
        disconnect_reference_index_signal_handlers,
    )

    from stories.models import StoryPage

    pages = []
    now = timezone.now()
    through = StoryPage.topics.through
    links = []
    last = index.get_last_child()
    step = Page._str2int(last.path[-Page.steplen :]) if last else 0
    disconnect_reference_index_signal_handlers()
    post_save.disconnect(post_save_signal_handler, sender=StoryPage)
    try:
        for offset in range(count):
            number = first_number + offset
            image = rng.choice(images) if images else None
            title_sv, lead_sv, body_sv = page_text(rng, "sv", image)
            english = rng.random() < english_share
            title_en, lead_en, body_en = page_text(rng, "en", image) if english else (None, "", [])
            published = now - datetime.timedelta(hours=count - offset)
            page = StoryPage(
                title=title_sv,
                title_sv=title_sv,
                title_en=title_en,
                slug=f"nyhet-{number}",
                slug_sv=f"nyhet-{number}",
                slug_en=f"story-{number}" if english else None,
                date=datetime.date(2020, 1, 1) + datetime.timedelta(days=number),
                lead_sv=lead_sv,
                lead_en=lead_en,
                body_sv=body_sv,
                body_en=body_en,
                hero_image=image,
                hero_alt_text_sv="Abstrakt illustration" if image else "",
                hero_alt_text_en="Abstract illustration" if image and english else "",
                author_name="Carin Dahlberg",
                organisation="Karolinska Institutet",
                live=True,
                first_published_at=published,
                last_published_at=published,
                depth=index.depth + 1,
                path=Page._get_path(index.path, index.depth + 1, step + offset + 1),
                numchild=0,
                locale_id=index.locale_id,
            )
            page._set_core_field_defaults()  # draft title and locale, as validation would
            page.save(clean=False)
            pages.append(page)
            if topics:
                for topic in rng.sample(list(topics), min(len(topics), rng.randint(1, 3))):
                    links.append(through(storypage_id=page.pk, topic_id=topic.pk))
    finally:
        connect_reference_index_signal_handlers()
        post_save.connect(post_save_signal_handler, sender=StoryPage)
    Page.objects.filter(pk=index.pk).update(numchild=F("numchild") + count)
    index.numchild += count
    through.objects.bulk_create(links)
    return pages


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
    from portal.seed import add_page, make_demo_image
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
        Topic,
    )

    rng = random.Random(seed)
    palettes = ["teal", "berry", "sun", "forest", "night"]
    with translation.override("sv"), transaction.atomic(), without_admin_search_index():
        home = Site.objects.get(is_default_site=True).root_page.specific
        index = StoryIndexPage.objects.live().first()
        images = [
            make_demo_image(f"Volym {n}", palettes[n % len(palettes)], size=(1200, 675))
            for n in range(12)
        ]
        topics = list(Topic.objects.all())
        for n in range(len(topics), 10):
            topics.append(
                Topic.objects.create(
                    name_sv=f"Ämne {n}",
                    name_en=f"Topic {n}",
                    slug_sv=f"amne-{n}",
                    slug_en=f"topic-{n}",
                )
            )
        add_stories(index, stories, rng, english_share, images, topics)

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
        story = (
            index.get_children()
            .live()
            .filter(slug_sv__startswith="nyhet-", title_en__isnull=False)
            .specific()
            .first()
        )
        swedish_only = index.get_children().live().filter(title_en__isnull=True).specific().first()
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
