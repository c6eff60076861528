"""A contact sheet of the portal's look: every page type in both languages, at a phone
width and a desktop width, in the light and the dark colour scheme.

Seeds a throwaway SQLite database with the demo, collects the static files as
production does, starts gunicorn with production settings on 127.0.0.1 and takes a
full-page screenshot of one page of every page type (and the search results and the
404 page) with Playwright in Debian's Chromium. Writes the PNG files and an
``index.html`` that shows them side by side, with each page's column widths at the
desktop width, into ``test-artifacts/look/`` (``--out`` for another folder).

    make screenshots
    .venv/bin/python scripts/screenshots.py --only StoryPage HomePage --widths 1280
    .venv/bin/python scripts/screenshots.py --base-url http://127.0.0.1:8000  # a running site

Not a test: it asserts nothing; tests/browser/test_layout.py measures the layout.
"""

import argparse
import html
import json
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

if __name__ == "__main__":
    sys.path[0] = str(Path(__file__).resolve().parent.parent)

from bench.common import ROOT, Gunicorn, production_env  # noqa: E402

CHROMIUM = os.environ.get("PORTAL_CHROMIUM", "/usr/bin/chromium")
OUT = ROOT / "test-artifacts" / "look"
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}

# One live page of each type with its address per language, run by manage.py shell.
FIND_PAGES = """
import json
from wagtail.models import Site
site = Site.objects.get(is_default_site=True)
found = {}
for page in site.root_page.get_descendants(inclusive=True).live().specific():
    found.setdefault(type(page).__name__, {code: page.get_url_in(code) for code in ("sv", "en")})
print("PAGES" + json.dumps(found))
"""
# Pages that are no Wagtail page but readers see.
OTHER_PAGES = {
    "SearchResults": {"sv": "/sv/sok/?q=flemingsberg", "en": "/en/search/?q=flemingsberg"},
    "NotFound": {"sv": "/sv/finns-inte/", "en": "/en/no-such-page/"},
}
# The widths of the page's main parts at this viewport, in CSS pixels.
MEASURE = """() => {
  const width = (selector) => {
    const element = document.querySelector(selector);
    return element ? Math.round(element.getBoundingClientRect().width) : null;
  };
  // How far the page's content reaches: its parts two levels down in <main>.
  let left = Infinity, right = -Infinity;
  for (const element of document.querySelectorAll("main > *, main > * > *")) {
    const box = element.getBoundingClientRect();
    if (!box.width || !box.height) continue;
    left = Math.min(left, box.left);
    right = Math.max(right, box.right);
  }
  const main = document.querySelector("main");
  const style = getComputedStyle(main);
  const inner = main.getBoundingClientRect().width
    - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  const viewport = document.documentElement.clientWidth;
  return {
    container: Math.round(inner),
    main: width(".layout-main"),
    aside: width(".layout-aside"),
    reading: width(".layout-reading"),
    left: Math.round(left),
    right: Math.round(viewport - right),
    page: document.documentElement.scrollWidth,
    viewport,
  };
}"""


def find_pages(env):
    shell = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", FIND_PAGES],
        cwd=ROOT, env=env, check=True, capture_output=True, text=True,
    )  # fmt: skip
    return json.loads(shell.stdout.split("PAGES", 1)[1])


