import pytest
from django.core.cache import cache
from django.utils import translation
from wagtail.models import Page, Site

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
def home_page(db):
    """A HomePage as root of the default site, in both languages."""
    root = Page.get_first_root_node()
    home = HomePageFactory(parent=root)
    site = Site.objects.get(is_default_site=True)
    old_root = site.root_page
    site.root_page = home
    site.save()
    if old_root.specific_class is Page and old_root.depth == 2:
        old_root.delete()
    return home
