"""Stories: index ordering, topics, pagination, feeds, dates, SEO data, query counts."""

import datetime
import json

import feedparser
import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext

from home.models import HomeFeaturedItem
from stories.models import RelatedStory
from tests.factories.base import ImageFactory
from tests.factories.stories import StoryIndexPageFactory, StoryPageFactory, TopicFactory

pytestmark = pytest.mark.django_db


def soup(response):
    return BeautifulSoup(response.content.decode(), "html.parser")


@pytest.fixture
def index(home_page):
    return StoryIndexPageFactory(parent=home_page)


@pytest.fixture
def topic():
    return TopicFactory(
        name_sv="Cellterapi", name_en="Cell therapy", slug_sv="cellterapi", slug_en="cell-therapy"
    )


def test_index_lists_newest_first_in_both_languages(client, index):
    StoryPageFactory(
        parent=index, title_sv="Äldst", title_en="Oldest", date=datetime.date(2024, 1, 1)
    )
    StoryPageFactory(
        parent=index, title_sv="Nyast", title_en="Newest", date=datetime.date(2025, 6, 1)
    )
    StoryPageFactory(
        parent=index, title_sv="Mitten", title_en="Middle", date=datetime.date(2024, 6, 1)
    )
    sv = [a.get_text(strip=True) for a in soup(client.get("/sv/nyheter/")).select(".card-title a")]
    en = [a.get_text(strip=True) for a in soup(client.get("/en/news/")).select(".card-title a")]
    assert sv == ["Nyast", "Mitten", "Äldst"]
    assert en == ["Newest", "Middle", "Oldest"]


def test_dates_in_the_readers_language(client, index):
    StoryPageFactory(
        parent=index,
        title_sv="Jubileum",
        title_en="Anniversary",
        slug_sv="jubileum",
        slug_en="anniversary",
        date=datetime.date(1975, 11, 12),
    )
    sv = soup(client.get("/sv/nyheter/jubileum/"))
    en = soup(client.get("/en/news/anniversary/"))
    assert sv.select_one(".story-meta time").get_text() == "12 november 1975"
    assert en.select_one(".story-meta time").get_text() == "12 November 1975"
    assert sv.select_one(".story-meta time")["datetime"] == "1975-11-12"


def test_story_with_only_swedish_shows_fallback_at_english_url(client, index):
    StoryPageFactory(
        parent=index, title_sv="Bara på svenska", title_en="", slug_sv="bara-pa-svenska"
    )
    response = client.get("/en/news/bara-pa-svenska/")
    assert response.status_code == 200
    page = soup(response)
    assert page.h1.get_text(strip=True) == "Bara på svenska"
    assert (
        page.select_one(".fallback-notice").get_text(strip=True)
        == "This page is only available in Swedish."
    )
    assert "en" not in {link["hreflang"] for link in page.select("link[rel=alternate][hreflang]")}
    # In the English list it is marked as Swedish text.
    card = soup(client.get("/en/news/")).select_one(".card")
    assert card["lang"] == "sv"
    assert card.select_one(".card-language").get_text(strip=True) == "In Swedish"


def test_topic_filter(client, index, topic):
    StoryPageFactory(parent=index, title_sv="Om celler", title_en="About cells", topics=[topic])
    StoryPageFactory(parent=index, title_sv="Om annat", title_en="About something else")
    sv = soup(client.get("/sv/nyheter/?topic=cellterapi"))
    assert [a.get_text(strip=True) for a in sv.select(".card-title a")] == ["Om celler"]
    assert sv.h1.get_text(strip=True) == "Nyheter: Cellterapi"
    en = soup(client.get("/en/news/?topic=cell-therapy"))
    assert [a.get_text(strip=True) for a in en.select(".card-title a")] == ["About cells"]
    # The filter links in the page lead to working filtered lists.
    link = en.select_one(".topic-filter a[href*='topic=']")
    assert client.get(link["href"]).status_code == 200


@pytest.mark.parametrize("query", ["?topic=finns-inte", "?topic=" + "x" * 5000, "?topic=%00"])
def test_unknown_topic_is_404(client, index, query):
    assert client.get("/sv/nyheter/" + query).status_code == 404


