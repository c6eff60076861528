"""Demo calendar: the ATMP mini-symposium of the seed text, as a past event.

Only the seed's facts: 22 January 2025, Karolinska Institutet, Campus Flemingsberg,
organised by NextGenNK and CCRM Nordic, half a day, 14 presentations, over 150
participants from more than 60 universities and companies. The text gives no times of
day, so the event is entered as a whole day. Its write-up is the ATMP story.
"""

import datetime

from portal.seed import add_page, make_demo_image
from stories.models import Partner, StoryPage, Topic

from .models import EventIndexPage, EventOrganiser, EventPage

EVENT_SLUG_SV = "atmp-minisymposium"
ORGANISERS = ["NextGenNK", "CCRM Nordic"]
STORY_SLUG_SV = "atmp-symposium-for-kunskapsutbyte"
TOPIC_SLUGS_SV = ["atmp", "cell-och-genterapi", "samverkan"]


def seed(home):
    index = add_page(
        home,
        EventIndexPage(
            title_sv="Kalendarium",
            title_en="Events",
            slug_sv="kalendarium",
            slug_en="events",
            show_in_menus=True,
            lead_sv=(
                "Seminarier, symposier, prisutdelningar, utställningar och öppna hus i "
                "Flemingsberg."
            ),
            lead_en=(
                "Seminars, symposia, award ceremonies, exhibitions and open days in Flemingsberg."
            ),
        ),
    )
    if not EventPage.objects.filter(slug_sv=EVENT_SLUG_SV).exists():
        add_page(index, atmp_event())
    return index


def organisers():
    partners = []
    for name in ORGANISERS:
        partner = Partner.objects.filter(name=name).first() or Partner.objects.create(name=name)
        partners.append(partner)
    return partners


def key_figures(heading, labels):
    values = ["14", "150+", "60+"]
    return {
        "heading": heading,
        "figures": [
            {"value": value, "label": label} for value, label in zip(values, labels, strict=True)
        ],
    }


def atmp_event():
    return EventPage(
        title_sv="ATMP-minisymposium",
        title_en="ATMP mini-symposium",
        slug_sv=EVENT_SLUG_SV,
        slug_en="atmp-mini-symposium",
        start_date=datetime.date(2025, 1, 22),
        place_name_sv="Karolinska Institutet, Campus Flemingsberg",
        place_name_en="Karolinska Institutet, Campus Flemingsberg",
        lead_sv=(
            "Ett minisymposium om avancerade terapiläkemedel (ATMP) på Karolinska Institutet, "
            "Campus Flemingsberg, arrangerat av NextGenNK och CCRM Nordic: en halvdag med "
            "14 presentationer från akademi, sjukhus och industri."
        ),
        lead_en=(
            "A mini-symposium on Advanced Therapy Medicinal Products (ATMP) at Karolinska "
            "Institutet, Campus Flemingsberg, hosted by NextGenNK and CCRM Nordic: half a day "
            "of 14 presentations from academia, hospitals and industry."
        ),
        body_sv=[
            (
                "paragraph",
                "<p>Minisymposiet ville främja nätverkande inom ATMP-området och ge inblick i "
                "både akademiska och kommersiella framsteg i Stockholm och Sverige. Över 150 "
                "deltagare från mer än 60 universitet och företag deltog.</p>",
            ),
            (
                "key_figures",
                key_figures(
                    "Symposiet i siffror",
                    ["presentationer", "deltagare", "universitet och företag"],
                ),
            ),
        ],
        body_en=[
            (
                "paragraph",
                "<p>The mini-symposium aimed to foster networking within the ATMP field and to "
                "provide insights into both academic and commercial advancements in Stockholm "
                "and Sweden. Over 150 participants from more than 60 universities and companies "
                "took part.</p>",
            ),
            (
                "key_figures",
                key_figures(
                    "The symposium in figures",
                    ["presentations", "participants", "universities and companies"],
                ),
            ),
        ],
        hero_image=make_demo_image("ATMP-symposium", "night"),
        hero_alt_text_sv="Abstrakt illustration i blått",
        hero_alt_text_en="Abstract illustration in blue",
        organisers=[
            EventOrganiser(partner=partner, sort_order=position)
            for position, partner in enumerate(organisers())
        ],
        topics=list(Topic.objects.filter(slug_sv__in=TOPIC_SLUGS_SV)),
        write_up=StoryPage.objects.filter(slug_sv=STORY_SLUG_SV).first(),
    )


def add_home_section(home):
    """Put the calendar block ("upcoming events") in the home page body, unless it has one."""
    from home.models import HomePage

    home = HomePage.objects.get(pk=home.pk)
    if any(block.block_type == "upcoming_events" for block in home.body_sv or []):
        return
    home.body_sv = [*_blocks(home.body_sv), ("upcoming_events", {"heading": "", "number": 3})]
    home.body_en = [*_blocks(home.body_en), ("upcoming_events", {"heading": "", "number": 3})]
    home.save_revision().publish()


def _blocks(stream):
    return [(block.block_type, block.value) for block in stream or []]
