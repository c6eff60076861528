"""Keyboard use: skip link, visible focus, menu and language switcher."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_skip_link_is_first_and_moves_focus_to_main(browser_page, live_server, home_page):
    page = browser_page
    page.goto(f"{live_server.url}/sv/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert focused == "skip-link"
    assert page.locator(".skip-link").is_visible()
    assert page.locator(".skip-link").inner_text() == "Hoppa till huvudinnehållet"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_focus_is_visible(browser_page, live_server, home_page):
    page = browser_page
    page.goto(f"{live_server.url}/en/")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    shadow = page.evaluate("getComputedStyle(document.activeElement).boxShadow")
    assert outline != "none" or shadow != "none"


def test_language_switcher_by_keyboard(browser_page, live_server, home_page):
    page = browser_page
    page.goto(f"{live_server.url}/sv/")
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('hreflang')") == "en":
            break
    else:
        pytest.fail("the language switcher is not reachable by keyboard")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/en/")
    assert page.locator("html").get_attribute("lang") == "en"


def test_menu_reachable_by_keyboard(browser_page, live_server, home_page):
    from tests.factories.home import StandardPageFactory

    StandardPageFactory(
        parent=home_page,
        title_sv="Om oss",
        title_en="About us",
        slug_sv="om-oss",
        slug_en="about-us",
        show_in_menus=True,
    )
    page = browser_page
    page.goto(f"{live_server.url}/en/")
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent") == "About us":
            break
    else:
        pytest.fail("the main menu is not reachable by keyboard")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/en/about-us/")


def test_phone_menu_folds_and_opens_and_works_without_javascript(chromium, live_server, home_page):
    from tests.browser.conftest import VIEWPORTS
    from tests.factories.home import StandardPageFactory

    StandardPageFactory(
        parent=home_page, title_sv="Om oss", title_en="About us", show_in_menus=True
    )
    context = chromium.new_context(viewport=VIEWPORTS["phone"])
    page = context.new_page()
    page.goto(f"{live_server.url}/sv/")
    toggle = page.locator(".menu-toggle")
    assert toggle.is_visible()
    assert toggle.inner_text() == "Meny"
    assert not page.locator(".site-nav").is_visible()
    toggle.focus()
    page.keyboard.press("Enter")
    assert toggle.get_attribute("aria-expanded") == "true"
    assert page.get_by_role("link", name="Om oss").is_visible()
    page.keyboard.press("Escape")
    assert not page.locator(".site-nav").is_visible()
    context.close()

    context = chromium.new_context(viewport=VIEWPORTS["phone"], java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/sv/")
    assert not page.locator(".menu-toggle").is_visible()
    assert page.get_by_role("link", name="Om oss").is_visible()
    context.close()


def test_print_shows_the_story_without_navigation(browser_page, live_server, home_page):
    from tests.factories.stories import StoryIndexPageFactory, StoryPageFactory

    index = StoryIndexPageFactory(parent=home_page)
    StoryPageFactory(parent=index, title_sv="Utskrift", slug_sv="utskrift")
    page = browser_page
    page.emulate_media(media="print")
    page.goto(f"{live_server.url}/sv/nyheter/utskrift/")
    assert page.locator("h1").is_visible()
    for selector in [".site-header", ".site-footer", ".search-form", ".language-switcher"]:
        assert not page.locator(selector).first.is_visible(), selector
