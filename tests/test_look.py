"""What every page carries besides its content: breadcrumbs (with BreadcrumbList JSON-LD),
the footer edited in the portal settings, the facts beside the text, share links,
related cards and empty states, in both languages."""

import json

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.db.models.signals import post_init
from django.test.utils import CaptureQueriesContext
from wagtail.models import Site

from home.models import StandardPage
from portal.models import PortalSettings
from tests.factories.awards import (
    AwardCategoryFactory,
    AwardPageFactory,
    AwardWinnerPageFactory,
)
from tests.factories.home import StandardPageFactory
from tests.factories.stories import StoryIndexPageFactory, StoryPageFactory

pytestmark = pytest.mark.django_db


def soup(response):
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content.decode(), "html.parser")


def json_ld_of_type(document, kind):
    found = [json.loads(s.string) for s in document.select("script[type='application/ld+json']")]
    return [data for data in found if data.get("@type") == kind]


@pytest.fixture
def portal_settings(home_page):
    return PortalSettings.for_site(Site.objects.get(is_default_site=True))


@pytest.fixture
def award(home_page):
    return AwardPageFactory(parent=home_page)


def test_breadcrumbs_lead_home_in_the_readers_language_with_json_ld(client, home_page):
    index = StoryIndexPageFactory(parent=home_page)
    StoryPageFactory(parent=index, title_sv="Om celler", title_en="About cells",
                     slug_sv="om-celler", slug_en="about-cells")  # fmt: skip
    for url, home_word, texts in [
        ("/sv/nyheter/om-celler/", "Startsida", ["Startsida", "Nyheter", "Om celler"]),
        ("/en/news/about-cells/", "Home", ["Home", "News", "About cells"]),
    ]:
        document = soup(client.get(url))
        crumbs = document.select("nav.breadcrumbs li")
        assert [li.get_text(strip=True) for li in crumbs] == texts
        assert crumbs[-1].select_one("[aria-current=page]") is not None
        assert crumbs[0].a["href"] == url[:4]
        (trail,) = json_ld_of_type(document, "BreadcrumbList")
        items = trail["itemListElement"]
        assert [item["name"] for item in items] == texts
        assert items[0]["name"] == home_word
        assert items[-1]["item"] == f"http://testserver{url}"
        assert [item["position"] for item in items] == [1, 2, 3]
    # The home page itself has none.
    assert soup(client.get("/sv/")).select_one("nav.breadcrumbs") is None


def test_breadcrumbs_cost_the_same_queries_at_any_depth(client, home_page, uncached):
    shallow = StandardPageFactory(parent=home_page, slug_sv="a", slug_en="a")
    middle = StandardPageFactory(parent=shallow, slug_sv="b", slug_en="b")
    deep = StandardPageFactory(parent=middle, slug_sv="c", slug_en="c")

    def queries(page):
        client.get(page.get_url_in("sv"))
        with CaptureQueriesContext(connection) as captured:
            response = client.get(page.get_url_in("sv"))
        crumbs = soup(response).select("nav.breadcrumbs li")
        return len(captured), len(crumbs)

    shallow_queries, shallow_crumbs = queries(middle)
    deep_queries, deep_crumbs = queries(deep)
    assert (shallow_crumbs, deep_crumbs) == (3, 4)
    assert deep_queries == shallow_queries


