"""The layout measured in Chromium (no pixel baselines): every page type of the demo fills
the screen evenly at 1280 and 1920 px, nothing scrolls sideways at 320 px, the header
is one row on a desktop, breadcrumbs sit between the header and the title without
overlapping either, the footer carries its links, and axe finds no blocking violation
(colour contrast included) in the dark colour scheme (the light one: test_accessibility).
One page load serves every measure taken at its width."""

import itertools

import pytest
from django.core.management import call_command
from wagtail.models import Site

from tests.browser.test_accessibility import blocking_violations

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# Left and right margins of the content may differ by this much (a scrollbar, rounding).
BALANCE_TOLERANCE = 40
HEADER_MAX_HEIGHT = 110

MEASURE = """() => {
  const box = (element) => element ? element.getBoundingClientRect() : null;
  const one = (selector) => box(document.querySelector(selector));
  let left = Infinity, right = -Infinity;
  for (const element of document.querySelectorAll("main > *, main > * > *")) {
    const rect = element.getBoundingClientRect();
    if (!rect.width || !rect.height) continue;
    left = Math.min(left, rect.left);
    right = Math.max(right, rect.right);
  }
  const viewport = document.documentElement.clientWidth;
  const plain = (rect) => rect && {top: rect.top, bottom: rect.bottom, left: rect.left,
                                    right: rect.right, width: rect.width, height: rect.height};
  return {
    viewport,
    scrollWidth: document.documentElement.scrollWidth,
    left: left, right: viewport - right,
    header: plain(one(".site-header")),
    headerParts: [".site-logo", ".site-nav", ".search-form", ".language-switcher"]
      .map((selector) => plain(one(selector))),
    breadcrumbs: plain(one("nav.breadcrumbs ol")),
    title: plain(one("main h1")),
    hero: plain(one(".hero")),
    main: plain(one(".layout-main")),
    aside: plain(one(".layout-aside")),
    footerLinks: Array.from(document.querySelectorAll("footer a")).map((a) => a.textContent.trim()),
    breadcrumbJsonLd: Array.from(document.querySelectorAll("script[type='application/ld+json']"))
      .some((script) => script.textContent.includes('"BreadcrumbList"')),
  };
}"""


def one_page_per_type():
    site = Site.objects.get(is_default_site=True)
    pages = {}
    for page in site.root_page.get_descendants(inclusive=True).live().specific():
        pages.setdefault(type(page).__name__, page)
    return pages


@pytest.fixture
def demo(db):
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    pages = one_page_per_type()
    assert {"HomePage", "StandardPage", "StoryPage", "AwardWinnerPage", "EventPage"} <= set(pages)
    return pages


def measure_every_page(chromium, live_server, pages, width, color_scheme="light", check=None):
    context = chromium.new_context(viewport={"width": width, "height": 900},
                                   color_scheme=color_scheme)  # fmt: skip
    browser_page = context.new_page()
    found = {}
    try:
        for type_name, page in sorted(pages.items()):
            browser_page.goto(f"{live_server.url}{page.get_url_in('sv')}")
            measured = browser_page.evaluate(MEASURE)
            problems = check(type_name, measured, browser_page)
            if problems:
                found[type_name] = problems
    finally:
        context.close()
    return found


def balance_problems(type_name, measured):
    problems = []
    if measured["scrollWidth"] > measured["viewport"]:
        problems.append(f"scrolls sideways: {measured['scrollWidth']} px")
    if abs(measured["left"] - measured["right"]) > BALANCE_TOLERANCE:
        problems.append(f"margins {measured['left']:.0f} / {measured['right']:.0f} px")
    if measured["main"] and measured["aside"]:
        # Main column and aside side by side, the main one about two thirds.
        share = measured["main"]["width"] / (measured["main"]["width"] + measured["aside"]["width"])
        if not 0.55 <= share <= 0.75 or measured["aside"]["left"] < measured["main"]["right"]:
            problems.append(f"main {measured['main']['width']:.0f}, aside {measured['aside']}")
    return problems


