"""Listings whose cost does not grow with the archive.

Every listing answers a first reader (page cache and fragments cold) with the same
number of queries at two sizes; the story index numbers its newest pages only and
goes on in an archive by year whose pages start from a story, so a deep page costs
what the first does; every story is reachable from the first page in both languages;
the award programme pages its winners by whole years. Small page sizes stand in for
the real ones, so that a few dozen stories make several pages and years.
"""

import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from awards.models import AwardPage
from home.models import HomeFeaturedItem
from portal.page_cache import new_generation
from stories.models import CultureProjectIndexPage, StoryIndexPage, StoryPage
from tests.factories.awards import AwardCategoryFactory, AwardPageFactory, AwardWinnerPageFactory
from tests.factories.base import ImageFactory
from tests.factories.stories import StoryIndexPageFactory, StoryPageFactory, TopicFactory
from tests.factories.timelines import CultureProjectIndexPageFactory, CultureProjectPageFactory

pytestmark = pytest.mark.django_db

PER_PAGE = 3
NUMBERED_PAGES = 2
WINNERS_PER_PAGE = 4
PROJECTS_PER_PAGE = 4


def soup(response):
    return BeautifulSoup(response.content.decode(), "html.parser")


@pytest.fixture
def small_pages(settings, monkeypatch):
    """Three stories a page, two numbered pages, four winners and four projects a page."""
    settings.PORTAL_STORIES_PER_PAGE = PER_PAGE
    monkeypatch.setattr(StoryIndexPage, "NUMBERED_PAGES", NUMBERED_PAGES)
    monkeypatch.setattr(AwardPage, "WINNERS_PER_PAGE", WINNERS_PER_PAGE)
    monkeypatch.setattr(CultureProjectIndexPage, "PROJECTS_PER_PAGE", PROJECTS_PER_PAGE)


@pytest.fixture
def first_reader(settings):
    """Pages rendered in full, fragments kept only within one request (see cold_queries)."""
    settings.PORTAL_PAGE_CACHE = False
    settings.PORTAL_FRAGMENT_CACHE = True


@pytest.fixture
def index(home_page):
    return StoryIndexPageFactory(parent=home_page)


@pytest.fixture
def topic():
    return TopicFactory(
        name_sv="Cellterapi", name_en="Cell therapy", slug_sv="cellterapi", slug_en="cell-therapy"
    )


def add_stories(index, count, topic=None, first=datetime.date(2019, 1, 5), step=45, image=None):
    """``count`` stories from ``first`` on, ``step`` days apart (several a year)."""
    return [
        StoryPageFactory(
            parent=index,
            date=first + datetime.timedelta(days=step * n),
            topics=[topic] if topic else [],
            hero_image=image,
        )
        for n in range(count)
    ]


def cold_queries(client, url):
    """Queries of ``url`` for the first reader after a publish: every cache cold."""
    response = client.get(url, follow=True)  # renditions are made once, on first view
    assert response.status_code == 200, url
    if response.redirect_chain:
        url = response.redirect_chain[-1][0]
    cache.clear()
    new_generation("test")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def links(page, selector):
    return [a["href"] for a in page.select(selector)]


def card_links(page):
    return links(page, ".story-list .card-title a")


def next_link(page, base):
    """The address of the next page of older stories, or None at the oldest."""
    for a in page.select(".pagination a[rel=next], .story-archive-older a[rel=next]"):
        href = a["href"]
        return href if href.startswith("/") else base + href
    return None


def walk_older(client, url, limit=100):
    """Every page from ``url`` on through "Next" and "Older stories": [(url, soup)]."""
    base = urlsplit(url).path
    pages = []
    while url and len(pages) < limit:
        response = client.get(url)
        assert response.status_code == 200, url
        page = soup(response)
        pages.append((url, page))
        url = next_link(page, base)
    assert len(pages) < limit, "the older links go round in circles"
    return pages


# --- the same queries with few and many -----------------------------------------


def listing_urls(index_url, topic_slug, award_url):
    return {
        "first page": index_url,
        "last numbered page": f"{index_url}?page={NUMBERED_PAGES}",
        "deep page (the archive)": f"{index_url}?page=1000",
        "oldest year": f"{index_url}?year=2019",
        "topic": f"{index_url}?topic={topic_slug}",
        "topic in a year": f"{index_url}?topic={topic_slug}&year=2019",
        "feed": f"{index_url}rss/",
        "award programme": award_url,
        "award programme, page 2": f"{award_url}?page=2",
        "award programme, one year": f"{award_url}?year=2020",
    }


