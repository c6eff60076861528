"""Milestone timelines: order, dates, anchors, eras, the excerpt block, admin, queries."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from stories.blocks import TimelineExcerptBlock
from stories.models import DatePrecision, TimelinePage
from tests.factories.base import ImageFactory
from tests.factories.home import StandardPageFactory
from tests.factories.timelines import MilestoneFactory, TimelineEraFactory, TimelinePageFactory

pytestmark = pytest.mark.django_db

NOV_12_1975 = datetime.date(1975, 11, 12)


def soup(response):
    return BeautifulSoup(response.content.decode(), "html.parser")


def milestone_titles(page):
    return [h.get_text(strip=True) for h in page.select(".timeline .milestone-title")]


@pytest.fixture
def timeline(home_page):
    return TimelinePageFactory(
        parent=home_page,
        title_sv="50 år av livsförändrande terapier",
        title_en="50 years of life-changing therapies",
        slug_sv="50-ar",
        slug_en="50-years",
    )


@pytest.fixture
def three_milestones(timeline):
    """Entered out of date order on purpose."""
    MilestoneFactory(
        page=timeline,
        sort_order=0,
        date=datetime.date(2025, 11, 12),
        title_sv="Femtio år",
        title_en="Fifty years",
    )
    MilestoneFactory(
        page=timeline,
        sort_order=1,
        date=NOV_12_1975,
        title_sv="Första transplantationen",
        title_en="The first transplantation",
    )
    MilestoneFactory(
        page=timeline,
        sort_order=2,
        date=datetime.date(2000, 6, 1),
        date_precision=DatePrecision.YEAR,
        title_sv="Sekelskiftet",
        title_en="The turn of the century",
    )


def test_milestones_in_chronological_order_in_both_languages(client, three_milestones):
    sv = soup(client.get("/sv/50-ar/"))
    en = soup(client.get("/en/50-years/"))
    assert sv.h1.get_text(strip=True) == "50 år av livsförändrande terapier"
    assert en.h1.get_text(strip=True) == "50 years of life-changing therapies"
    assert milestone_titles(sv) == ["Första transplantationen", "Sekelskiftet", "Femtio år"]
    assert milestone_titles(en) == [
        "The first transplantation",
        "The turn of the century",
        "Fifty years",
    ]
    # An ordered list of milestones, each with a heading and a date.
    items = en.select("ol.timeline > li.milestone")
    assert len(items) == 3
    assert all(item.find("h2") and item.find("time") for item in items)


def test_entry_order_is_kept_when_the_editor_says_so(client, timeline, three_milestones):
    timeline.sort_chronologically = False
    timeline.save_revision().publish()
    en = soup(client.get("/en/50-years/"))
    assert milestone_titles(en) == [
        "Fifty years",
        "The first transplantation",
        "The turn of the century",
    ]


def test_reordering_in_the_admin_order_is_respected(client, timeline, three_milestones):
    timeline.sort_chronologically = False
    timeline.save_revision().publish()
    milestones = {m.title_en: m for m in timeline.milestones.all()}
    for order, title in enumerate(
        ["The turn of the century", "Fifty years", "The first transplantation"]
    ):
        milestones[title].sort_order = order
        milestones[title].save()
    assert milestone_titles(soup(client.get("/sv/50-ar/"))) == [
        "Sekelskiftet",
        "Femtio år",
        "Första transplantationen",
    ]


@pytest.mark.parametrize(
    "precision, datetime_value, sv_text, en_text",
    [
        (DatePrecision.DAY, "1975-11-12", "12 november 1975", "12 November 1975"),
        (DatePrecision.MONTH, "1975-11", "november 1975", "November 1975"),
        (DatePrecision.YEAR, "1975", "1975", "1975"),
    ],
)
def test_time_values_follow_the_precision(
    client, timeline, precision, datetime_value, sv_text, en_text
):
    MilestoneFactory(page=timeline, date=NOV_12_1975, date_precision=precision)
    sv = soup(client.get("/sv/50-ar/")).select_one(".milestone time")
    en = soup(client.get("/en/50-years/")).select_one(".milestone time")
    assert sv["datetime"] == en["datetime"] == datetime_value
    assert sv.get_text(strip=True) == sv_text
    assert en.get_text(strip=True) == en_text


def test_month_and_year_precision_sort_at_the_start_of_the_period(client, timeline):
    # Entered with a late day, but shown as "1975" it belongs before 12 November 1975.
    MilestoneFactory(page=timeline, sort_order=0, date=NOV_12_1975, title_en="Day")
    MilestoneFactory(
        page=timeline,
        sort_order=1,
        date=datetime.date(1975, 12, 31),
        date_precision=DatePrecision.YEAR,
        title_en="Year",
    )
    assert milestone_titles(soup(client.get("/en/50-years/"))) == ["Year", "Day"]


def test_anchors_are_unique_even_within_one_year(client, timeline):
    for day in (1, 2, 3):
        MilestoneFactory(page=timeline, date=datetime.date(1975, 11, day))
    MilestoneFactory(page=timeline, date=datetime.date(1976, 1, 1))
    page = soup(client.get("/en/50-years/"))
    anchors = [li["id"] for li in page.select(".timeline .milestone")]
    assert anchors == ["1975", "1975-2", "1975-3", "1976"]
    all_ids = [tag["id"] for tag in page.select("[id]")]
    assert len(all_ids) == len(set(all_ids))


def test_year_navigation_on_long_timelines_links_to_the_first_milestone_of_each_year(
    client, timeline
):
    for year in range(1975, 1979):
        MilestoneFactory(page=timeline, date=datetime.date(year, 3, 1))
        MilestoneFactory(page=timeline, date=datetime.date(year, 9, 1))
    page = soup(client.get("/sv/50-ar/"))
    nav = page.select_one("nav.timeline-year-nav")
    assert nav["aria-label"] == "Årtal på tidslinjen"
    links = nav.select("a")
    assert [a.get_text() for a in links] == ["1975", "1976", "1977", "1978"]
    assert [a["href"] for a in links] == ["#1975", "#1976", "#1977", "#1978"]
    for link in links:
        target = page.find(id=link["href"][1:])
        assert target is not None and "milestone" in target["class"]
        assert target.time["datetime"].endswith("-03-01")


def test_short_timeline_has_no_year_navigation(client, three_milestones):
    assert soup(client.get("/en/50-years/")).select_one("nav.timeline-year-nav") is None


def test_milestone_image_and_link(client, home_page, timeline):
    about = StandardPageFactory(
        parent=home_page, title_sv="Om oss", title_en="About us", slug_sv="om", slug_en="about"
    )
    MilestoneFactory(
        page=timeline,
        image=ImageFactory(),
        image_alt_text_sv="Huddinge sjukhus",
        image_alt_text_en="Huddinge Hospital",
        link_page=about,
    )
    sv = soup(client.get("/sv/50-ar/")).select_one(".milestone")
    en = soup(client.get("/en/50-years/")).select_one(".milestone")
    assert sv.img["alt"] == "Huddinge sjukhus"
    assert en.img["alt"] == "Huddinge Hospital"
    assert sv.img["src"] == en.img["src"]  # the image is stored once
    assert en.select_one(".milestone-link a")["href"] == "/en/about/"
    assert en.select_one(".milestone-link a").get_text(strip=True) == "Read more: About us"
    assert sv.select_one(".milestone-link a")["href"] == "/sv/om/"
    assert sv.select_one(".milestone-link a").get_text(strip=True) == "Läs mer: Om oss"
    assert client.get("/en/about/").status_code == 200


def test_link_to_an_unpublished_page_is_left_out(client, home_page, timeline):
    draft = StandardPageFactory(parent=home_page, live=False)
    MilestoneFactory(page=timeline, link_page=draft)
    assert soup(client.get("/en/50-years/")).select_one(".milestone-link") is None


def test_milestone_without_english_falls_back_to_swedish_marked_as_swedish(client, timeline):
    MilestoneFactory(page=timeline, title_sv="Bara svenska", title_en="", text_en="")
    item = soup(client.get("/en/50-years/")).select_one(".milestone")
    assert item.h2.get_text(strip=True) == "Bara svenska"
    assert item.h2["lang"] == "sv"
    assert item.select_one(".milestone-text")["lang"] == "sv"
    # The date is interface text in the reader's language.
    assert item.time.find_parent(attrs={"lang": "sv"}) is None


def test_eras_group_milestones_by_year(client, timeline):
    TimelineEraFactory(
        page=timeline, title_sv="Början", title_en="The beginning", start_year=1975, end_year=1989
    )
    TimelineEraFactory(page=timeline, title_sv="I dag", title_en="Today", start_year=2020)
    MilestoneFactory(page=timeline, date=NOV_12_1975, title_en="First")
    MilestoneFactory(page=timeline, date=datetime.date(1980, 1, 1), title_en="Second")
    MilestoneFactory(page=timeline, date=datetime.date(2000, 1, 1), title_en="Outside")
    MilestoneFactory(page=timeline, date=datetime.date(2025, 11, 12), title_en="Now")
    en = soup(client.get("/en/50-years/"))
    eras = en.select("ol.timeline > li.timeline-era")
    assert [era.h2.select_one(".timeline-era-name").get_text() for era in eras] == [
        "The beginning",
        "Today",
    ]
    assert eras[0].select_one(".timeline-era-years").get_text() == "1975–1989"
    assert [h.get_text() for h in eras[0].select("ol.timeline-milestones h3")] == [
        "First",
        "Second",
    ]
    assert [h.get_text() for h in eras[1].select("ol.timeline-milestones h3")] == ["Now"]
    # A milestone outside every era stays a top-level item with its own h2.
    ungrouped = en.select("ol.timeline > li.milestone")
    assert [li.h2.get_text() for li in ungrouped] == ["Outside"]
    assert eras[1].select_one(".timeline-era-years").get_text() == "since 2020"
    sv = soup(client.get("/sv/50-ar/"))
    assert sv.select(".timeline-era-years")[1].get_text() == "sedan 2020"


def test_era_years_are_validated():
    era = TimelineEraFactory.build(page=None, start_year=1990, end_year=1980)
    with pytest.raises(ValidationError) as error:
        era.clean()
    assert "end_year" in error.value.message_dict


def test_timeline_without_milestones(client, timeline):
    page = soup(client.get("/en/50-years/"))
    assert page.select_one("ol.timeline") is None
    assert "There are no milestones on this timeline yet." in page.main.get_text()


# --- the excerpt block ------------------------------------------------------------


def render_excerpt(timeline, language, **options):
    block = TimelineExcerptBlock()
    raw = {"heading": "", "timeline": timeline.pk, "from_year": None, "to_year": None}
    raw["max_items"] = 5
    raw.update(options)
    value = block.to_python(raw)
    request = RequestFactory().get("/")
    with translation.override(language):
        return BeautifulSoup(block.render(value, context={"request": request}), "html.parser")


@pytest.fixture
def long_timeline(timeline):
    for year in (1975, 1975, 1990, 2000, 2010, 2025):
        MilestoneFactory(
            page=timeline,
            date=datetime.date(year, 11, 12),
            title_sv=f"Händelse {year}",
            title_en=f"Event {year}",
        )
    return timeline


@pytest.mark.parametrize(
    "language, heading, more, url",
    [
        ("sv", "50 år av livsförändrande terapier", "Se hela tidslinjen", "/sv/50-ar/"),
        ("en", "50 years of life-changing therapies", "See the whole timeline", "/en/50-years/"),
    ],
)
def test_excerpt_block_shows_the_timeline_in_the_readers_language(
    client, long_timeline, language, heading, more, url
):
    html = render_excerpt(long_timeline, language, max_items=3)
    assert html.h2.get_text() == heading
    titles = [h.get_text(strip=True) for h in html.select("ol.timeline-excerpt h3")]
    word = "Händelse" if language == "sv" else "Event"
    assert titles == [f"{word} 1975", f"{word} 1975", f"{word} 1990"]
    assert [t["datetime"] for t in html.select("time")] == [
        "1975-11-12",
        "1975-11-12",
        "1990-11-12",
    ]
    assert html.select_one(".section-more a").get_text() == more
    assert html.select_one(".section-more a")["href"] == url
    # Each milestone links to its anchor on the timeline page, and that anchor exists.
    hrefs = [a["href"] for a in html.select("ol.timeline-excerpt h3 a")]
    assert hrefs == [f"{url}#1975", f"{url}#1975-2", f"{url}#1990"]
    timeline_page = soup(client.get(url))
    for href in hrefs:
        assert timeline_page.find(id=href.split("#")[1]) is not None


def test_excerpt_block_range_of_years_and_own_heading(long_timeline):
    html = render_excerpt(
        long_timeline, "en", heading="Milestones", from_year=1990, to_year=2010, max_items=10
    )
    assert html.h2.get_text() == "Milestones"
    assert [h.get_text(strip=True) for h in html.select("h3")] == [
        "Event 1990",
        "Event 2000",
        "Event 2010",
    ]
    # Anchors are numbered over the whole timeline, not over the excerpt.
    html = render_excerpt(long_timeline, "en", from_year=2025)
    assert html.select_one("h3 a")["href"] == "/en/50-years/#2025"


def test_excerpt_of_an_unpublished_timeline_renders_nothing(long_timeline):
    long_timeline.unpublish()
    assert render_excerpt(long_timeline, "sv").get_text(strip=True) == ""


def test_excerpt_block_rejects_a_reversed_range(long_timeline):
    block = TimelineExcerptBlock()
    value = block.to_python(
        {
            "heading": "",
            "timeline": long_timeline.pk,
            "from_year": 2010,
            "to_year": 1990,
            "max_items": 5,
        }
    )
    with pytest.raises(ValidationError):
        block.clean(value)


# --- admin ------------------------------------------------------------------------


def test_admin_edit_form_has_milestone_fields_per_language(admin_client, timeline):
    MilestoneFactory(page=timeline)
    response = admin_client.get(f"/admin/pages/{timeline.pk}/edit/")
    assert response.status_code == 200
    html = soup(response)
    for name in ("title_sv", "title_en", "text_sv", "text_en", "date", "date_precision"):
        assert html.select_one(f"[name=milestones-0-{name}]") is not None, name
    # Stored once: no per-language date, image or link.
    for name in ("date_sv", "image_en", "link_page_en"):
        assert html.select_one(f"[name=milestones-0-{name}]") is None, name
    # The blank form for a new era has both languages too.
    assert 'name="eras-__prefix__-title_en"' in response.content.decode()


def test_admin_creates_a_timeline_with_milestones_in_both_languages(
    admin_client, home_page, uncached
):
    from wagtail.test.utils.form_data import (
        inline_formset,
        nested_form_data,
        rich_text,
        streamfield,
    )

    data = nested_form_data(
        {
            "title_sv": "Tidslinje",
            "title_en": "Timeline",
            "slug_sv": "tidslinje",
            "slug_en": "timeline",
            "lead_sv": "",
            "lead_en": "",
            "intro_sv": streamfield([]),
            "intro_en": streamfield([]),
            "sort_chronologically": "on",
            "milestones": inline_formset(
                [
                    {
                        "date": "2025-11-12",
                        "date_precision": "year",
                        "title_sv": "Femtio år",
                        "title_en": "Fifty years",
                        "text_sv": rich_text("<p>Jubileum</p>"),
                        "text_en": rich_text("<p>Anniversary</p>"),
                    },
                    {
                        "date": "1975-11-12",
                        "date_precision": "day",
                        "title_sv": "Första",
                        "title_en": "First",
                        "text_sv": rich_text(""),
                        "text_en": rich_text(""),
                    },
                ]
            ),
            "eras": inline_formset([]),
            "action-publish": "publish",
        }
    )
    response = admin_client.post(f"/admin/pages/add/stories/timelinepage/{home_page.pk}/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    timeline = TimelinePage.objects.get(slug_sv="tidslinje")
    assert timeline.live
    stored = {m.title_sv: m for m in timeline.milestones.all()}
    assert stored["Femtio år"].title_en == "Fifty years"
    assert stored["Femtio år"].date_precision == DatePrecision.YEAR
    en = soup(admin_client.get("/en/timeline/"))
    assert milestone_titles(en) == ["First", "Fifty years"]
    assert [t["datetime"] for t in en.select(".timeline time")] == ["1975-11-12", "2025"]


# --- queries ----------------------------------------------------------------------


def _count_queries(client, url):
    client.get(url)  # warm-up: image renditions are made once
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def _add_milestones(timeline, count, link_page):
    start = timeline.milestones.count()
    for n in range(start, start + count):
        MilestoneFactory(
            page=timeline,
            date=datetime.date(1975 + n, 11, 12),
            image=ImageFactory(file__width=80, file__height=60),
            image_alt_text_sv="Bild",
            image_alt_text_en="Image",
            link_page=link_page,
        )


@pytest.mark.parametrize("url", ["/sv/50-ar/", "/en/50-years/"])
def test_query_count_is_the_same_for_5_and_60_milestones(
    client, home_page, timeline, url, uncached
):
    about = StandardPageFactory(parent=home_page)
    TimelineEraFactory(page=timeline, start_year=1975, end_year=1999)
    _add_milestones(timeline, 5, about)
    few = _count_queries(client, url)
    _add_milestones(timeline, 55, about)
    many = _count_queries(client, url)
    page = soup(client.get(url))
    assert len(page.select(".milestone")) == 60
    assert len(page.select(".milestone img")) == 60
    assert few == many, (few, many)


# --- demo content -----------------------------------------------------------------


def test_seeded_timeline_in_both_languages(client):
    call_command("seed_demo")
    sv = soup(client.get("/sv/50-ar-av-livsforandrande-terapier/"))
    en = soup(client.get("/en/50-years-of-life-changing-therapies/"))
    assert sv.h1.get_text(strip=True) == "50 år med livsförändrande behandlingar"
    assert en.h1.get_text(strip=True) == "50 years of life-changing therapies"
    # "Nuclear catastrophe", not a nuclear-power disaster.
    assert "Ur en nukleär katastrof växte grunderna" in sv.main.get_text()
    assert "kärnkraft" not in sv.main.get_text()
    assert en.select_one(".lead").get_text(strip=True).startswith("On 12 November 1975, ")
    first_sv, first_en = sv.select_one(".milestone"), en.select_one(".milestone")
    assert first_sv["id"] == first_en["id"] == "1975"
    assert first_sv.time["datetime"] == "1975-11-12"
    assert first_sv.time.get_text() == "12 november 1975"
    assert first_en.time.get_text() == "12 November 1975"
    assert "Huddinge" in first_en.get_text()
    # The generated picture is described as what it is, not left without a text.
    assert first_sv.img["alt"] == "Abstrakt illustration i blågrönt"
    assert first_en.img["alt"] == "Abstract illustration in teal"
    assert "CAR-T" in en.select(".milestone")[-1].get_text()
    assert "CAR-T" in sv.select(".milestone")[-1].get_text()
    # The anniversary is worked out from "50 years": shown as a year, not a day.
    assert sv.select(".milestone")[-1].time.get_text() == "2025"
    assert en.select(".milestone")[-1].time["datetime"] == "2025"
