"""/sitemap.xml: live pages per language with reciprocal hreflang alternates; robots.txt."""

import re
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from home.models import StandardPage

pytestmark = pytest.mark.django_db

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"
# W3C Datetime, as the sitemap protocol requires for <lastmod>.
W3C_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$")


def publish(parent, page):
    page.title = page.title_sv
    page.slug = page.slug_sv
    parent.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def standard(parent, slug_sv, title_sv, slug_en=None, title_en=None):
    return publish(
        parent,
        StandardPage(slug_sv=slug_sv, title_sv=title_sv, slug_en=slug_en, title_en=title_en),
    )


def parse_sitemap(response):
    """{loc: {"lastmod": str | None, "alternates": {hreflang: href}}}, checking the protocol."""
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{{{SITEMAP_NS}}}urlset"
    urls = {}
    for url in root:
        assert url.tag == f"{{{SITEMAP_NS}}}url"
        locs = url.findall(f"{{{SITEMAP_NS}}}loc")
        assert len(locs) == 1
        loc = locs[0].text
        parts = urlsplit(loc)
        assert parts.scheme in ("http", "https") and parts.netloc and len(loc) < 2048
        assert loc not in urls, f"{loc} listed twice"
        allowed = {f"{{{SITEMAP_NS}}}{name}" for name in ("loc", "lastmod", "changefreq")}
        allowed |= {f"{{{SITEMAP_NS}}}priority", f"{{{XHTML_NS}}}link"}
        assert {child.tag for child in url} <= allowed
        lastmods = url.findall(f"{{{SITEMAP_NS}}}lastmod")
        assert len(lastmods) <= 1
        lastmod = lastmods[0].text if lastmods else None
        if lastmod is not None:
            assert W3C_DATETIME.match(lastmod), lastmod
        alternates = {}
        for link in url.findall(f"{{{XHTML_NS}}}link"):
            assert link.get("rel") == "alternate"
            assert link.get("hreflang") not in alternates
            assert urlsplit(link.get("href")).netloc == parts.netloc
            alternates[link.get("hreflang")] = link.get("href")
        urls[loc] = {"lastmod": lastmod, "alternates": alternates}
    assert len(urls) <= 50_000
    return urls


@pytest.fixture
def site_pages(home_page):
    home_page.save_revision().publish()
    about = standard(home_page, "om-oss", "Om oss", "about-us", "About us")
    swedish_only = standard(home_page, "bara-svenska", "Bara svenska")
    child = standard(about, "historia", "Historia", "history", "History")
    return {"home": home_page, "about": about, "swedish_only": swedish_only, "child": child}


def test_every_live_page_is_listed_in_each_language_it_has(client, site_pages):
    draft = standard(site_pages["home"], "utkast", "Utkast", "draft", "Draft")
    draft.unpublish()
    private = standard(site_pages["home"], "intern", "Intern", "internal", "Internal")
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="x")

    urls = parse_sitemap(client.get("/sitemap.xml"))
    assert set(urls) == {
        "http://testserver/sv/",
        "http://testserver/en/",
        "http://testserver/sv/om-oss/",
        "http://testserver/en/about-us/",
        "http://testserver/sv/om-oss/historia/",
        "http://testserver/en/about-us/history/",
        # A Swedish-only page is not advertised at its English address.
        "http://testserver/sv/bara-svenska/",
    }
    for loc in urls:
        assert client.get(loc).status_code == 200, loc


def test_alternates_are_reciprocal_with_x_default(client, site_pages):
    urls = parse_sitemap(client.get("/sitemap.xml"))
    for loc, info in urls.items():
        alternates = info["alternates"]
        language = urlsplit(loc).path.split("/")[1]
        # Every URL names itself among its alternates, and x-default is the Swedish page.
        assert alternates[language] == loc
        assert alternates["x-default"] == alternates["sv"]
        for hreflang, href in alternates.items():
            if hreflang == "x-default":
                continue
            assert href in urls, f"{loc} → {href} is not listed"
            assert urls[href]["alternates"] == alternates
    assert urls["http://testserver/en/about-us/"]["alternates"] == {
        "sv": "http://testserver/sv/om-oss/",
        "en": "http://testserver/en/about-us/",
        "x-default": "http://testserver/sv/om-oss/",
    }
    assert urls["http://testserver/sv/bara-svenska/"]["alternates"] == {
        "sv": "http://testserver/sv/bara-svenska/",
        "x-default": "http://testserver/sv/bara-svenska/",
    }


def test_sitemap_alternates_match_the_page_heads(client, site_pages):
    from bs4 import BeautifulSoup

    urls = parse_sitemap(client.get("/sitemap.xml"))
    for loc, info in urls.items():
        page = BeautifulSoup(client.get(loc).content.decode(), "html.parser")
        head = {
            link["hreflang"]: link["href"] for link in page.select("link[rel=alternate][hreflang]")
        }
        assert head == info["alternates"], loc


def test_lastmod_is_the_last_publication(client, site_pages):
    urls = parse_sitemap(client.get("/sitemap.xml"))
    about = site_pages["about"]
    expected = about.last_published_at.astimezone().date().isoformat()
    assert urls["http://testserver/sv/om-oss/"]["lastmod"] == expected
    assert urls["http://testserver/en/about-us/"]["lastmod"] == expected
    assert all(info["lastmod"] for info in urls.values())


def test_query_count_does_not_grow_with_pages(client, home_page, uncached):
    home_page.save_revision().publish()

    def queries_with(count, prefix):
        for number in range(count):
            standard(home_page, f"{prefix}-{number}", f"Sida {prefix} {number}")
        client.get("/sitemap.xml")
        with CaptureQueriesContext(connection) as context:
            response = client.get("/sitemap.xml")
        assert response.status_code == 200
        return len(context)

    assert queries_with(3, "fa") == queries_with(30, "manga")


def test_robots_txt_points_at_the_sitemap(client, site_pages):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    lines = response.content.decode().splitlines()
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    sitemap_url = next(line for line in lines if line.startswith("Sitemap:")).split(" ", 1)[1]
    assert parse_sitemap(client.get(urlsplit(sitemap_url).path))


def test_sitemap_is_not_under_a_language_prefix(client, site_pages):
    assert client.get("/sitemap.xml").status_code == 200
    assert client.get("/sv/sitemap.xml").status_code == 404
    assert client.get("/sitemap.xml?p=abc").status_code == 404
    assert client.get("/sitemap.xml?p=99").status_code == 404
