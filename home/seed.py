"""Demo content for the home page, the About page (from the seed text), the
accessibility statement and the privacy page (seed_statements)."""

from wagtail.models import Page, Site

from portal.models import PortalSettings
from portal.seed import add_page, make_demo_image

from . import seed_statements
from .models import HomeFeaturedItem, HomePage, StandardPage


def seed_site():
    """Make sure the default Site is rooted at a HomePage and return it."""
    site = Site.objects.filter(is_default_site=True).first()
    home = HomePage.objects.first()
    if home is not None and not (home.lead_sv or home.hero_image_id or home.numchild):
        # The empty home page of a fresh installation: the demo takes its place.
        home.delete()
        site = Site.objects.filter(is_default_site=True).first()
        home = None
    if home is None:
        root = Page.get_first_root_node()
        home = HomePage(
            title_sv="Välkommen till Flemingsberg",
            title_en="Welcome to Flemingsberg",
            slug_sv="hem",
            slug_en="home",
            hero_heading_sv="Vetenskapsstaden Flemingsberg",
            hero_heading_en="Flemingsberg, a science city",
            lead_sv=(
                "Forskning, vård, utbildning och kultur möts i Flemingsberg. "
                "Här hittar du nyheter, milstolpar, pristagare och kulturprojekt från vetenskapsstaden."
            ),
            lead_en=(
                "Research, healthcare, education and culture meet in Flemingsberg. "
                "Here you will find news, milestones, award winners and cultural projects "
                "from the science city."
            ),
            hero_image=make_demo_image("Flemingsberg", "teal"),
        )
        add_page(root, home)
    if site is None:
        site = Site.objects.create(
            hostname="localhost",
            port=80,
            root_page=home,
            is_default_site=True,
            site_name="Flemingsberg",
        )
    elif site.root_page_id != home.pk:
        old_root = site.root_page
        site.root_page = home
        site.save()
        # Wagtail's placeholder "Welcome" page is not part of the portal.
        if old_root.depth == 2 and old_root.specific_class is Page:
            old_root.delete()
    settings = PortalSettings.for_site(site)
    if not settings.footer_text_sv:
        settings.site_name_sv = "Flemingsbergsportalen"
        settings.site_name_en = "Flemingsberg Portal"
        settings.tagline_sv = "Nyheter från vetenskapsstaden Flemingsberg"
        settings.tagline_en = "News from Flemingsberg, a science city"
        settings.footer_text_sv = (
            "En gemensam portal för forskning, vård, utbildning och kultur i Flemingsberg."
        )
        settings.footer_text_en = (
            "A shared portal for research, healthcare, education and culture in Flemingsberg."
        )
        settings.save()
    return home


def seed(home):
    add_page(
        home,
        StandardPage(
            title_sv="Om Flemingsberg",
            title_en="About Flemingsberg",
            slug_sv="om-flemingsberg",
            slug_en="about-flemingsberg",
            show_in_menus=True,
            lead_sv=(
                "I Flemingsberg möts utbildning, forskning, vård, konst och kultur på ett unikt sätt."
            ),
            lead_en=(
                "In Flemingsberg, education, research, healthcare, art and culture come together "
                "in a unique way."
            ),
            # Only what the seed text says: Huddinge Hospital is named for 1975 alone.
            body_sv=[
                ("heading", {"text": "Vetenskapsstaden Flemingsberg", "level": "h2"}),
                (
                    "paragraph",
                    "<p>Här ligger Karolinska Institutet, Campus Flemingsberg. På Huddinge "
                    "sjukhus, här i Flemingsberg, utfördes Sveriges första allogena "
                    "benmärgstransplantation den 12 november 1975.</p>",
                ),
            ],
            body_en=[
                ("heading", {"text": "Flemingsberg, a science city", "level": "h2"}),
                (
                    "paragraph",
                    "<p>Karolinska Institutet, Campus Flemingsberg, is here. At Huddinge "
                    "Hospital, here in Flemingsberg, the first allogeneic bone marrow "
                    "transplantation in Sweden was performed on 12 November 1975.</p>",
                ),
            ],
        ),
    )
    seed_statements.seed(home)


def feature_pages(home):
    """Feature the demo's main pages on the front page, once."""
    from stories.models import StoryPage

    add_home_sections(home)
    add_footer_sections(home)
    if home.featured_items.exists():
        return
    candidates = list(StoryPage.objects.live().order_by("-date")[:1])
    for model_name in ("TimelinePage", "AwardWinnerPage", "CultureProjectPage"):
        for page in home.get_descendants().live().specific():
            if type(page).__name__ == model_name:
                candidates.append(page)
                break
    for order, page in enumerate(candidates):
        HomeFeaturedItem.objects.create(home=home, page=page, sort_order=order)


def add_home_sections(home):
    """Put the timeline excerpt and the latest award winners in the home page body, once."""
    from awards.models import AwardPage
    from stories.models import TimelinePage

    home = HomePage.objects.get(pk=home.pk)
    if home.body_sv:
        return
    timeline = TimelinePage.objects.live().first()
    award = AwardPage.objects.live().first()
    body_sv, body_en = [], []
    if timeline:
        body_sv.append(
            ("timeline_excerpt", {"heading": "Milstolpar", "timeline": timeline, "max_items": 3})
        )
        body_en.append(
            ("timeline_excerpt", {"heading": "Milestones", "timeline": timeline, "max_items": 3})
        )
    if award:
        body_sv.append(("award_winners", {"heading": "Pristagare", "award": award, "number": 3}))
        body_en.append(("award_winners", {"heading": "Award winners", "award": award, "number": 3}))
    if not body_sv:
        return
    home.body_sv = body_sv
    home.body_en = body_en
    home.save_revision().publish()


# The footer's sections of links: headings per language and the demo's own pages, found
# by type (none is invented; a type with no live page is left out).
FOOTER_SECTIONS = [
    ("Nyheter och evenemang", "News and events", ["StoryIndexPage", "EventIndexPage"]),
    (
        "Flemingsberg",
        "Flemingsberg",
        ["StandardPage", "TimelinePage", "AwardPage", "CultureProjectIndexPage"],
    ),
]


def add_footer_sections(home):
    """Fill the footer's link sections in the portal settings, once."""
    site = Site.objects.filter(root_page=home).first()
    if site is None:
        return
    settings = PortalSettings.for_site(site)
    if settings.footer_sections:
        return
    children = list(home.get_children().live().specific())
    statements = {settings.accessibility_page_id, settings.privacy_page_id}
    sections = []
    for heading_sv, heading_en, type_names in FOOTER_SECTIONS:
        links = [
            {"page": page, "url": "", "label_sv": "", "label_en": ""}
            for type_name in type_names
            for page in children
            if type(page).__name__ == type_name and page.pk not in statements
        ]
        if links:
            sections.append(
                ("section", {"heading_sv": heading_sv, "heading_en": heading_en, "links": links})
            )
    settings.footer_sections = sections
    settings.save()
