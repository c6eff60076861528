#!/usr/bin/env python3
"""make docker-test: build the production image, run the compose stack, check it over HTTP.

Runs docker-compose.yml with docker-compose.test.yml on top, on this machine:

1. Installs Debian's docker.io, debootstrap and docker-compose when missing (as root)
   and starts dockerd when it is not running (and stops it again at the end).
2. Builds local stand-ins for the official base images, since no registry is reachable:
   a Debian bookworm root made by debootstrap and imported once, then small images for
   Python 3.11, PostgreSQL 15 and Redis 7 from Debian's packages (docker/*/Dockerfile).
3. Builds the application image from the production Dockerfile (BuildKit; the host's CA
   bundle as the `ca` secret, for a TLS-inspecting proxy) and starts the stack with
   host networking only, on ports 25432 (PostgreSQL), 26379 (Redis) and 28000 (web).
4. Checks over HTTP: /healthz, both languages, hashed and compressed static files, the
   admin login; adds content (seed_demo, the first admin), then takes the stack down
   (volumes kept) and up again and checks that pages, images and the login survived.

Always ends with `down -v`. Exit status 0 only when every check passed.
Standard library only (plus PyYAML, which Debian's docker-compose brings), so it runs
with the system Python before or without the project's virtualenv.
"""

import contextlib
import gzip
import hashlib
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROJECT = "portal_dockertest"
BASE_IMAGE = "portal-local/debian:bookworm"
LOCAL_IMAGES = {  # image: build directory, on top of BASE_IMAGE
    "portal-local/python:3.11": "docker/python",
    "portal-local/postgres:15": "docker/postgres",
    "portal-local/redis:7": "docker/redis",
}
WEB_IMAGE = "portal-test/web"  # the name docker-compose.test.yml gives the web service
HOST, PORT = "127.0.0.1", 28000
REDIS_PORT = 26379
STACK_PORTS = {25432: "PostgreSQL", REDIS_PORT: "Redis", PORT: "web"}  # docker-compose.test.yml
SITE = "https://portal.test"
MIRROR = os.environ.get("DEBIAN_MIRROR", "http://deb.debian.org/debian")
SECURITY_MIRROR = os.environ.get("DEBIAN_SECURITY_MIRROR", "http://deb.debian.org/debian-security")
CA_BUNDLE = os.environ.get("DOCKER_BUILD_CA", "/etc/ssl/certs/ca-certificates.crt")
# Set once the tools are installed: Debian's docker.io client, which has BuildKit built
# in, rather than another client earlier on PATH that may lack the buildx plugin.
DOCKER = os.environ.get("DOCKER", "")

timings = []  # (step, seconds)
checks = []  # (what, passed, detail)


class Failed(Exception):
    pass


@contextlib.contextmanager
def step(name):
    print(f"\n== {name}", flush=True)
    start = time.monotonic()
    try:
        yield
    finally:
        elapsed = time.monotonic() - start
        timings.append((name, elapsed))
        print(f"   ({elapsed:.1f} s)", flush=True)


def check(what, passed, detail=""):
    checks.append((what, bool(passed), detail))
    print(f"   [{'ok' if passed else 'FAIL'}] {what}{': ' + detail if detail else ''}", flush=True)
    if not passed:
        raise Failed(what)


def run(*args, timeout=900, capture=False, env=None, quiet=False, **kwargs):
    if not quiet:
        print("   $ " + " ".join(str(a) for a in args), flush=True)
    result = subprocess.run(
        [str(a) for a in args],
        timeout=timeout,
        text=True,
        capture_output=capture,
        env={**os.environ, **(env or {})},
        **kwargs,
    )
    if result.returncode != 0 and kwargs.get("check", True) is not False:
        if capture:
            print(result.stdout[-4000:], result.stderr[-4000:], sep="\n")
        raise Failed(f"{' '.join(str(a) for a in args[:3])} … exited {result.returncode}")
    return result


def succeeds(*args, timeout=60):
    try:
        return subprocess.run(args, capture_output=True, timeout=timeout).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


# --- Tools and the Docker daemon -------------------------------------------------------


def compose_command():
    client = DOCKER or "docker"
    if succeeds(client, "compose", "version"):
        return [client, "compose"]
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    return None


