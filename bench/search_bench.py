"""Search latency on PostgreSQL over generated pages in Swedish and English.

Creates a throwaway database ``search_bench_<pid>`` (dropped at the end), migrates it,
adds ``--pages`` story pages with generated text in both languages, builds the search
index, then requests each query of a fixed set ``--repeat`` times through the search
results page (Django test client: view, database, template) and prints the median and
95th percentile per query and per language.

    make bench-search
    .venv/bin/python bench/search_bench.py --pages 1000 --repeat 30
    BENCH_POSTGRES_URL=postgres://user:password@host:5432 make bench-search

Not a test: the figures depend on the machine.
"""

import argparse
import contextlib
import io
import os
import random
import statistics
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if __name__ == "__main__":
    sys.path[0] = str(ROOT)

from bench.common import (  # noqa: E402
    DEFAULT_SERVER_URL,
    SEARCH_PATHS,
    create_database,
    drop_database,
    server_url,
)

QUERIES = {
    "sv": [
        "forskarna",
        "transplantationen",
        "deltagarna vinnaren",
        "symposiet or priset",
        '"cellterapi och samverkan"',
        "universitet -kultur",
        "njurtransplantationen",
        "immunlaboratoriet",
        "barnkirurgi",
        "saknasheltochhållet",
    ],
    "en": [
        "researcher",
        "transplantations",
        "participants winner",
        "symposium or awards",
        '"cell therapy and collaboration"',
        "university -culture",
        "kidneytransplants",
        "immunelaboratory",
        "childsurgery",
        "nosuchwordanywhere",
    ],
}


def build_site(page_count):
    from django.core.management import call_command
    from django.db import connection
    from wagtail.models import Site

    from bench.volume import add_stories, without_admin_search_index
    from portal.search.index import rebuild_index
    from stories.models import StoryIndexPage

    # wagtail-modeltranslation prints the columns it adds; keep the report readable.
    with contextlib.redirect_stdout(io.StringIO()):
        call_command("migrate", interactive=False, verbosity=0)
    # The migrations give a fresh site its (empty) home page in both languages.
    home = Site.objects.get(is_default_site=True).root_page.specific
    index = home.add_child(
        instance=StoryIndexPage(
            title="Nyheter",
            title_sv="Nyheter",
            title_en="News",
            slug="nyheter",
            slug_sv="nyheter",
            slug_en="news",
        )
    )
    rng = random.Random(1975)
    started = time.perf_counter()
    with without_admin_search_index():
        add_stories(index, page_count, rng, english_share=1.0)
    created = time.perf_counter() - started
    started = time.perf_counter()
    rows = rebuild_index()
    indexed = time.perf_counter() - started
    with connection.cursor() as cursor:
        # As autovacuum would after a bulk load: statistics, and the GIN pending list merged.
        cursor.execute("VACUUM ANALYZE")
    print(f"{page_count} pages created in {created:.1f} s; {rows} index rows in {indexed:.1f} s")


def measure(repeat):
    from django.db import connection
    from django.test import Client

    from portal.search.backends import get_backend
    from portal.search.views import visible_entries

    client = Client()
    backend = get_backend()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_size_pretty(pg_total_relation_size('portal_pagesearchentry'))")
        print(f"index table with its indexes: {cursor.fetchone()[0]}")
    print(f"\n{'lang':4}  {'query':34} {'hits':>5} {'median ms':>10} {'p95 ms':>8}")
    for language, queries in QUERIES.items():
        all_timings = []
        for query in queries:
            hits = backend.filter(visible_entries(language), query, language).count()
            url = SEARCH_PATHS[language]
            for _ in range(2):  # warm-up
                assert client.get(url, {"q": query}).status_code == 200
            timings = []
            for _ in range(repeat):
                started = time.perf_counter()
                response = client.get(url, {"q": query})
                timings.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200
            all_timings.extend(timings)
            print(
                f"{language:4}  {query:34} {hits:>5} {statistics.median(timings):>10.1f} "
                f"{percentile(timings, 95):>8.1f}"
            )
        print(
            f"{language:4}  {'(all queries)':34} {'':>5} {statistics.median(all_timings):>10.1f} "
            f"{percentile(all_timings, 95):>8.1f}\n"
        )


def percentile(values, percent):
    ordered = sorted(values)
    position = max(0, min(len(ordered) - 1, round(percent / 100 * len(ordered)) - 1))
    return ordered[position]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=1000, help="pages per language")
    parser.add_argument("--repeat", type=int, default=30, help="timed requests per query")
    args = parser.parse_args()

    server = server_url(os.environ.get("BENCH_POSTGRES_URL", DEFAULT_SERVER_URL))
    name = f"search_bench_{os.getpid()}"
    create_database(server, name)
    os.environ["DATABASE_URL"] = f"{server}/{name}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")
    # Static files are not collected for a benchmark; whitenoise's warning is noise here.
    warnings.filterwarnings("ignore", message="No directory at")
    try:
        import django

        django.setup()
        from django.db import connection

        print(f"PostgreSQL {connection.pg_version}, database {name}")
        build_site(args.pages)
        measure(args.repeat)
    finally:
        from django.db import connections

        connections.close_all()
        drop_database(server, name)
        print(f"database {name} dropped")


if __name__ == "__main__":
    main()
