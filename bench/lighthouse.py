"""Lighthouse on a phone: one page of every page type, in both languages.

Seeds a throwaway SQLite database with the demo, collects the static files as
production does (hashed, compressed), starts gunicorn with production settings on
127.0.0.1 (behind a simulated TLS proxy: every request carries
``X-Forwarded-Proto: https``) and runs Lighthouse (``bench/node_modules``, pinned in
``bench/package-lock.json``) in Debian's Chromium with its mobile form factor and its
default simulated throttling (a slow 4G connection, a CPU four times slower). Prints a
Markdown table of the scores and exits 1 when any page's median performance score
(of ``--runs``, 3) is below ``--min-performance`` (0.95) or a run failed.

    make lighthouse
    .venv/bin/python bench/lighthouse.py --runs 5 --only StoryPage

Each address is requested once before Lighthouse loads it, as readers find it: from
the page cache. The JSON reports are kept in ``test-artifacts/lighthouse/``
(Lighthouse's viewer opens them); its HTML report, not a page of ours, is not written.
Not a test: the figures depend on the machine.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

if __name__ == "__main__":
    sys.path[0] = str(Path(__file__).resolve().parent.parent)

from bench.common import ROOT, Gunicorn, production_env  # noqa: E402

LIGHTHOUSE = ROOT / "bench" / "node_modules" / ".bin" / "lighthouse"
REPORTS = ROOT / "test-artifacts" / "lighthouse"
CHROME_PATH = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
CHROME_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}

# One live page of each type, with its address in each language (run in the server's
# environment by manage.py shell).
FIND_PAGES = """
import json
from wagtail.models import Site
site = Site.objects.get(is_default_site=True)
found = {}
for page in site.root_page.get_descendants(inclusive=True).live().specific():
    found.setdefault(type(page).__name__, {code: page.get_url_in(code) for code in ("sv", "en")})