def test_footer_shows_what_the_editor_filled_in_both_languages(client, home_page, portal_settings):
    about = StandardPageFactory(parent=home_page, title_sv="Om oss", title_en="About us",
                                slug_sv="om-oss", slug_en="about-us")  # fmt: skip
    document = soup(client.get("/sv/"))
    footer = document.select_one("footer.site-footer")
    assert "Besöksadress" not in footer.get_text()  # empty items are not shown
    assert footer.select_one(".site-footer-contact") is None

    portal_settings.organisation_name_sv = "Vetenskapsstaden"
    portal_settings.organisation_name_en = "The Science City"
    portal_settings.visiting_address_sv = "Storgatan 1\nFlemingsberg"
    portal_settings.contact_email = "info@example.org"
    portal_settings.phone = "08-123 45 67"
    portal_settings.footer_sections = [
        ("section", {
            "heading_sv": "Läs mer", "heading_en": "Read more",
            "links": [
                {"page": about, "url": "", "label_sv": "", "label_en": ""},
                {"page": None, "url": "https://example.org/", "label_sv": "Partner",
                 "label_en": ""},
            ],
        }),
    ]  # fmt: skip
    portal_settings.save()

    sv = soup(client.get("/sv/")).select_one("footer.site-footer")
    contact = sv.select_one(".site-footer-contact")
    assert contact.h2.get_text(strip=True) == "Kontakta oss"
    assert [dt.get_text(strip=True) for dt in contact.select("dt")] == [
        "Besöksadress", "E-post", "Telefon",
    ]  # fmt: skip
    assert contact.select_one("a[href^='tel:']")["href"] == "tel:081234567"
    assert sv.select_one(".site-footer-name").get_text(strip=True) == "Vetenskapsstaden"
    section = sv.select(".site-footer-section")[1]
    assert section.h2.get_text(strip=True) == "Läs mer"
    assert [(a.get_text(strip=True), a["href"]) for a in section.select("a")] == [
        ("Om oss", "/sv/om-oss/"), ("Partner", "https://example.org/"),
    ]  # fmt: skip

    en = soup(client.get("/en/")).select_one("footer.site-footer")
    assert en.select_one(".site-footer-contact h2").get_text(strip=True) == "Contact us"
    section = en.select(".site-footer-section")[1]
    assert section.h2.get_text(strip=True) == "Read more"
    links = section.select("a")
    assert [(a.get_text(strip=True), a["href"]) for a in links] == [
        ("About us", "/en/about-us/"), ("Partner", "https://example.org/"),
    ]  # fmt: skip
    assert links[1]["lang"] == "sv"  # no English link text: the Swedish one, marked
    assert "The Science City" in en.select_one(".site-footer-copyright").get_text()
    assert en.select_one(".site-footer-language a")["hreflang"] == "sv"


def test_footer_text_without_english_is_marked_swedish(client, home_page, portal_settings):
    """An English reader gets the Swedish heading or page title where there is no English
    one, marked lang="sv" so that a screen reader speaks it as Swedish."""
    contact = StandardPageFactory(parent=home_page, title_sv="Kontakt", title_en="",
                                  slug_sv="kontakt", slug_en="kontakt")  # fmt: skip
    portal_settings.footer_sections = [
        ("section", {"heading_sv": "Hitta hit", "heading_en": "", "links": [
            {"page": contact, "url": "", "label_sv": "", "label_en": ""},
        ]}),
    ]  # fmt: skip
    portal_settings.save()
    section = soup(client.get("/en/")).select_one("footer .site-footer-section")
    assert (section.h2.get_text(strip=True), section.h2.get("lang")) == ("Hitta hit", "sv")
    link = section.a
    assert (link.get_text(strip=True), link.get("lang")) == ("Kontakt", "sv")
    swedish = soup(client.get("/sv/")).select_one("footer .site-footer-section")
    assert swedish.h2.get("lang") is None and swedish.a.get("lang") is None


def test_a_footer_edit_reaches_cached_pages(client, home_page, portal_settings):
    first = client.get("/en/")
    assert client.get("/en/").headers["X-Portal-Cache"] == "hit"
    assert "Contact us" not in first.content.decode()
    portal_settings.phone = "08-123 45 67"
    portal_settings.save()
    assert "08-123 45 67" in soup(client.get("/en/")).select_one("footer").get_text()


def test_a_footer_link_to_an_unpublished_page_is_left_out(client, home_page, portal_settings):
    about = StandardPageFactory(parent=home_page, slug_sv="om-oss", slug_en="about-us")
    portal_settings.footer_sections = [
        ("section", {"heading_sv": "Mer", "heading_en": "",
                     "links": [{"page": about, "url": "", "label_sv": "", "label_en": ""}]}),
    ]  # fmt: skip
    portal_settings.save()
    assert soup(client.get("/sv/")).select_one("footer a[href='/sv/om-oss/']") is not None
    about.unpublish()
    assert soup(client.get("/sv/")).select_one("footer a[href='/sv/om-oss/']") is None


def test_the_footer_links_the_feeds(client, home_page):
    StoryIndexPageFactory(parent=home_page)
    feeds = soup(client.get("/en/")).select(".site-footer-feeds a")
    assert [(a.get_text(strip=True), a["href"]) for a in feeds] == [("News (RSS)", "/en/news/rss/")]
    assert client.get(feeds[0]["href"]).status_code == 200


