"""The accessibility statement and the privacy page: seeded in both languages with the
structure Digg gives for the DOS law, linked from every page's footer in the reader's
language, and true to what they say: an anonymous reader gets no cookie anywhere."""

import re
from datetime import datetime

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from wagtail.models import Page, PageViewRestriction, Site

from home.models import StandardPage
from portal.blocks import ParagraphBlock
from portal.models import PortalSettings
from portal.rich_text_safety import clean_rich_text

pytestmark = pytest.mark.django_db

LANGUAGES = ("sv", "en")
DIGG_HEADINGS = {
    "sv": [
        "Hur tillgänglig är webbplatsen?",
        "Vad kan du göra om du inte kan använda delar av webbplatsen?",
        "Rapportera brister i webbplatsens tillgänglighet",
        "Tillsyn",
        "Teknisk information om webbplatsens tillgänglighet",
        "Innehåll som inte är tillgängligt",
        "Bristande förenlighet med lagkraven",
        "Innehåll som inte omfattas av lagstiftningen",
        "Hur vi testat webbplatsen",
    ],
    "en": [
        "How accessible is this website?",
        "What can you do if you cannot use parts of the website?",
        "Reporting accessibility problems",
        "Enforcement procedure",
        "Technical information about the website's accessibility",
        "Content that is not accessible",
        "Non-compliance with the law",
        "Content that is not within the scope of the law",
        "How we tested this website",
    ],
}
PRIVACY_HEADINGS = {
    "sv": ["Kakor (cookies)", "Vilka personuppgifter behandlas?", "Vem är ansvarig?",
           "Dina rättigheter"],
    "en": ["Cookies", "What personal data is processed?", "Who is responsible?", "Your rights"],
}  # fmt: skip
FOOTER_LABELS = {
    "sv": ("Tillgänglighetsredogörelse", "Personuppgifter och kakor"),
    "en": ("Accessibility statement", "Privacy and cookies"),
}
# Every page type a reader meets; the seed has one of each (and events, when seeded).
PAGE_TYPES = {
    "HomePage", "StandardPage", "StoryIndexPage", "StoryPage", "TimelinePage", "AwardPage",
    "AwardWinnerPage", "CultureProjectIndexPage", "CultureProjectPage",
}  # fmt: skip


@pytest.fixture
def seeded(db):
    call_command("seed_demo", "--no-warm", stdout=open("/dev/null", "w"))
    site = Site.objects.get(is_default_site=True)
    return PortalSettings.for_site(site)


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def page_text(response):
    return " ".join(soup(response).get_text(" ").split())


def headings(response):
    return [" ".join(h.get_text(" ").split()) for h in soup(response).select("main h2, main h3")]


def footer_links(response):
    nav = soup(response).select_one("footer nav")
    assert nav is not None, "no link section in the footer"
    return [(link.get_text(strip=True), link["href"]) for link in nav.find_all("a")]


def one_page_per_type():
    site = Site.objects.get(is_default_site=True)
    pages = {}
    for page in site.root_page.get_descendants(inclusive=True).live().specific():
        pages.setdefault(type(page).__name__, page)
    return pages


def reader_addresses():
    """(what, address) for every page type in both languages, and the other answers a
    reader meets: search, the 404 page, the feeds, the sitemap, robots.txt."""
    pages = one_page_per_type()
    assert set(pages) >= PAGE_TYPES, set(pages)
    statement = PortalSettings.for_site(Site.objects.get()).accessibility_page.specific
    privacy = PortalSettings.for_site(Site.objects.get()).privacy_page.specific
    pages["accessibility statement"] = statement
    pages["privacy page"] = privacy
    news = pages["StoryIndexPage"]
    addresses = [("redirect to a language", "/")]
    for language in LANGUAGES:
        addresses += [
            (f"{name} {language}", page.get_url_in(language)) for name, page in pages.items()
        ]
        search = {"sv": "/sv/sok/", "en": "/en/search/"}[language]
        addresses += [
            (f"search {language}", f"{search}?q=flemingsberg"),
            (f"empty search {language}", search),
            (f"404 {language}", f"/{language}/finns-inte/"),
            (f"RSS {language}", f"{news.get_url_in(language)}rss/"),
        ]  # fmt: skip
    addresses += [
        ("sitemap index", "/sitemap.xml"),
        ("sitemap file", "/sitemap-pages-1.xml"),
        ("robots.txt", "/robots.txt"),
    ]
    return addresses


