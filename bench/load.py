"""Load: wrk against gunicorn with production settings on PostgreSQL.

Creates a throwaway database ``portal_load_<pid>`` (dropped at the end), migrates and
seeds it with the demo, starts gunicorn with production settings (behind a simulated
TLS proxy: every request carries ``X-Forwarded-Proto: https``), then runs wrk for
``--duration`` seconds at ``--connections`` connections over a mix of every page in
the sitemap (both languages, every page type), the RSS feeds and searches in both
languages. Prints requests per second, latency percentiles and the status counts, and
exits 1 when any response was a 5xx or any request failed.

    make load
    .venv/bin/python bench/load.py --duration 60 --connections 32

Not a test: the figures depend on the machine.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path
from urllib.parse import quote, urlsplit

if __name__ == "__main__":
    sys.path[0] = str(Path(__file__).resolve().parent.parent)

from bench.common import (  # noqa: E402
    DEFAULT_SERVER_URL,
    HOST,
    ROOT,
    SEARCH_PATHS,
    Gunicorn,
    create_database,
    drop_database,
    production_env,
    run_wrk,
    server_url,
)

SERVER = server_url(os.environ.get("BENCH_POSTGRES_URL", DEFAULT_SERVER_URL))
SEARCHES = {
    "sv": ["forskning", "pris", "Flemingsberg", "kultur", "vinnare", "transplantation"],
    "en": ["research", "award", "Flemingsberg", "culture", "winner", "hospital"],
}


def site_paths(port, host):
    """Every page of the sitemap (both languages), the feeds, and searches."""

    def locations(path):
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}{path}",
            headers={"Host": host, "X-Forwarded-Proto": "https"},
        )
        body = urllib.request.urlopen(request, timeout=30).read().decode()
        return [urlsplit(url).path for url in re.findall(r"<loc>([^<]+)</loc>", body)]

    # /sitemap.xml is an index: the pages are in the files it names.
    paths = sorted({path for file in locations("/sitemap.xml") for path in locations(file)})
    paths += [re.sub(r"/$", "/rss/", p) for p in paths if p in ("/sv/nyheter/", "/en/news/")]
    for language, words in SEARCHES.items():
        paths += [f"{SEARCH_PATHS[language]}?q={quote(word)}" for word in words]
    return paths


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=60, help="seconds (default 60)")
    parser.add_argument("--connections", type=int, default=32, help="default 32")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) * 2 + 1)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed (Debian: apt-get install wrk)")

    name = f"portal_load_{os.getpid()}"
    folder = Path(tempfile.mkdtemp(prefix="portal-load-"))
    env = production_env(f"{SERVER}/{name}", folder)
    create_database(SERVER, name)
    server = None
    try:
        manage = [sys.executable, "manage.py"]
        dev = {**env, "DJANGO_SETTINGS_MODULE": "portal.settings.dev"}
        for command in (["migrate", "--noinput"], ["seed_demo"], ["rebuild_portal_search"]):
            subprocess.run(manage + command, cwd=ROOT, env=dev, check=True, capture_output=True)
        subprocess.run(
            manage + ["collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
        )
        server = Gunicorn(env, args.workers, folder / "gunicorn.log")
        paths = site_paths(server.port, HOST)
        print(f"load: {len(paths)} paths, {args.connections} connections, "
              f"{args.duration} s, gunicorn {args.workers} workers")  # fmt: skip
        figures = run_wrk(server.port, paths, folder, args.duration, args.connections, args.threads)
        print(f"requests: {figures['requests']} in {figures['seconds']:.1f} s = "
              f"{figures['rate']:.1f}/s")  # fmt: skip
        print("latency ms: " + ", ".join(f"{k} {v}" for k, v in figures["latency_ms"].items()))
        print(f"statuses: {dict(sorted(figures['statuses'].items()))}")
        print(f"5xx: {figures['server_errors']}, failed requests: {figures['failed']}")
        sys.exit(1 if figures["server_errors"] or figures["failed"] else 0)
    finally:
        if server is not None:
            server.stop()
        drop_database(SERVER, name)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
