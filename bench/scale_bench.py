"""Growth: what each page type, the sitemap, search, the admin and the long commands cost
at 1 000, 10 000 and 100 000 pages, as a ratio to the same measurement at 1 000.

For each size, a throwaway database ``scale_bench_<size>_<pid>`` on the PostgreSQL server
of ``DATABASE_URL`` (default ``postgres://postgres@127.0.0.1:5432``), or a SQLite file
with ``--sqlite``: ``migrate --noinput``, ``seed_demo --no-warm``, then
``seed_volume --pages <size> --force`` (timed: pages per second). Then, in a process of
its own with production settings (``DEBUG`` off) and the page cache off, Django's test
client requests every address five times, the cache cleared before each request (the
first reader after a publish: no page, no fragment cached), after one untimed request
(image renditions, templates loaded); the median and the SQL queries count. Search,
never cached, is timed once per query with the page around the results warm.
``translation_status`` and ``export_content_po`` run as commands (time and peak memory).
Every database is built first and then measured; ``--rounds N`` measures the sizes in
turn N times and takes the median, so that other work on the machine weighs on every
size alike. The databases are dropped at the end (``--keep`` keeps them, ``--reuse
NAME`` measures a kept one without changing it).

Prints progress to stderr and one Markdown table to stdout: per measurement and size
the median ms (search: median and 95th percentile) and queries, the growth of the
largest size against 1 000 pages, and whether each scaling target holds. Exits 1 when an
address does not answer 200, or a command fails; 0 whatever the figures.

    make bench-scale                                   # 1 000, 10 000, 100 000 pages
    make bench-scale BENCH_SCALE_ARGS="--sizes 1000 10000"
    make bench-scale BENCH_SCALE_ARGS="--sizes 1000 10000 --rounds 3"
    .venv/bin/python bench/scale_bench.py --sqlite --sizes 1000 5000
    .venv/bin/python bench/scale_bench.py --sizes 10000 --keep
    .venv/bin/python bench/scale_bench.py --reuse scale_bench_10000_4242

Not a test: the figures depend on the machine; the ratios within one run compare.
"""

import argparse
import contextlib
import json
import math
import os
import random
import re
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
if __name__ == "__main__":
    sys.path[0] = str(ROOT)

from bench.common import (  # noqa: E402
    DEFAULT_SERVER_URL,
    HOST,
    SEARCH_PATHS,
    create_database,
    drop_database,
    production_env,
    server_url,
)

SIZES = (1000, 10000, 100000)
BASE_SIZE = 1000
LANGUAGES = ("sv", "en")
REQUESTS = 5  # timed requests per address; the median counts
SEARCH_REQUESTS = 40  # per language, each a different two-word query
WARM_UP_QUERY = {"sv": "flemingsberg", "en": "flemingsberg"}  # a word outside those queries
DEEP_PAGE = 1000  # the story index's deep page, or the deepest that exists
# Stories and winners differ in content from one size to the next (an image more in a
# body is a query more): each of those rows measures this many pages, and counts the
# most queries any of them needed.
SAMPLE = 5

# The scaling targets, at the largest size.
GROWTH_LIMIT = 1.5  # × the time at 1 000 pages
SEARCH_P95_MS = 50.0
COMMAND_SECONDS = 60.0
MEMORY_GROWTH_LIMIT = 1.5  # "flat": peak memory × the one at 1 000 pages
GENERATION_RATE = 1000.0  # pages per second

# (key, label, kind, languages): one row per key and language.
MEASUREMENTS = [
    ("story_recent", "story page, recent", "public", LANGUAGES),
    ("story_old", "story page, old", "public", LANGUAGES),
    ("index_first", "story index, page 1", "public", LANGUAGES),
    ("index_deep", f"story index, page {DEEP_PAGE:,} or the deepest", "public", LANGUAGES),
    ("topic", "topic filter", "public", LANGUAGES),
    ("timeline", "timeline", "public", LANGUAGES),
    ("winner", "award winner", "public", LANGUAGES),
    ("award", "award programme", "public", LANGUAGES),
    ("home", "home page", "public", LANGUAGES),
    ("rss", "RSS feed", "public", LANGUAGES),
    ("event", "event page", "public", LANGUAGES),
    ("calendar", "calendar feed", "public", LANGUAGES),
    ("sitemap", "`/sitemap.xml`", "sitemap", (None,)),
    ("sitemap_first", "sitemap, first file", "sitemap", (None,)),
    ("sitemap_last", "sitemap, last file", "sitemap", (None,)),
    ("search", "search, two words", "search", LANGUAGES),
    ("admin_dashboard", "admin dashboard", "admin", (None,)),
    ("admin_report", "missing-translations report", "admin", (None,)),
    ("admin_explorer", "explorer of the story index", "admin", (None,)),
    ("admin_edit", "edit view of a story", "admin", (None,)),
    ("translation_status", "`translation_status`", "command", (None,)),
    ("export_content_po", "`export_content_po`", "command", (None,)),
    ("generation", "generating the volume", "generation", (None,)),
]
COMMANDS = {
    "translation_status": ["translation_status"],
    "export_content_po": ["export_content_po", "--language", "en", "--output", "{folder}/en.po"],
}