# Seeded content ------------------------------------------------------------------------


def test_the_statement_is_seeded_in_both_languages_with_diggs_structure(client, seeded):
    statement = seeded.accessibility_page.specific
    assert isinstance(statement, StandardPage) and statement.live
    assert statement.has_translation("en") and not statement.show_in_menus
    for language in LANGUAGES:
        response = client.get(statement.get_url_in(language))
        assert response.status_code == 200
        assert f'<html lang="{language}">' in response.text
        assert headings(response) == DIGG_HEADINGS[language]
        text = page_text(response)
        assert "WCAG 2.1" in text and "axe" in text
        assert ("delvis förenlig" if language == "sv" else "partially compliant") in text
        # Known shortcomings, said honestly.
        assert ("Inbäddade videor" if language == "sv" else "Embedded videos") in text
        assert "23 september 2018" in text.lower()
        assert "Myndigheten för digital förvaltning" in text
        links = [a["href"] for a in soup(response).select("main a")]
        assert "https://www.digg.se/" in links
        assert "https://www.digg.se/tdosanmalan" in links
        assert f"mailto:{seeded.contact_email}" in links
        # When it was last updated: the page's last publication, in the reader's language.
        updated = soup(response).select_one(".page-updated time")
        assert datetime.fromisoformat(updated["datetime"]) == statement.last_published_at
        assert re.search(r"\+0[12]:00$", updated["datetime"]), updated["datetime"]  # Stockholm
        label = "Senast uppdaterad" if language == "sv" else "Last updated"
        assert soup(response).select_one(".page-updated").get_text().startswith(label)


def test_the_privacy_page_is_seeded_in_both_languages(client, seeded, settings):
    privacy = seeded.privacy_page.specific
    assert isinstance(privacy, StandardPage) and privacy.live and privacy.has_translation("en")
    for language in LANGUAGES:
        response = client.get(privacy.get_url_in(language))
        assert response.status_code == 200
        assert headings(response) == PRIVACY_HEADINGS[language]
        text = page_text(response)
        if language == "sv":
            assert "sätter inga kakor när du läser" in text
            assert "ingen ruta om kakor" in text
            assert f"i {settings.AXES_COOLOFF_TIME.seconds // 60} minuter" in text
        else:
            assert "sets no cookies while you read" in text
            assert "no cookie banner" in text
            assert f"for {settings.AXES_COOLOFF_TIME.seconds // 60} minutes" in text
        assert "sessionid" in text and "IP" in text
        links = [a["href"] for a in soup(response).select("main a")]
        assert "https://www.imy.se/" in links
        assert f"mailto:{seeded.contact_email}" in links


def test_the_seeded_text_is_what_the_editor_would_store(seeded):
    features = ParagraphBlock().features
    for page in (seeded.accessibility_page.specific, seeded.privacy_page.specific):
        for language in LANGUAGES:
            for block in getattr(page, f"body_{language}"):
                if block.block_type == "paragraph":
                    cleaned = clean_rich_text(block.value.source, features)
                    assert not cleaned.dropped and not cleaned.text_changed, cleaned


def test_seeding_again_keeps_an_editors_choices(seeded):
    other = StandardPage.objects.get(slug_sv="om-flemingsberg")
    seeded.privacy_page = other
    seeded.contact_email = "redaktion@example.org"
    seeded.save()
    pages = Page.objects.count()
    call_command("seed_demo", "--no-warm", stdout=open("/dev/null", "w"))
    again = PortalSettings.objects.get(pk=seeded.pk)
    assert again.privacy_page_id == other.pk
    assert again.contact_email == "redaktion@example.org"
    assert again.accessibility_page_id == seeded.accessibility_page_id
    assert Page.objects.count() == pages


# The footer --------------------------------------------------------------------------


def test_every_page_links_to_both_pages_in_the_readers_language(client, seeded):
    statement = seeded.accessibility_page.specific
    privacy = seeded.privacy_page.specific
    html_pages = [
        (what, url)
        for what, url in reader_addresses()
        if url.startswith(("/sv/", "/en/")) and "RSS" not in what
    ]
    seen = set()
    for what, url in html_pages:
        language = url.split("/")[1]
        response = client.get(url)
        assert response.status_code in (200, 404), (what, response.status_code)
        expected = [
            (FOOTER_LABELS[language][0], statement.get_url_in(language)),
            (FOOTER_LABELS[language][1], privacy.get_url_in(language)),
        ]
        assert footer_links(response) == expected, what
        seen.add(what)
        for _label, href in expected:
            target = client.get(href)
            assert target.status_code == 200, href
            assert f'<html lang="{language}">' in target.text
    for language in LANGUAGES:
        assert {f"{name} {language}" for name in PAGE_TYPES} <= seen
        assert {f"404 {language}", f"search {language}"} <= seen


