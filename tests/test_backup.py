"""Backups: `manage.py backup` → a fresh, empty database → `manage.py restore`.

Each round trip builds a real site in its own database (migrations, the demo content in
both languages, and a page with an uploaded image and a document), renders every live
page in Swedish and in English, backs it up, restores the archive into a new empty
database and media folder, and renders every page again: same status, same main
content, and the media files byte for byte. PostgreSQL (pg_dump/pg_restore) and SQLite
(the online backup API) each have their own round trip, and both run in every suite run.
"""

import hashlib
import json
import os
import re
import subprocess
import sys
import tarfile
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
# One test process builds the module's server or database once (make test runs in several).
pytestmark = pytest.mark.xdist_group("backup")


def postgres_server():
    """The PostgreSQL server of the suite's DATABASE_URL, or the local default one."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        parts = urlsplit(url)
        return f"{parts.scheme}://{parts.netloc}"
    return "postgres://postgres@127.0.0.1:5432"


PG_SERVER = postgres_server()


def psql(sql):
    subprocess.run(["psql", f"{PG_SERVER}/postgres", "-q", "-c", sql], check=True)


# --- what runs inside each site (manage.py shell, a process of its own) -------------

ADD_MEDIA_PAGE = """
import io, json
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from PIL import Image as Picture
from wagtail.documents.models import Document
from wagtail.images.models import Image
from home.models import HomePage, StandardPage

buffer = io.BytesIO()
Picture.new("RGB", (640, 400), (30, 110, 160)).save(buffer, "PNG")
image = Image(title="Säkerhetskopia", file=ImageFile(buffer, name="sakerhetskopia.png"))
image.save()
document = Document(title="Årsrapport 2025", file=ContentFile("%PDF-1.4 årsrapport".encode(), name="arsrapport-2025.pdf"))
document.save()

def body(alt, caption, link):
    return json.dumps([
        {"type": "paragraph", "value": "<p>" + caption + "</p>"},
        {"type": "image", "value": {"image": image.pk, "alt_text": alt, "decorative": False,
                                    "caption": caption, "credit": "Foto: Portalen"}},
        {"type": "document", "value": {"document": document.pk, "title": link}},
    ])