print("PAGES" + json.dumps(found))
"""


def get(url):
    request = urllib.request.Request(url, headers=PROXY_HEADERS)
    with urllib.request.urlopen(request, timeout=30) as response:
        response.read()
        return response.status


def favicon_problem(base):
    """Browsers ask every site for /favicon.ico; with production settings too."""
    request = urllib.request.Request(f"{base}/favicon.ico", headers=PROXY_HEADERS)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            kind = response.headers.get("Content-Type", "")
            if response.status != 200 or not kind.startswith("image/"):
                return f"/favicon.ico answers {response.status} {kind}"
    except urllib.error.HTTPError as error:
        return f"/favicon.ico answers {error.code}"
    return None


def lighthouse(url, name, attempts=3):
    """One Lighthouse run; the parsed JSON report (also written to REPORTS).

    Lighthouse now and then fails to record a trace (NO_NAVSTART, NO_FCP) in a newer
    Chromium than it was released with; such a run is repeated, up to ``attempts``.
    """
    for attempt in range(1, attempts + 1):
        try:
            return lighthouse_once(url, name)
        except RuntimeError as error:
            if attempt == attempts:
                raise
            print(f"{error}\n(attempt {attempt} of {attempts}, again)", file=sys.stderr)


def lighthouse_once(url, name):
    report_file = REPORTS / f"{name}.report.json"
    report_file.unlink(missing_ok=True)
    result = subprocess.run(
        [str(LIGHTHOUSE), url, "--quiet", "--output=json",
         f"--output-path={report_file}", f"--only-categories={','.join(CATEGORIES)}",
         "--form-factor=mobile", "--throttling-method=simulate",
         f"--chrome-flags={' '.join(CHROME_FLAGS)}",
         f"--extra-headers={json.dumps(PROXY_HEADERS)}"],
        env={**os.environ, "CHROME_PATH": CHROME_PATH}, capture_output=True, text=True,
    )  # fmt: skip
    if result.returncode != 0 or not report_file.exists():
        raise RuntimeError(f"lighthouse failed for {url}:\n{result.stderr[-2000:]}")
    report = json.loads(report_file.read_text())
    if report.get("runtimeError"):
        raise RuntimeError(f"lighthouse: {url}: {report['runtimeError']}")
    return report


def figures(report):
    audits = report["audits"]
    row = {category: report["categories"][category]["score"] for category in CATEGORIES}
    row["cls"] = audits["cumulative-layout-shift"]["numericValue"]
    row["lcp"] = audits["largest-contentful-paint"]["numericValue"]
    row["tbt"] = audits["total-blocking-time"]["numericValue"]
    row["warnings"] = report.get("runWarnings", [])
    row["version"] = report["lighthouseVersion"]
    return row


def median_row(rows):
    """The run with the median performance score (its figures belong together)."""
    ordered = sorted(rows, key=lambda row: row["performance"] or 0)
    return ordered[(len(ordered) - 1) // 2]


def score(value):
    return "–" if value is None else f"{value:.2f}"


def table(results):
    lines = [
        "| page type | language | performance | accessibility | best practices | SEO "
        "| CLS | LCP | TBT |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for (type_name, language), row in results.items():
        lines.append(
            f"| {type_name} | {language} | {score(row['performance'])} "
            f"| {score(row['accessibility'])} | {score(row['best-practices'])} "
            f"| {score(row['seo'])} | {row['cls']:.3f} | {row['lcp'] / 1000:.1f} s "
            f"| {row['tbt']:.0f} ms |"
        )
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--min-performance", type=float, default=0.95)
    parser.add_argument("--runs", type=int, default=3, help="runs per page; the median counts")
    parser.add_argument("--only", nargs="*", help="page type names (default: all)")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    if not LIGHTHOUSE.exists():
        sys.exit("Lighthouse is not installed: run `make lighthouse` (npm ci in bench/)")
    if not Path(CHROME_PATH).exists():
        sys.exit(f"Chromium not found at {CHROME_PATH} (Debian: apt-get install chromium)")

    folder = Path(tempfile.mkdtemp(prefix="portal-lighthouse-"))
    env = production_env(
        f"sqlite:///{folder / 'db.sqlite3'}",
        folder,
        # The proxy in front would answer plain HTTP with its own redirect; Lighthouse
        # fetches /robots.txt without the extra header.
        SECURE_SSL_REDIRECT="false",
    )
    env.pop("REDIS_URL", None)
    server = None
    try:
        manage = [sys.executable, "manage.py"]
        dev = {**env, "DJANGO_SETTINGS_MODULE": "portal.settings.dev"}
        for command in (["migrate", "--noinput"], ["seed_demo"], ["rebuild_portal_search"]):
            subprocess.run(manage + command, cwd=ROOT, env=dev, check=True, capture_output=True)
        shell = subprocess.run(
            manage + ["shell", "-c", FIND_PAGES], cwd=ROOT, env=dev, check=True,
            capture_output=True, text=True,
        )  # fmt: skip
        pages = json.loads(shell.stdout.split("PAGES", 1)[1])
        if args.only:
            pages = {name: urls for name, urls in pages.items() if name in args.only}
        subprocess.run(
            manage + ["collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
        )
        server = Gunicorn(env, args.workers, folder / "gunicorn.log")
        base = f"http://127.0.0.1:{server.port}"

        shutil.rmtree(REPORTS, ignore_errors=True)
        REPORTS.mkdir(parents=True)
        results, failures = {}, [problem for problem in [favicon_problem(base)] if problem]
        for type_name, urls in sorted(pages.items()):
            for language in ("sv", "en"):
                url = f"{base}{urls[language]}"
                get(url)
                rows = []
                for run in range(args.runs):
                    name = f"{type_name}-{language}-{run + 1}"
                    try:
                        rows.append(figures(lighthouse(url, name)))
                    except RuntimeError as error:
                        failures.append(str(error))
                if rows:
                    row = median_row(rows)
                    results[(type_name, language)] = row
                    print(
                        f"{type_name} {language}: performance {score(row['performance'])}"
                        + "".join(f"\n  warning: {w}" for w in row["warnings"]),
                        file=sys.stderr,
                    )
        versions = sorted({row["version"] for row in results.values()})
        print(
            f"Lighthouse {', '.join(versions)} (mobile, simulated throttling), "
            f"{args.runs} run(s) per page, the median run:\n"
        )
        print(table(results))
        slow = [
            f"{type_name} {language} ({score(row['performance'])})"
            for (type_name, language), row in results.items()
            if (row["performance"] or 0) < args.min_performance
        ]
        for failure in failures:
            print(failure, file=sys.stderr)
        if slow:
            print(f"\nperformance below {args.min_performance}: {', '.join(slow)}")
        print(f"\nreports: {REPORTS}")
        sys.exit(1 if slow or failures else 0)
    finally:
        if server is not None:
            server.stop()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