def test_every_listing_costs_the_same_queries_with_few_and_many(
    client, home_page, index, topic, small_pages, first_reader
):
    image = ImageFactory()
    stories = add_stories(index, 14, topic, image=image)
    HomeFeaturedItem.objects.create(home=home_page, page=stories[0], sort_order=0)
    award = AwardPageFactory(parent=home_page)
    category = AwardCategoryFactory(programme=award, allows_several_winners=True)

    def add_winners(years, each):
        for year in years:
            for _ in range(each):
                AwardWinnerPageFactory(parent=award, category=category, year=year)

    add_winners(range(2020, 2024), 2)
    culture = CultureProjectIndexPageFactory(parent=home_page)

    def add_projects(count, ended):
        for n in range(count):
            CultureProjectPageFactory(
                parent=culture, hero_image=image, start_date=datetime.date(2010 + n % 10, 1, 1),
                end_date=datetime.date(2020, 1, 1) if ended else None,
            )  # fmt: skip

    add_projects(3, ended=False)
    add_projects(3, ended=True)
    # The newest story first: its related stories (sharing the topic) are all there are.
    story = StoryPage.objects.live().order_by("-date").first()
    urls = {}
    for language in ("sv", "en"):
        index_url = index.get_url_in(language)
        pages = listing_urls(index_url, getattr(topic, f"slug_{language}"),
                             award.get_url_in(language))  # fmt: skip
        pages["home"] = home_page.get_url_in(language)
        pages["culture index"] = culture.get_url_in(language)
        pages["culture index, page 2"] = culture.get_url_in(language) + "?page=2"
        pages["story"] = story.get_url_in(language)
        urls.update({(name, language): url for name, url in pages.items()})
    few = {key: cold_queries(client, url) for key, url in urls.items()}

    # Three times the stories over more years, three times the winners and projects.
    add_stories(index, 28, topic, first=datetime.date(2014, 1, 3), step=60, image=image)
    add_winners(range(2014, 2020), 2)
    add_winners(range(2020, 2024), 1)
    add_projects(9, ended=False)
    add_projects(9, ended=True)
    many = {key: cold_queries(client, url) for key, url in urls.items()}
    differences = {key: (few[key], many[key]) for key in few if few[key] != many[key]}
    assert not differences, differences


# --- the story index: numbered pages, then the archive by year ------------------


@pytest.mark.parametrize("language", ["sv", "en"])
def test_every_story_is_reachable_from_the_first_page(
    client, home_page, index, small_pages, language
):
    stories = add_stories(index, 17, step=70)  # January 2019 to January 2022
    StoryPageFactory(parent=index, title_en="", slug_sv="bara-svenska",
                     date=datetime.date(2020, 6, 1))  # fmt: skip
    draft = StoryPageFactory(parent=index, date=datetime.date(2020, 6, 2))
    draft.unpublish()
    expected = [
        story.get_url_in(language) for story in StoryPage.objects.live().order_by("-date", "-pk")
    ]
    assert len(expected) == len(stories) + 1

    pages = walk_older(client, index.get_url_in(language))
    seen = [href for _url, page in pages for href in card_links(page)]
    assert seen == expected
    assert draft.get_url_in(language) not in seen
    # Two numbered pages, then the archive a year at a time, newest first, over the
    # years of the stories the numbered pages leave out.
    queries = [parse_qs(urlsplit(url).query) for url, _page in pages]
    assert queries[:2] == [{}, {"page": ["2"]}]
    years = [int(query["year"][0]) for query in queries[2:]]
    assert years == sorted(years, reverse=True)
    rest = StoryPage.objects.live().order_by("-date", "-pk")[PER_PAGE * NUMBERED_PAGES :]
    assert set(years) == {story.date.year for story in rest} == {2020, 2019}


