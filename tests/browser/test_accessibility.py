"""axe-core finds no serious or critical violations on any page type, in either language.

Screenshots of every page type at phone and desktop widths are written to
test-artifacts/screenshots/ (not committed).
"""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from wagtail.models import Site

from tests.browser.conftest import VIEWPORTS

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

BLOCKING_IMPACTS = {"serious", "critical"}
AXE_OPTIONS = {
    "resultTypes": ["violations"],
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
    },
}


def blocking_violations(page):
    results = Axe().run(page, options=AXE_OPTIONS)
    return [
        {
            "rule": violation["id"],
            "impact": violation["impact"],
            "targets": [node["target"] for node in violation["nodes"]][:5],
        }
        for violation in results.response["violations"]
        if violation["impact"] in BLOCKING_IMPACTS
    ]


def one_page_per_type():
    site = Site.objects.get(is_default_site=True)
    pages = {}
    for page in site.root_page.get_descendants(inclusive=True).live().specific():
        pages.setdefault(type(page).__name__, page)
    return pages


def test_every_page_type_in_both_languages(chromium, live_server, screenshot_dir, db):
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    pages = one_page_per_type()
    assert {"HomePage", "StandardPage", "StoryIndexPage", "StoryPage"} <= set(pages)
    found = {}
    for viewport_name, viewport in VIEWPORTS.items():
        context = chromium.new_context(viewport=viewport)
        browser_page = context.new_page()
        for type_name, page in sorted(pages.items()):
            for language in ("sv", "en"):
                browser_page.goto(f"{live_server.url}{page.get_url_in(language)}")
                browser_page.screenshot(
                    path=screenshot_dir / f"{type_name}-{language}-{viewport_name}.png",
                    full_page=True,
                )
                violations = blocking_violations(browser_page)
                if violations:
                    found[f"{type_name} {language} {viewport_name}"] = violations
        context.close()
    assert not found, found


def test_search_and_error_pages(browser_page, live_server, home_page):
    for path in [
        "/sv/sok/?q=flemingsberg",
        "/en/search/?q=x",
        "/sv/finns-inte/",
        "/en/missing/",
    ]:
        browser_page.goto(f"{live_server.url}{path}")
        assert not blocking_violations(browser_page), path


def test_admin_story_edit_view(admin_browser_page, live_server, db):
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    from stories.models import StoryPage

    story = StoryPage.objects.first()
    admin_browser_page.goto(f"{live_server.url}/admin/pages/{story.pk}/edit/")
    admin_browser_page.wait_for_selector("form#page-edit-form")
    violations = blocking_violations(admin_browser_page)
    assert not violations, violations
