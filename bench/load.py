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
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
SERVER = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")
SEARCHES = {
    "sv": ["forskning", "pris", "Flemingsberg", "kultur", "vinnare", "transplantation"],
    "en": ["research", "award", "Flemingsberg", "culture", "winner", "hospital"],
}

# wrk's Lua side: cycle through the paths, count statuses, report as JSON at the end.
LUA = r"""
local paths = {}
for line in io.lines("%(paths)s") do paths[#paths + 1] = line end
local counter = 0
local threads = {}
function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end
function init(args)
  statuses = {}
  wrk.headers["X-Forwarded-Proto"] = "https"
  wrk.headers["Host"] = "%(host)s"
  counter = id * 7
end
function request()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1])
end
function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end
function done(summary, latency, requests)
  local merged = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      merged[tostring(status)] = (merged[tostring(status)] or 0) + count
    end
  end
  local parts = {}
  for status, count in pairs(merged) do parts[#parts + 1] = '"' .. status .. '":' .. count end
  local errors = summary.errors
  io.write(string.format(
    'WRK{"requests":%%d,"duration_us":%%d,"statuses":{%%s},' ..
    '"errors":{"connect":%%d,"read":%%d,"write":%%d,"timeout":%%d,"status":%%d},' ..
    '"latency_ms":{"p50":%%.1f,"p90":%%.1f,"p99":%%.1f,"max":%%.1f}}\n',
    summary.requests, summary.duration, table.concat(parts, ","),
    errors.connect, errors.read, errors.write, errors.timeout, errors.status,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000))
end
"""


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def psql(sql):
    subprocess.run(["psql", f"{SERVER}/postgres", "-q", "-c", sql], check=True, capture_output=True)


def site_paths(port, host):
    """Every page of the sitemap (both languages), the feeds, and searches."""
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/sitemap.xml",
        headers={"Host": host, "X-Forwarded-Proto": "https"},
    )
    sitemap = urllib.request.urlopen(request, timeout=30).read().decode()
    paths = sorted({urlsplit(url).path for url in re.findall(r"<loc>([^<]+)</loc>", sitemap)})
    paths += [re.sub(r"/$", "/rss/", p) for p in paths if p in ("/sv/nyheter/", "/en/news/")]
    for language, words in SEARCHES.items():
        paths += [f"/{language}/search/?q={quote(word)}" for word in words]
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
    host = "portal.example"
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DATABASE_URL=f"{SERVER}/{name}",
        MEDIA_ROOT=str(folder / "media"),
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS=f"{host},127.0.0.1",
        WAGTAILADMIN_BASE_URL=f"https://{host}",
        PORTAL_SERVE_MEDIA="true",
    )
    psql(f"CREATE DATABASE {name}")
    server = None
    try:
        manage = [sys.executable, "manage.py"]
        dev = {**env, "DJANGO_SETTINGS_MODULE": "portal.settings.dev"}
        for command in (["migrate", "--noinput"], ["seed_demo"], ["rebuild_portal_search"]):
            subprocess.run(manage + command, cwd=ROOT, env=dev, check=True, capture_output=True)
        env["DJANGO_SETTINGS_MODULE"] = "portal.settings.production"
        subprocess.run(
            manage + ["collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
        )
        port = free_port()
        log = open(folder / "gunicorn.log", "w")  # noqa: SIM115
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "portal.wsgi:application", "--bind",
             f"127.0.0.1:{port}", "--workers", str(args.workers)],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5)
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    sys.exit((folder / "gunicorn.log").read_text())
                time.sleep(0.3)
        paths = site_paths(port, host)
        (folder / "paths.txt").write_text("\n".join(paths) + "\n")
        script = folder / "mix.lua"
        script.write_text(LUA % {"paths": folder / "paths.txt", "host": host})
        print(f"load: {len(paths)} paths, {args.connections} connections, "
              f"{args.duration} s, gunicorn {args.workers} workers")  # fmt: skip
        result = subprocess.run(
            ["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{args.duration}s",
             "--timeout", "10s", "-s", str(script), f"http://127.0.0.1:{port}"],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        figures = json.loads(result.stdout.split("WRK", 1)[1])
        seconds = figures["duration_us"] / 1e6
        server_errors = sum(n for s, n in figures["statuses"].items() if s.startswith("5"))
        failures = sum(figures["errors"][k] for k in ("connect", "read", "write", "timeout"))
        print(f"requests: {figures['requests']} in {seconds:.1f} s = "
              f"{figures['requests'] / seconds:.1f}/s")  # fmt: skip
        print("latency ms: " + ", ".join(f"{k} {v}" for k, v in figures["latency_ms"].items()))
        print(f"statuses: {dict(sorted(figures['statuses'].items()))}")
        print(f"5xx: {server_errors}, failed requests: {failures}")
        sys.exit(1 if server_errors or failures else 0)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        psql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
