"""Page speed: requests per second per page type against a bare Django view.

Builds a throwaway database (a temporary SQLite file, or ``page_bench_<pid>`` on the
PostgreSQL server of ``DATABASE_URL``; dropped at the end), migrates it, loads the
demo and a grown site's volume (``bench/volume.py``: 1 000 stories in both languages,
a 60-milestone timeline, an award programme with 40 winners, a cultural project), then
serves it with gunicorn and production settings on 127.0.0.1 and runs wrk per page
type, in two phases:

* **cache hit**: the page cache on, each address warmed first; every measured response
  must carry ``X-Portal-Cache: hit``;
* **cache miss**: gunicorn restarted with ``PORTAL_PAGE_CACHE=false``, fragment caches
  warmed, so each request renders the page from the database.

Each page type's run follows a run of the bare view (``bench/urls.py``: a trivial view
behind the same middleware) in the same phase, and its rate is given as a ratio to it.
SQL queries per page on a miss are counted in-process with the test client, worker RSS
is read from ``/proc``. Prints Markdown tables with a verdict against the targets;
exits 0 whether or not the targets are met, 1 on any 5xx, failed request or a page that
does not answer 200.

    make bench
    make bench BENCH_ARGS="--duration 5 --profile 3"
    DATABASE_URL=postgres://postgres@127.0.0.1:5432 make bench
    .venv/bin/python bench/page_bench.py --quick

Not a test: the figures depend on the machine and on what else it is doing; the ratios
within one run are what compare.
"""

import argparse
import contextlib
import cProfile
import io
import os
import pstats
import shutil
import signal
import sys
import tempfile
import time
import warnings
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
# The project and the ``bench`` folder importable as ``bench.*`` (not this folder's
# modules under their bare names).
if __name__ == "__main__":
    sys.path[0] = str(ROOT)

from bench.common import (  # noqa: E402
    HOST,
    SEARCH_PATHS,
    Gunicorn,
    create_database,
    drop_database,
    production_env,
    request,
    run_wrk,
    server_url,
)

# (key, label, hit target %, miss target %): docs/DESIGN "Quality bars" and the issue.
PAGE_TYPES = [
    ("home", "home page", 80, 6),
    ("story", "story", 80, 8),
    ("story_index", "story index", 80, 6),
    ("timeline", "timeline (60 milestones)", 80, 6),
    ("award", "award programme (40 winners)", 80, 6),
    ("winner", "award winner", 80, 6),
    ("culture_project", "culture project", 80, 6),
    ("culture_index", "culture project index", 80, 6),
    ("standard", "standard page", 80, 6),
    ("search", "search results", None, 3),
]
MAX_QUERIES = 12
SEARCHES = {"sv": ["forskning", "transplantation"], "en": ["research", "transplantation"]}
BARE = ["/sv/bench/bare/", "/en/bench/bare/"]


def log(message):
    print(message, file=sys.stderr, flush=True)


@contextlib.contextmanager
def quiet():
    """wagtail-modeltranslation and collectstatic talk while they work."""
    with contextlib.redirect_stdout(io.StringIO()):
        yield


def prepare(stories):
    """Collect static files, migrate, seed, generate the volume, index; the paths per type."""
    import django
    from django.core.management import call_command

    django.setup()
    from django.db import connection

    started = time.monotonic()
    with quiet():
        # Static files first: publishing may render pages, which name hashed files.
        call_command("collectstatic", interactive=False, verbosity=0)
        call_command("migrate", interactive=False, verbosity=0)
        call_command("seed_demo")
    log(f"static files, migrations and demo in {time.monotonic() - started:.0f} s")
    from bench.volume import generate

    started = time.monotonic()
    pages = generate(stories=stories)
    log(f"volume generated in {time.monotonic() - started:.0f} s")
    started = time.monotonic()
    with quiet():
        call_command("rebuild_portal_search")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")  # as autovacuum would after a bulk load
    log(f"search index in {time.monotonic() - started:.0f} s")
    return page_paths(pages)


