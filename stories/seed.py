"""Demo news: the ATMP mini-symposium write-up from the seed text."""

import datetime

from portal.seed import add_page, make_demo_image

from .models import StoryIndexPage, StoryPage, Topic

TOPICS = [
    # (slug_sv, name_sv, slug_en, name_en)
    ("atmp", "ATMP", "atmp", "ATMP"),
    ("cell-och-genterapi", "Cell- och genterapi", "cell-and-gene-therapy", "Cell and gene therapy"),
    ("samverkan", "Samverkan", "collaboration", "Collaboration"),
]


def seed_topics():
    topics = {}
    for slug_sv, name_sv, slug_en, name_en in TOPICS:
        topic = Topic.objects.filter(slug_sv=slug_sv).first()
        if topic is None:
            topic = Topic.objects.create(
                name_sv=name_sv, name_en=name_en, slug_sv=slug_sv, slug_en=slug_en
            )
        topics[slug_sv] = topic
    return topics


def seed(home):
    topics = seed_topics()
    index = add_page(
        home,
        StoryIndexPage(
            title_sv="Nyheter",
            title_en="News",
            slug_sv="nyheter",
            slug_en="news",
            show_in_menus=True,
            lead_sv="Nyheter från forskning, vård, näringsliv och kultur i Flemingsberg.",
            lead_en="News from research, healthcare, business and culture in Flemingsberg.",
        ),
    )
    if not StoryPage.objects.filter(slug_sv="atmp-symposium-for-kunskapsutbyte").exists():
        story = add_page(index, atmp_story())
        story.topics.set(topics.values())
        story.save_revision().publish()
    return index


def atmp_story():
    image = make_demo_image("ATMP-symposium", "night")
    key_figures_sv = {
        "heading": "Symposiet i siffror",
        "figures": [
            {"value": "14", "label": "presentationer"},
            {"value": "150+", "label": "deltagare"},
            {"value": "60+", "label": "universitet och företag"},
        ],
    }
    key_figures_en = {
        "heading": "The symposium in figures",
        "figures": [
            {"value": "14", "label": "presentations"},
            {"value": "150+", "label": "participants"},
            {"value": "60+", "label": "universities and companies"},
        ],
    }
    return StoryPage(
        title_sv="ATMP-symposium för kunskapsutbyte, innovation och framtida samarbeten",
        title_en="ATMP Symposium for Knowledge Exchange, Innovation, and Future Collaborations",
        slug_sv="atmp-symposium-for-kunskapsutbyte",
        slug_en="atmp-symposium-for-knowledge-exchange",
        date=datetime.date(2025, 1, 22),
        author_name="Carin Dahlberg",
        author_role_sv="vetenskaplig koordinator, NextGenNK",
        author_role_en="scientific coordinator, NextGenNK",
        organisation="NextGenNK",
        hero_image=image,
        hero_alt_text_sv="Abstrakt illustration i blått",
        hero_alt_text_en="Abstract illustration in blue",
        lead_sv=(
            "Den 22 januari 2025 arrangerade NextGenNK och CCRM Nordic ett minisymposium på "
            "Karolinska Institutet, Campus Flemingsberg, med fokus på avancerade terapiläkemedel (ATMP)."
        ),
        lead_en=(
            "On 22 January 2025, NextGenNK and CCRM Nordic hosted a mini-symposium at Karolinska "
            "Institutet, Campus Flemingsberg, with a focus on Advanced Therapy Medicinal Products (ATMP)."
        ),
        body_sv=[
            (
                "paragraph",
                "<p>Evenemanget syftade till att främja nätverkande inom ATMP-området och ge inblick i "
                "både akademiska och kommersiella framsteg i Stockholm och Sverige.</p>"
                "<p>NextGenNK och CCRM Nordic arrangerade minisymposiet tillsammans för att stärka "
                "utvecklingen av ATMP genom att förena akademisk forskning med industriell expertis. "
                "Under en halvdag höll representanter från akademi, sjukhus och industri "
                "14 presentationer.</p>",
            ),
            ("key_figures", key_figures_sv),
            ("heading", {"text": "Samarbete och nätverkande", "level": "h2"}),
            (
                "paragraph",
                "<p>Målet var att främja fortsatt samarbete och nätverkande mellan forskare, kliniker "
                "och industripartner, och därigenom stödja pågående projekt, bidra till nya initiativ "
                "och öka synligheten för ATMP-området i Sverige.</p>"
                "<p>Minisymposiet blev mycket lyckat och samlade över 150 deltagare från mer än "
                "60 universitet och företag. Deltagarna uppskattade möjligheten att nätverka och ta del av de senaste "
                "framstegen inom ATMP.</p>",
            ),
            (
                "quote",
                {
                    "text": "Tillsammans vill vi skapa en plattform som underlättar innovation, "
                    "produktion och ökad användning av avancerade terapier.",
                    "attribution": "Carin Dahlberg, NextGenNK",
                },
            ),
            ("heading", {"text": "Vad är ATMP?", "level": "h2"}),
            (
                "paragraph",
                "<p>ATMP är ett snabbt växande område inom medicinen där man utvecklar avancerade "
                "terapier, till exempel cell- och genterapier, för att behandla sjukdomar som tidigare "
                "inte gått att bota. Utvecklingen pekar mot mer individanpassade behandlingar och "
                "innovativa terapier med potential att i grunden förändra vården.</p>",
            ),
        ],
        body_en=[
            (
                "paragraph",
                "<p>The event aimed to foster networking within the ATMP field and provide insights into "
                "both academic and commercial advancements in Stockholm and Sweden.</p>"
                "<p>NextGenNK and CCRM Nordic co-organized the mini-symposium to strengthen the "
                "development of ATMP by combining academic research with industrial expertise. During a "
                "half-day event, 14 presentations were delivered by representatives from academia, "
                "hospitals, and industry.</p>",
            ),
            ("key_figures", key_figures_en),
            ("heading", {"text": "Collaboration and networking", "level": "h2"}),
            (
                "paragraph",
                "<p>The event’s goal was to promote further collaboration and networking among "
                "researchers, clinicians, and industry partners, thereby supporting ongoing projects, "
                "contributing to the development of new initiatives, and increasing visibility for the "
                "ATMP field in Sweden.</p>"
                "<p>The mini-symposium was highly successful, with over 150 participants from more than "
                "60 universities and companies. Attendees appreciated the opportunity to network and "
                "learn about the latest advancements in ATMP.</p>",
            ),
            (
                "quote",
                {
                    "text": "Together, we aim to create a platform that facilitates innovation, "
                    "production, and increased adoption of advanced therapies.",
                    "attribution": "Carin Dahlberg, NextGenNK",
                },
            ),
            ("heading", {"text": "What is ATMP?", "level": "h2"}),
            (
                "paragraph",
                "<p>ATMP represents a rapidly growing sector in medicine, focusing on developing advanced "
                "therapies such as cell and gene therapies to treat previously incurable diseases. "
                "Progress in this area points toward more personalized treatments and innovative "
                "therapies that have the potential to revolutionize healthcare.</p>",
            ),
        ],
    )