def test_the_footer_reads_only_the_sections_that_offer_a_feed(client, home_page, uncached):
    """Many pages under the home page (timelines, standard pages) cost the footer
    nothing: only the news and the calendar are read."""
    StoryIndexPageFactory(parent=home_page)
    for number in range(12):
        StandardPageFactory(parent=home_page, slug_sv=f"sida-{number}", slug_en=f"page-{number}")
    loaded = []

    def note(sender, instance, **kwargs):
        if isinstance(instance, StandardPage):
            loaded.append(instance)

    post_init.connect(note)
    try:
        response = client.get("/sv/")
    finally:
        post_init.disconnect(note)
    feeds = soup(response).select(".site-footer-feeds a")
    assert [(a.get_text(strip=True), a["href"]) for a in feeds] == [
        ("Nyheter (RSS)", "/sv/nyheter/rss/")
    ]
    assert loaded == []


def test_story_facts_and_share_links(client, home_page):
    index = StoryIndexPageFactory(parent=home_page)
    StoryPageFactory(parent=index, title_sv="Om celler", title_en="About cells",
                     slug_sv="om-celler", slug_en="about-cells",
                     author_name="Anna Andersson")  # fmt: skip
    document = soup(client.get("/en/news/about-cells/"))
    aside = document.select_one(".layout-aside")
    assert [dt.get_text(strip=True) for dt in aside.select("dt")] == ["Published", "Written by"]
    share = aside.select_one(".share")
    links = {a.get_text(strip=True): a["href"] for a in share.select("a")}
    page_url = "http%3A%2F%2Ftestserver%2Fen%2Fnews%2Fabout-cells%2F"
    assert (
        links["E-mail"].startswith("mailto:?subject=About%20cells") and page_url in links["E-mail"]
    )
    assert links["LinkedIn"] == f"https://www.linkedin.com/sharing/share-offsite/?url={page_url}"
    button = share.select_one("button[data-copy]")
    assert button.get_text(strip=True) == "Copy link"
    assert button["data-copy"] == "http://testserver/en/news/about-cells/"
    # No third-party script anywhere on the page.
    assert all(not s.get("src", "/").startswith("http") for s in document.select("script"))
    sv = soup(client.get("/sv/nyheter/om-celler/")).select_one(".share")
    assert sv.h2.get_text(strip=True) == "Dela"
    assert sv.select_one("button").get_text(strip=True) == "Kopiera länk"


def test_winner_facts_and_related_winners_of_the_same_category_first(client, award):
    first, second = AwardCategoryFactory(programme=award), AwardCategoryFactory(programme=award)
    shown = AwardWinnerPageFactory(parent=award, category=first, year=2025,
                                   title_sv="Visad", title_en="Shown", slug_sv="visad",
                                   slug_en="shown")  # fmt: skip
    for number in range(3):
        AwardWinnerPageFactory(parent=award, category=second, year=2020 + number,
                               title_en=f"Other {number}", slug_sv=f"annan-{number}",
                               slug_en=f"other-{number}")  # fmt: skip
    AwardWinnerPageFactory(parent=award, category=first, year=2023, title_en="Same category",
                           slug_sv="samma", slug_en="same")  # fmt: skip
    document = soup(client.get(shown.get_url_in("en")))
    facts = {
        dt.get_text(strip=True): dt.find_next_sibling("dd").get_text(strip=True)
        for dt in document.select(".winner-facts dt")
    }
    assert facts["Award"] == award.title_en
    assert facts["Category"] == first.name_en
    assert facts["Year"] == "2025"
    related = [a.get_text(strip=True) for a in document.select(".related .card-title a")]
    assert len(related) == 3
    assert related[0] == "Same category"
    assert "Shown" not in related
    heading = soup(client.get(shown.get_url_in("sv"))).select_one(".related h2")
    assert heading.get_text(strip=True) == "Fler pristagare"


def test_empty_story_index_says_so_in_the_glossarys_words(client, home_page):
    StoryIndexPageFactory(parent=home_page)
    empty = soup(client.get("/sv/nyheter/")).select_one(".empty-state")
    assert empty.get_text(strip=True) == "Det finns inga nyheter ännu."
    assert soup(client.get("/en/news/")).select_one(".empty-state").get_text(strip=True) == (
        "There are no stories yet."
    )


def test_the_stylesheet_follows_the_readers_colour_scheme_and_motion_preference(client):
    from django.contrib.staticfiles import finders

    css = open(finders.find("css/portal.css")).read()
    assert "@media (prefers-color-scheme: dark)" in css
    assert "@media (prefers-reduced-motion: reduce)" in css
    assert "@import" not in css and "url(http" not in css  # nothing from another host
