"""Query discipline: a page rendered past the page cache (an editor, an address not yet
cached) costs at most 12 SQL queries once its fragments are cached, for every page type
in both languages, and the same number with a few items as with many. The admin's
listing of the stories likewise stays constant."""

import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Site

from awards.models import AwardPage
from stories.models import CultureProjectIndexPage, StoryIndexPage, TimelinePage
from tests.factories.awards import AwardWinnerPageFactory
from tests.factories.base import ImageFactory
from tests.factories.stories import StoryPageFactory, TopicFactory
from tests.factories.timelines import CultureProjectPageFactory, MilestoneFactory

pytestmark = pytest.mark.django_db

BUDGET = 12


def queries_for(client, url):
    client.get(url)  # fills the fragments (and makes image renditions once)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    assert response.headers.get("X-Portal-Cache") is None  # rendered, not a cached copy
    return len(queries)


def every_page_url():
    site = Site.objects.get(is_default_site=True)
    pages = site.root_page.get_descendants(inclusive=True).live().specific()
    return {
        (type(page).__name__, language): page.get_url_in(language)
        for page in pages
        for language in ("sv", "en")
    }


def add_volume(count):
    """``count`` more stories, milestones, award winners and culture projects."""
    image = ImageFactory(file__width=80, file__height=60)
    topic = TopicFactory()
    index = StoryIndexPage.objects.get()
    for _ in range(count):
        StoryPageFactory(parent=index, hero_image=image, topics=[topic])
    timeline = TimelinePage.objects.first()
    for number in range(count):
        MilestoneFactory(page=timeline, date=datetime.date(1990, 1, 1) + datetime.timedelta(number))
    award = AwardPage.objects.first()
    category = award.categories.first()
    for number in range(count):
        AwardWinnerPageFactory(
            parent=award, category=category, year=2000 + number, listing_image=image,
            slug_sv=f"vinnare-{number}", slug_en=f"winner-{number}",
        )  # fmt: skip
    culture = CultureProjectIndexPage.objects.get()
    for number in range(count):
        CultureProjectPageFactory(parent=culture, hero_image=image,
                                  slug_sv=f"projekt-{number}", slug_en=f"project-{number}")  # fmt: skip


@pytest.fixture
def past_the_page_cache(settings):
    settings.PORTAL_PAGE_CACHE = False
    settings.PORTAL_FRAGMENT_CACHE = True


def test_every_page_type_within_budget_and_constant_with_volume(client, past_the_page_cache):
    call_command("seed_demo")
    few = {key: queries_for(client, url) for key, url in every_page_url().items()}
    assert {page_type for page_type, _ in few} >= {
        "HomePage", "StandardPage", "StoryIndexPage", "StoryPage", "TimelinePage",
        "AwardPage", "AwardWinnerPage", "CultureProjectIndexPage", "CultureProjectPage",
    }  # fmt: skip
    add_volume(25)
    urls = every_page_url()
    many = {key: queries_for(client, urls[key]) for key in few}
    print("queries per page type (few → many):", {f"{t} {lang}": (few[t, lang], many[t, lang])
                                                   for t, lang in few})  # fmt: skip
    assert all(count <= BUDGET for count in few.values()), few
    assert many == few


def test_admin_story_listing_is_constant(admin_client, past_the_page_cache):
    call_command("seed_demo")
    index = StoryIndexPage.objects.get()
    url = f"/admin/pages/{index.pk}/"
    admin_client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert admin_client.get(url).status_code == 200
    add_volume(25)
    admin_client.get(url)
    with CaptureQueriesContext(connection) as many:
        response = admin_client.get(url)
    assert response.status_code == 200
    assert (
        "Story number" in response.content.decode() or "Nyhet nummer" in response.content.decode()
    )
    assert len(many) == len(few), (len(few), len(many))