def test_archive_pages_in_both_languages(client, home_page, index, small_pages):
    add_stories(index, 12, first=datetime.date(2019, 1, 5), step=20)  # all in 2019
    sv = soup(client.get("/sv/nyheter/?year=2019"))
    assert sv.select_one(".story-archive-heading").get_text(strip=True) == "Nyheter från 2019"
    assert sv.select_one("meta[name=robots]")["content"] == "noindex, follow"
    assert [a.get_text(strip=True) for a in sv.select(".pagination a")] == [
        "Senaste nytt",
        "Äldre nyheter",
    ]
    en = soup(client.get("/en/news/?year=2019"))
    assert en.select_one(".story-archive-heading").get_text(strip=True) == "Stories from 2019"
    assert [a.get_text(strip=True) for a in en.select(".pagination a")] == [
        "Latest news",
        "Older stories",
    ]
    assert en.select_one(".pagination a")["href"] == "/en/news/"
    # The year navigation names the years with stories, and marks the one shown.
    archive = en.select_one("nav.story-archive")
    assert archive.h2.get_text(strip=True) == "Archive by year"
    assert [a.get_text(strip=True) for a in archive.select("a[aria-current]")] == ["2019"]
    assert sv.select_one("nav.story-archive h2").get_text(strip=True) == "Arkiv per år"


def test_newer_leads_back_the_way_older_came(client, home_page, index, small_pages):
    add_stories(index, 11, first=datetime.date(2019, 1, 5), step=20)  # all in 2019
    pages = walk_older(client, "/en/news/?year=2019")
    assert len(pages) == 4  # 3 + 3 + 3 + 2 stories
    newer = [card_links(page) for _url, page in pages]
    url, page = pages[-1]
    for expected in reversed(newer[:-1]):
        href = page.select_one(".pagination a[rel=prev]")["href"]
        page = soup(client.get("/en/news/" + href))
        assert card_links(page) == expected
    # Back at the newest stories of the year: the way on is to the latest news.
    assert page.select_one(".pagination a[rel=prev]") is None


def test_pages_past_the_numbered_ones_continue_in_the_archive(
    client, home_page, index, small_pages
):
    add_stories(index, 10)
    last = soup(client.get("/en/news/?page=2"))
    older = last.select_one(".story-archive-older a")
    assert older.get_text(strip=True) == "Older stories"
    # The deepest numbered page, its Next link and any page number past it lead to
    # the story after the last numbered one.
    oldest_shown = StoryPage.objects.live().order_by("-date", "-pk")[PER_PAGE * NUMBERED_PAGES - 1]
    expected = f"/en/news/?year={oldest_shown.date.year}&before={oldest_shown.pk}"
    assert older["href"] == expected
    for number in (3, 1000, 99999999999999999999):
        response = client.get(f"/en/news/?page={number}")
        assert response.status_code == 302
        assert response["Location"] == expected
    continued = soup(client.get(expected))
    assert card_links(continued)[0] == (
        StoryPage.objects.live().order_by("-date", "-pk")[PER_PAGE * NUMBERED_PAGES]
    ).get_url_in("en")
    # Page 1 has no such link; the numbered pages say how many there are.
    first = soup(client.get("/sv/nyheter/"))
    assert first.select_one(".story-archive-older") is None
    assert first.select_one(".pagination [aria-current]").get_text(strip=True) == "Sida 1 av 2"
    assert first.select_one(".pagination")["aria-label"] == "Sidnumrering"


def test_few_stories_keep_their_numbered_pages_and_404s(client, home_page, index, small_pages):
    add_stories(index, 4, first=datetime.date(2024, 3, 1))
    assert client.get("/sv/nyheter/?page=2").status_code == 200
    assert client.get("/sv/nyheter/?page=3").status_code == 404  # no archive to go on to
    page = soup(client.get("/sv/nyheter/?page=2"))
    assert page.select_one(".story-archive-older") is None
    assert [a.get_text(strip=True) for a in page.select("nav.story-archive a")] == ["2024"]


