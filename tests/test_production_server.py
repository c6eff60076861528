"""The site as production serves it: gunicorn, production settings, behind a TLS proxy.

The test client and Django's dev server tidy a path such as ``//evil.example/``
before the site sees it; gunicorn passes it on as sent, so URL handling is tested
here against the real server. The proxy is simulated by sending
``X-Forwarded-Proto: https``, as a TLS-terminating proxy does.
"""

import contextlib
import http.client
import os
import re
import secrets
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
# One test process builds the module's server or database once (make test runs in several).
pytestmark = pytest.mark.xdist_group("production_server")
SITE = "https://portal.example"
HOSTS = ("portal.example", "alias.example", "127.0.0.1")
PRIVATE_TEXT = "Intern rapport: endast för inloggade"
# A document in a collection only logged-in users may read, and its file's name.
PRIVATE_DOCUMENT = f"""
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction
internal = Collection.get_first_root_node().add_child(name="Intern")
CollectionViewRestriction.objects.create(
    collection=internal, restriction_type=CollectionViewRestriction.LOGIN
)
document = get_document_model().objects.create(
    title="Intern rapport", collection=internal,
    file=ContentFile("{PRIVATE_TEXT}".encode(), name="intern-rapport.txt"),
)
print(document.id, document.file.name)
"""


@dataclass(frozen=True)
class Server:
    """The server's port, and the private document the fixture created."""

    port: int
    document_id: int
    document_file: str


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def production_server(tmp_path_factory):
    """gunicorn with production settings on a fresh SQLite database holding the demo."""
    folder = tmp_path_factory.mktemp("production")
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_SETTINGS_MODULE", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(
        DATABASE_URL=f"sqlite:///{folder / 'db.sqlite3'}",
        MEDIA_ROOT=str(folder / "media"),
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS=",".join(HOSTS),
        WAGTAILADMIN_BASE_URL=SITE,
        PORTAL_SERVE_MEDIA="true",  # as docker compose runs it
    )
    manage = [sys.executable, "manage.py"]
    commands = (
        ["migrate", "--noinput"], ["seed_demo"], ["rebuild_portal_search"],
        ["shell", "-c", PRIVATE_DOCUMENT],
    )  # fmt: skip
    for command in commands:
        done = subprocess.run(
            manage + command, cwd=ROOT, env={**env, "DJANGO_SETTINGS_MODULE": "portal.settings.dev"},
            check=True, capture_output=True, text=True,
        )  # fmt: skip
    document_id, document_file = done.stdout.split()[-2:]
    env["DJANGO_SETTINGS_MODULE"] = "portal.settings.production"
    subprocess.run(
        manage + ["collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
    )
    with gunicorn(env, folder / "gunicorn.log") as port:
        yield Server(port, int(document_id), document_file)


@contextlib.contextmanager
def gunicorn(env, log_path, workers=1):
    """gunicorn with ``env`` on a free port, once ``/healthz`` answers; its port."""
    port = free_port()
    log = open(log_path, "w")  # noqa: SIM115 - closed below
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "portal.wsgi:application", "--bind",
         f"127.0.0.1:{port}", "--workers", str(workers)],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if get(port, "/healthz")[0] == 200:
                    break
            except OSError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"gunicorn did not start: {Path(log_path).read_text()}")
            time.sleep(0.3)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()


def get(port, path, host="portal.example"):
    """A raw request: the path goes on the wire exactly as given."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.putrequest("GET", path, skip_host=True, skip_accept_encoding=True)
        connection.putheader("Host", host)
        connection.putheader("X-Forwarded-Proto", "https")
        connection.putheader("Accept-Language", "sv")
        connection.endheaders()
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read().decode()
    finally:
        connection.close()


def links_of(body):
    """Every address in the page's head and links: canonical, alternates, og:url, anchors."""
    html = BeautifulSoup(body, "html.parser")
    found = [tag["href"] for tag in html.find_all(["link", "a"], href=True)]
    found += [tag["content"] for tag in html.find_all("meta", property=re.compile("^og:"))]
    return html, found


@pytest.mark.parametrize(
    "path", ["//evil.example/", "///evil.example/", "/\\evil.example", "//evil.example/sv/"]
)
def test_odd_paths_never_lead_off_site(production_server, path):
    status, headers, body = get(production_server.port, path)
    assert status in (301, 302, 404), (path, status)
    location = headers.get("Location", "")
    assert not location.startswith(("//", "/\\")), location
    assert urlsplit(location).netloc in ("", "portal.example"), location
    if status == 404:
        html, links = links_of(body)
        assert "evil.example" not in " ".join(links)
        # An error page: no canonical, no alternates; the switcher offers the home pages.
        assert html.find("link", rel="canonical") is None
        assert html.find("link", rel="alternate", hreflang=True) is None
        switcher = html.select_one(".language-switcher a")
        assert switcher["href"] == "/en/"
        assert html.find("html")["lang"] == "sv"


