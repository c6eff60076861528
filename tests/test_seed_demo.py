import re

import pytest
from bs4 import BeautifulSoup
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


def main_text(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return BeautifulSoup(response.content.decode(), "html.parser").main.get_text(" ", strip=True)


def test_about_page_says_only_what_the_seed_text_says(client):
    call_command("seed_demo")
    sv = main_text(client, "/sv/om-flemingsberg/")
    en = main_text(client, "/en/about-flemingsberg/")
    assert (
        "Här ligger Karolinska Institutet, Campus Flemingsberg. På Huddinge sjukhus, här i "
        "Flemingsberg, utfördes Sveriges första allogena benmärgstransplantation den "
        "12 november 1975."
    ) in sv
    assert (
        "At Huddinge Hospital, here in Flemingsberg, the first allogeneic bone marrow "
        "transplantation in Sweden was performed on 12 November 1975."
    ) in en
    # No invented sentence, no unattributed quotation, no geography the seed lacks.
    for text, words in [
        (sv, ["sida vid sida", "söder om Stockholm"]),
        (en, ["side by side", "south of Stockholm"]),
    ]:
        for word in words:
            assert word not in text
    page = BeautifulSoup(client.get("/sv/om-flemingsberg/").content.decode(), "html.parser")
    assert page.select("main blockquote") == []


US_ORDER_DATE = re.compile(
    r"\b(January|February|March|April|May|June|July|August|September|October|November|"
    r"December) \d{1,2},? \d{4}\b"
)


def test_english_demo_text_writes_dates_in_british_order(client):
    call_command("seed_demo")
    site = Site.objects.get(is_default_site=True)
    texts = [
        main_text(client, page.get_url_in("en"))
        for page in site.root_page.get_descendants(inclusive=True).live().specific()
    ]
    assert not [US_ORDER_DATE.findall(text) for text in texts if US_ORDER_DATE.search(text)]
    story = main_text(client, "/en/news/atmp-symposium-for-knowledge-exchange/")
    assert "On 22 January 2025, NextGenNK and CCRM Nordic hosted" in story
    assert "Written by Carin Dahlberg, scientific coordinator, NextGenNK" in story
    # The check itself finds a date in American order.
    assert US_ORDER_DATE.search("On November 12 1975, the first")
    assert US_ORDER_DATE.search("On January 22, 2025, NextGenNK")


def test_swedish_demo_text_reads_as_the_language_review_asked(client):
    call_command("seed_demo")
    home = main_text(client, "/sv/")
    assert "Här hittar du nyheter, milstolpar, pristagare och kulturprojekt" in home
    story = main_text(client, "/sv/nyheter/atmp-symposium-for-kunskapsutbyte/")
    assert "där man utvecklar avancerade terapier, till exempel cell- och genterapier" in story
    assert "i grunden förändra vården" in story
    assert "blev mycket lyckat och samlade över 150 deltagare" in story
    award = main_text(client, "/sv/flemingsberg-science-award/")
    assert "Flemingsberg Science Award och pristagarna genom åren." in award
    winner = main_text(client, "/sv/flemingsberg-science-award/limitless-potential/")
    assert "Limitless Potential vinner Flemingsberg Science Award 2025" in winner
    assert "Unga i socialt utsatta områden drabbas ofta av psykisk ohälsa" in winner
