"""What the benchmarks share: throwaway databases, gunicorn with production settings,
and wrk with a Lua script that cycles through paths and counts statuses and cache hits.

Not a test module: nothing here asserts; the scripts in this folder decide what fails.
"""

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
HOST = "portal.example"
DEFAULT_SERVER_URL = "postgres://postgres@127.0.0.1:5432"
# The search page's address in each language (/sv/search/ only redirects there).
SEARCH_PATHS = {"sv": "/sv/sok/", "en": "/en/search/"}

# wrk's Lua side: cycle through the paths, count statuses and X-Portal-Cache values,
# report as JSON at the end (one line starting with WRK).
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
  caches = {}
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
  local cache = headers["X-Portal-Cache"] or headers["x-portal-cache"] or "none"
  caches[cache] = (caches[cache] or 0) + 1
end
local function merge(name)
  local merged = {}
  for _, thread in ipairs(threads) do
    for key, count in pairs(thread:get(name)) do
      merged[tostring(key)] = (merged[tostring(key)] or 0) + count
    end
  end
  local parts = {}
  for key, count in pairs(merged) do parts[#parts + 1] = '"' .. key .. '":' .. count end
  return table.concat(parts, ",")
end
function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    'WRK{"requests":%%d,"duration_us":%%d,"statuses":{%%s},"cache":{%%s},' ..
    '"errors":{"connect":%%d,"read":%%d,"write":%%d,"timeout":%%d,"status":%%d},' ..
    '"latency_ms":{"p50":%%.1f,"p90":%%.1f,"p99":%%.1f,"max":%%.1f}}\n',
    summary.requests, summary.duration, merge("statuses"), merge("caches"),
    errors.connect, errors.read, errors.write, errors.timeout, errors.status,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000))
end
"""


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_url(url):
    """``postgres://user@host:port`` of a PostgreSQL URL, without a database name."""
    parts = urlsplit(url.rstrip("/"))
    return urlunsplit((parts.scheme, parts.netloc, "", "", ""))


def create_database(server, name):
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')


def drop_database(server, name):
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def production_env(database_url, folder, settings="portal.settings.production", **extra):
    """The environment for production settings on ``database_url``, media in ``folder``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE=settings,
        MEDIA_ROOT=str(Path(folder) / "media"),
        SECRET_KEY=secrets.token_urlsafe(50),
        # localhost: the host of requests the site makes to render its own pages (warm-up).
        ALLOWED_HOSTS=f"{HOST},127.0.0.1,localhost",
        WAGTAILADMIN_BASE_URL=f"https://{HOST}",
        PORTAL_SERVE_MEDIA="true",
    )
    env.update(extra)
    return env


def request(port, path, timeout=30):
    """GET ``path`` as the simulated TLS proxy would pass it on: (status, headers, body)."""
    req = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", headers={"Host": HOST, "X-Forwarded-Proto": "https"}
    )
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(req, timeout=timeout) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Gunicorn:
    """gunicorn on a free 127.0.0.1 port; ``stop()`` ends it and its workers."""

    def __init__(self, env, workers, log_path, app="portal.wsgi:application", pythonpath=None):
        self.port = free_port()
        self.workers = workers
        self.log_path = Path(log_path)
        command = [sys.executable, "-m", "gunicorn", app, "--bind", f"127.0.0.1:{self.port}",
                   "--workers", str(workers)]  # fmt: skip
        if pythonpath:
            command += ["--pythonpath", str(pythonpath)]
        self.log = open(self.log_path, "a")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + 90
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=5)
                break
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    sys.exit(f"gunicorn did not start:\n{self.log_path.read_text()[-3000:]}")
                time.sleep(0.3)
        # Every worker booted (healthz may have come from the first one).
        deadline = time.monotonic() + 60
        while len(self.worker_pids()) < workers and time.monotonic() < deadline:
            time.sleep(0.2)

    def worker_pids(self):
        try:
            text = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text()
        except OSError:
            return []
        return [int(pid) for pid in text.split()]

    def worker_rss_mb(self):
        """The largest resident set of a worker, in MB."""
        sizes = []
        for pid in self.worker_pids():
            try:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        sizes.append(int(line.split()[1]) / 1024)
            except OSError:
                continue
        return max(sizes) if sizes else None

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


def run_wrk(port, paths, folder, duration, connections, threads, timeout="10s"):
    """wrk over ``paths`` in turn; the figures of its Lua ``done`` as a dict."""
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed (Debian: apt-get install wrk)")
    folder = Path(folder)
    paths_file = folder / "paths.txt"
    paths_file.write_text("\n".join(paths) + "\n")
    script = folder / "mix.lua"
    script.write_text(LUA % {"paths": paths_file, "host": HOST})
    result = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--timeout", timeout,
         "-s", str(script), f"http://127.0.0.1:{port}"],
        capture_output=True, text=True, check=True, timeout=duration + 60,
    )  # fmt: skip
    figures = json.loads(result.stdout.split("WRK", 1)[1])
    figures["seconds"] = figures["duration_us"] / 1e6
    figures["rate"] = figures["requests"] / figures["seconds"] if figures["seconds"] else 0.0
    figures["server_errors"] = sum(
        n for status, n in figures["statuses"].items() if status.startswith("5")
    )
    figures["failed"] = sum(figures["errors"][k] for k in ("connect", "read", "write", "timeout"))
    return figures