def test_pagination_edges(client, index, settings):
    settings.PORTAL_STORIES_PER_PAGE = 2
    for n in range(5):
        StoryPageFactory(parent=index, date=datetime.date(2025, 1, 1) + datetime.timedelta(days=n))
    first = soup(client.get("/sv/nyheter/"))
    assert len(first.select(".card")) == 2
    assert first.select_one(".pagination [aria-current=page]").get_text(strip=True) == "Sida 1 av 3"
    last = client.get("/sv/nyheter/?page=3")
    assert last.status_code == 200
    assert len(soup(last).select(".card")) == 1
    assert soup(last).select_one("a[rel=prev]")["href"] == "?page=2"
    assert client.get("/sv/nyheter/?page=4").status_code == 404
    assert client.get("/sv/nyheter/?page=0").status_code == 404
    assert client.get("/sv/nyheter/?page=-1").status_code == 404
    assert client.get("/sv/nyheter/?page=abc").status_code == 200
    assert client.get("/en/news/?page=99999999999999999999").status_code == 404


def test_pagination_keeps_the_topic_filter(client, index, topic, settings):
    settings.PORTAL_STORIES_PER_PAGE = 1
    for _ in range(3):
        StoryPageFactory(parent=index, topics=[topic])
    page = soup(client.get("/en/news/?topic=cell-therapy"))
    next_link = page.select_one("a[rel=next]")["href"]
    assert next_link == "?topic=cell-therapy&page=2"
    assert client.get("/en/news/" + next_link).status_code == 200


@pytest.mark.parametrize(
    "language, index_path, title", [("sv", "/sv/nyheter/", "Nyheter"), ("en", "/en/news/", "News")]
)
def test_feed_per_language(client, index, language, index_path, title):
    StoryPageFactory(
        parent=index,
        title_sv="Svensk nyhet",
        title_en="English story",
        slug_sv="svensk",
        slug_en="english",
        date=datetime.date(2025, 1, 22),
    )
    StoryPageFactory(
        parent=index,
        title_sv="Endast svenska",
        title_en="",
        slug_sv="endast",
        date=datetime.date(2025, 2, 1),
    )
    page = soup(client.get(index_path))
    feed_link = page.select_one('link[rel=alternate][type="application/rss+xml"]')
    assert feed_link["href"] == f"{index_path}rss/"
    response = client.get(feed_link["href"])
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.feed.title == title
    assert feed.feed.language == language
    links = [entry.link for entry in feed.entries]
    if language == "sv":
        assert [e.title for e in feed.entries] == ["Endast svenska", "Svensk nyhet"]
        assert "http://testserver/sv/nyheter/svensk/" in links
    else:
        # Only stories with English text, linking to English pages.
        assert [e.title for e in feed.entries] == ["English story"]
        assert links == ["http://testserver/en/news/english/"]
    for link in links:
        assert client.get(link.replace("http://testserver", "")).status_code == 200


def test_story_seo_data(client, index):
    image = ImageFactory()
    StoryPageFactory(
        parent=index,
        title_sv="Symposium",
        title_en="Symposium EN",
        slug_sv="symposium",
        slug_en="symposium-en",
        hero_image=image,
        hero_alt_text_sv="Publik",
        hero_alt_text_en="Audience",
        organisation="NextGenNK",
        author_name="Carin Dahlberg",
        author_role_sv="vetenskaplig koordinator, NextGenNK",
        author_role_en="scientific coordinator, NextGenNK",
        date=datetime.date(2025, 1, 22),
    )
    for url, language, locale in [
        ("/sv/nyheter/symposium/", "sv", "sv_SE"),
        ("/en/news/symposium-en/", "en", "en_GB"),
    ]:
        page = soup(client.get(url))
        assert page.select_one("meta[name=description]")["content"].startswith(
            "Ingress:" if language == "sv" else "Lead:"
        )
        assert page.select_one("meta[property='og:title']")["content"] in (
            "Symposium",
            "Symposium EN",
        )
        assert page.select_one("meta[property='og:locale']")["content"] == locale
        assert page.select_one("meta[property='og:image']")["content"].startswith(
            "http://testserver/"
        )
        data = json.loads(page.select_one("script[type='application/ld+json']").string)
        assert data["@type"] == "NewsArticle"
        assert data["inLanguage"] == language
        assert data["datePublished"] == "2025-01-22"
        assert data["author"]["name"] == "Carin Dahlberg"
        author = page.select_one(".fact-author")
        assert author.dt.get_text(strip=True) == ("Text" if language == "sv" else "Written by")
        assert author.select_one(".byline").get_text(strip=True) == (
            "Carin Dahlberg, vetenskaplig koordinator, NextGenNK"
            if language == "sv"
            else "Carin Dahlberg, scientific coordinator, NextGenNK"
        )
        assert page.select_one(".story-hero img")["alt"] == (
            "Publik" if language == "sv" else "Audience"
        )


