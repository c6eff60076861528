"""/sitemap.xml: an index of files of live pages per language, each with reciprocal
hreflang alternates and lastmod; robots.txt names the index."""

import math
import re
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction

from home.models import StandardPage
from portal.models import BasePage, SitemapBlock
from portal.sitemaps import has_translation_q, translated_content_type_ids
from tests.factories.awards import (
    AwardCategoryFactory,
    AwardPageFactory,
    AwardWinnerPageFactory,
)
from tests.factories.home import StandardPageFactory
from tests.factories.stories import StoryIndexPageFactory, StoryPageFactory
from tests.factories.timelines import (
    CultureProjectIndexPageFactory,
    CultureProjectPageFactory,
    TimelinePageFactory,
)

pytestmark = pytest.mark.django_db

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"
# W3C Datetime, as the sitemap protocol requires for <lastmod>.
W3C_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$")
FILE_ADDRESS = re.compile(r"^http://testserver/sitemap-pages-([1-9][0-9]*)\.xml$")


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


def parse_xml(response, tag):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{{{SITEMAP_NS}}}{tag}"
    return root


def parse_index(response):
    """[(file address, lastmod)], checking the protocol."""
    files = []
    for entry in parse_xml(response, "sitemapindex"):
        assert entry.tag == f"{{{SITEMAP_NS}}}sitemap"
        assert {child.tag for child in entry} == {
            f"{{{SITEMAP_NS}}}loc",
            f"{{{SITEMAP_NS}}}lastmod",
        }
        loc = entry.find(f"{{{SITEMAP_NS}}}loc").text
        lastmod = entry.find(f"{{{SITEMAP_NS}}}lastmod").text
        assert FILE_ADDRESS.match(loc), loc
        assert W3C_DATETIME.match(lastmod), lastmod
        files.append((loc, lastmod))
    assert len(files) <= 50_000
    assert len({loc for loc, _lastmod in files}) == len(files)
    return files


def parse_sitemap(response):
    """{loc: {"lastmod": str, "alternates": {hreflang: href}}} of one file, checking
    the protocol."""
    urls = {}
    for url in parse_xml(response, "urlset"):
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
        assert len(lastmods) == 1
        lastmod = lastmods[0].text
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


def read_sitemap(client):
    """{file address: {loc: ...}} of every file the index names, and the index."""
    index = parse_index(client.get("/sitemap.xml"))
    files = {loc: parse_sitemap(client.get(urlsplit(loc).path)) for loc, _lastmod in index}
    return files, index


def all_urls(client):
    """Every address of every file, checking that none is listed in two files."""
    files, _index = read_sitemap(client)
    urls = {}
    for file_urls in files.values():
        assert not set(file_urls) & set(urls), "an address in two files"
        urls.update(file_urls)
    return urls


def absolute(path):
    return f"http://testserver{path}"


def expected_urls(pages):
    """Each page at its address in every language it has its own text in."""
    return {
        absolute(page.specific.get_url_in(code))
        for page in pages
        for code in ("sv", "en")
        if page.specific.has_translation(code)
    }


def lastmod(page):
    return timezone.localtime(page.last_published_at).isoformat(timespec="seconds")


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
    standard(private, "hemlig", "Hemlig", "secret", "Secret")
    # An alias repeats another page: only the original is listed.
    site_pages["about"].create_alias(parent=site_pages["swedish_only"], update_slug="kopia")

    urls = all_urls(client)
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
    urls = all_urls(client)
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

    urls = all_urls(client)
    for loc, info in urls.items():
        page = BeautifulSoup(client.get(loc).content.decode(), "html.parser")
        head = {
            link["hreflang"]: link["href"] for link in page.select("link[rel=alternate][hreflang]")
        }
        assert head == info["alternates"], loc


def test_lastmod_is_the_last_publication(client, site_pages):
    urls = all_urls(client)
    about = site_pages["about"]
    assert urls["http://testserver/sv/om-oss/"]["lastmod"] == lastmod(about)
    assert urls["http://testserver/en/about-us/"]["lastmod"] == lastmod(about)
    about.save_revision().publish()
    about.refresh_from_db()
    urls = all_urls(client)
    assert urls["http://testserver/en/about-us/"]["lastmod"] == lastmod(about)


@pytest.fixture
def many_pages(settings, site_pages):
    """Five addresses per file at most, and 36 more pages: every fourth Swedish only."""
    settings.PORTAL_SITEMAP_LIMIT = 5
    home = site_pages["home"]
    for number in range(36):
        english = number % 4 != 0
        standard(
            home,
            f"sida-{number}",
            f"Sida {number}",
            f"page-{number}" if english else None,
            f"Page {number}" if english else None,
        )
    private = standard(home, "intern", "Intern", "internal", "Internal")
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="x")
    listed = [page for page in Page.objects.live().public().filter(alias_of__isnull=True)
              if page.depth > 1]  # fmt: skip
    return listed


