"""Search latency on PostgreSQL over generated pages in Swedish and English.

Creates a throwaway database ``search_bench_<pid>`` (dropped at the end), migrates it,
adds ``--pages`` story pages with generated text in both languages, builds the search
index, then requests each query of a fixed set ``--repeat`` times through the search
results page (Django test client: view, database, template) and prints the median and
95th percentile per query and per language.

    make bench
    .venv/bin/python bench/search_bench.py --pages 1000 --repeat 30
    BENCH_POSTGRES_URL=postgres://user:password@host:5432 make bench

Not a test: the figures depend on the machine.
"""

import argparse
import contextlib
import datetime
import io
import os
import random
import statistics
import sys
import time
import warnings
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_SERVER_URL = "postgres://postgres@127.0.0.1:5432"

# Content words, with compounds for variety; drawn with Zipf-like frequencies so that
# some words are on most pages and others on a few, as in real text.
SWEDISH_BASE = (
    "forskning forskare forskarna vård vården patient patienterna transplantation "
    "transplantationen deltagare deltagarna vinnare vinnaren symposium symposiet cellterapi "
    "samverkan universitet universitetet sjukhus sjukhuset kultur konst utbildning studenter "
    "studenterna innovation företag företagen projekt projektet miljö stad staden pris priset "
    "kliniker industri nätverk samarbete framsteg läkemedel terapi behandling laboratorium"
).split()
SWEDISH_PREFIXES = (
    "njur hjärt stam gen bio nano cancer hjärn lung immun lever blod hud öga ben "
    "muskel nerv tarm barn äldre"
).split()
SWEDISH_STEMS = (
    "forskning terapi transplantation behandling projekt laboratoriet kirurgi diagnostik "
    "medicin studie klinik vård"
).split()
SWEDISH_FUNCTION_WORDS = "och i på med för av som att en ett den det till från".split()
ENGLISH_BASE = (
    "research researchers healthcare care patient patients transplantation transplantations "
    "participant participants winner winners symposium symposia cell therapy collaboration "
    "university universities hospital hospitals culture art education students innovation "
    "company companies project projects environment city award awards clinicians industry "
    "network partnership progress medicine treatment laboratory"
).split()
ENGLISH_PREFIXES = (
    "kidney heart stem gene bio nano cancer brain lung immune liver blood skin eye bone "
    "muscle nerve gut child elderly"
).split()
ENGLISH_STEMS = (
    "research therapy transplant treatment project laboratory surgery diagnostics "
    "medicine study clinic care"
).split()
ENGLISH_FUNCTION_WORDS = "and in on with for of which that a the to from".split()


def vocabulary(base, prefixes, stems):
    compounds = [f"{prefix}{stem}" for prefix in prefixes for stem in stems]
    words = base + compounds
    weights = [1 / rank for rank in range(1, len(words) + 1)]
    return words, weights


VOCABULARIES = {
    "sv": (vocabulary(SWEDISH_BASE, SWEDISH_PREFIXES, SWEDISH_STEMS), SWEDISH_FUNCTION_WORDS),
    "en": (vocabulary(ENGLISH_BASE, ENGLISH_PREFIXES, ENGLISH_STEMS), ENGLISH_FUNCTION_WORDS),
}

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


def words(rng, language, count):
    (content, weights), function_words = VOCABULARIES[language]
    chosen = []
    for _ in range(count):
        if rng.random() < 0.4:
            chosen.append(rng.choice(function_words))
        else:
            chosen.extend(rng.choices(content, weights))
    return " ".join(chosen)


def page_text(rng, language):
    title = words(rng, language, rng.randint(4, 8)).capitalize()
    lead = words(rng, language, 25).capitalize() + "."
    body = [("heading", {"text": words(rng, language, 4).capitalize(), "level": "h2"})]
    for _ in range(4):
        body.append(("paragraph", f"<p>{words(rng, language, 70).capitalize()}.</p>"))
    body.append(
        (
            "key_figures",
            {
                "heading": words(rng, language, 3),
                "figures": [{"value": "150+", "label": words(rng, language, 2)}],
            },
        )
    )
    body.append(("quote", {"text": words(rng, language, 20), "attribution": "A. Person"}))
    return title, lead, body


def create_database(server_url, name):
    import psycopg

    with psycopg.connect(f"{server_url}/postgres", autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')


def drop_database(server_url, name):
    import psycopg

    with psycopg.connect(f"{server_url}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def build_site(page_count):
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import override_settings
    from wagtail.models import Page, Site

    from home.models import HomePage
    from portal.search.index import rebuild_index
    from stories.models import StoryIndexPage, StoryPage

    # wagtail-modeltranslation prints the columns it adds; keep the report readable.
    with contextlib.redirect_stdout(io.StringIO()):
        call_command("migrate", interactive=False, verbosity=0)
    root = Page.get_first_root_node()
    home = root.add_child(
        instance=HomePage(
            title="Välkommen",
            title_sv="Välkommen",
            title_en="Welcome",
            slug="hem",
            slug_sv="hem",
            slug_en="home",
        )
    )
    site = Site.objects.get(is_default_site=True)
    site.root_page = home
    site.save()
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
    # Wagtail's own (admin) search index is not what is measured: skip its updates.
    no_admin_index = override_settings(
        WAGTAILSEARCH_BACKENDS={
            "default": {"BACKEND": "wagtail.search.backends.database", "AUTO_UPDATE": False}
        }
    )
    no_admin_index.enable()
    for number in range(page_count):
        title_sv, lead_sv, body_sv = page_text(rng, "sv")
        title_en, lead_en, body_en = page_text(rng, "en")
        index.add_child(
            instance=StoryPage(
                title=title_sv,
                title_sv=title_sv,
                title_en=title_en,
                slug=f"nyhet-{number}",
                slug_sv=f"nyhet-{number}",
                slug_en=f"story-{number}",
                date=datetime.date(2020, 1, 1) + datetime.timedelta(days=number),
                lead_sv=lead_sv,
                lead_en=lead_en,
                body_sv=body_sv,
                body_en=body_en,
            )
        )
    no_admin_index.disable()
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
            url = f"/{language}/search/"
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

    server_url = os.environ.get("BENCH_POSTGRES_URL", DEFAULT_SERVER_URL).rstrip("/")
    parts = urlsplit(server_url)
    server_url = urlunsplit((parts.scheme, parts.netloc, "", "", ""))
    name = f"search_bench_{os.getpid()}"
    create_database(server_url, name)
    os.environ["DATABASE_URL"] = f"{server_url}/{name}"
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
        drop_database(server_url, name)
        print(f"database {name} dropped")


if __name__ == "__main__":
    main()
