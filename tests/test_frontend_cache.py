"""A cache in front of the site is purged on publish, at every language's address."""

import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from tests.factories.stories import StoryIndexPageFactory, StoryPageFactory


class PurgeRecorder(BaseHTTPRequestHandler):
    purged = []

    def do_PURGE(self):  # noqa: N802 - the HTTP method's name
        self.purged.append(f"{self.headers['Host']}{self.path}")
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def purge_server(settings):
    PurgeRecorder.purged = []
    server = HTTPServer(("127.0.0.1", 0), PurgeRecorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.WAGTAILFRONTENDCACHE = {
        "proxy": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": f"http://127.0.0.1:{server.server_address[1]}",
        }
    }
    yield PurgeRecorder.purged
    server.shutdown()


@pytest.mark.django_db
def test_publishing_purges_the_page_and_its_indexes_in_both_languages(home_page, purge_server):
    index = StoryIndexPageFactory(parent=home_page, title_sv="Nyheter", title_en="News",
                                  slug_sv="nyheter", slug_en="news")  # fmt: skip
    story = StoryPageFactory(parent=index, title_sv="Ny nyhet", title_en="Fresh story",
                             slug_sv="ny-nyhet", slug_en="fresh-story")  # fmt: skip
    purge_server.clear()
    story.title_en = "Fresh story, corrected"
    story.save_revision().publish()
    purged = set(purge_server)
    for address in (
        "testserver/sv/nyheter/ny-nyhet/",
        "testserver/en/news/fresh-story/",
        "testserver/sv/nyheter/",
        "testserver/en/news/",
        "testserver/sv/",
        "testserver/en/",
    ):
        assert address in purged, (address, sorted(purged))

    purge_server.clear()
    story.unpublish()
    assert {"testserver/sv/nyheter/ny-nyhet/", "testserver/en/news/fresh-story/"} <= set(
        purge_server
    )


@pytest.mark.django_db
def test_nothing_is_purged_without_a_configured_cache(home_page, purge_server, settings):
    settings.WAGTAILFRONTENDCACHE = {}
    index = StoryIndexPageFactory(parent=home_page)
    StoryPageFactory(parent=index).save_revision().publish()
    assert purge_server == []
