"""The page cache: anonymous readers get cached pages, kept apart per language and
address; editors never see or fill it; every content change reaches every page."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import PageViewRestriction

from portal import page_cache
from portal.models import PortalSettings
from tests.factories.stories import StoryIndexPageFactory, StoryPageFactory, TopicFactory

pytestmark = pytest.mark.django_db

REDIS = "redis://127.0.0.1:6379/15"


def soup(response):
    return BeautifulSoup(response.content.decode(), "html.parser")


def cache_state(response):
    return response.headers.get(page_cache.HEADER)


@pytest.fixture
def news(home_page):
    return StoryIndexPageFactory(parent=home_page)


@pytest.fixture
def story(news):
    return StoryPageFactory(
        parent=news, title_sv="Cellterapi i Flemingsberg", title_en="Cell therapy in Flemingsberg",
        slug_sv="cellterapi", slug_en="cell-therapy",
    )  # fmt: skip


def titles(client, url):
    return [h.get_text(strip=True) for h in soup(client.get(url)).select("h1, .card h2, .card h3")]


def test_second_anonymous_request_is_served_from_the_cache_in_each_language(client, story):
    for url, title in (
        ("/sv/nyheter/cellterapi/", "Cellterapi i Flemingsberg"),
        ("/en/news/cell-therapy/", "Cell therapy in Flemingsberg"),
    ):
        first = client.get(url)
        assert first.status_code == 200 and cache_state(first) == "miss"
        with CaptureQueriesContext(connection) as queries:
            second = client.get(url)
        assert cache_state(second) == "hit"
        assert len(queries) == 0
        assert second.content == first.content
        assert soup(second).h1.get_text(strip=True) == title
        assert "public" in second["Cache-Control"] and "s-maxage=300" in second["Cache-Control"]
        # The security headers are added to every answer, cached or not.
        assert second["Content-Security-Policy"] == first["Content-Security-Policy"]


def test_query_strings_are_cached_apart(client, news, story):
    client.get("/sv/nyheter/")
    assert cache_state(client.get("/sv/nyheter/?page=1")) == "miss"
    assert cache_state(client.get("/sv/nyheter/?page=1")) == "hit"


def test_an_editor_neither_sees_nor_fills_the_anonymous_cache(client, admin_client, story):
    url = "/sv/nyheter/cellterapi/"
    editor_view = admin_client.get(url)
    assert cache_state(editor_view) is None
    assert "private" in editor_view["Cache-Control"]
    assert b"wagtail-userbar" in editor_view.content
    reader_view = client.get(url)
    assert cache_state(reader_view) == "miss"  # the editor's visit stored nothing
    assert b"wagtail-userbar" not in reader_view.content
    assert cache_state(admin_client.get(url)) is None  # nor is the editor served the copy
    assert b"wagtail-userbar" not in client.get(url).content


@pytest.mark.parametrize(
    "url", ["/sv/sok/?q=cellterapi", "/healthz", "/sv/finns-inte/", "/admin/login/"]
)
def test_search_health_errors_and_the_admin_are_never_cached(client, story, url):
    client.get(url)
    assert cache_state(client.get(url)) != "hit"


def test_pages_behind_a_password_are_never_cached(client, story):
    PageViewRestriction.objects.create(
        page=story, restriction_type=PageViewRestriction.PASSWORD, password="hemligt"
    )
    for _ in range(2):
        response = client.get("/sv/nyheter/cellterapi/")
        assert cache_state(response) != "hit"
        assert "Cellterapi i Flemingsberg" not in soup(response).get_text()


def test_publishing_reaches_the_page_its_index_and_the_home_page_in_both_languages(client, story):
    urls = ["/sv/nyheter/cellterapi/", "/en/news/cell-therapy/", "/sv/nyheter/", "/en/news/",
            "/sv/", "/en/", "/sv/nyheter/rss/", "/sitemap.xml"]  # fmt: skip
    for url in urls:
        client.get(url)
    story.title_sv = "Cellterapi i Flemingsberg, rättad"
    story.title_en = "Cell therapy in Flemingsberg, corrected"
    story.save_revision().publish()
    assert soup(client.get(urls[0])).h1.get_text(strip=True) == "Cellterapi i Flemingsberg, rättad"
    assert "corrected" in soup(client.get(urls[1])).h1.get_text()
    assert "rättad" in client.get(urls[2]).content.decode()
    assert "corrected" in client.get(urls[3]).content.decode()
    assert "rättad" in client.get(urls[4]).content.decode()
    assert "corrected" in client.get(urls[5]).content.decode()
    assert "rättad" in client.get(urls[6]).content.decode()


def test_a_draft_or_autosave_leaves_the_cache_alone(client, story):
    url = "/sv/nyheter/cellterapi/"
    client.get(url)
    story.title_sv = "Ett utkast"
    story.save_revision()
    response = client.get(url)
    assert cache_state(response) == "hit"
    assert "Ett utkast" not in response.content.decode()


def test_unpublishing_moving_and_deleting_reach_readers(client, home_page, news, story):
    client.get("/sv/nyheter/cellterapi/")
    story.unpublish()
    assert client.get("/sv/nyheter/cellterapi/").status_code == 404
    story.save_revision().publish()
    archive = StoryIndexPageFactory(parent=home_page, title_sv="Arkiv", title_en="Archive",
                                    slug_sv="arkiv", slug_en="archive")  # fmt: skip
    client.get("/sv/nyheter/cellterapi/")
    client.get("/en/news/cell-therapy/")
    story.move(archive, pos="last-child")
    assert client.get("/sv/arkiv/cellterapi/").status_code == 200
    assert client.get("/en/archive/cell-therapy/").status_code == 200
    assert client.get("/sv/nyheter/cellterapi/").status_code != 200
    client.get("/sv/arkiv/")
    archive.get_children().first().delete()
    assert "Cellterapi" not in client.get("/sv/arkiv/").content.decode()


def test_a_slug_change_reaches_both_languages(client, story):
    client.get("/en/news/cell-therapy/")
    story.slug_en = "cell-therapies"
    story.save_revision().publish()
    assert client.get("/en/news/cell-therapies/").status_code == 200
    assert client.get("/en/news/cell-therapy/").status_code in (301, 302, 404)


def test_a_scheduled_publish_reaches_readers_when_it_goes_live(client, story):
    url = "/sv/nyheter/cellterapi/"
    client.get(url)
    story.title_sv = "Publiceras senare"
    revision = story.save_revision(approved_go_live_at=timezone.now() - datetime.timedelta(1))
    assert revision.approved_go_live_at is not None
    assert "Publiceras senare" not in client.get(url).content.decode()
    call_command("publish_scheduled")
    assert "Publiceras senare" in client.get(url).content.decode()


def test_snippet_setting_and_privacy_edits_reach_every_page(client, home_page, story):
    topic = TopicFactory(name_sv="Cellterapi", name_en="Cell therapy")
    story.topics.set([topic])
    story.save_revision().publish()
    url_sv, url_en = "/sv/nyheter/cellterapi/", "/en/news/cell-therapy/"
    client.get(url_sv), client.get(url_en)
    topic.name_sv, topic.name_en = "Cell- och genterapi", "Cell and gene therapy"
    topic.save()
    assert "Cell- och genterapi" in client.get(url_sv).content.decode()
    assert "Cell and gene therapy" in client.get(url_en).content.decode()

    settings_row = PortalSettings.for_site(home_page.get_site())
    settings_row.site_name_sv, settings_row.site_name_en = (
        "Flemingsbergsportalen",
        "Flemingsberg Portal",
    )
    settings_row.save()
    assert "Flemingsbergsportalen" in soup(client.get(url_sv)).title.get_text()
    assert "Flemingsberg Portal" in soup(client.get(url_en)).title.get_text()

    client.get(url_sv)
    PageViewRestriction.objects.create(page=story, restriction_type=PageViewRestriction.LOGIN)
    assert client.get(url_sv).status_code == 302  # to the login page, not the cached copy


def test_the_menu_follows_show_in_menus(client, home_page, news):
    client.get("/sv/")
    news.show_in_menus = True
    news.save_revision().publish()
    menu = soup(client.get("/sv/")).select(".site-nav a")
    assert "Nyheter" in [a.get_text(strip=True) for a in menu]
    news.show_in_menus = False
    news.save_revision().publish()
    menu = soup(client.get("/en/")).select(".site-nav a")
    assert "News" not in [a.get_text(strip=True) for a in menu]


def test_fragments_skip_rendering_on_a_miss_and_follow_changes(client, settings, story):
    settings.PORTAL_PAGE_CACHE = False
    url = "/sv/nyheter/cellterapi/"
    client.get(url)
    with CaptureQueriesContext(connection) as warm:
        client.get(url)
    settings.PORTAL_FRAGMENT_CACHE = False
    with CaptureQueriesContext(connection) as cold:
        client.get(url)
    assert len(warm) < len(cold)
    settings.PORTAL_FRAGMENT_CACHE = True
    story.title_sv = "Ny rubrik"
    story.save_revision().publish()
    assert soup(client.get(url)).h1.get_text(strip=True) == "Ny rubrik"


def test_another_process_learns_of_a_change_through_the_generation_file(client, story):
    url = "/sv/nyheter/cellterapi/"
    client.get(url)
    assert cache_state(client.get(url)) == "hit"
    # What a second worker or a management command does: a new token in the file.
    page_cache._write_generation_file("from-another-process")
    assert cache_state(client.get(url)) == "miss"


def redis_settings(location):
    """The production settings' cache for REDIS_URL=location."""
    import importlib
    import os
    from unittest import mock

    import portal.settings.base as base

    with mock.patch.dict(os.environ, {"REDIS_URL": location}):
        try:
            return importlib.reload(base).CACHES
        finally:
            os.environ.pop("REDIS_URL")
            importlib.reload(base)


