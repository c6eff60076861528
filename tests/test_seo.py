"""Every page type, in both languages: meta description, OpenGraph and Twitter tags,
canonical link and JSON-LD that parses and names the language of the text."""

import json

import pytest
from bs4 import BeautifulSoup
from django.apps import apps
from django.core.management import call_command
from django.utils import translation
from wagtail.models import Site

from home.models import StandardPage
from portal.models import BasePage

pytestmark = pytest.mark.django_db

OG_LOCALES = {"sv": "sv_SE", "en": "en_GB"}


def soup(response):
    return BeautifulSoup(response.content.decode(), "html.parser")


def concrete_page_types():
    return {
        model
        for model in apps.get_models()
        if issubclass(model, BasePage) and not model._meta.abstract
    }


def meta(page, **attrs):
    tag = page.find("meta", attrs=attrs)
    return tag["content"] if tag else None


def json_ld(page):
    scripts = page.select("script[type='application/ld+json']")
    assert scripts, "no JSON-LD"
    return [json.loads(script.string) for script in scripts]


def languages_in(data):
    """Every ``inLanguage`` value anywhere in the structured data."""
    found = []
    if isinstance(data, dict):
        for key, value in data.items():
            if key == "inLanguage":
                found.append(value)
            found.extend(languages_in(value))
    elif isinstance(data, list):
        for item in data:
            found.extend(languages_in(item))
    return found


def check_page(client, page, language):
    """The head of ``page`` at its ``language`` address; returns the parsed document."""
    own_text = page.has_translation(language)
    text_language = language if own_text else "sv"
    url = page.get_url_in(language)
    response = client.get(url)
    assert response.status_code == 200, url
    document = soup(response)
    where = f"{type(page).__name__} {url}"

    canonical = document.select_one("link[rel=canonical]")["href"]
    assert canonical == f"http://testserver{page.get_url_in(text_language)}", where

    with translation.override(language):
        expected_description = page.meta_description
        expected_title = page.seo_title or page.title
    assert expected_description, f"{where}: no search description, teaser text or lead"
    assert meta(document, name="description") == expected_description, where
    assert meta(document, property="og:description") == expected_description, where
    assert meta(document, property="og:title") == expected_title, where
    assert meta(document, property="og:type") in ("website", "article"), where
    assert meta(document, property="og:url") == canonical, where
    assert meta(document, property="og:site_name"), where
    assert meta(document, property="og:locale") == OG_LOCALES[text_language], where
    assert meta(document, name="twitter:card") in ("summary", "summary_large_image"), where
    if meta(document, name="twitter:card") == "summary_large_image":
        assert meta(document, property="og:image").startswith("http://testserver/"), where

    data = json_ld(document)
    for item in data:
        assert item["@context"] == "https://schema.org", where
        assert isinstance(item["@type"], str) and item["@type"], where
    languages = languages_in(data)
    assert languages and set(languages) == {text_language}, (where, languages)
    return document, data


def test_every_seeded_page_type_in_both_languages(client):
    call_command("seed_demo")
    # The seed text has no event series: one made here, so that its page is checked too.
    from events.models import EventIndexPage
    from tests.factories.events import EventSeriesPageFactory

    EventSeriesPageFactory(
        parent=EventIndexPage.objects.live().get(),
        title_sv="Fredagsseminarier",
        title_en="Friday seminars",
        lead_sv="Seminarier om forskningen i Flemingsberg.",
        lead_en="Seminars on the research in Flemingsberg.",
    )
    site = Site.objects.get(is_default_site=True)
    pages = list(site.root_page.get_descendants(inclusive=True).live().specific())
    seeded_types = {type(page) for page in pages}
    missing = concrete_page_types() - seeded_types
    assert not missing, f"page types without demo content to check: {missing}"
    for page in pages:
        for language in ("sv", "en"):
            check_page(client, page, language)


def test_story_is_a_news_article(client):
    call_command("seed_demo")
    story_model = apps.get_model("stories", "StoryPage")
    story = story_model.objects.live().first()
    for language in ("sv", "en"):
        document, data = check_page(client, story, language)
        assert data[0]["@type"] == "NewsArticle"
        assert meta(document, property="og:type") == "article"
        with translation.override(language):
            assert data[0]["headline"] == story.title


def test_swedish_only_page_at_its_english_address_is_described_as_swedish(client, home_page):
    page = StandardPage(
        title="Bara svenska",
        title_sv="Bara svenska",
        slug="bara-svenska",
        slug_sv="bara-svenska",
        lead_sv="En sida som bara finns på svenska.",
    )
    home_page.add_child(instance=page)
    page.save_revision().publish()
    document, data = check_page(client, page, "en")
    assert document.html["lang"] == "en"
    assert data[0]["inLanguage"] == "sv"
    assert data[0]["url"] == "http://testserver/sv/bara-svenska/"
    assert meta(document, property="og:locale") == "sv_SE"
    assert document.find("meta", attrs={"property": "og:locale:alternate"}) is None
    assert meta(document, name="description") == "En sida som bara finns på svenska."


def test_search_description_is_preferred_to_the_lead(client, home_page):
    page = StandardPage(
        title="Om",
        title_sv="Om",
        title_en="About",
        slug="om",
        slug_sv="om",
        slug_en="about",
        lead_sv="Ingressen.",
        lead_en="The lead.",
        search_description_sv="Beskrivning för sökmotorer.",
        search_description_en="Description for search engines.",
    )
    home_page.add_child(instance=page)
    page.save_revision().publish()
    sv, _data = check_page(client, page, "sv")
    en, _data = check_page(client, page, "en")
    assert meta(sv, name="description") == "Beskrivning för sökmotorer."
    assert meta(en, name="description") == "Description for search engines."
