"""A reader on a phone and on a desktop: home, story, language switch, search, anchors."""

import pytest
from django.core.management import call_command

from tests.browser.conftest import VIEWPORTS

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def seeded(db):
    call_command("seed_demo", stdout=open("/dev/null", "w"))


@pytest.fixture
def reader(chromium, viewport_name):
    # A Swedish reader: the browser asks for Swedish first.
    context = chromium.new_context(viewport=VIEWPORTS[viewport_name], locale="sv-SE")
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def test_reader_reads_a_story_and_switches_language(reader, live_server, seeded):
    reader.goto(f"{live_server.url}/")
    reader.wait_for_url(f"{live_server.url}/sv/")
    assert reader.locator("html").get_attribute("lang") == "sv"
    reader.locator(".card-title a", has_text="ATMP").first.click()
    reader.wait_for_load_state()
    assert reader.url == f"{live_server.url}/sv/nyheter/atmp-symposium-for-kunskapsutbyte/"
    assert "ATMP-symposium" in reader.locator("h1").inner_text()
    assert reader.locator(".story-meta time").inner_text() == "22 januari 2025"

    reader.click(".language-switcher a[hreflang=en]")
    reader.wait_for_url(f"{live_server.url}/en/news/atmp-symposium-for-knowledge-exchange/")
    assert reader.locator("html").get_attribute("lang") == "en"
    assert reader.locator("h1").inner_text().startswith("ATMP Symposium")
    assert reader.locator(".story-meta time").inner_text() == "22 January 2025"
    figures = reader.locator(".key-figure-label").all_inner_texts()
    assert figures == ["presentations", "participants", "universities and companies"]


def test_reader_searches(reader, live_server, seeded):
    reader.goto(f"{live_server.url}/en/")
    reader.fill("form[role=search] input[name=q]", "symposium")
    reader.press("form[role=search] input[name=q]", "Enter")
    reader.wait_for_url("**/en/search/?q=symposium")
    results = reader.locator(".result-list a").all_inner_texts()
    assert any("ATMP Symposium" in title for title in results), results
    assert reader.locator("html").get_attribute("lang") == "en"


def test_reader_follows_a_timeline_anchor(reader, live_server, seeded):
    # The home page shows an excerpt of the timeline; each milestone links to its anchor.
    reader.goto(f"{live_server.url}/en/")
    link = reader.locator(".page-body a[href*='#1975']").first
    href = link.get_attribute("href")
    assert href == "/en/50-years-of-life-changing-therapies/#1975"
    link.click()
    reader.wait_for_url(f"{live_server.url}{href}")
    target = reader.locator("[id='1975']")
    assert target.is_visible()
    assert "1975" in target.locator("time").first.get_attribute("datetime")
    assert "12 November 1975" in target.inner_text()