def test_absolute_urls_ignore_the_host_alias(production_server):
    status, _headers, body = get(production_server.port, "/sv/", host="alias.example")
    assert status == 200
    html, links = links_of(body)
    canonical = html.find("link", rel="canonical")["href"]
    assert canonical == f"{SITE}/sv/"
    alternates = {tag["hreflang"]: tag["href"] for tag in html.find_all("link", hreflang=True)}
    assert alternates == {"sv": f"{SITE}/sv/", "en": f"{SITE}/en/", "x-default": f"{SITE}/sv/"}
    assert html.find("meta", property="og:url")["content"] == f"{SITE}/sv/"
    assert "alias.example" not in body
    assert "alias.example" not in get(production_server.port, "/en/", host="alias.example")[2]


@pytest.mark.parametrize(
    "path", ["/sitemap.xml", "/robots.txt", "/sv/nyheter/rss/", "/en/news/rss/"]
)
def test_sitemap_robots_and_feeds_use_the_site_address(production_server, path):
    status, _headers, body = get(production_server.port, path, host="alias.example")
    assert status == 200, path
    assert "alias.example" not in body
    addresses = re.findall(r"https?://[^\s<\"']+", body)
    ours = [a for a in addresses if not a.startswith(("http://www.w3.org", "http://www.sitemaps"))]
    assert ours and all(a.startswith(f"{SITE}/") for a in ours), ours


def test_story_json_ld_uses_the_site_address(production_server):
    _status, _headers, index = get(production_server.port, "/sv/nyheter/", host="alias.example")
    story = next(
        href
        for href in links_of(index)[1]
        if href.startswith("/sv/nyheter/") and href.count("/") == 4 and "rss" not in href
    )
    status, _headers, body = get(production_server.port, story, host="alias.example")
    assert status == 200
    json_ld = BeautifulSoup(body, "html.parser").find("script", type="application/ld+json")
    assert f'"{SITE}{story}"' in json_ld.string
    assert "alias.example" not in body


def test_a_private_document_gives_an_anonymous_reader_nothing(production_server):
    """Wagtail's view refuses it, and the media route serves images only."""
    server = production_server
    name = server.document_file.rsplit("/", 1)[-1]
    status, headers, body = get(server.port, f"/documents/{server.document_id}/{name}")
    assert status == 302
    # To the reader's login page (Wagtail's), never the file.
    assert urlsplit(headers["Location"]).path == "/sv/_util/login/"
    assert PRIVATE_TEXT not in body
    addresses = [
        f"/media/{server.document_file}",
        f"/media/images/../{server.document_file}",
        f"/media/images/%2e%2e/{server.document_file}",
        f"/media/original_images/..%2f..%2f{server.document_file}",
        f"/media//{server.document_file}",
        "/media/documents/",
        "/media/",
    ]
    for address in addresses:
        status, headers, body = get(server.port, address)
        assert status == 404, (address, status)
        assert PRIVATE_TEXT not in body


def test_the_media_route_still_serves_images(production_server):
    _status, _headers, body = get(production_server.port, "/sv/")
    images = [src for src in re.findall(r'src="([^"]+)"', body) if src.startswith("/media/images/")]
    assert images
    status, headers, _body = get_bytes(production_server.port, images[0])
    assert status == 200
    assert headers["Content-Type"].startswith("image/")


def get_bytes(port, path):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(
            "GET", path, headers={"Host": "portal.example", "X-Forwarded-Proto": "https"}
        )
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def directives(header):
    policy = {}
    for part in header.split(";"):
        name, *sources = part.split()
        policy[name] = sources
    return policy


def test_security_headers_in_production(production_server):
    _status, public, _body = get(production_server.port, "/sv/")
    _status, admin, _body = get(production_server.port, "/admin/login/")
    for headers in (public, admin):
        assert headers["X-Frame-Options"] == "SAMEORIGIN"  # Wagtail's preview frames the site
        assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
        assert headers["Referrer-Policy"] == "same-origin"
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
    site = directives(public["Content-Security-Policy"])
    assert site["script-src"] == ["'self'"] and site["style-src"] == ["'self'"]
    assert site["frame-ancestors"] == ["'self'"] and site["object-src"] == ["'none'"]
    assert site["default-src"] == ["'self'"]
    editor = directives(admin["Content-Security-Policy"])
    assert set(editor["script-src"]) == {"'self'", "'unsafe-inline'"}
    assert "blob:" in editor["img-src"] and editor["frame-ancestors"] == ["'self'"]