def start_site(folder, workers):
    """A seeded throwaway site under gunicorn with production settings: (server, pages)."""
    env = production_env(f"sqlite:///{folder / 'db.sqlite3'}", folder, SECURE_SSL_REDIRECT="false")
    env.pop("REDIS_URL", None)
    manage = [sys.executable, "manage.py"]
    dev = {**env, "DJANGO_SETTINGS_MODULE": "portal.settings.dev"}
    for command in (["migrate", "--noinput"], ["seed_demo"], ["rebuild_portal_search"]):
        done = subprocess.run(manage + command, cwd=ROOT, env=dev, capture_output=True, text=True)
        if done.returncode:
            sys.exit(f"manage.py {' '.join(command)} failed:\n{done.stderr[-3000:]}")
    pages = find_pages(dev)
    subprocess.run(
        manage + ["collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
    )
    return Gunicorn(env, workers, folder / "gunicorn.log"), pages


def shoot(base, pages, out, widths, schemes):
    """Screenshots of ``pages`` into ``out``; the rows of the contact sheet."""
    from playwright.sync_api import sync_playwright

    rows = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        for type_name, urls in pages.items():
            for language in ("sv", "en"):
                row = {"type": type_name, "language": language, "url": urls[language], "shots": []}
                for width in widths:
                    for scheme in schemes:
                        context = browser.new_context(
                            viewport={"width": width, "height": 900},
                            color_scheme=scheme,
                            extra_http_headers=PROXY_HEADERS,
                        )
                        page = context.new_page()
                        page.goto(f"{base}{urls[language]}", wait_until="load")
                        name = f"{type_name}-{language}-{width}-{scheme}.png"
                        page.screenshot(path=out / name, full_page=True)
                        measured = page.evaluate(MEASURE)
                        row["shots"].append(
                            {"file": name, "width": width, "scheme": scheme, "measured": measured}
                        )
                        context.close()
                rows.append(row)
                print(f"{type_name} {language}", file=sys.stderr)
        browser.close()
    return rows


def columns_text(measured):
    if measured["main"] and measured["aside"]:
        text = f"main {measured['main']} + aside {measured['aside']} px"
    elif measured["reading"]:
        text = f"reading column {measured['reading']} px"
    elif measured["container"]:
        text = f"container {measured['container']} px"
    else:
        text = ""
    if measured["left"] is not None:
        text += f" (margins {measured['left']} / {measured['right']} px)"
    if measured["page"] > measured["viewport"]:
        text += " scrolls sideways"
    return text


def contact_sheet(rows, widths, schemes):
    head = "".join(f"<th>{width} px, {scheme}</th>" for width in widths for scheme in schemes)
    body = []
    for row in rows:
        cells = []
        for shot in row["shots"]:
            note = columns_text(shot["measured"]) if shot["width"] >= 1024 else ""
            cells.append(
                f'<td><a href="{html.escape(shot["file"])}"><img src="{html.escape(shot["file"])}"'
                f' alt="" loading="lazy" width="240"></a>'
                f"<br><small>{html.escape(note)}</small></td>"
            )
        body.append(
            f"<tr><th scope=row>{html.escape(row['type'])}<br>{row['language']}<br>"
            f"<small>{html.escape(row['url'])}</small></th>{''.join(cells)}</tr>"
        )
    return (
        "<!DOCTYPE html><html lang=en><meta charset=utf-8><title>Contact sheet</title>"
        "<style>body{font:14px system-ui;margin:1rem}table{border-collapse:collapse}"
        "td,th{border:1px solid #ccc;padding:.5rem;vertical-align:top;text-align:left}"
        "img{max-height:40rem;object-fit:cover;object-position:top}</style>"
        f"<h1>Flemingsberg Portal: {len(rows)} pages</h1>"
        f"<table><thead><tr><th>page</th>{head}</tr></thead><tbody>{''.join(body)}"
        "</tbody></table></html>"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--only", nargs="*", help="page type names (default: all)")
    parser.add_argument("--widths", nargs="*", type=int, default=[390, 1280])
    parser.add_argument("--schemes", nargs="*", default=["light", "dark"])
    parser.add_argument("--base-url", help="a running site instead of a throwaway one")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        sys.exit(f"Chromium not found at {CHROMIUM} (Debian: apt-get install chromium)")

    folder = None if args.base_url else Path(tempfile.mkdtemp(prefix="portal-look-"))
    server = None
    try:
        if args.base_url:
            base = args.base_url.rstrip("/")
            pages = find_pages({**os.environ})
        else:
            server, pages = start_site(folder, args.workers)
            base = f"http://127.0.0.1:{server.port}"
        pages.update(OTHER_PAGES)
        if args.only:
            pages = {name: urls for name, urls in pages.items() if name in args.only}
        for urls in pages.values():  # the first request fills the page cache, as readers find it
            for url in urls.values():
                try:
                    urllib.request.urlopen(
                        urllib.request.Request(f"{base}{url}", headers=PROXY_HEADERS), timeout=60
                    ).read()
                except OSError:
                    pass  # the 404 page answers 404
        shutil.rmtree(args.out, ignore_errors=True)
        args.out.mkdir(parents=True)
        rows = shoot(base, dict(sorted(pages.items())), args.out, args.widths, args.schemes)
        (args.out / "index.html").write_text(contact_sheet(rows, args.widths, args.schemes))
        (args.out / "layout.json").write_text(json.dumps(rows, indent=1))
        print(f"{sum(len(row['shots']) for row in rows)} screenshots: {args.out / 'index.html'}")
    finally:
        if server is not None:
            server.stop()
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