def page_paths(pages):
    from django.utils.http import urlencode
    from wagtail.models import Page

    from stories.models import StoryPage

    def both(page):
        return [urlsplit(page.get_url_in(language)).path for language in ("sv", "en")]

    paths = {key: both(pages[key]) for key, *_ in PAGE_TYPES if key in pages}
    # A Swedish-only story is read at its English address too (with the notice).
    paths["story"] += both(pages["story_sv_only"])
    paths["search"] = [
        f"{SEARCH_PATHS[language]}?{urlencode({'q': word})}"
        for language, queries in SEARCHES.items()
        for word in queries
    ]
    summary = {
        "pages": Page.objects.live().count(),
        "stories": StoryPage.objects.live().count(),
        "english stories": StoryPage.objects.live().filter(title_en__isnull=False).count(),
    }
    return paths, summary


def count_queries(paths):
    """Queries per page on a miss (page cache off, fragments warm), in-process."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    client = Client(HTTP_HOST=HOST, HTTP_X_FORWARDED_PROTO="https")
    counts = {}
    with override_settings(PORTAL_PAGE_CACHE=False):
        for key, type_paths in paths.items():
            per_path = []
            for path in type_paths:
                for _ in range(2):  # fragments, renditions
                    response = client.get(path)
                    if response.status_code != 200:
                        sys.exit(f"{path} answered {response.status_code} in-process")
                with CaptureQueriesContext(connection) as captured:
                    client.get(path)
                per_path.append(len(captured))
            counts[key] = per_path
    return counts


@contextlib.contextmanager
def template_timer():
    """Inclusive rendering time and count per template name (a template's time includes
    the templates it includes or extends)."""
    from django.template.base import Template

    timings = {}
    original = Template._render

    def timed(self, context):
        started = time.perf_counter()
        try:
            return original(self, context)
        finally:
            name = self.origin.template_name or self.origin.name or "(string)"
            seconds, calls = timings.get(name, (0.0, 0))
            timings[name] = (seconds + time.perf_counter() - started, calls + 1)

    Template._render = timed
    try:
        yield timings
    finally:
        Template._render = original


def profile(paths, keys, repeat, top):
    """cProfile of ``repeat`` misses per page type in ``keys`` (fragments warm): time per
    request and in SQL, the templates, the project's own functions and the hottest
    functions anywhere."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    site_packages = str(Path(sys.executable).resolve().parent.parent)
    prefixes = [f"{ROOT}/.venv/lib/python3.11/site-packages/", f"{ROOT}/", site_packages]
    client = Client(HTTP_HOST=HOST, HTTP_X_FORWARDED_PROTO="https")
    with override_settings(PORTAL_PAGE_CACHE=False):
        for key in keys:
            for path in paths[key]:
                client.get(path)
            profiler = cProfile.Profile()
            started = time.perf_counter()
            with CaptureQueriesContext(connection) as captured, template_timer() as templates:
                profiler.enable()
                for _ in range(repeat):
                    for path in paths[key]:
                        client.get(path)
                profiler.disable()
            elapsed = time.perf_counter() - started
            requests = repeat * len(paths[key])
            sql = sum(float(q["time"]) for q in captured.captured_queries)
            print(f"\n### Profile: {key}, {requests} misses in-process\n")
            print(
                f"{elapsed / requests * 1000:.1f} ms per request (with the profiler), of which "
                f"SQL {sql / requests * 1000:.1f} ms in {len(captured) / requests:.0f} queries\n"
            )
            print("Templates (inclusive ms per request, renders per request):\n\n```")
            for name, (seconds, calls) in sorted(templates.items(), key=lambda i: -i[1][0])[:12]:
                print(f"{seconds / requests * 1000:8.1f} ms {calls / requests:6.1f}  {name}")
            print("```\n")
            for title, sort, restriction in (
                ("Project code by cumulative time", "cumulative", rf"^{ROOT}/(?!\.venv)"),
                ("Everything by own time", "tottime", ""),
            ):
                out = io.StringIO()
                stats = pstats.Stats(profiler, stream=out).sort_stats(sort)
                stats.print_stats(*([restriction] if restriction else []), top)
                body = out.getvalue()
                body = body[body.find("ncalls") :]
                for prefix in prefixes:
                    body = body.replace(prefix, "")
                print(f"{title}:\n\n```\n{body.rstrip()}\n```\n")