def test_the_links_follow_a_slug_change(client, seeded):
    privacy = seeded.privacy_page.specific
    assert footer_links(client.get("/en/"))[1][1] == "/en/privacy-and-cookies/"
    assert client.get("/en/").headers["X-Portal-Cache"] == "hit"  # cached with the old slug
    privacy.slug_en = "privacy"
    privacy.slug_sv = "integritet"
    privacy.save_revision().publish()
    en_links = footer_links(client.get("/en/"))
    sv_links = footer_links(client.get("/sv/"))
    assert en_links[1] == ("Privacy and cookies", "/en/privacy/")
    assert sv_links[1] == ("Personuppgifter och kakor", "/sv/integritet/")
    assert client.get("/en/privacy/").status_code == 200
    assert client.get("/sv/integritet/").status_code == 200


def test_the_links_follow_the_settings_and_the_pages_state(client, seeded):
    statement = seeded.accessibility_page.specific
    about = StandardPage.objects.get(slug_sv="om-flemingsberg")
    client.get("/sv/")
    seeded.accessibility_page = about
    seeded.save()
    assert footer_links(client.get("/sv/"))[0] == (
        "Tillgänglighetsredogörelse",
        "/sv/om-flemingsberg/",
    )
    seeded.accessibility_page = statement
    seeded.save()
    assert len(footer_links(client.get("/sv/"))) == 2
    # An unpublished page is not linked; with neither page there is no link section.
    statement.unpublish()
    assert [label for label, _ in footer_links(client.get("/en/"))] == ["Privacy and cookies"]
    seeded.privacy_page = None
    seeded.save()
    assert soup(client.get("/en/")).select_one("footer nav") is None
    assert client.get("/en/").status_code == 200


def test_the_settings_offer_both_page_choosers_to_editors(admin_client, seeded):
    site = Site.objects.get()
    response = admin_client.get(f"/admin/settings/portal/portalsettings/{site.pk}/")
    assert response.status_code == 200
    form = soup(response)
    assert form.select_one('input[name="accessibility_page"]')["value"] == str(
        seeded.accessibility_page_id
    )
    assert form.select_one('input[name="privacy_page"]')["value"] == str(seeded.privacy_page_id)


# No cookie for readers ---------------------------------------------------------------


def test_an_anonymous_reader_gets_no_cookie_anywhere(seeded):
    reader = Client()
    for what, url in reader_addresses():
        for attempt in ("first", "again"):  # rendered, then (where cacheable) from the cache
            response = reader.get(url)
            assert response.status_code in (200, 301, 302, 404), (what, url, response.status_code)
            assert not response.cookies, (what, url, attempt, response.cookies.output())
            assert "Set-Cookie" not in response.headers, (what, url, attempt)
        assert not reader.cookies, what
    assert reader.get("/sv/finns-inte/").status_code == 404


def test_an_editor_logging_in_does_get_a_cookie(seeded):
    """The same check sees the cookies of a login, so it can fail."""
    get_user_model().objects.create_superuser("redaktor", "r@example.org", "ett-långt-lösenord")
    editor = Client()
    form = editor.get("/admin/login/")
    assert "csrftoken" in form.cookies
    response = editor.post(
        "/admin/login/", {"username": "redaktor", "password": "ett-långt-lösenord"}
    )
    assert response.status_code == 302
    assert "sessionid" in response.cookies
    assert "Set-Cookie" in str(response.cookies.output())


def test_a_password_protected_page_sets_the_cookies_the_privacy_page_describes(seeded):
    """The privacy page says a protected page's password form sets a cookie."""
    about = StandardPage.objects.get(slug_sv="om-flemingsberg")
    PageViewRestriction.objects.create(
        page=about, restriction_type=PageViewRestriction.PASSWORD, password="hemligt"
    )
    reader = Client()
    response = reader.get(about.get_url_in("sv"))
    assert response.status_code == 200
    assert "csrftoken" in response.cookies
