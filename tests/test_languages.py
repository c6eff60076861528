"""Pages live under /sv/ and /en/ with their own slugs; switcher, hreflang, fallback."""

import pytest
from bs4 import BeautifulSoup

from tests.factories.home import StandardPageFactory

pytestmark = pytest.mark.django_db


def soup(response):
    return BeautifulSoup(response.content.decode(), "html.parser")


@pytest.fixture
def about(home_page):
    return StandardPageFactory(
        parent=home_page,
        title_sv="Om oss",
        title_en="About us",
        slug_sv="om-oss",
        slug_en="about-us",
        show_in_menus=True,
    )


@pytest.fixture
def swedish_only(home_page):
    return StandardPageFactory(
        parent=home_page, title_sv="Bara svenska", title_en="", slug_sv="bara-svenska"
    )


def test_each_language_routes_with_its_own_slug(client, about):
    sv = client.get("/sv/om-oss/")
    en = client.get("/en/about-us/")
    assert sv.status_code == 200
    assert en.status_code == 200
    assert soup(sv).h1.get_text(strip=True) == "Om oss"
    assert soup(en).h1.get_text(strip=True) == "About us"
    assert soup(sv).html["lang"] == "sv"
    assert soup(en).html["lang"] == "en"
    # The other language's slug is not an alias.
    assert client.get("/sv/about-us/").status_code == 404
    assert client.get("/en/om-oss/").status_code == 404


def test_home_page_in_both_languages(client, home_page):
    sv = soup(client.get("/sv/"))
    en = soup(client.get("/en/"))
    assert sv.h1.get_text(strip=True) == "Välkommen till Flemingsberg"
    assert en.h1.get_text(strip=True) == "Welcome to Flemingsberg"
    # Interface text follows the language too.
    assert sv.find("a", class_="skip-link").get_text(strip=True) == "Hoppa till huvudinnehållet"
    assert en.find("a", class_="skip-link").get_text(strip=True) == "Skip to main content"


def test_language_switcher_lands_on_the_same_page(client, about):
    page = soup(client.get("/sv/om-oss/"))
    switch = page.select_one(".language-switcher a[hreflang=en]")
    assert switch["href"] == "/en/about-us/"
    target = client.get(switch["href"])
    assert target.status_code == 200
    back = soup(target).select_one(".language-switcher a[hreflang=sv]")
    assert back["href"] == "/sv/om-oss/"
    assert client.get(back["href"]).status_code == 200


def test_hreflang_alternates_and_canonical(client, about):
    page = soup(client.get("/en/about-us/"))
    alternates = {
        link["hreflang"]: link["href"] for link in page.select("link[rel=alternate][hreflang]")
    }
    assert alternates == {
        "sv": "http://testserver/sv/om-oss/",
        "en": "http://testserver/en/about-us/",
        "x-default": "http://testserver/sv/om-oss/",
    }
    assert page.select_one("link[rel=canonical]")["href"] == "http://testserver/en/about-us/"


def test_swedish_only_page_at_english_url_shows_notice_and_no_english_alternate(
    client, swedish_only
):
    response = client.get("/en/bara-svenska/")
    assert response.status_code == 200
    page = soup(response)
    assert page.html["lang"] == "en"
    assert page.h1.get_text(strip=True) == "Bara svenska"
    notice = page.select_one(".fallback-notice")
    assert notice.get_text(strip=True) == "This page is only available in Swedish."
    # The Swedish text is marked as Swedish for screen readers, and the English notice
    # inside it as English (read with an English voice).
    assert page.find("main")["lang"] == "sv"
    assert notice.find_parent("main") is page.find("main")
    assert notice["lang"] == "en"
    hreflangs = {link["hreflang"] for link in page.select("link[rel=alternate][hreflang]")}
    assert hreflangs == {"sv", "x-default"}
    assert page.select_one("link[rel=canonical]")["href"] == "http://testserver/sv/bara-svenska/"


def test_swedish_page_has_no_fallback_notice(client, swedish_only):
    page = soup(client.get("/sv/bara-svenska/"))
    assert page.select_one(".fallback-notice") is None
    assert page.find("main").get("lang") is None


def test_fallback_notice_is_translated(client, swedish_only, settings):
    # The Swedish wording exists in the catalogue (shown e.g. in the sv admin preview).
    from django.utils import translation

    with translation.override("sv"):
        assert (
            translation.gettext("This page is only available in Swedish.")
            == "Den här sidan finns bara på svenska."
        )


@pytest.mark.parametrize(
    "accept, expected",
    [
        ("en-GB,en;q=0.9", "/en/"),
        ("sv-SE,sv;q=0.9,en;q=0.5", "/sv/"),
        ("de-DE,de;q=0.9", "/sv/"),
        ("", "/sv/"),
    ],
)
def test_root_redirects_by_accept_language(client, home_page, accept, expected):
    headers = {"HTTP_ACCEPT_LANGUAGE": accept} if accept else {}
    response = client.get("/", **headers)
    assert response.status_code == 302
    assert response["Location"] == expected


def test_header_navigation_uses_translated_titles(client, about):
    sv = soup(client.get("/sv/"))
    en = soup(client.get("/en/"))
    assert [a.get_text(strip=True) for a in sv.select(".site-nav a")] == ["Om oss"]
    assert [a["href"] for a in en.select(".site-nav a")] == ["/en/about-us/"]


def test_every_page_has_a_search_form(client, about):
    for url in ["/sv/", "/en/about-us/", "/sv/finns-inte/"]:
        page = soup(client.get(url))
        form = page.select_one("form[role=search]")
        assert form is not None, url
        assert form.select_one("input[name=q]") is not None
        assert form["action"] in ("/sv/sok/", "/en/search/")


@pytest.mark.parametrize(
    "path",
    [
        "/de/",
        "/de/nyheter/",
        "/fr/om-oss/",
        "/media/documents/",
        "/finns-inte/",
        "/documents/999999/",
    ],
)
def test_a_path_that_leads_nowhere_is_a_404_without_a_language_redirect(client, about, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "Location" not in response
    assert response["Content-Language"] == "sv"


@pytest.mark.parametrize(
    "path, accept, expected",
    [
        ("/om-oss/", "sv", "/sv/om-oss/"),
        ("/about-us/", "en", "/en/about-us/"),
        ("/sok/?q=pris", "sv", "/sv/sok/?q=pris"),
        ("/search/?q=pris", "en", "/en/search/?q=pris"),
        # The Swedish search page's former address, which then moves on to /sv/sok/?q=pris.
        ("/search/?q=pris", "sv", "/sv/search/?q=pris"),
    ],
)
def test_a_path_without_its_language_prefix_still_redirects(client, about, path, accept, expected):
    response = client.get(path, HTTP_ACCEPT_LANGUAGE=accept)
    assert response.status_code == 302
    assert response["Location"] == expected
    final = client.get(expected, follow=True)
    assert final.status_code == 200
    assert final.request["PATH_INFO"] in ("/sv/om-oss/", "/en/about-us/", "/sv/sok/", "/en/search/")
    assert final.request["QUERY_STRING"] == ("q=pris" if "pris" in path else "")