home = HomePage.objects.get()
page = StandardPage(
    title="Arkiv och säkerhetskopior", title_sv="Arkiv och säkerhetskopior", slug_sv="arkiv",
    title_en="Archives and backups", slug_en="archives", slug="arkiv",
    body_sv=body("Blå yta", "Här är årets rapport – läs den gärna.", "Hämta årsrapporten"),
    body_en=body("A blue area", "Here is this year's report – do read it.", "Download the annual report"),
)
home.add_child(instance=page)
page.save_revision().publish()
"""

PROBE = """
import json
from tests.test_backup import render_site
print("PROBE" + json.dumps(render_site()))
"""


def normalised_main(html):
    main = BeautifulSoup(html, "html.parser").find("main")
    if main is None:
        return None
    for tag in main.find_all(True):
        tag.attrs.pop("nonce", None)  # a new one per response
    for tag in main.select("input[name=csrfmiddlewaretoken]"):
        tag.decompose()
    return re.sub(r"\s+", " ", str(main)).strip()


def render_site():
    """Every live page at its Swedish and its English address, and the sitemap."""
    from django.test import Client
    from django.utils import translation
    from wagtail.models import Page

    client = Client()
    pages = {}
    for page in Page.objects.live().filter(depth__gt=1).specific().order_by("path"):
        for language in ("sv", "en"):
            with translation.override(language):
                url = page.get_url()
            response = client.get(url)
            pages[f"{language} {page.pk} {url}"] = {
                "status": response.status_code,
                "main": normalised_main(response.content.decode()),
            }
    translation.activate("sv")
    return {"pages": pages, "sitemap": client.get("/sitemap.xml").content.decode()}


def site_environment(database_url, media_root):
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))},
        "DJANGO_SETTINGS_MODULE": "portal.settings.dev",
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(media_root),
        "WAGTAILADMIN_BASE_URL": "http://testserver",
        "ALLOWED_HOSTS": "testserver",
        "DEBUG": "false",
    }


def manage(env, *arguments, check=True):
    result = subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )  # fmt: skip
    if check and result.returncode != 0:
        raise AssertionError(
            f"manage.py {' '.join(arguments)}: {result.returncode}\n{result.stderr}"
        )
    return result


def probe(env):
    output = manage(env, "shell", "-c", PROBE).stdout
    return json.loads(output.split("PROBE", 1)[1])


def files(folder):
    """Every file under folder, by relative path, with its sha256."""
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(Path(folder).rglob("*"))
        if path.is_file()
    }


def build_source_site(database_url, folder):
    """A site with the demo and uploads; rendered once, so its renditions exist."""
    env = site_environment(database_url, folder / "media")
    manage(env, "migrate", "--noinput")
    manage(env, "seed_demo")
    manage(env, "shell", "-c", ADD_MEDIA_PAGE)
    return {"env": env, "media": folder / "media", "rendered": probe(env)}


@pytest.fixture(scope="module")
def sources(tmp_path_factory):
    """One source site per database, built side by side (migrations take the time)."""
    folder = tmp_path_factory.mktemp("backup")
    name = f"portal_backup_src_{uuid.uuid4().hex[:8]}"
    psql(f"CREATE DATABASE {name}")
    created = [name]
    urls = {
        "postgresql": f"{PG_SERVER}/{name}",
        "sqlite": f"sqlite:///{folder / 'sqlite-source' / 'db.sqlite3'}",
    }
    for vendor in urls:
        (folder / f"{vendor}-source").mkdir(exist_ok=True)
    try:
        with ThreadPoolExecutor(max_workers=2) as pool:
            futures = {
                v: pool.submit(build_source_site, url, folder / f"{v}-source")
                for v, url in urls.items()
            }
            built = {vendor: future.result() for vendor, future in futures.items()}
        yield {"folder": folder, "sites": built, "created": created}
    finally:
        for database in created:
            psql(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")


def round_trip(sources, vendor, target_url, streamed=False):
    """Backup, restore into target_url, compare. streamed: through stdout and stdin, as
    the README's docker compose one-liners do."""
    source = sources["sites"][vendor]
    folder = sources["folder"] / f"{vendor}-target"
    backups = sources["folder"] / f"{vendor}-backups"
    folder.mkdir()
    backups.mkdir()
    source_media = files(source["media"])

    if streamed:
        archive_path = backups / "streamed.tar.gz"
        with open(archive_path, "wb") as output:
            result = subprocess.run(
                [sys.executable, "manage.py", "backup", "--stdout"],
                cwd=ROOT, env=source["env"], stdout=output, stderr=subprocess.PIPE, text=True,
            )  # fmt: skip
        assert result.returncode == 0, result.stderr
        assert "Backup written to standard output" in result.stderr
    else:
        result = manage(source["env"], "backup", "--output-dir", str(backups))
        archives = list(backups.glob("portal-*.tar.gz"))
        assert len(archives) == 1
        assert re.fullmatch(r"portal-\d{8}-\d{6}\.tar\.gz", archives[0].name)
        assert str(archives[0]) in result.stdout
        archive_path = archives[0]
    with tarfile.open(archive_path) as archive:
        manifest = json.load(archive.extractfile("manifest.json"))
    assert manifest["database"]["vendor"] == vendor
    assert "0004_fresh_site_home_page" in manifest["migrations"]["home"]
    assert manifest["versions"]["wagtail"].startswith("8.0")
    assert manifest["media"]["files"] == len(source_media)

    target = site_environment(target_url, folder / "media")
    if streamed:
        with open(archive_path, "rb") as archive:
            result = subprocess.run(
                [sys.executable, "manage.py", "restore", "-"],
                cwd=ROOT, env=target, stdin=archive, capture_output=True,
            )  # fmt: skip
        assert result.returncode == 0, result.stderr.decode()
        assert b"Search index rebuilt" in result.stdout
    else:
        result = manage(target, "restore", str(archive_path))
        assert "Search index rebuilt" in result.stdout

    # The media come back byte for byte, uploads and renditions alike.
    restored_media = files(folder / "media")
    assert restored_media == source_media
    assert any(p.startswith("documents/arsrapport-2025") for p in restored_media)
    assert any(p.startswith("original_images/sakerhetskopia") for p in restored_media)
    assert any(p.startswith("images/") for p in restored_media)

    restored = probe(target)
    before, after = source["rendered"], restored
    assert list(after["pages"]) == list(before["pages"])
    for key, page in before["pages"].items():
        assert after["pages"][key] == page, key
    assert after["sitemap"] == before["sitemap"]

    # What the round trip covers: every page, both languages, the uploads, real text.
    keys = list(before["pages"])
    assert len(keys) >= 20 and {k.split()[0] for k in keys} == {"sv", "en"}
    assert all(page["status"] == 200 for page in before["pages"].values())
    media_page = {
        k.split()[0]: v["main"]
        for k, v in before["pages"].items()
        if "/arkiv/" in k or "/archives/" in k
    }
    assert "Hämta årsrapporten" in media_page["sv"] and "Blå yta" in media_page["sv"]
    assert "Download the annual report" in media_page["en"] and "A blue area" in media_page["en"]
    assert "Vetenskapsstaden Flemingsberg" in before["pages"][keys[0]]["main"]
    return target, archive_path