def test_the_archive_within_a_topic(client, home_page, index, topic, small_pages):
    in_topic = add_stories(index, 9, topic)
    add_stories(index, 9, first=datetime.date(2019, 1, 6))  # without the topic
    expected = [
        story.get_url_in("en")
        for story in sorted(in_topic, key=lambda story: (story.date, story.pk), reverse=True)
    ]
    pages = walk_older(client, "/en/news/?topic=cell-therapy")
    assert [href for _url, page in pages for href in card_links(page)] == expected
    for url, page in pages[1:]:
        assert parse_qs(urlsplit(url).query)["topic"] == ["cell-therapy"]
        assert page.h1.get_text(strip=True) == "News: Cell therapy"
    year_links = links(pages[0][1], "nav.story-archive a")
    assert all("topic=cell-therapy" in href for href in year_links)
    for href in year_links:
        assert client.get(href).status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        "year=abc",
        "year=20199",
        "year=0000",
        "year=1999",  # a well-formed year without stories
        "year=" + "9" * 5000,
        "year=2019&before=abc",
        "year=2019&after=-1",
        "year=2019&before=" + "9" * 40,
        "year=2019&before={other_year}",  # a story, but not of that year
        "year=2019&before={first}&after={first}",
        "year=2019&before={draft}",
        "topic=finns-inte&year=2019",
        "year=%00",
        "page=0",
        "page=-1",
    ],
)
def test_bad_archive_addresses_give_404_never_500(client, home_page, index, small_pages, query):
    stories = add_stories(index, 10)
    draft = StoryPageFactory(parent=index, date=datetime.date(2019, 6, 1))
    draft.unpublish()
    other_year = next(story for story in stories if story.date.year == 2020)
    query = query.format(other_year=other_year.pk, first=stories[0].pk, draft=draft.pk)
    assert client.get("/sv/nyheter/?" + query).status_code == 404


def test_topic_list_names_only_topics_with_listed_stories(client, home_page, index, topic):
    unused = TopicFactory(name_sv="Oanvänt", name_en="Unused")
    draft_only = TopicFactory(name_sv="Bara utkast", name_en="Drafts only")
    StoryPageFactory(parent=index, topics=[topic])
    StoryPageFactory(parent=index, topics=[draft_only]).unpublish()
    page = soup(client.get("/en/news/"))
    assert [a.get_text(strip=True) for a in page.select(".topic-filter a")] == [
        "All topics",
        "Cell therapy",
    ]
    assert unused.pk and draft_only.pk


# --- the award programme: pages of winners, newest year first ---------------------


@pytest.fixture
def programme(home_page):
    award = AwardPageFactory(parent=home_page)
    category = AwardCategoryFactory(programme=award, allows_several_winners=True)
    # 2025: 3 winners, 2024: 2, 2023: 1, 2022: 4 → four a page: [2025 ×3, 2024 ×1],
    # [2024 ×1, 2023, 2022 ×2], [2022 ×2].
    for year, count in WINNERS.items():
        for n in range(count):
            AwardWinnerPageFactory(
                parent=award, category=category, year=year, winner_name=f"W {year}-{n}",
                title_sv=f"Vinnare {year}-{n}", title_en=f"Winner {year}-{n}",
                slug_sv=f"vinnare-{year}-{n}", slug_en=f"winner-{year}-{n}",
            )  # fmt: skip
    return award


WINNERS = {2025: 3, 2024: 2, 2023: 1, 2022: 4}


def years_listed(page):
    return [h.get_text(strip=True) for h in page.select(".winner-year h3")]


def winners_listed(page):
    return [a.get_text(strip=True) for a in page.select(".winner-card .card-title a")]


def test_award_winners_are_paged_newest_year_first(client, programme, small_pages):
    url = programme.get_url_in("en")
    first = soup(client.get(url))
    assert years_listed(first) == ["2025", "2024"]
    assert len(winners_listed(first)) == WINNERS_PER_PAGE
    assert first.select_one(".pagination [aria-current]").get_text(strip=True) == "Page 1 of 3"
    # All years stay on offer, whatever the page.
    assert [a.get_text(strip=True) for a in first.select(".winner-filter-year a")] == [
        "All years", "2025", "2024", "2023", "2022",
    ]  # fmt: skip
    second = soup(client.get(url + first.select_one(".pagination a[rel=next]")["href"]))
    assert years_listed(second) == ["2024", "2023", "2022"]  # 2024 goes on from page 1
    assert second.select_one("meta[name=robots]")["content"] == "noindex, follow"
    third = soup(client.get(url + "?page=3"))
    assert years_listed(third) == ["2022"]
    seen = [title for page in (first, second, third) for title in winners_listed(page)]
    assert sorted(seen) == sorted(
        f"Winner {year}-{n}" for year, count in WINNERS.items() for n in range(count)
    )
    sv = soup(client.get(programme.get_url_in("sv") + "?page=2"))
    assert sv.select_one(".pagination [aria-current]").get_text(strip=True) == "Sida 2 av 3"
    assert sv.select_one(".pagination a[rel=prev]")["href"] == "?page=1"