def test_related_stories_chosen_else_by_topic(client, index, topic):
    main = StoryPageFactory(
        parent=index,
        title_sv="Huvud",
        title_en="Main",
        slug_sv="huvud",
        slug_en="main",
        topics=[topic],
    )
    sibling = StoryPageFactory(parent=index, title_sv="Syskon", title_en="Sibling", topics=[topic])
    StoryPageFactory(parent=index, title_sv="Utan ämne", title_en="No topic")
    related = soup(client.get("/en/news/main/")).select(".related-stories .card-title a")
    assert [a.get_text(strip=True) for a in related] == ["Sibling"]
    chosen = StoryPageFactory(parent=index, title_sv="Vald", title_en="Chosen")
    RelatedStory.objects.create(page=main, story=chosen, sort_order=0)
    main.save_revision().publish()
    related = soup(client.get("/en/news/main/")).select(".related-stories .card-title a")
    assert [a.get_text(strip=True) for a in related] == ["Chosen"]
    assert sibling.live


def test_home_page_shows_featured_and_latest_stories(client, home_page, index, uncached):
    featured = StoryPageFactory(
        parent=index, title_sv="Utvald", title_en="Featured one", date=datetime.date(2020, 1, 1)
    )
    for n in range(4):
        StoryPageFactory(
            parent=index,
            title_sv=f"Ny {n}",
            title_en=f"New {n}",
            date=datetime.date(2025, 1, 1 + n),
        )
    HomeFeaturedItem.objects.create(home=home_page, page=featured, sort_order=0)
    page = soup(client.get("/en/"))
    assert [a.get_text(strip=True) for a in page.select(".featured .card-title a")] == [
        "Featured one"
    ]
    assert [a.get_text(strip=True) for a in page.select(".latest-stories .card-title a")] == [
        "New 3",
        "New 2",
        "New 1",
    ]
    assert page.select_one("#latest-heading").get_text() == "Latest news"
    assert page.select_one("#featured-heading").get_text() == "Featured"
    sv = soup(client.get("/sv/"))
    assert sv.select_one("#latest-heading").get_text() == "Senaste nytt"
    assert sv.select_one("#featured-heading").get_text() == "I fokus"


def _count_queries(client, url):
    client.get(url)  # warm-up: renditions and caches
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def _make_stories(index, count, topic):
    for _ in range(count):
        StoryPageFactory(parent=index, hero_image=ImageFactory(), topics=[topic])


@pytest.mark.parametrize("url", ["/sv/nyheter/", "/en/news/", "/en/"])
def test_index_query_count_does_not_grow_with_stories(
    client, index, topic, settings, url, uncached
):
    settings.PORTAL_STORIES_PER_PAGE = 50
    _make_stories(index, 5, topic)
    few = _count_queries(client, url)
    _make_stories(index, 45, topic)
    many = _count_queries(client, url)
    assert few == many, (few, many)


def test_story_page_query_count_does_not_grow_with_stories(client, index, topic, uncached):
    story = StoryPageFactory(
        parent=index, slug_en="the-story", hero_image=ImageFactory(), topics=[topic]
    )
    _make_stories(index, 5, topic)
    few = _count_queries(client, "/en/news/the-story/")
    _make_stories(index, 45, topic)
    many = _count_queries(client, "/en/news/the-story/")
    assert few == many, (few, many)
    assert story.live