def measure(server, paths, folder, args, warm_seconds):
    """A warm-up of ``paths``, then wrk over them; the figures with the workers' RSS."""
    run_wrk(server.port, paths, folder, warm_seconds, args.connections, args.threads)
    figures = run_wrk(server.port, paths, folder, args.duration, args.connections, args.threads)
    figures["rss"] = server.worker_rss_mb()
    # wrk leaves requests queued at the end of a run, and sync workers finish them all:
    # one more request answers once they are done, so the next run starts on idle workers.
    request(server.port, BARE[0], timeout=300)
    return figures


def check_pages(server, paths):
    bad = []
    for type_paths in paths.values():
        for path in type_paths + BARE:
            status, _headers, _body = request(server.port, path)
            if status != 200:
                bad.append(f"{path}: {status}")
    if bad:
        sys.exit("pages that do not answer 200:\n" + "\n".join(bad))


def run_phase(name, env, paths, folder, args, warm_seconds):
    server = Gunicorn(env, args.workers, folder / f"gunicorn-{name}.log")
    try:
        check_pages(server, paths)
        results = {}
        for key, label, hit_target, _miss_target in PAGE_TYPES:
            if name == "hit" and hit_target is None:
                continue  # never cached
            if args.only and key not in args.only:
                continue
            bare = measure(server, BARE, folder, args, warm_seconds)
            page = measure(server, paths[key], folder, args, warm_seconds)
            results[key] = (bare, page)
            ratio = page["rate"] / bare["rate"] * 100 if bare["rate"] else 0.0
            log(
                f"{name:4} {label:30} bare {bare['rate']:7.0f}/s  page {page['rate']:7.1f}/s  "
                f"({ratio:5.1f} %)  cache {page['cache']}"
            )
        return results
    finally:
        server.stop()


def number(value, digits=0):
    return "—" if value is None else f"{value:,.{digits}f}".replace(",", " ")


def verdicts(name, key, target, bare, page, queries, database):
    problems = []
    ratio = page["rate"] / bare["rate"] * 100 if bare["rate"] else 0.0
    if target is not None and key == "search" and database != "PostgreSQL":
        target = None  # the search target is set for PostgreSQL
    if target is not None and ratio < target:
        problems.append(f"< {target} %")
    if name == "hit" and page["cache"].get("hit", 0) != page["requests"]:
        problems.append("not all hits")
    if name == "miss" and queries is not None and max(queries) > MAX_QUERIES:
        problems.append(f"> {MAX_QUERIES} queries")
    if target is None and not problems:
        return ratio, "—", "n/a"
    return (
        ratio,
        f"≥ {target} %" if target else "—",
        "✗ " + ", ".join(problems) if problems else "✓",
    )


def table(name, results, paths, queries, database):
    title = {"hit": "Cache hit (anonymous reader, page cache on)",
             "miss": "Cache miss (page cache off, fragment caches warm)"}[name]  # fmt: skip
    lines = [f"### {title}", ""]
    head = ["page", "addresses", "bare req/s", "req/s", "p50 ms", "p99 ms", "ratio",
            "target", "X-Portal-Cache", "queries", "worker RSS MB", "verdict"]  # fmt: skip
    lines.append("| " + " | ".join(head) + " |")
    lines.append("|" + " --- |" * len(head))
    for key, label, hit_target, miss_target in PAGE_TYPES:
        if key not in results:
            continue
        bare, page = results[key]
        target = hit_target if name == "hit" else miss_target
        counts = queries.get(key) if name == "miss" else None
        ratio, target_text, verdict = verdicts(name, key, target, bare, page, counts, database)
        cache = ", ".join(f"{k} {v}" for k, v in sorted(page["cache"].items()))
        lines.append(
            "| "
            + " | ".join(
                [
                    label,
                    str(len(paths[key])),
                    number(bare["rate"]),
                    number(page["rate"], 1),
                    number(page["latency_ms"]["p50"], 1),
                    number(page["latency_ms"]["p99"], 1),
                    f"{ratio:.1f} %",
                    target_text,
                    cache,
                    "–".join(str(n) for n in sorted({min(counts), max(counts)})) if counts else "—",
                    number(page["rss"]),
                    verdict,
                ]
            )
            + " |"
        )
    return "\n".join(lines)