def log(message):
    print(message, file=sys.stderr, flush=True)


def row_id(key, language):
    return f"{key}:{language}" if language else key


# Figures and verdicts (pure functions) -------------------------------------------------


def median(values):
    return statistics.median(values) if values else None


def percentile(values, percent):
    """Nearest-rank percentile: the smallest value with ``percent`` % of them at or below."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(percent / 100 * len(ordered)))
    return ordered[rank - 1]


def ratio(value, base):
    if value is None or not base:
        return None
    return value / base


def number(value, digits=0):
    """``12 345.6`` with a thin space between thousands; ``—`` for nothing."""
    if value is None:
        return "—"
    return f"{value:,.{digits}f}".replace(",", " ")


def base_size(sizes):
    """The size the growth is measured against: 1 000 when measured, else the smallest."""
    return BASE_SIZE if BASE_SIZE in sizes else min(sizes)


def verdict(kind, base, largest, compared):
    """(growth, target, holds) cells of a row: ``base`` and ``largest`` are the figures at
    the base size and the largest one (dicts, see ``measure_*``); ``compared`` says
    whether they are different sizes (a one-size run has no growth)."""
    if (largest or {}).get("missing") or (base or {}).get("missing"):
        reason = (largest or {}).get("missing") or base.get("missing")
        return "—", target_text(kind), reason
    if kind == "generation":
        rate = largest["rate"]
        holds = rate >= GENERATION_RATE
        return "—", target_text(kind), "✓" if holds else f"✗ {number(rate)} pages/s"
    if kind == "search":
        p95 = largest["p95"]
        growth = ratio(largest["ms"], base["ms"]) if compared else None
        holds = p95 <= SEARCH_P95_MS
        return (
            growth_text(growth),
            target_text(kind),
            ("✓" if holds else f"✗ p95 {number(p95, 1)} ms"),
        )
    if kind == "command":
        problems = []
        if largest["seconds"] > COMMAND_SECONDS:
            problems.append(f"{number(largest['seconds'])} s")
        memory = ratio(largest["rss_mb"], base["rss_mb"]) if compared else None
        if memory is not None and memory > MEMORY_GROWTH_LIMIT:
            problems.append(f"memory {memory:.2f}×")
        growth = ratio(largest["seconds"], base["seconds"]) if compared else None
        cell = growth_text(growth)
        if memory is not None:
            cell += f", memory {memory:.2f}×"
        if not compared and not problems:
            return cell, target_text(kind), "✓ (time; memory needs two sizes)"
        return cell, target_text(kind), "✓" if not problems else "✗ " + ", ".join(problems)
    # public pages, the sitemap, the admin: time against the base size
    problems = list(largest.get("problems", []))
    if not compared:
        return "—", target_text(kind), "✗ " + ", ".join(problems) if problems else "— (one size)"
    growth = ratio(largest["ms"], base["ms"])
    if growth > GROWTH_LIMIT:
        problems.append(f"{growth:.2f}×")
    if kind == "public" and largest["queries"] > base["queries"]:
        problems.append(f"queries {base['queries']} → {largest['queries']}")
    return (
        growth_text(growth),
        target_text(kind),
        "✓" if not problems else "✗ " + ", ".join(problems),
    )


def growth_text(growth):
    return "—" if growth is None else f"{growth:.2f}×"


def target_text(kind):
    return {
        "public": f"≤ {GROWTH_LIMIT}×, no more queries",
        "sitemap": f"≤ {GROWTH_LIMIT}×; an index, ≤ 10 000 URLs a file, lastmod",
        "admin": f"≤ {GROWTH_LIMIT}×",
        "search": f"p95 ≤ {SEARCH_P95_MS:.0f} ms",
        "command": f"≤ {COMMAND_SECONDS:.0f} s, memory ≤ {MEMORY_GROWTH_LIMIT}×",
        "generation": f"≥ {GENERATION_RATE:,.0f} pages/s".replace(",", " "),
    }[kind]


def cells(kind, figures):
    """The (time, queries) cells of one size."""
    if figures is None:
        return "—", "—"
    if figures.get("missing"):
        return figures["missing"], "—"
    if kind == "generation":
        text = f"{number(figures['rate'])} pages/s"
        if figures.get("own_rate"):
            text += f" ({number(figures['own_rate'])} writing)"
        return text, "—"
    if kind == "command":
        return f"{number(figures['seconds'], 1)} s, {number(figures['rss_mb'])} MB", "—"
    if kind == "search":
        return f"{number(figures['ms'], 1)} (p95 {number(figures['p95'], 1)})", str(
            figures["queries"]
        )
    return number(figures["ms"], 1), str(figures["queries"])


def table(results, sizes):
    """One Markdown table of ``results`` (``{size: {row id: figures}}``) over ``sizes``."""
    base, largest = base_size(sizes), max(sizes)
    head = ["measurement", "lang"]
    for size in sizes:
        head += [f"{number(size)} ms", "q"]
    head += [f"growth {number(largest)} / {number(base)}", "target", "holds"]
    lines = ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
    for key, label, kind, languages in MEASUREMENTS:
        for language in languages:
            ident = row_id(key, language)
            row = [label, language or ""]
            for size in sizes:
                row += cells(kind, results.get(size, {}).get(ident))
            base_figures = results.get(base, {}).get(ident)
            largest_figures = results.get(largest, {}).get(ident)
            if largest_figures is None:
                row += ["—", target_text(kind), "not measured"]
            else:
                row += verdict(kind, base_figures, largest_figures, base != largest)
            lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


# Measuring, in a process of its own per database ---------------------------------------


class Failed(Exception):
    pass


def body(response):
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def find_targets():
    """``{row id: address}`` of everything requested, and notes on how they were chosen."""
    from django.apps import apps
    from django.conf import settings
    from django.db.models import Count, Q
    from django.urls import reverse
    from wagtail.models import Page, Site

    from awards.models import AwardPage, AwardWinnerPage
    from stories.models import StoryIndexPage, StoryPage, TimelinePage, Topic

    def path(page, language):
        return urlsplit(page.get_url_in(language)).path

    home = Site.objects.get(is_default_site=True).root_page.specific
    index = StoryIndexPage.objects.live().first()
    english = StoryPage.objects.live().public().exclude(Q(title_en__isnull=True) | Q(title_en=""))
    # Pages of one shape at every size: a body image is a query more, a hero image two,
    # so the fullest (a hero image, and an image in the body in both languages).
    english = english.filter(full_shape(StoryPage))
    recent = list(english.order_by("-date", "-pk")[:SAMPLE])
    old = list(english.order_by("date", "pk")[:SAMPLE])
    stories = index.get_stories().count()
    deepest = max(1, min(DEEP_PAGE, math.ceil(stories / settings.PORTAL_STORIES_PER_PAGE)))
    topic = (
        Topic.objects.annotate(n=Count("stories", filter=Q(stories__live=True)))
        .order_by("-n", "pk")
        .first()
    )
    timeline = TimelinePage.objects.live().annotate(n=Count("milestones")).order_by("-n").first()
    award = AwardPage.objects.live().order_by("-numchild", "pk").first()
    winners = list(
        AwardWinnerPage.objects.live()
        .public()
        .exclude(Q(title_en__isnull=True) | Q(title_en=""))
        .order_by("-year", "-pk")[:SAMPLE]
    )

    targets = {}
    for language in LANGUAGES:
        topic_slug = getattr(topic, f"slug_{language}", None) or topic.slug_sv
        targets[f"story_recent:{language}"] = [path(page, language) for page in recent]
        targets[f"story_old:{language}"] = [path(page, language) for page in old]
        targets[f"index_first:{language}"] = path(index, language)
        targets[f"index_deep:{language}"] = f"{path(index, language)}?page={deepest}"
        targets[f"topic:{language}"] = f"{path(index, language)}?topic={topic_slug}"
        targets[f"timeline:{language}"] = path(timeline, language)
        targets[f"winner:{language}"] = [path(page, language) for page in winners]
        targets[f"award:{language}"] = path(award, language)
        targets[f"home:{language}"] = path(home, language)
        targets[f"rss:{language}"] = f"{path(index, language)}rss/"

    # Events are measured once the portal has them: a page model named like one.
    page_models = [m for m in apps.get_models() if issubclass(m, Page) and m is not Page]
    event_models = [m for m in page_models if "event" in m.__name__.lower()]
    event_pages = [m for m in event_models if "index" not in m.__name__.lower()]
    event_indexes = [m for m in event_models if "index" in m.__name__.lower()]
    event = next(
        (
            m.objects.live().public().filter(full_shape(m)).order_by("-pk").first()
            or m.objects.live().public().order_by("-pk").first()
            for m in event_pages
        ),
        None,
    )
    event_index = next((m.objects.live().public().first() for m in event_indexes), None)
    for language in LANGUAGES:
        targets[f"event:{language}"] = path(event, language) if event else None
        targets[f"calendar:{language}"] = (
            {"find_calendar_in": path(event_index, language)} if event_index else None
        )

    targets["admin_dashboard"] = reverse("wagtailadmin_home")
    targets["admin_report"] = reverse("portal_translations:report")
    targets["admin_explorer"] = reverse("wagtailadmin_explore", args=[index.pk])
    targets["admin_edit"] = reverse("wagtailadmin_pages:edit", args=[recent[0].pk])
    notes = {
        "stories": stories,
        "pages": Page.objects.count(),
        "live pages": Page.objects.live().count(),
        "topic": f"{topic.slug_sv} ({topic.n} stories)",
        "timeline milestones": timeline.n,
        "award programme winners": award.numchild,
    }
    return targets, notes


def full_shape(model):
    """Pages of ``model`` with a hero image and English text, and an image block in the
    body in both languages (when the model has them)."""
    from django.db.models import Q

    fields = {field.name for field in model._meta.get_fields()}
    shape = Q()
    if "hero_image" in fields:
        shape &= Q(hero_image__isnull=False)
    shape &= ~Q(title_en__isnull=True) & ~Q(title_en="")
    for body in ("body_sv", "body_en"):
        if body in fields:
            shape &= Q(**{f"{body}__icontains": '"type": "image"'})
    return shape


class Measurer:
    def __init__(self):
        from django.contrib.auth import get_user_model
        from django.test import Client

        self.public = Client(HTTP_HOST=HOST, HTTP_X_FORWARDED_PROTO="https")
        self.admin = Client(HTTP_HOST=HOST, HTTP_X_FORWARDED_PROTO="https")
        user, _created = get_user_model().objects.get_or_create(
            username="scale-bench-admin",
            defaults={"is_superuser": True, "is_staff": True, "email": "bench@example.invalid"},
        )
        self.admin.force_login(user)
        self.failures = []

    def get(self, client, url, follow=False, cold=True):
        """One request, by default cold (every cache cleared first): (response, ms,
        queries)."""
        from django.core.cache import caches
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        if cold:
            for alias in caches:
                caches[alias].clear()
        # The log keeps the last 9 000 queries: counted from an empty one, or a run past
        # that many would count none.
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url, follow=follow)
            content = body(response)
            elapsed = (time.perf_counter() - started) * 1000
        return response, content, elapsed, len(captured)

    def check(self, response, url):
        if response.status_code != 200:
            message = f"{url} answered {response.status_code}"
            location = response.get("Location")
            if location:
                message += f" (to {location})"
            log("FAILED: " + message)
            self.failures.append(message)
            return False
        return True

    def measure(self, url, client=None, follow=False, repeat=REQUESTS):
        """Median ms and queries of ``repeat`` cold requests after an untimed one."""
        client = client or self.public
        response, content, _ms, _queries = self.get(client, url, follow)
        final = url
        if follow and response.redirect_chain:
            final = response.redirect_chain[-1][0]
        if not self.check(response, url):
            return {"missing": f"HTTP {response.status_code}", "url": url}
        timings, queries = [], []
        for _ in range(repeat):
            response, content, ms, count = self.get(client, final)
            if not self.check(response, final):
                return {"missing": f"HTTP {response.status_code}", "url": final}
            timings.append(ms)
            queries.append(count)
        return {
            "ms": median(timings),
            "queries": max(queries),
            "url": final if final == url else f"{url} → {final}",
            "kb": len(content) / 1024,
            "content": content,
            "timings": timings,
        }

    def measure_sample(self, urls):
        """Several pages of one kind: the median of all their requests, the most queries."""
        measured = [self.measure(url) for url in urls]
        failed = next((figures for figures in measured if figures.get("missing")), None)
        if failed:
            return failed
        return {
            "ms": median([ms for figures in measured for ms in figures["timings"]]),
            "queries": max(figures["queries"] for figures in measured),
            "url": measured[0]["url"] + (f" and {len(urls) - 1} more" if len(urls) > 1 else ""),
        }

    def deep_page(self, url):
        """The deep index page, following a redirect the listing offers (an archive)."""
        response, _content, _ms, _q = self.get(self.public, url, follow=True)
        if response.status_code == 404:
            return {"missing": "HTTP 404", "url": url}
        return self.measure(url, follow=True)

    def calendar(self, index_url):
        """The calendar feed linked from the event index (``.ics`` or ``text/calendar``)."""
        response, content, _ms, _q = self.get(self.public, index_url)
        if not self.check(response, index_url):
            return {"missing": f"HTTP {response.status_code}", "url": index_url}
        links = re.findall(rb"<(?:a|link)\b[^>]*>", content)
        for link in links:
            href = re.search(rb'href="([^"]+)"', link)
            if href and (b"text/calendar" in link or b".ics" in href.group(1)):
                parts = urlsplit(href.group(1).decode().replace("&amp;", "&"))
                return self.measure(parts.path + (f"?{parts.query}" if parts.query else ""))
        return {"missing": "no calendar link on the event index", "url": index_url}

    def sitemaps(self):
        """``/sitemap.xml`` and, for an index, its first and last file."""
        import xml.etree.ElementTree as ElementTree

        results = {}
        root_figures = self.measure("/sitemap.xml")
        results["sitemap"] = root_figures
        if root_figures.get("missing"):
            return results
        tree = ElementTree.fromstring(root_figures["content"])
        namespace = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
        if tree.tag == f"{namespace}sitemapindex":
            locations = [loc.text.strip() for loc in tree.iter(f"{namespace}loc")]
            files = {"sitemap_first": locations[0], "sitemap_last": locations[-1]}
            results["sitemap"]["files"] = len(locations)
            for key, location in files.items():
                parts = urlsplit(location)
                figures = self.measure(parts.path + (f"?{parts.query}" if parts.query else ""))
                results[key] = figures
                if not figures.get("missing"):
                    check_sitemap_file(figures, ElementTree.fromstring(figures["content"]))
        else:
            check_sitemap_file(root_figures, tree)
            root_figures["problems"] = ["not an index", *root_figures.get("problems", [])]
            for key in ("sitemap_first", "sitemap_last"):
                results[key] = {"missing": "not an index"}
        return results

    def search(self, language):
        """Each query once, as a running site answers it: results are never cached, the
        page around them (menu, footer, the site's settings) is, from an untimed search
        of other words first."""
        words = search_words(language)
        timings, queries = [], []
        warm_up = f"{SEARCH_PATHS[language]}?q={WARM_UP_QUERY[language]}"
        response, _content, _ms, _q = self.get(self.public, warm_up)
        if not self.check(response, warm_up):
            return {"missing": f"HTTP {response.status_code}", "url": warm_up}
        for query in words:
            url = f"{SEARCH_PATHS[language]}?q={query.replace(' ', '+')}"
            response, _content, ms, count = self.get(self.public, url, cold=False)
            if not self.check(response, url):
                return {"missing": f"HTTP {response.status_code}", "url": url}
            timings.append(ms)
            queries.append(count)
        return {
            "ms": median(timings),
            "p95": percentile(timings, 95),
            "queries": max(queries),
            "url": f"{SEARCH_PATHS[language]}?q=… ({len(words)} queries, e.g. “{words[0]}”)",
        }


def check_sitemap_file(figures, tree):
    namespace = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    urls = tree.findall(f"{namespace}url")
    figures["urls"] = len(urls)
    problems = figures.setdefault("problems", [])
    if len(urls) > 10000:
        problems.append(f"{len(urls)} URLs in one file")
    if urls and any(url.find(f"{namespace}lastmod") is None for url in urls):
        problems.append("no lastmod")


def search_words(language, count=SEARCH_REQUESTS):
    """``count`` different two-word queries from the generated text's common words."""
    from portal.volume.text import ENGLISH_BASE, SWEDISH_BASE

    vocabulary = (SWEDISH_BASE if language == "sv" else ENGLISH_BASE)[:30]
    rng = random.Random(19)
    pairs = [(a, b) for a in vocabulary for b in vocabulary if a < b]
    return [" ".join(pair) for pair in rng.sample(pairs, count)]


def measure_site(output, read_only):
    """Every address of the database in the environment; figures as JSON in ``output``."""
    import django

    django.setup()
    from django.db import transaction

    if read_only:
        # The run's superuser, its session and any image rendition are rolled back
        # (inside the transaction, a view's own atomic blocks add SAVEPOINT queries).
        with transaction.atomic():
            results, notes, failures = _measure_site()
            transaction.set_rollback(True)
    else:
        results, notes, failures = _measure_site()
    Path(output).write_text(json.dumps({"results": results, "notes": notes, "failures": failures}))


def _measure_site():
    targets, notes = find_targets()
    measurer = Measurer()
    results = {}
    log(f"  {notes['live pages']} live pages, {notes['stories']} stories")
    # One request to every address first: what a long-running process has loaded
    # (modules, templates, image renditions) is not what any one measurement pays.
    for ident, target in targets.items():
        client = measurer.admin if ident.startswith("admin_") else measurer.public
        urls = [target] if isinstance(target, str) else target if isinstance(target, list) else []
        for url in urls:
            measurer.get(client, url, follow=True)
    for key, _label, kind, languages in MEASUREMENTS:
        if kind not in ("public", "admin"):
            continue
        for language in languages:
            ident = row_id(key, language)
            target = targets.get(ident)
            if target is None:
                results[ident] = {"missing": "not built"}
            elif key == "index_deep":
                results[ident] = measurer.deep_page(target)
            elif isinstance(target, dict):
                results[ident] = measurer.calendar(target["find_calendar_in"])
            elif isinstance(target, list):
                results[ident] = measurer.measure_sample(target)
            elif kind == "admin":
                results[ident] = measurer.measure(target, client=measurer.admin)
            else:
                results[ident] = measurer.measure(target)
            log(f"  {ident:24} {describe(results[ident])}")
    for ident, figures in measurer.sitemaps().items():
        results[ident] = figures
        log(f"  {ident:24} {describe(figures)}")
    for language in LANGUAGES:
        ident = row_id("search", language)
        results[ident] = measurer.search(language)
        log(f"  {ident:24} {describe(results[ident])}")
    for figures in results.values():
        figures.pop("content", None)
        figures.pop("timings", None)
    return results, notes, measurer.failures


def describe(figures):
    if figures.get("missing"):
        return f"{figures['missing']} {figures.get('url', '')}"
    text = f"{figures['ms']:8.1f} ms {figures['queries']:3} queries  {figures['url']}"
    if figures.get("p95") is not None:
        text += f"  p95 {figures['p95']:.1f} ms"
    if figures.get("urls") is not None:
        text += f"  {figures['urls']} URLs, {figures['kb']:.0f} kB"
    if figures.get("problems"):
        text += "  (" + ", ".join(figures["problems"]) + ")"
    return text


# The run: databases, generation, commands -----------------------------------------------


class Database:
    """A database of the run: PostgreSQL on ``server`` or a SQLite file in ``folder``."""

    def __init__(self, name, server=None, folder=None):
        self.name, self.server = name, server
        if server:
            self.url = f"{server}/{name}"
        else:
            self.file = (
                Path(name) if name.endswith(".sqlite3") else Path(folder) / f"{name}.sqlite3"
            )
            self.url = f"sqlite:///{self.file.resolve()}"

    def create(self):
        if self.server:
            create_database(self.server, self.name)

    def drop(self):
        if self.server:
            drop_database(self.server, self.name)
        else:
            self.file.unlink(missing_ok=True)

    def exists(self):
        if not self.server:
            return self.file.exists()
        import psycopg

        with psycopg.connect(f"{self.server}/postgres") as connection:
            found = connection.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [self.name]
            ).fetchone()
        return found is not None

    def execute(self, sql, fetch=False):
        """``sql`` outside a transaction (``VACUUM`` needs that); its first value if ``fetch``."""
        if self.server:
            import psycopg

            with psycopg.connect(self.url, autocommit=True) as connection:
                cursor = connection.execute(sql)
                return cursor.fetchone()[0] if fetch else None
        with contextlib.closing(sqlite3.connect(self.file, isolation_level=None)) as connection:
            cursor = connection.execute(sql)
            return cursor.fetchone()[0] if fetch else None

    def pages(self):
        return self.execute("SELECT count(*) FROM wagtailcore_page", fetch=True)

    def analyze(self):
        """As autovacuum would after a bulk load: statistics, GIN pending lists merged."""
        self.execute("VACUUM ANALYZE" if self.server else "ANALYZE")


