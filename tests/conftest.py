import time

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.utils import timezone, translation
from wagtail.models import Collection, Locale, Page, Site

from tests.factories.events import EventIndexPageFactory
from tests.factories.home import HomePageFactory


@pytest.fixture(autouse=True)
def _clean_state():
    # wagtail-modeltranslation caches site root paths per language.
    cache.clear()
    translation.activate("sv")
    yield
    cache.clear()
    translation.activate("sv")


@pytest.fixture
def uncached(settings):
    """Every request renders in full: no page cache, no fragments (query counts)."""
    settings.PORTAL_PAGE_CACHE = False
    settings.PORTAL_FRAGMENT_CACHE = False


def ensure_wagtail_baseline():
    """The rows Wagtail's migrations create: locale, root collection, root page, site.

    A transactional test (browser tests) empties every table when it ends; the next
    one starts from here instead of relying on the serialized snapshot being restored.
    """
    locale, _ = Locale.objects.get_or_create(language_code="sv")
    if not Collection.objects.exists():
        Collection.add_root(name="Root")
    root = Page.get_first_root_node()
    if root is None:
        root = Page.add_root(
            instance=Page(
                title="Root",
                slug="root",
                content_type=ContentType.objects.get_for_model(Page),
                locale=locale,
            )
        )
    return root


@pytest.fixture
def home_page(db):
    """A HomePage as root of the default site, in both languages."""
    root = ensure_wagtail_baseline()
    # Start from Wagtail's root alone: the fresh-site home page the migrations made
    # (and with it its Site and settings) gives way to the test's own.
    for page in root.get_children():
        page.delete()
    home = HomePageFactory(parent=root)
    Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)
    return home


class Clock:
    """The current time as the site sees it: Django's ``timezone.now`` and ``time.time``
    (which the caches read), set by the test."""

    def __init__(self):
        self.now = None

    def set(self, moment):
        self.now = moment


@pytest.fixture
def clock(monkeypatch):
    fake = Clock()
    real_now, real_time = timezone.now, time.time
    monkeypatch.setattr(timezone, "now", lambda: fake.now or real_now())
    monkeypatch.setattr(time, "time", lambda: fake.now.timestamp() if fake.now else real_time())
    return fake


@pytest.fixture
def calendar(home_page):
    """The event calendar ("Kalendarium" / "Events") under the home page."""
    return EventIndexPageFactory(parent=home_page)