def failures(results):
    """Every run with a 5xx, a failed request or another status than 200."""
    found = []
    for phase, runs in results.items():
        for key, figures in runs.items():
            for which, run in zip(("bare", "page"), figures, strict=True):
                other = {s: n for s, n in run["statuses"].items() if s != "200"}
                if run["server_errors"] or run["failed"] or other:
                    found.append(
                        f"{phase} {key} {which}: statuses {run['statuses']}, errors {run['errors']}"
                    )
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per run (10)")
    parser.add_argument("--quick", action="store_true", help="smoke run: 3 s runs, 200 stories")
    parser.add_argument("--stories", type=int, help="generated stories (1000; 200 with --quick)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (2)")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections (16)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (2)")
    parser.add_argument(
        "--only", nargs="+", choices=[key for key, *_ in PAGE_TYPES], metavar="TYPE",
        help="measure these page types only: " + ", ".join(key for key, *_ in PAGE_TYPES),
    )  # fmt: skip
    parser.add_argument(
        "--profile", type=int, default=0, metavar="N",
        help="print a cProfile of the N slowest page types on a miss (in-process)",
    )  # fmt: skip
    args = parser.parse_args()
    if args.quick:
        args.duration = min(args.duration, 3)
    stories = args.stories if args.stories is not None else (200 if args.quick else 1000)
    warm_seconds = 1 if args.quick else 2
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed (Debian: apt-get install wrk)")

    # Ctrl-C and SIGTERM both end in the cleanup below.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    warnings.filterwarnings("ignore", message="No directory at")
    folder = Path(tempfile.mkdtemp(prefix="page-bench-"))
    configured = os.environ.get("DATABASE_URL", "").strip()
    server = name = None
    if configured.startswith(("postgres://", "postgresql://")):
        server, name = server_url(configured), f"page_bench_{os.getpid()}"
        database, database_url = "PostgreSQL", f"{server_url(configured)}/{name}"
    else:
        database, database_url = "SQLite", f"sqlite:///{folder / 'bench.sqlite3'}"
    env = production_env(
        database_url,
        folder,
        settings="bench.settings",
        BENCH_STATIC_ROOT=str(folder / "static"),
        PORTAL_CACHE_GENERATION_FILE=str(folder / "cache-generation"),
        PORTAL_PAGE_CACHE="true",
        PORTAL_FRAGMENT_CACHE="true",
        LOG_LEVEL="WARNING",
    )
    env.pop("REDIS_URL", None)  # one local-memory cache per worker, the default
    try:
        if server:
            create_database(server, name)
        os.environ.clear()
        os.environ.update(env)
        paths, summary = prepare(stories)
        queries = count_queries(paths)
        from django.db import connections

        connections.close_all()
        results = {}
        results["hit"] = run_phase("hit", env, paths, folder, args, warm_seconds)
        miss_env = {**env, "PORTAL_PAGE_CACHE": "false"}
        results["miss"] = run_phase("miss", miss_env, paths, folder, args, warm_seconds)

        print(
            f"\n## Page speed: {database}, {summary['pages']} live pages "
            f"({summary['stories']} stories, {summary['english stories']} with English text)\n"
        )
        print(
            f"gunicorn {args.workers} sync workers, production settings, local-memory cache "
            f"per worker; wrk -t{args.threads} -c{args.connections}, {args.duration} s per run, "
            f"each page type right after a run of the bare view; addresses in both languages "
            f"taken in turn.\n"
        )
        for phase in ("hit", "miss"):
            print(table(phase, results[phase], paths, queries, database) + "\n")
        print("Addresses:\n")
        for key, type_paths in paths.items():
            print(f"- {key}: " + ", ".join(f"`{p}`" for p in type_paths))
        if args.profile:
            slowest = sorted(results["miss"], key=lambda k: results["miss"][k][1]["rate"])
            profile(paths, slowest[: args.profile], repeat=10, top=25)
        problems = failures(results)
        if problems:
            print("\nFailed:\n" + "\n".join(problems))
            sys.exit(1)
    finally:
        with contextlib.suppress(Exception):
            from django.db import connections

            connections.close_all()
        if server:
            drop_database(server, name)
            log(f"database {name} dropped")
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
