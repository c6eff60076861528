"""Cold start: renditions exist before the first reader asks for a page, after
seed_demo, warm_site and an editor's publish."""

import pytest
from django.core.management import call_command
from wagtail.images import get_image_model
from wagtail.models import Site

from stories.models import StoryIndexPage
from tests.factories.base import ImageFactory
from tests.factories.stories import StoryPageFactory

pytestmark = pytest.mark.django_db


# Seeded pages without an image: About, the calendar (its one event is past, so it lists
# none), the accessibility statement, the privacy page.
TEXT_ONLY_PAGES = (
    "/om-flemingsberg/", "/about-flemingsberg/",
    "/kalendarium/", "/events/",
    "/tillganglighetsredogorelse/", "/accessibility-statement/",
    "/personuppgifter-och-kakor/", "/privacy-and-cookies/",
)  # fmt: skip


def renditions():
    return get_image_model().get_rendition_model().objects.count()


def live_urls():
    site = Site.objects.get(is_default_site=True)
    pages = site.root_page.get_descendants(inclusive=True).live().specific()
    return [page.get_url_in(language) for page in pages for language in ("sv", "en")]


@pytest.fixture
def rendered_in_full(settings):
    settings.PORTAL_PAGE_CACHE = False
    settings.PORTAL_FRAGMENT_CACHE = False


def test_after_seed_demo_the_first_readers_make_no_rendition(client, rendered_in_full):
    call_command("seed_demo")
    made = renditions()
    assert made > 20  # heroes, cards and share images in both languages' pages
    for url in live_urls():
        response = client.get(url)
        assert response.status_code == 200, url
        assert b"<img" in response.content or url.endswith(TEXT_ONLY_PAGES)
    assert renditions() == made


def test_warm_site_makes_what_readers_would(client, rendered_in_full):
    call_command("seed_demo", "--no-warm")
    call_command("warm_site")
    made = renditions()
    for url in live_urls():
        assert client.get(url).status_code == 200
    assert renditions() == made


def test_publishing_makes_the_renditions_of_the_page_its_index_and_home(
    client, rendered_in_full, django_capture_on_commit_callbacks
):
    call_command("seed_demo")
    index = StoryIndexPage.objects.get()
    story = StoryPageFactory(parent=index, live=False, slug_sv="ny-bild", slug_en="new-picture",
                             hero_image=ImageFactory(file__width=1600, file__height=900))  # fmt: skip
    before = renditions()
    with django_capture_on_commit_callbacks(execute=True):
        story.save_revision().publish()
    assert renditions() > before
    made = renditions()
    for url in ("/sv/nyheter/ny-bild/", "/en/news/new-picture/", "/sv/nyheter/", "/en/news/",
                "/sv/", "/en/"):  # fmt: skip
        response = client.get(url)
        assert response.status_code == 200, url
    assert "ny-bild" in client.get("/sv/nyheter/").content.decode()
    assert renditions() == made