def install_tools():
    missing = []
    if not shutil.which("dockerd"):
        missing.append("docker.io")
    if not shutil.which("debootstrap"):
        missing.append("debootstrap")
    if compose_command() is None:
        missing.append("docker-compose")
    try:
        import yaml  # noqa: F401
    except ImportError:
        missing.append("python3-yaml")
    if missing:
        if os.geteuid() != 0:
            raise Failed(f"please install: {' '.join(missing)} (e.g. sudo apt-get install ...)")
        run("apt-get", "update", "-qq")
        run(
            "apt-get",
            "install",
            "-y",
            "-qq",
            *missing,
            env={"DEBIAN_FRONTEND": "noninteractive"},
        )
    global DOCKER
    DOCKER = DOCKER or ("/usr/bin/docker" if Path("/usr/bin/docker").exists() else "docker")
    print(f"   client {DOCKER}, compose: {' '.join(compose_command() or ['none'])}")


def start_dockerd(workdir):
    """Start dockerd when none answers; return its process to stop at the end."""
    if succeeds(DOCKER, "info"):
        print("   dockerd already running")
        return None
    if os.geteuid() != 0:
        raise Failed("dockerd is not running and only root can start it")
    log = open(workdir / "dockerd.log", "w")  # noqa: SIM115 - closed with the daemon
    # No default bridge and no firewall changes: every container here uses the host's
    # network, so nothing talks over a bridge's private addresses.
    daemon = subprocess.Popen(
        ["dockerd", "--bridge=none", "--iptables=false", "--ip-masq=false"],
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    for _ in range(60):
        if succeeds(DOCKER, "info"):
            print(f"   started dockerd (pid {daemon.pid})")
            return daemon
        if daemon.poll() is not None:
            break
        time.sleep(1)
    print((workdir / "dockerd.log").read_text()[-3000:])
    raise Failed("dockerd did not start")


def stop_dockerd(daemon):
    daemon.send_signal(signal.SIGTERM)
    try:
        daemon.wait(timeout=60)
    except subprocess.TimeoutExpired:
        daemon.kill()
        daemon.wait()
    print(f"   stopped dockerd (pid {daemon.pid})")


# --- Images ----------------------------------------------------------------------------


def image_exists(name):
    return succeeds(DOCKER, "image", "inspect", name)


def build_env():
    return {"DOCKER_BUILDKIT": "1"}


def import_base_image(workdir):
    if image_exists(BASE_IMAGE):
        print(f"   {BASE_IMAGE}: present")
        return
    if os.geteuid() != 0:
        raise Failed("debootstrap needs root")
    tree = workdir / "rootfs"
    run("debootstrap", "--variant=minbase", "bookworm", tree, MIRROR, capture=True)
    # The suites the official debian:bookworm image lists, so images get security updates.
    (tree / "etc/apt/sources.list").write_text(
        f"deb {MIRROR} bookworm main\n"
        f"deb {MIRROR} bookworm-updates main\n"
        f"deb {SECURITY_MIRROR} bookworm-security main\n"
    )
    run("chroot", tree, "apt-get", "clean")
    shutil.rmtree(tree / "var/lib/apt/lists", ignore_errors=True)
    (tree / "var/lib/apt/lists/partial").mkdir(parents=True)
    tar = subprocess.Popen(["tar", "-C", str(tree), "-c", "."], stdout=subprocess.PIPE)
    run(DOCKER, "import", "-", BASE_IMAGE, stdin=tar.stdout, capture=True)
    tar.stdout.close()
    if tar.wait() != 0:
        raise Failed("tar of the debootstrap tree failed")
    shutil.rmtree(tree, ignore_errors=True)


def build_local_images():
    """Python, PostgreSQL and Redis at once: mostly waiting for Debian's mirror.

    BuildKit's cache makes an unchanged image a no-op, and a changed Dockerfile counts.
    """
    builds = {}
    for name, directory in LOCAL_IMAGES.items():
        command = [
            DOCKER,
            "build",
            "--quiet",
            "--network",
            "host",
            "--build-arg",
            f"BASE_IMAGE={BASE_IMAGE}",
            "-t",
            name,
            str(ROOT / directory),
        ]
        print("   $ " + " ".join(command), flush=True)
        builds[name] = subprocess.Popen(
            command,
            env={**os.environ, **build_env()},
            text=True,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
    failed = []
    for name, build in builds.items():
        output, _ = build.communicate(timeout=1800)
        if build.returncode:
            print(output[-4000:])
            failed.append(name)
        else:
            print(f"   {name}: built")
    if failed:
        raise Failed(f"building {', '.join(failed)} failed")


def build_web_image():
    secret = []
    if Path(CA_BUNDLE).is_file():
        # pip trusts this bundle inside the build (a TLS-inspecting proxy's CA is in it).
        secret = ["--secret", f"id=ca,src={CA_BUNDLE}"]
    run(
        DOCKER,
        "build",
        "--progress",
        "plain",
        "--network",
        "host",
        "--build-arg",
        "PYTHON_IMAGE=portal-local/python:3.11",
        *secret,
        "-t",
        WEB_IMAGE,
        ROOT,
        env=build_env(),
        capture=True,
        timeout=1800,
    )
    size = run(
        DOCKER, "image", "inspect", "-f", "{{.Size}}", WEB_IMAGE, capture=True, quiet=True
    ).stdout.strip()
    user = run(
        DOCKER, "image", "inspect", "-f", "{{.Config.User}}", WEB_IMAGE, capture=True, quiet=True
    ).stdout.strip()
    print(f"   {WEB_IMAGE}: {int(size) / 1e6:.0f} MB")
    check("the image runs as a non-root user", user not in ("", "root", "0"), user)


# --- The stack -------------------------------------------------------------------------


class Stack:
    def __init__(self, workdir):
        import yaml

        self.compose = compose_command()
        self.env = {
            "POSTGRES_PASSWORD": secrets.token_hex(24),
            "SECRET_KEY": secrets.token_urlsafe(50),
            "WAGTAILADMIN_BASE_URL": SITE,
        }
        # docker-compose v1 refuses published ports with host networking, and an
        # override file cannot remove them: merge both files, then drop web's ports.
        merged = run(
            *self.compose,
            "-p",
            PROJECT,
            "-f",
            ROOT / "docker-compose.yml",
            "-f",
            ROOT / "docker-compose.test.yml",
            "config",
            env=self.env,
            capture=True,
            quiet=True,
        ).stdout
        config = yaml.safe_load(merged)
        config["services"]["web"].pop("ports", None)
        self.file = workdir / "compose.yml"
        self.file.touch(mode=0o600)
        self.file.write_text(yaml.safe_dump(config, sort_keys=False))

    def __call__(self, *args, **kwargs):
        return run(*self.compose, "-p", PROJECT, "-f", self.file, *args, env=self.env, **kwargs)

    def container(self, service):
        return self("ps", "-q", service, capture=True, quiet=True).stdout.strip()

    def wait_healthy(self, service, timeout=300):
        deadline = time.monotonic() + timeout
        status = "no container"
        while time.monotonic() < deadline:
            cid = self.container(service)
            if cid:
                status = run(
                    DOCKER,
                    "inspect",
                    "-f",
                    "{{.State.Status}} {{.State.Health.Status}}",
                    cid,
                    capture=True,
                    quiet=True,
                ).stdout.strip()
                if status == "running healthy":
                    return
                if status.startswith(("exited", "dead")):
                    break
            time.sleep(2)
        self("logs", "--tail", "60", service, check=False)
        raise Failed(f"{service} did not become healthy ({status})")

    def ports_free(self):
        for port, service in STACK_PORTS.items():
            with socket.socket() as probe:
                taken = probe.connect_ex((HOST, port)) == 0
            check(f"port {port} ({service}) free", not taken, "" if not taken else "in use")

    def up(self):
        self("up", "-d", "--no-build", capture=True)
        for service in ("db", "redis", "web"):
            self.wait_healthy(service)
        check("db, redis and web containers healthy (compose health checks)", True)


# --- HTTP ------------------------------------------------------------------------------


class Response:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body

    @property
    def text(self):
        return self.body.decode("utf-8", "replace")

    def header(self, name):
        return self.headers.get(name.lower(), "")


def fetch(path, *, https=True, headers=None, method="GET", body=None, cookies=None):
    """One request to gunicorn, as the TLS proxy in front would pass it on."""
    connection = http.client.HTTPConnection(HOST, PORT, timeout=60)
    sent = {"Host": f"{HOST}:{PORT}", **(headers or {})}
    if https:
        sent["X-Forwarded-Proto"] = "https"
    if cookies:
        sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    try:
        connection.request(method, path, body=body, headers=sent)
        answer = connection.getresponse()
        data = answer.read()
        headers = {}
        for key, value in answer.getheaders():
            key = key.lower()
            headers[key] = f"{headers[key]}\n{value}" if key in headers else value
        return Response(answer.status, headers, data)
    finally:
        connection.close()


def set_cookies(response):
    found = {}
    for line in response.header("set-cookie").splitlines():
        name, _, rest = line.partition("=")
        found[name.strip()] = rest.split(";", 1)[0]
    return found


def first_h1(html):
    match = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", match.group(1))).strip() if match else ""


def check_serving():
    health = fetch("/healthz", https=False)
    payload = json.loads(health.body or b"{}") if health.status == 200 else {}
    check(
        "/healthz answers 200 JSON over plain HTTP",
        payload.get("status") == "ok",
        f"{health.status} {health.text.strip()[:80]}",
    )
    plain = fetch("/sv/", https=False)
    check(
        "plain HTTP is redirected to https",
        plain.status in (301, 302) and plain.header("location").startswith("https://"),
        f"{plain.status} → {plain.header('location')}",
    )
    pages = {}
    for lang in ("sv", "en"):
        page = fetch(f"/{lang}/")
        check(
            f'/{lang}/ answers 200 with lang="{lang}"',
            page.status == 200 and f'<html lang="{lang}"' in page.text,
            f"{page.status}, h1 {first_h1(page.text)!r}",
        )
        pages[lang] = page.text
    check(
        "HSTS on https responses", "max-age=" in fetch("/sv/").header("strict-transport-security")
    )

    css = re.search(r'href="(/static/css/portal\.[0-9a-f]{12}\.css)"', pages["sv"])
    check("the stylesheet link is a hashed name", css, css.group(1) if css else "none found")
    plain_css = fetch(css.group(1))
    zipped = fetch(css.group(1), headers={"Accept-Encoding": "gzip"})
    check(
        "hashed CSS served gzip-compressed when asked",
        zipped.status == 200
        and zipped.header("content-encoding") == "gzip"
        and gzip.decompress(zipped.body) == plain_css.body,
        f"{len(plain_css.body)} → {len(zipped.body)} bytes, "
        f"Content-Encoding {zipped.header('content-encoding')!r}",
    )
    check(
        "hashed CSS cached for long (immutable)",
        "immutable" in zipped.header("cache-control"),
        zipped.header("cache-control"),
    )

    login = fetch("/admin/login/", headers={"Accept-Language": "sv"})
    check(
        "/admin/login/ renders the login form",
        login.status == 200 and 'name="username"' in login.text and 'name="password"' in login.text,
        f"{login.status}",
    )


def log_in(password):
    form = fetch("/admin/login/")
    cookies = set_cookies(form)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
    body = urllib.parse.urlencode(
        {
            "csrfmiddlewaretoken": token.group(1) if token else "",
            "username": "admin",
            "password": password,
            "next": "/admin/",
        }
    )
    answer = fetch(
        "/admin/login/",
        method="POST",
        body=body,
        cookies=cookies,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"https://{HOST}:{PORT}/admin/login/",
        },
    )
    cookies.update(set_cookies(answer))
    check(
        "the first admin logs in over HTTP",
        answer.status == 302
        and answer.header("location").endswith("/admin/")
        and "sessionid" in cookies,
        f"{answer.status} → {answer.header('location')}",
    )
    return {"sessionid": cookies["sessionid"]}


def snapshot(session):
    """Text of a few pages, an image's bytes, and whether the session still works."""
    state = {}
    home = fetch("/sv/").text
    links = re.findall(r'href="(/sv/nyheter/[^"?#]+/)"', home)
    story = next((link for link in links if link.count("/") >= 4), None)
    for path in ("/sv/", "/en/", story, "/sv/kalendarium/"):
        if path:
            page = fetch(path)
            state[path] = (page.status, first_h1(page.text))
    feed = fetch("/sv/kalendarium/ics/")
    state["/sv/kalendarium/ics/"] = (
        feed.status,
        feed.header("content-type"),
        feed.body.startswith(b"BEGIN:VCALENDAR"),
    )
    images = re.findall(r'<img[^>]+src="((?:https?://[^/"]+)?/media/images/[^"]+)"', home)
    if images:
        path = urllib.parse.urlsplit(images[0]).path
        picture = fetch(path)
        state[path] = (
            picture.status,
            picture.header("content-type"),
            hashlib.sha256(picture.body).hexdigest()[:16],
            len(picture.body),
        )
    admin = fetch("/admin/", cookies=session)
    state["/admin/ (logged in)"] = (admin.status, "wagtail" in admin.text.lower())
    return state


# --- Main ------------------------------------------------------------------------------


def stop_on_sigterm(signum, frame):
    raise Failed("terminated")  # so that the stack still comes down (CI time-outs)


def main():
    signal.signal(signal.SIGTERM, stop_on_sigterm)
    started = time.monotonic()
    workdir = Path(tempfile.mkdtemp(prefix="portal-docker-test-"))
    daemon = None
    stack = None
    ok = False
    try:
        with step("tools: docker.io, debootstrap, compose"):
            install_tools()
        with step("Docker daemon"):
            daemon = start_dockerd(workdir)
        with step("base images (debootstrap once, then Python, PostgreSQL, Redis)"):
            import_base_image(workdir)
            build_local_images()
        with step("application image (production Dockerfile)"):
            build_web_image()
        stack = Stack(workdir)
        stack("down", "-v", "--remove-orphans", capture=True)  # leftovers of a killed run
        with step("stack up (migrations on start)"):
            stack.ports_free()
            stack.up()
        with step("checks over HTTP"):
            check_serving()
        with step("content: seed_demo and the first admin account"):
            password = secrets.token_urlsafe(24)
            empty_home = first_h1(fetch("/sv/").text)
            redis_cli = ["exec", "-T", "redis", "redis-cli", "-p", str(REDIS_PORT)]
            keys = stack(*redis_cli, "dbsize", capture=True, quiet=True).stdout.strip()
            token = stack(
                *redis_cli, "--scan", "--pattern", "*generation*", capture=True, quiet=True
            ).stdout.split()
            check(
                "the page cache and its generation token are in Redis",
                keys.isdigit() and int(keys) > 1 and token,
                f"{keys} keys, {', '.join(token)}",
            )
            stack("exec", "-T", "web", "python", "manage.py", "seed_demo", capture=True)
            stack(
                "exec",
                "-T",
                "-e",
                f"DJANGO_SUPERUSER_PASSWORD={password}",
                "web",
                "python",
                "manage.py",
                "createsuperuser",
                "--noinput",
                "--username",
                "admin",
                "--email",
                "admin@example.org",
                capture=True,
            )
            seeded_home = first_h1(fetch("/sv/").text)
            check(
                "a change made by another process (seed_demo) shows at once on a cached page",
                seeded_home and seeded_home != empty_home,
                f"/sv/ h1 {empty_home!r} → {seeded_home!r}",
            )
            session = log_in(password)
            before = snapshot(session)
            for what, value in before.items():
                print(f"   {what}: {value}")
            check(
                "a story page, an image, the calendar and its feed answer 200",
                len(before) >= 7 and all(v[0] == 200 for v in before.values()),
                f"{len(before)} addresses",
            )
        with step("down (volumes kept) and up again"):
            stack("down", capture=True)
            stack.ports_free()
            stack.up()
        with step("checks after the restart"):
            check_serving()
            after = snapshot(session)
            for what, value in before.items():
                check(
                    f"{what} unchanged after the restart",
                    after.get(what) == value,
                    str(after.get(what)),
                )
        ok = True
    except (Failed, subprocess.TimeoutExpired) as error:
        print(f"\nFAILED: {error}", flush=True)
    except Exception:  # an unexpected answer: still tear down and report
        traceback.print_exc()
    finally:
        if stack is not None:
            with step("down -v"):
                stack("down", "-v", "--remove-orphans", capture=True, check=False)
        if daemon is not None:
            stop_dockerd(daemon)
        shutil.rmtree(workdir, ignore_errors=True)

    print("\nmake docker-test checked:")
    for what, passed, _detail in checks:
        print(f"  {'ok  ' if passed else 'FAIL'} {what}")
    print("time per step:")
    for name, seconds in timings:
        print(f"  {seconds:7.1f} s  {name}")
    print(f"  {time.monotonic() - started:7.1f} s  in all")
    print("make docker-test: " + ("passed" if ok else "FAILED"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