@pytest.mark.postgres
def test_postgresql_backup_restores_every_page_in_both_languages(sources):
    name = f"portal_backup_dst_{uuid.uuid4().hex[:8]}"
    psql(f"CREATE DATABASE {name}")
    sources["created"].append(name)
    target, archive = round_trip(sources, "postgresql", f"{PG_SERVER}/{name}")

    # The restored database is no longer empty: a second restore is refused ...
    again = manage(target, "restore", str(archive), check=False)
    assert again.returncode == 4
    assert "is not empty" in again.stderr and "--force" in again.stderr
    assert "Traceback" not in again.stderr
    # ... and --force replaces everything in it with the backup (a page deleted since
    # comes back; the restore over a running site).
    manage(
        target,
        "shell",
        "-c",
        "from wagtail.models import Page; Page.objects.filter(slug_sv='arkiv').delete()",
    )
    manage(target, "restore", str(archive), "--force")
    assert probe(target)["pages"] == sources["sites"]["postgresql"]["rendered"]["pages"]


def test_sqlite_backup_restores_every_page_in_both_languages(sources):
    folder = sources["folder"] / "sqlite-restored"
    folder.mkdir()
    # Through standard output and input, like the docker compose one-liners.
    target, archive = round_trip(
        sources, "sqlite", f"sqlite:///{folder / 'db.sqlite3'}", streamed=True
    )

    again = manage(target, "restore", str(archive), check=False)
    assert again.returncode == 4 and "is not empty" in again.stderr


def test_unreadable_archives_are_refused_with_exit_code_2(tmp_path):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    not_an_archive = tmp_path / "notes.tar.gz"
    not_an_archive.write_text("this is not a backup")
    foreign = tmp_path / "foreign.tar.gz"
    with tarfile.open(foreign, "w:gz") as archive:
        archive.add(ROOT / "README.md", arcname="README.md")
    damaged = tmp_path / "damaged.tar.gz"
    (tmp_path / "database.sqlite3").write_bytes(b"not what the manifest says")
    manifest = {"format": "flemingsberg-portal-backup", "format_version": 1, "created": "now",
                "database": {"vendor": "sqlite", "file": "database.sqlite3", "sha256": "0" * 64}}  # fmt: skip
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    with tarfile.open(damaged, "w:gz") as archive:
        archive.add(tmp_path / "manifest.json", arcname="manifest.json")
        archive.add(tmp_path / "database.sqlite3", arcname="database.sqlite3")
    for archive, message in [
        (tmp_path / "missing.tar.gz", "No backup archive at"),
        (not_an_archive, "not a readable backup archive"),
        (foreign, "not a portal backup"),
        (damaged, "is damaged"),
    ]:
        with pytest.raises(CommandError, match=message) as error:
            call_command("restore", str(archive))
        assert error.value.returncode == 2


def test_errors_on_the_command_line_are_one_line_and_an_exit_code(tmp_path):
    missing = manage(
        site_environment(f"sqlite:///{tmp_path / 'db.sqlite3'}", tmp_path / "media"),
        "restore", str(tmp_path / "missing.tar.gz"), check=False,
    )  # fmt: skip
    unreachable = manage(
        site_environment("postgres://postgres@127.0.0.1:1/none", tmp_path / "media"),
        "backup", "--output-dir", str(tmp_path), check=False,
    )  # fmt: skip
    for result, code, message in [
        (missing, 2, "No backup archive at"),
        (unreachable, 3, "Cannot reach the database"),
    ]:
        assert result.returncode == code, result.stderr
        assert result.stderr.strip().startswith("CommandError: " + message)
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert not list(tmp_path.glob("*.tar.gz")) and not (tmp_path / "db.sqlite3").exists()


def archive_with(folder, **database):
    """A well-formed archive whose manifest says what the test needs."""
    from django.db import connection

    (folder / "database.file").write_bytes(b"a database")
    database = {
        "vendor": connection.vendor,
        "file": "database.file",
        "sha256": hashlib.sha256(b"a database").hexdigest(),
        **database,
    }
    migrations = database.pop("migrations", {"home": ["0001_initial"]})
    manifest = {"format": "flemingsberg-portal-backup", "format_version": 1, "created": "now",
                "database": database, "migrations": migrations}  # fmt: skip
    (folder / "manifest.json").write_text(json.dumps(manifest))
    path = folder / f"portal-{uuid.uuid4().hex[:6]}.tar.gz"
    with tarfile.open(path, "w:gz") as archive:
        archive.add(folder / "manifest.json", arcname="manifest.json")
        archive.add(folder / "database.file", arcname="database.file")
    return path


def test_a_backup_of_the_other_database_kind_or_a_newer_version_is_refused(tmp_path):
    from django.core.management import call_command
    from django.core.management.base import CommandError
    from django.db import connection

    other = "sqlite" if connection.vendor == "postgresql" else "postgresql"
    with pytest.raises(CommandError, match="Restore it into the same kind of database") as error:
        call_command("restore", str(archive_with(tmp_path, vendor=other)))
    assert error.value.returncode == 2

    newer = archive_with(tmp_path, migrations={"home": ["0001_initial", "0999_from_the_future"]})
    with pytest.raises(CommandError, match="newer version of the portal.*home.0999") as error:
        call_command("restore", str(newer))
    assert error.value.returncode == 4
