import pytest

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_reader_switches_language_on_the_home_page(browser_page, live_server, home_page):
    browser_page.goto(f"{live_server.url}/sv/")
    assert browser_page.locator("html").get_attribute("lang") == "sv"
    browser_page.click(".language-switcher a[hreflang=en]")
    browser_page.wait_for_url(f"{live_server.url}/en/")
    assert browser_page.locator("h1").inner_text() == "Welcome to Flemingsberg"


def test_editor_reaches_the_admin_dashboard(admin_browser_page, live_server):
    assert admin_browser_page.url == f"{live_server.url}/admin/"
