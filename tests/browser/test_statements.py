"""The accessibility statement and the privacy page in a real browser: axe-core finds no
serious or critical violation on either, in either language, at phone and desktop
widths; and a keyboard reaches both from the footer."""

import pytest
from django.core.management import call_command
from wagtail.models import Site

from portal.models import PortalSettings
from tests.browser.conftest import VIEWPORTS
from tests.browser.test_accessibility import blocking_violations

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_both_pages_are_axe_clean_in_both_languages(chromium, live_server, db):
    call_command("seed_demo", "--no-warm", stdout=open("/dev/null", "w"))
    portal_settings = PortalSettings.for_site(Site.objects.get(is_default_site=True))
    pages = [portal_settings.accessibility_page.specific, portal_settings.privacy_page.specific]
    found = {}
    for viewport_name, viewport in VIEWPORTS.items():
        context = chromium.new_context(viewport=viewport)
        browser_page = context.new_page()
        for page in pages:
            for language in ("sv", "en"):
                url = page.get_url_in(language)
                browser_page.goto(f"{live_server.url}{url}")
                violations = blocking_violations(browser_page)
                if violations:
                    found[f"{url} {viewport_name}"] = violations
        context.close()
    assert not found, found


def test_the_footer_links_are_reached_by_keyboard(browser_page, live_server, db):
    call_command("seed_demo", "--no-warm", stdout=open("/dev/null", "w"))
    page = browser_page
    page.goto(f"{live_server.url}/en/")
    for _ in range(200):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent") == "Accessibility statement":
            break
    else:
        pytest.fail("the accessibility statement link is not reachable by keyboard")
    page.keyboard.press("Enter")
    page.wait_for_url("**/en/accessibility-statement/")
    assert page.locator("h1").inner_text() == "Accessibility statement"
    page.goto(f"{live_server.url}/sv/")
    for _ in range(200):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent") == "Personuppgifter och kakor":
            break
    else:
        pytest.fail("the privacy link is not reachable by keyboard")
    page.keyboard.press("Enter")
    page.wait_for_url("**/sv/personuppgifter-och-kakor/")
    assert page.locator("h1").inner_text() == "Personuppgifter och kakor"