def test_desktop_layout_at_1280(chromium, live_server, demo):
    def check(type_name, measured, browser_page):
        problems = balance_problems(type_name, measured)
        header = measured["header"]
        if header["height"] > HEADER_MAX_HEIGHT:
            problems.append(f"header {header['height']:.0f} px high")
        parts = measured["headerParts"]
        # One row: every part of the header overlaps every other part vertically.
        if any(a["bottom"] <= b["top"] for a in parts for b in parts):
            problems.append(f"header in more than one row: {parts}")
        below = measured["hero"] or measured["title"]
        if type_name == "HomePage":
            if measured["breadcrumbs"]:
                problems.append("breadcrumbs on the home page")
        else:
            crumbs = measured["breadcrumbs"]
            if not crumbs or not measured["breadcrumbJsonLd"]:
                problems.append("no breadcrumbs")
            elif not (header["bottom"] < crumbs["top"] and crumbs["bottom"] < below["top"]):
                problems.append(f"breadcrumbs {crumbs} overlap the header or the title {below}")
            elif crumbs["top"] - header["bottom"] < 8:
                problems.append("breadcrumbs touch the header")
        if below["top"] < header["bottom"]:
            problems.append("the title is under the header")
        for label in ("Tillgänglighetsredogörelse", "Personuppgifter och kakor", "English"):
            if label not in measured["footerLinks"]:
                problems.append(f"no footer link {label!r}")
        return problems

    assert not measure_every_page(chromium, live_server, demo, 1280, check=check)


def test_wide_screen_stays_balanced_at_1920(chromium, live_server, demo):
    def check(type_name, measured, browser_page):
        return balance_problems(type_name, measured)

    assert not measure_every_page(chromium, live_server, demo, 1920, check=check)


def test_nothing_scrolls_sideways_at_320(chromium, live_server, demo):
    def check(type_name, measured, browser_page):
        problems = []
        if measured["scrollWidth"] > measured["viewport"]:
            problems.append(f"page {measured['scrollWidth']} px wide")
        parts = [part for part in measured["headerParts"] if part and part["height"]]
        if any(part["right"] > measured["viewport"] for part in parts):
            problems.append("the header runs off the screen")
        return problems

    assert not measure_every_page(chromium, live_server, demo, 320, check=check)


def test_axe_finds_nothing_blocking_in_the_dark_scheme(chromium, live_server, demo):
    def check(type_name, measured, browser_page):
        scheme = browser_page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches")
        assert scheme, "the browser did not ask for the dark scheme"
        return blocking_violations(browser_page)

    assert not measure_every_page(chromium, live_server, demo, 1280, "dark", check=check)


@pytest.mark.parametrize("width", [1024, 1200])
def test_the_header_is_one_row_from_1024_px_in_both_languages(chromium, live_server, demo, width):
    """The narrowest desktop widths: the menu on one line beside the mark, search and the
    language link (the site's name then only for screen readers, as the link's name)."""
    context = chromium.new_context(viewport={"width": width, "height": 900})
    browser_page = context.new_page()
    found = {}
    try:
        for language in ("sv", "en"):
            browser_page.goto(f"{live_server.url}/{language}/")
            measured = browser_page.evaluate(MEASURE)
            parts = measured["headerParts"]
            item_tops = browser_page.eval_on_selector_all(
                ".site-nav li",
                "items => items.map(item => Math.round(item.getBoundingClientRect().top))",
            )
            problems = []
            if len(set(item_tops)) != 1:
                problems.append(f"the menu on {len(set(item_tops))} lines")
            if any(a["bottom"] <= b["top"] for a in parts for b in parts):
                problems.append(f"header in more than one row: {parts}")
            if any(a["right"] > b["left"] for a, b in itertools.pairwise(parts)):
                problems.append(f"header parts overlap: {parts}")
            if measured["header"]["height"] > HEADER_MAX_HEIGHT:
                problems.append(f"header {measured['header']['height']:.0f} px high")
            # The mark's link keeps the site's name for screen readers.
            if not browser_page.locator(".site-logo").get_attribute("href") or not (
                browser_page.locator(".site-logo-name").text_content().strip()
            ):
                problems.append("the mark's link has no name")
            if measured["scrollWidth"] > measured["viewport"]:
                problems.append("scrolls sideways")
            if problems:
                found[language] = problems
    finally:
        context.close()
    assert not found, found
