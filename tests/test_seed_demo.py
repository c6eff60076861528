import pytest
from django.core.management import call_command
from wagtail.images import get_image_model
from wagtail.models import Page, Site

pytestmark = pytest.mark.django_db


def test_seed_demo_is_idempotent(client):
    call_command("seed_demo")
    pages = Page.objects.count()
    images = get_image_model().objects.count()
    call_command("seed_demo")
    assert Page.objects.count() == pages
    assert get_image_model().objects.count() == images
    assert Site.objects.count() == 1


def test_seeded_pages_answer_in_both_languages(client):
    call_command("seed_demo")
    site = Site.objects.get(is_default_site=True)
    pages = site.root_page.get_descendants(inclusive=True).live().specific()
    assert len(pages) >= 2
    for page in pages:
        for language in ("sv", "en"):
            url = page.get_url_in(language)
            assert url.startswith(f"/{language}/"), url
            response = client.get(url)
            assert response.status_code == 200, url
            assert page.has_translation(language)
    assert client.get("/sv/om-flemingsberg/").status_code == 200
    assert client.get("/en/about-flemingsberg/").status_code == 200


def test_seeded_english_urls_are_stored(client):
    """Pages made outside the admin still get their per-language url_path."""
    call_command("seed_demo")
    for page in Page.objects.filter(depth__gte=2):
        assert page.url_path_sv and page.url_path_en, page.pk