def manage(env, folder, *arguments, log_name="commands.log"):
    """``manage.py`` with ``arguments`` in ``env``; its output goes to a log (shown on
    failure) and is returned."""
    log_path = Path(folder) / log_name
    result = subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    with open(log_path, "a") as output:
        output.write(f"\n$ manage.py {' '.join(arguments)}\n{result.stdout}")
    if result.returncode != 0:
        raise Failed(
            f"manage.py {' '.join(arguments)} failed ({result.returncode}):\n"
            + result.stdout[-3000:]
        )
    return result.stdout


def generate(database, env, folder, size):
    """``seed_volume --pages <size>``, timed from the command's start to its end (Django's
    start-up included): pages created, seconds, pages per second, and the rate the
    command reports for its writing alone."""
    before = database.pages()
    started = time.perf_counter()
    output = manage(env, folder, "seed_volume", "--pages", str(size), "--force")
    seconds = time.perf_counter() - started
    created = database.pages() - before
    reported = re.search(r"Generated (\d+) pages in ([\d.]+) s", output)
    own_rate = int(reported[1]) / float(reported[2]) if reported and float(reported[2]) else None
    return {
        "pages": created,
        "seconds": seconds,
        "rate": created / seconds if seconds else 0.0,
        "own_rate": own_rate,
    }