def test_the_index_names_files_of_at_most_the_limit_that_list_every_address_once(
    client, many_pages
):
    files, index = read_sitemap(client)
    # Five addresses at most: two pages (four addresses) per file, each page in the
    # file of its block of ids; every block with a listed page has a file.
    blocks = {(page.pk - 1) // 2 + 1 for page in many_pages}
    assert [int(FILE_ADDRESS.match(loc).group(1)) for loc, _lastmod in index] == sorted(blocks)
    assert math.ceil(len(many_pages) / 2) <= len(index) <= math.ceil(len(many_pages) / 2) + 1
    assert all(0 < len(urls) <= 5 for urls in files.values())

    urls = all_urls(client)
    assert set(urls) == expected_urls(many_pages)
    assert "http://testserver/sv/intern/" not in urls
    assert "http://testserver/sv/sida-0/" in urls and "http://testserver/en/sida-0/" not in urls
    assert urls["http://testserver/en/page-1/"]["alternates"] == {
        "sv": "http://testserver/sv/sida-1/",
        "en": "http://testserver/en/page-1/",
        "x-default": "http://testserver/sv/sida-1/",
    }
    # Each file's lastmod in the index is the newest lastmod in the file.
    for loc, newest in index:
        assert newest == max(info["lastmod"] for info in files[loc].values())


def test_query_count_of_a_file_and_the_index_does_not_grow_with_pages(
    client, settings, home_page, uncached
):
    settings.PORTAL_SITEMAP_LIMIT = 6
    home_page.save_revision().publish()

    def queries_with(count, prefix):
        for number in range(count):
            standard(home_page, f"{prefix}-{number}", f"Sida {prefix} {number}",
                     f"{prefix}-en-{number}", f"Page {prefix} {number}")  # fmt: skip
        index = parse_index(client.get("/sitemap.xml"))
        middle = urlsplit(index[len(index) // 2][0]).path
        client.get(middle)
        with CaptureQueriesContext(connection) as index_queries:
            parse_index(client.get("/sitemap.xml"))
        with CaptureQueriesContext(connection) as file_queries:
            assert 0 < len(parse_sitemap(client.get(middle))) <= 6
        return len(index), len(index_queries), len(file_queries)

    few_files, few_index, few_file = queries_with(6, "fa")
    many_files, many_index, many_file = queries_with(60, "manga")
    assert many_files > few_files + 15
    assert (few_index, few_file) == (many_index, many_file)
    # The site, the privacy rules and the site's root page (without the page cache),
    # then one query.
    assert few_index <= 4 and few_file <= 4


def test_index_and_files_are_kept_with_the_page_cache(client, settings, many_pages):
    settings.PORTAL_PAGE_CACHE = False  # the sitemap's own cache alone
    _files, index = read_sitemap(client)
    paths = ["/sitemap.xml", urlsplit(index[0][0]).path, urlsplit(index[-1][0]).path]
    for path in paths:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        assert len(queries) == 0, path


def test_a_publication_reaches_its_file_in_both_languages_on_the_next_request(
    client, many_pages, site_pages
):
    before, index = read_sitemap(client)
    page = standard(site_pages["about"], "ny-sida", "Ny sida", "new-page", "New page")
    number = (page.pk - 1) // 2 + 1
    after, new_index = read_sitemap(client)
    address = f"http://testserver/sitemap-pages-{number}.xml"
    assert (address, lastmod(page)) in new_index
    assert set(after[address]) - set(before.get(address, {})) == {
        "http://testserver/sv/om-oss/ny-sida/",
        "http://testserver/en/about-us/new-page/",
    }
    assert after[address]["http://testserver/en/about-us/new-page/"]["alternates"] == {
        "sv": "http://testserver/sv/om-oss/ny-sida/",
        "en": "http://testserver/en/about-us/new-page/",
        "x-default": "http://testserver/sv/om-oss/ny-sida/",
    }
    # The other files are as they were.
    assert {loc: urls for loc, urls in after.items() if loc != address} == {
        loc: urls for loc, urls in before.items() if loc != address
    }
    page.unpublish()
    assert "http://testserver/sv/om-oss/ny-sida/" not in all_urls(client)


def expected_index(per_file=2):
    """The index worked out from every page, as the stored rows must give it:
    [(file address, newest lastmod)] of each block of ids with a listed page."""
    listed = Page.objects.live().public().filter(alias_of__isnull=True, depth__gt=1)
    newest = {}
    for page in listed:
        number = (page.pk - 1) // per_file + 1
        newest[number] = max(newest.get(number, page.last_published_at), page.last_published_at)
    return [
        (f"http://testserver/sitemap-pages-{number}.xml", lastmod_of(moment))
        for number, moment in sorted(newest.items())
    ]


def lastmod_of(moment):
    return timezone.localtime(moment).isoformat(timespec="seconds")


def block_of(page):
    return (page.pk - 1) // 2 + 1


def test_the_index_reads_a_stored_row_per_file_and_each_change_renews_its_block(
    client, settings, many_pages
):
    settings.PORTAL_PAGE_CACHE = False  # every answer worked out, from the stored rows
    assert parse_index(client.get("/sitemap.xml")) == expected_index()
    last_block = (Page.objects.order_by("-pk").first().pk - 1) // 2 + 1
    assert SitemapBlock.objects.count() == last_block
    with CaptureQueriesContext(connection) as queries:
        assert parse_index(client.get("/sitemap.xml")) == expected_index()
    # No aggregate over the page table: the highest id, then the stored rows.
    assert not [query for query in queries if "GROUP BY" in query["sql"]]

    # Republishing an old page renews its block alone: its file's lastmod moves on.
    oldest = min(many_pages, key=lambda page: page.pk).specific
    oldest.save_revision().publish()
    oldest.refresh_from_db()
    assert not SitemapBlock.objects.filter(number=block_of(oldest)).exists()
    assert SitemapBlock.objects.count() == last_block - 1
    index = parse_index(client.get("/sitemap.xml"))
    assert (f"http://testserver/sitemap-pages-{block_of(oldest)}.xml", lastmod(oldest)) in index
    assert index == expected_index()

    # Unpublished, deleted, moved under a private page: out of the index, as out of
    # the files.
    gone = [page for page in many_pages if page.depth > 2][:3]
    gone[0].specific.unpublish()
    Page.objects.get(pk=gone[1].pk).delete()
    private = Page.objects.get(slug="intern")
    Page.objects.get(pk=gone[2].pk).move(private, pos="last-child")
    assert parse_index(client.get("/sitemap.xml")) == expected_index()
    urls = all_urls(client)
    for page in gone:
        assert absolute(f"/sv/{page.slug_sv}/") not in urls

    # The privacy rule lifted: the moved page is listed again, in its block's file.
    PageViewRestriction.objects.filter(page=private).delete()
    assert parse_index(client.get("/sitemap.xml")) == expected_index()
    assert absolute(f"/sv/intern/{gone[2].slug_sv}/") in all_urls(client)


def test_another_file_size_works_the_index_out_again(client, settings, many_pages):
    settings.PORTAL_PAGE_CACHE = False
    assert parse_index(client.get("/sitemap.xml")) == expected_index()
    settings.PORTAL_SITEMAP_LIMIT = 9  # four pages a file
    assert parse_index(client.get("/sitemap.xml")) == expected_index(per_file=4)


def test_generated_volume_reaches_the_index(client, settings, home_page):
    """seed_volume writes pages without signals: the index still names their files."""
    from django.core.management import call_command

    from tests.conftest import ensure_wagtail_baseline

    ensure_wagtail_baseline()
    call_command("seed_demo", "--no-warm", stdout=open("/dev/null", "w"))  # noqa: SIM115
    settings.PORTAL_SITEMAP_LIMIT = 20
    before = parse_index(client.get("/sitemap.xml"))
    call_command("seed_volume", "--pages", "60", stdout=open("/dev/null", "w"))  # noqa: SIM115
    after = parse_index(client.get("/sitemap.xml"))
    assert after == expected_index(per_file=10)
    assert len(after) > len(before)


@pytest.mark.parametrize(
    "number",
    [
        "0",
        "00",
        "01",
        "-1",
        "abc",
        "1e3",
        "1.0",
        " 1",
        "%C3%A5",
        "",
        "999999999",
        "2147483648",
        "99999999999999999999",
    ],  # fmt: skip
)
def test_a_file_that_does_not_exist_is_404(client, many_pages, number):
    assert client.get(f"/sitemap-pages-{number}.xml").status_code == 404


def test_a_file_past_the_last_or_of_private_pages_only_is_404(client, many_pages):
    _files, index = read_sitemap(client)
    last = int(FILE_ADDRESS.match(index[-1][0]).group(1))
    assert client.get(f"/sitemap-pages-{last + 1}.xml").status_code == 404
    numbers = {int(FILE_ADDRESS.match(loc).group(1)) for loc, _lastmod in index}
    for page in many_pages:
        if (page.pk - 1) // 2 + 1 == last:
            PageViewRestriction.objects.create(page=page, restriction_type="password", password="x")
    assert client.get(f"/sitemap-pages-{last}.xml").status_code == 404
    _files, index = read_sitemap(client)
    assert {int(FILE_ADDRESS.match(loc).group(1)) for loc, _lastmod in index} == numbers - {last}


def test_robots_txt_names_the_index(client, site_pages):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    lines = response.content.decode().splitlines()
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    sitemap_url = next(line for line in lines if line.startswith("Sitemap:")).split(" ", 1)[1]
    files = parse_index(client.get(urlsplit(sitemap_url).path))
    assert files
    for loc, _lastmod in files:
        assert parse_sitemap(client.get(urlsplit(loc).path))


def test_addresses_come_from_the_site_address_not_the_host(client, settings, site_pages):
    settings.WAGTAILADMIN_BASE_URL = "https://portal.example"
    settings.ALLOWED_HOSTS = ["portal.example", "alias.example", "testserver"]
    response = client.get("/sitemap.xml", HTTP_HOST="alias.example")
    assert "alias.example" not in response.content.decode()
    # Files are numbered by blocks of page ids, so the first one need not be number 1.
    locations = re.findall(r"<loc>([^<]+)</loc>", response.content.decode())
    assert locations and all(loc.startswith("https://portal.example/") for loc in locations)
    files = [
        client.get(urlsplit(loc).path, HTTP_HOST="alias.example").content.decode()
        for loc in locations
    ]
    assert not any("alias.example" in file for file in files)
    file = "".join(files)
    assert "<loc>https://portal.example/en/about-us/</loc>" in file


def test_sitemap_is_not_under_a_language_prefix(client, site_pages):
    index = client.get("/sitemap.xml")
    assert index.status_code == 200
    first = urlsplit(parse_index(index)[0][0]).path
    assert client.get(first).status_code == 200
    assert client.get("/sv/sitemap.xml").status_code == 404
    assert client.get(f"/sv{first}").status_code == 404


def every_page_type(home_page, title_en):
    """A page of each page type with a factory, with ``title_en`` as its English title."""

    def translated(**kwargs):
        english = {"title_en": title_en, "slug_en": "x" + kwargs["slug_sv"] if title_en else None}
        return {**kwargs, **english}

    news = StoryIndexPageFactory(parent=home_page, **translated(slug_sv=f"n{len(title_en or '')}"))
    award = AwardPageFactory(parent=home_page, **translated(slug_sv=f"p{len(title_en or '')}"))
    projects = CultureProjectIndexPageFactory(
        parent=home_page, **translated(slug_sv=f"k{len(title_en or '')}")
    )
    return [
        news,
        award,
        projects,
        StandardPageFactory(parent=home_page, **translated(slug_sv="sida")),
        StoryPageFactory(parent=news, **translated(slug_sv="nyhet-åäö")),
        TimelinePageFactory(parent=home_page, **translated(slug_sv="tidslinje")),
        CultureProjectPageFactory(parent=projects, **translated(slug_sv="projekt")),
        AwardWinnerPageFactory(
            parent=award,
            category=AwardCategoryFactory(programme=award),
            **translated(slug_sv="vinnare"),
        ),  # fmt: skip
    ]


@pytest.mark.parametrize("title_en", ["Title", "", None])
def test_english_text_is_decided_as_has_translation_decides_it_for_every_page_type(
    client, home_page, title_en
):
    pages = [home_page, *every_page_type(home_page, title_en)]
    made = Page.objects.filter(pk__in=[page.pk for page in pages])
    made.update(last_published_at=timezone.now())
    if title_en == "":
        # Stored empty rather than NULL (a translation cleared in the admin).
        made.exclude(pk=home_page.pk).update(title_en="")
    # Every page type decides as BasePage does (none has a rule of its own), and every
    # one counts as translated by the condition.
    page_types = [model for model in apps.get_models() if issubclass(model, BasePage)]
    assert all(model.has_translation is BasePage.has_translation for model in page_types)
    assert set(translated_content_type_ids()) == {
        ContentType.objects.get_for_model(model).pk for model in page_types
    }
    # A page of none of the portal's types has no English of its own (as today).
    plain = home_page.add_child(
        instance=Page(
            title="Vanlig", slug="vanlig", title_en="Plain", last_published_at=timezone.now()
        )
    )
    translated = set(Page.objects.filter(has_translation_q("en")).values_list("pk", flat=True))
    for page in [*pages, plain]:
        specific = page.specific
        expected = isinstance(specific, BasePage) and specific.has_translation("en")
        assert (page.pk in translated) == expected, type(specific).__name__
    # The addresses are the pages' own, Swedish letters included.
    urls = all_urls(client)
    assert set(urls) == expected_urls(pages) | {absolute(plain.get_url())}