@pytest.fixture
def redis_cache(settings):
    settings.CACHES = redis_settings(REDIS)
    cache.clear()
    yield cache
    cache.clear()


def test_with_redis_the_cache_and_its_generation_are_shared(client, story, redis_cache):
    import redis

    url = "/en/news/cell-therapy/"
    client.get(url)
    assert cache_state(client.get(url)) == "hit"
    server = redis.Redis.from_url(REDIS)
    assert any(b"portal:page:en:" in key for key in server.keys("*"))
    story.title_en = "Shared everywhere"
    story.save_revision().publish()
    assert soup(client.get(url)).h1.get_text(strip=True) == "Shared everywhere"
    # A change made by another process (it wrote a new generation into Redis).
    client.get(url)
    redis_cache.set(page_cache.GENERATION_KEY, "elsewhere", None)
    assert cache_state(client.get(url)) == "miss"


def test_a_redis_that_is_down_does_not_take_the_site_with_it(client, story, settings):
    settings.CACHES = redis_settings("redis://127.0.0.1:1/0")
    for url, title in (
        ("/sv/nyheter/cellterapi/", "Cellterapi i Flemingsberg"),
        ("/en/news/cell-therapy/", "Cell therapy in Flemingsberg"),
    ):
        for _ in range(2):  # every request renders afresh: nothing is kept
            response = client.get(url)
            assert response.status_code == 200
            assert cache_state(response) == "miss"
            assert soup(response).h1.get_text(strip=True) == title