def run_command(env, folder, key):
    """One management command: seconds and peak resident memory (MB) of its process."""
    arguments = [part.format(folder=folder) for part in COMMANDS[key]]
    started = time.perf_counter()
    with open(Path(folder) / "commands.log", "a") as output:
        output.write(f"\n$ manage.py {' '.join(arguments)}\n")
        output.flush()
        process = subprocess.Popen(
            [sys.executable, "manage.py", *arguments],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=output,
        )  # fmt: skip
        _pid, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        raise Failed(f"manage.py {' '.join(arguments)} exited with {process.returncode}")
    return {"seconds": seconds, "rss_mb": usage.ru_maxrss / 1024}  # ru_maxrss: kB on Linux


def measure_database(database, env, folder, read_only, commands=True):
    output = Path(folder) / f"{Path(database.name).stem}.json"
    result = subprocess.run(
        [sys.executable, __file__, "--measure-into", str(output)]
        + (["--read-only"] if read_only else []),
        cwd=ROOT, env=env,
    )  # fmt: skip
    if result.returncode != 0:
        raise Failed(f"measuring {database.name} failed ({result.returncode})")
    measured = json.loads(output.read_text())
    results = measured["results"]
    for key in COMMANDS if commands else ():
        log(f"  {key} …")
        results[key] = run_command(env, folder, key)
        log(f"  {key:24} {results[key]['seconds']:.1f} s, {results[key]['rss_mb']:.0f} MB")
    # Other work on the machine shows in every figure: say how busy it was.
    measured["notes"]["load average"] = f"{os.getloadavg()[0]:.1f}"
    return results, measured["notes"], measured["failures"]