def test_award_pages_keep_the_filter_and_refuse_pages_past_the_last(client, programme, small_pages):
    url = programme.get_url_in("en")
    assert years_listed(soup(client.get(url + "?year=2022"))) == ["2022"]
    assert client.get(url + "?page=abc").status_code == 200  # not a number: page 1
    for query in ("?page=4", "?page=0", "?page=-1", "?year=2022&page=2", "?page=" + "9" * 30):
        assert client.get(url + query).status_code == 404, query
    # With a category, pages hold that category's winners only.
    other = AwardCategoryFactory(programme=programme, slug_en="other", slug_sv="annan")
    AwardWinnerPageFactory(parent=programme, category=other, year=2021)
    page = soup(client.get(url + "?category=other"))
    assert years_listed(page) == ["2021"]
    assert page.select_one(".pagination") is None


# --- cultural projects: current ones, then past ones, a page at a time -------------


def test_culture_index_pages_run_from_current_to_past_projects(client, home_page, small_pages):
    culture = CultureProjectIndexPageFactory(parent=home_page)
    for n in range(5):  # ongoing, the latest start first: Current 4 … Current 0
        CultureProjectPageFactory(parent=culture, title_en=f"Current {n}", title_sv=f"Pågår {n}",
                                  start_date=datetime.date(2020 + n, 1, 1))  # fmt: skip
    for n in range(3):  # ended, the latest end first: Past 2 … Past 0
        CultureProjectPageFactory(parent=culture, title_en=f"Past {n}", title_sv=f"Slut {n}",
                                  start_date=datetime.date(2010, 1, 1),
                                  end_date=datetime.date(2011 + n, 1, 1))  # fmt: skip
    url = culture.get_url_in("en")

    def section(page, name):
        return [a.get_text(strip=True) for a in page.select(f".culture-projects-{name} h3 a")]

    first = soup(client.get(url))
    assert section(first, "current") == ["Current 4", "Current 3", "Current 2", "Current 1"]
    assert section(first, "past") == []
    assert first.select_one(".pagination [aria-current]").get_text(strip=True) == "Page 1 of 2"
    second = soup(client.get(url + first.select_one(".pagination a[rel=next]")["href"]))
    assert section(second, "current") == ["Current 0"]
    assert section(second, "past") == ["Past 2", "Past 1", "Past 0"]
    assert second.select_one("#past-projects-heading").get_text() == "Past projects"
    assert second.select_one("meta[name=robots]")["content"] == "noindex, follow"
    sv = soup(client.get(culture.get_url_in("sv") + "?page=2"))
    assert sv.select_one("#past-projects-heading").get_text() == "Avslutade projekt"
    assert sv.select_one(".pagination [aria-current]").get_text(strip=True) == "Sida 2 av 2"
    assert client.get(url + "?page=abc").status_code == 200
    for query in ("?page=3", "?page=0", "?page=" + "9" * 30):
        assert client.get(url + query).status_code == 404, query


# --- indexes -----------------------------------------------------------------------


def test_migrations_index_the_columns_listings_and_routing_read():
    with connection.cursor() as cursor:
        page_indexes = connection.introspection.get_constraints(cursor, "wagtailcore_page")
        story_indexes = connection.introspection.get_constraints(cursor, "stories_storypage")
        winner_indexes = connection.introspection.get_constraints(cursor, "awards_awardwinnerpage")
    columns = [c["columns"] for c in page_indexes.values() if c["index"]]
    assert ["url_path_sv"] in columns
    assert ["url_path_en"] in columns
    # On PostgreSQL it carries the id, live and first publication too; the menu has
    # an index of its own pages only.
    assert any(index[:2] == ["depth", "path"] for index in columns)
    assert page_indexes["portal_page_menu_idx"]["columns"][:2] == ["depth", "path"]
    assert story_indexes["stories_story_newest_idx"]["columns"] == ["date", "page_ptr_id"]
    assert winner_indexes["awards_winner_year_idx"]["columns"][:2] == ["year", "category_id"]