def test_image_and_document_edits_reach_the_pages_that_show_them(client, home_page, story):
    import json

    from django.core.files.base import ContentFile
    from wagtail.documents.models import Document

    from tests.factories.base import ImageFactory
    from tests.factories.home import StandardPageFactory

    image = ImageFactory(file__width=1600, file__height=900)
    story.hero_image = image
    story.save_revision().publish()
    document = Document.objects.create(
        title="Årsrapport 2025", file=ContentFile(b"%PDF-1.4 rapport", name="rapport.pdf")
    )
    block = json.dumps([{"type": "document", "value": {"document": document.pk, "title": ""}}])
    StandardPageFactory(parent=home_page, title_sv="Om oss", title_en="About us",
                        slug_sv="om-oss", slug_en="about-us", body_sv=block, body_en=block)  # fmt: skip

    def share_image(url):
        return soup(client.get(url)).find("meta", property="og:image")["content"]

    story_urls = ("/sv/nyheter/cellterapi/", "/en/news/cell-therapy/")
    before = {url: share_image(url) for url in story_urls}
    assert all(cache_state(client.get(url)) == "hit" for url in story_urls)
    # The editor moves the focal point: every crop of the image is cut anew.
    image.focal_point_x, image.focal_point_y = 1200, 450
    image.focal_point_width, image.focal_point_height = 200, 200
    image.save()
    for url in story_urls:
        assert share_image(url) != before[url], url

    page_urls = ("/sv/om-oss/", "/en/about-us/")
    for url in page_urls:
        assert "Årsrapport 2025" in soup(client.get(url)).select_one(".block-document").get_text()
        assert cache_state(client.get(url)) == "hit"
    document.title = "Årsrapport 2025 (reviderad)"
    document.save()
    for url in page_urls:
        assert "(reviderad)" in soup(client.get(url)).select_one(".block-document").get_text()