def combine_rounds(rounds):
    """One round's figures from several of the same database: per row the median of the
    rounds' times (and 95th percentiles), the most queries; a row missing in any round
    is missing. ``rounds``: (results, notes, failures) per round."""
    if len(rounds) == 1:
        return rounds[0]
    results = {}
    for ident, first in rounds[0][0].items():
        every = [round_results.get(ident) or {} for round_results, _n, _f in rounds]
        missing = next((figures for figures in every if figures.get("missing")), None)
        if missing or "ms" not in first:
            results[ident] = missing or first  # commands run in the first round only
            continue
        figures = dict(first)
        figures["ms"] = median([f["ms"] for f in every])
        figures["queries"] = max(f["queries"] for f in every)
        if first.get("p95") is not None:
            figures["p95"] = median([f["p95"] for f in every])
        results[ident] = figures
    notes = dict(rounds[0][1])
    notes["load average"] = " / ".join(n.get("load average", "?") for _r, n, _f in rounds)
    failures = list(dict.fromkeys(failure for _r, _n, f in rounds for failure in f))
    return results, notes, failures


def environment(database, folder, media_root=None):
    env = production_env(
        database.url,
        folder,
        settings="bench.settings",
        BENCH_STATIC_ROOT=str(Path(folder) / "static"),
        PORTAL_CACHE_GENERATION_FILE=str(Path(folder) / f"generation-{Path(database.name).stem}"),
        PORTAL_PAGE_CACHE="false",
        PORTAL_FRAGMENT_CACHE="true",
        LOG_LEVEL="ERROR",
    )
    if media_root:
        env["MEDIA_ROOT"] = media_root
    env.pop("REDIS_URL", None)  # the local-memory cache of the process, cleared per request
    return env


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", type=int, nargs="+", default=list(SIZES), metavar="PAGES",
        help="page counts to measure (1000 10000 100000)",
    )  # fmt: skip
    parser.add_argument("--sqlite", action="store_true", help="SQLite files instead of PostgreSQL")
    parser.add_argument("--keep", action="store_true", help="keep the databases (and media)")
    parser.add_argument(
        "--reuse", nargs="+", metavar="NAME",
        help="measure existing databases (kept by --keep) without changing them",
    )  # fmt: skip
    parser.add_argument("--media-root", help="the media folder of the --reuse databases")
    parser.add_argument(
        "--rounds", type=int, default=1,
        help="measure every size this many times, in turn; the median counts (1)",
    )  # fmt: skip
    parser.add_argument("--measure-into", help=argparse.SUPPRESS)
    parser.add_argument("--read-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    import warnings

    warnings.filterwarnings("ignore", message="No directory at")
    if args.measure_into:
        return measure_site(args.measure_into, args.read_only)

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    folder = Path(tempfile.mkdtemp(prefix="scale-bench-"))
    server = None
    if not args.sqlite:
        server = server_url(os.environ.get("DATABASE_URL", "").strip() or DEFAULT_SERVER_URL)
        if not server.startswith(("postgres://", "postgresql://")):
            sys.exit(f"DATABASE_URL is not PostgreSQL ({server}); use --sqlite for SQLite")
    if args.reuse:
        plan = [(None, Database(name, server, folder)) for name in args.reuse]
    else:
        sizes = sorted(set(args.sizes))
        plan = [(size, Database(f"scale_bench_{size}_{os.getpid()}", server, folder))
                for size in sizes]  # fmt: skip
    results, notes, failures, created = {}, {}, [], []
    keep_folder = args.keep
    try:
        first_env = environment(plan[0][1], folder)
        log(f"static files into {folder / 'static'} …")
        manage(first_env, folder, "collectstatic", "--noinput", "-v", "0")
        # Every database first, then each measured in turn, ``--rounds`` times (in the
        # opposite order every other round), so that other work on the machine weighs
        # on every size alike.
        prepared = []
        for size, database in plan:
            env = environment(database, folder, args.media_root)
            generation = None
            if size is None:
                if not database.exists():
                    raise Failed(f"no database {database.name}")
            else:
                log(f"{database.name}: migrate, seed_demo …")
                database.create()
                created.append(database)
                manage(env, folder, "migrate", "--noinput")
                manage(env, folder, "seed_demo", "--no-warm")
                log(f"{database.name}: seed_volume --pages {size} …")
                generation = generate(database, env, folder, size)
                log(
                    f"  {generation['pages']} pages in {generation['seconds']:.1f} s "
                    f"({generation['rate']:.0f} pages/s; writing alone "
                    f"{number(generation['own_rate'])} pages/s)"
                )
                database.analyze()
            prepared.append((size, database, env, generation))
        rounds = {database.name: [] for _size, database, _env, _gen in prepared}
        for round_number in range(args.rounds):
            order = prepared if round_number % 2 == 0 else prepared[::-1]
            for size, database, env, _generation in order:
                log(f"{database.name}: measuring, round {round_number + 1} of {args.rounds} …")
                rounds[database.name].append(
                    measure_database(database, env, folder, size is None, round_number == 0)
                )
        for size, database, _env, generation in prepared:
            figures, size_notes, size_failures = combine_rounds(rounds[database.name])
            if size is None:
                size = size_notes["pages"]
            else:
                figures["generation"] = generation
            results[size], notes[size] = figures, size_notes
            failures += [f"{size} pages: {failure}" for failure in size_failures]
        kind = "SQLite" if args.sqlite else "PostgreSQL"
        print(report(results, notes, sorted(results), kind, args.rounds))
        if failures:
            print("\nFailed:\n" + "\n".join(f"- {failure}" for failure in failures))
            sys.exit(1)
    except Failed as error:
        log(str(error))
        if results:
            kind = "SQLite" if args.sqlite else "PostgreSQL"
            print(report(results, notes, sorted(results), kind, args.rounds))
        sys.exit(1)
    finally:
        for database in created:
            if args.keep:
                log(f"kept database {database.name} ({database.url}), media in {folder / 'media'}")
            else:
                with contextlib.suppress(Exception):
                    database.drop()
                    log(f"database {database.name} dropped")
        if not keep_folder:
            shutil.rmtree(folder, ignore_errors=True)


def report(results, notes, sizes, database, rounds=1):
    per_round = "" if rounds == 1 else f"; the median of {rounds} rounds over the sizes in turn"
    lines = [
        f"## Growth: {database}, " + ", ".join(f"{number(size)} pages" for size in sizes) + "\n",
        f"Median of {REQUESTS} cold requests per address (page cache off, caches cleared "
        f"before each request{per_round}), in-process with production settings; search: "
        f"{SEARCH_REQUESTS} two-word queries per language, median (p95); commands: time "
        f"and peak memory of the process; q: SQL queries.\n",
        table(results, sizes),
        "",
    ]
    for size in sizes:
        size_notes = ", ".join(f"{k} {v}" for k, v in notes[size].items())
        lines.append(f"- {number(size)}: {size_notes}")
    lines.append("\nAddresses:\n")
    lines += addresses(results, sizes)
    return "\n".join(lines)


def addresses(results, sizes):
    """One line per measurement: its address, or its address per size where they differ."""
    lines = []
    for key, _label, _kind, languages in MEASUREMENTS:
        for language in languages:
            ident = row_id(key, language)
            per_size = {}
            for size in sizes:
                figures = results.get(size, {}).get(ident) or {}
                if figures.get("url"):
                    text = f"`{figures['url']}`"
                    if figures.get("files") is not None:
                        text += f" ({figures['files']} files)"
                    elif figures.get("urls") is not None:
                        text += f" ({figures['urls']} URLs)"
                    per_size[size] = text
            if len(set(per_size.values())) == 1:
                lines.append(f"- {ident}: {next(iter(per_size.values()))}")
            elif per_size:
                lines.append(
                    f"- {ident}: "
                    + "; ".join(f"{number(size)}: {text}" for size, text in per_size.items())
                )
    return lines


if __name__ == "__main__":
    main()
