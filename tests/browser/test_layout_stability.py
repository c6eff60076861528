"""No layout shift on a phone when the page's script arrives late, and a favicon.

Every page type of the demo, in both languages, at phone size: the CPU is slowed
fourfold and `portal.js` is held back for a second, so the first paint happens long
before the script runs. The cumulative layout shift (Chromium's `layout-shift`
entries) must stay below 0.05 (the folding menu alone shifted 0.28–0.30), no request may fail and nothing may be logged as an
error (a missing `/favicon.ico` is one).
"""

import time

import pytest
from django.core.management import call_command
from wagtail.models import Site

from tests.browser.conftest import VIEWPORTS

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SCRIPT_DELAY_SECONDS = 1.0
CPU_SLOWDOWN = 4
# Half of Lighthouse's "good" 0.1: far below the menu's 0.28, above the rare 0.013 a
# slowed machine has once measured on a long page as images decode.
CLS_LIMIT = 0.05

# The sum of the layout-shift entries not caused by input, read once the page has
# rendered two more frames after its script ran (entries arrive asynchronously), with
# what moved, for the failure message.
CUMULATIVE_LAYOUT_SHIFT = """() => new Promise((resolve) => {
  let total = 0;
  const moved = [];
  function add(entries) {
    for (const entry of entries) {
      if (entry.hadRecentInput) continue;
      total += entry.value;
      for (const source of entry.sources || []) {
        const node = source.node;
        const name = node && node.nodeType === 1
          ? node.nodeName.toLowerCase() + (node.className ? "." + node.className : "")
          : String(node && node.nodeName);
        moved.push(`${name} ${source.previousRect.y}→${source.currentRect.y}`);
      }
    }
  }
  const observer = new PerformanceObserver((list) => add(list.getEntries()));
  observer.observe({type: "layout-shift", buffered: true});
  requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(() => {
    add(observer.takeRecords());
    observer.disconnect();
    resolve({total, moved});
  }, 50)));
})"""


def one_page_per_type():
    site = Site.objects.get(is_default_site=True)
    pages = {}
    for page in site.root_page.get_descendants(inclusive=True).live().specific():
        pages.setdefault(type(page).__name__, page)
    return pages


@pytest.fixture
def seeded(db):
    call_command("seed_demo", stdout=open("/dev/null", "w"))


def hold_back_script(route):
    # The browser keeps parsing and painting meanwhile; only this response waits.
    time.sleep(SCRIPT_DELAY_SECONDS)
    route.continue_()


def open_slow_phone(chromium):
    context = chromium.new_context(viewport=VIEWPORTS["phone"])
    page = context.new_page()
    page.set_default_timeout(30000)
    cdp = context.new_cdp_session(page)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
    page.route("**/js/portal*.js", hold_back_script)
    problems = []
    page.on(
        "console",
        lambda message: message.type == "error" and problems.append(f"console: {message.text}"),
    )
    page.on("requestfailed", lambda request: problems.append(f"failed: {request.url}"))
    page.on(
        "response",
        lambda response: (
            response.status >= 400 and problems.append(f"{response.status}: {response.url}")
        ),
    )
    return context, page, problems


def test_no_layout_shift_when_the_script_runs_late(chromium, live_server, seeded):
    pages = one_page_per_type()
    assert {"HomePage", "StandardPage", "StoryIndexPage", "StoryPage"} <= set(pages)
    shifted, troubles = {}, {}
    context, page, problems = open_slow_phone(chromium)
    try:
        for type_name, wagtail_page in sorted(pages.items()):
            for language in ("sv", "en"):
                problems.clear()
                response = page.goto(f"{live_server.url}{wagtail_page.get_url_in(language)}")
                assert response.status == 200, (type_name, language, response.status)
                # The script did run (late): the phone menu is folded behind its button.
                toggle = page.locator(".menu-toggle")
                assert toggle.is_visible(), (type_name, language)
                assert toggle.get_attribute("aria-expanded") == "false"
                assert not page.locator("#site-nav").is_visible()
                shift = page.evaluate(CUMULATIVE_LAYOUT_SHIFT)
                if shift["total"] >= CLS_LIMIT:
                    shifted[f"{type_name} {language}"] = (round(shift["total"], 4), shift["moved"])
                page.wait_for_load_state("networkidle")
                if problems:
                    troubles[f"{type_name} {language}"] = list(problems)
    finally:
        context.close()
    assert not shifted, f"cumulative layout shift ≥ {CLS_LIMIT}: {shifted}"
    assert not troubles, troubles


def test_phone_menu_opens_after_a_late_script(chromium, live_server, seeded):
    context, page, problems = open_slow_phone(chromium)
    try:
        page.goto(f"{live_server.url}/en/")
        toggle = page.locator(".menu-toggle")
        assert toggle.inner_text() == "Menu"
        toggle.click()
        assert toggle.get_attribute("aria-expanded") == "true"
        assert page.locator("#site-nav a").first.is_visible()
        page.keyboard.press("Escape")
        assert toggle.get_attribute("aria-expanded") == "false"
        assert not page.locator("#site-nav").is_visible()
        assert page.evaluate("document.activeElement.className") == "menu-toggle"
    finally:
        context.close()
    assert not problems, problems


def test_favicon(browser_page, live_server, seeded):
    page = browser_page
    for path in ("/sv/", "/en/"):
        page.goto(f"{live_server.url}{path}")
        icons = page.locator("head link[rel~=icon], head link[rel=apple-touch-icon]")
        hrefs = [icons.nth(i).get_attribute("href") for i in range(icons.count())]
        assert any(href.endswith(".svg") for href in hrefs), hrefs
        assert any(href.endswith(".png") for href in hrefs), hrefs
        for href in hrefs:
            answer = page.request.get(f"{live_server.url}{href}")
            assert answer.status == 200, href
            assert answer.headers["content-type"].startswith("image/"), href
    answer = page.request.get(f"{live_server.url}/favicon.ico")
    assert answer.status == 200
    assert answer.headers["content-type"] in ("image/x-icon", "image/vnd.microsoft.icon")
    assert answer.body()[:4] == b"\x00\x00\x01\x00"  # the ICO file signature
    # Not a page: no cookie, no page cache, the same file again.
    assert "set-cookie" not in answer.headers
    assert page.request.get(f"{live_server.url}/favicon.ico").body() == answer.body()
