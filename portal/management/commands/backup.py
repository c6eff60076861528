"""Write one archive with the database, the uploaded media and a manifest.

``python manage.py backup`` (``make backup``) writes ``backups/portal-YYYYmmdd-HHMMSS.tar.gz``:

* ``manifest.json``: when, which database and versions, the applied migrations, and a
  checksum of the database file;
* ``database.dump`` (PostgreSQL, ``pg_dump --format=custom``) or ``database.sqlite3``
  (SQLite, copied with SQLite's online backup API, consistent while the site runs);
* ``media/``: everything under ``MEDIA_ROOT`` (nothing when uploads live in S3).

``python manage.py restore ARCHIVE`` reads it back. The helpers here are shared by both.
"""

import datetime
import hashlib
import json
import os
import platform
import re
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import tempfile
from importlib import metadata
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection
from django.db.migrations.recorder import MigrationRecorder

FORMAT = "flemingsberg-portal-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATABASE_FILES = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}
MEDIA = "media"

# Exit codes shared by backup and restore (documented in the README).
EXIT_FAILED = 1  # a tool failed (pg_dump, pg_restore, disk full, …)
EXIT_BAD_INPUT = 2  # missing or unreadable archive, wrong format, missing tools
EXIT_DATABASE = 3  # the database cannot be reached
EXIT_REFUSED = 4  # the target database is not empty, or the backup is from a newer version


def fail(message, code=EXIT_FAILED):
    return CommandError(message, returncode=code)


def database_label():
    """The database as an operator names it, without a password."""
    db = settings.DATABASES["default"]
    if connection.vendor == "sqlite":
        return f"SQLite {db['NAME']}"
    host = db.get("HOST") or "localhost"
    port = db.get("PORT") or 5432
    return f"PostgreSQL {db.get('USER') or ''}@{host}:{port}/{db['NAME']}"


def check_vendor():
    if connection.vendor not in DATABASE_FILES:
        raise fail(
            f"Backups support PostgreSQL and SQLite, not {connection.vendor}.", EXIT_BAD_INPUT
        )


def connect(must_exist=False):
    """Open the connection now, so an unreachable database is one clear line."""
    if connection.vendor == "sqlite":
        path = Path(settings.DATABASES["default"]["NAME"])
        if not path.parent.is_dir():
            raise fail(f"Cannot open {database_label()}: no folder {path.parent}.", EXIT_DATABASE)
        # Opening a missing SQLite file would create an empty database.
        if must_exist and not path.is_file():
            raise fail(f"Cannot open {database_label()}: there is no such file.", EXIT_DATABASE)
    try:
        connection.ensure_connection()
    except DatabaseError as error:
        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise fail(
            f"Cannot reach the database {database_label()} (DATABASE_URL): {reason}", EXIT_DATABASE
        ) from None


def postgres_environment():
    """libpq's variables for pg_dump/pg_restore: no password on the command line."""
    db = settings.DATABASES["default"]
    env = dict(os.environ)
    for variable, key in [
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
        ("PGDATABASE", "NAME"),
    ]:
        if db.get(key):
            env[variable] = str(db[key])
        else:
            env.pop(variable, None)
    options = db.get("OPTIONS") or {}
    if options.get("sslmode"):
        env["PGSSLMODE"] = str(options["sslmode"])
    return env


def postgres_tool(name):
    """The path of pg_dump/pg_restore and its major version, or a clear error."""
    path = shutil.which(name)
    if not path:
        raise fail(
            f"{name} was not found. Install PostgreSQL's client tools of the server's major "
            "version (Debian: apt-get install postgresql-client-15).",
            EXIT_BAD_INPUT,
        )
    output = subprocess.run([path, "--version"], capture_output=True, text=True).stdout
    match = re.search(r"(\d+)(?:\.(\d+))?", output)
    return path, (int(match.group(1)) if match else 0), output.strip()


def server_major_version():
    return connection.pg_version // 10000 if connection.pg_version >= 100000 else 0


def run_tool(arguments, env, what):
    result = subprocess.run(arguments, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        lines = [line for line in result.stderr.strip().splitlines() if line.strip()]
        detail = "\n".join(lines[-8:]) or f"exit code {result.returncode}"
        raise fail(f"{what} failed:\n{detail}")
    return result


def sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def media_on_disk():
    """MEDIA_ROOT, or None when uploads live in object storage (S3)."""
    if getattr(settings, "AWS_STORAGE_BUCKET_NAME", ""):
        return None
    return Path(settings.MEDIA_ROOT)


def package_version(name):
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


class Command(BaseCommand):
    help = (
        "Write one archive (tar.gz) with the database dump, the uploaded media and a "
        "manifest. Restore it with `manage.py restore ARCHIVE`."
    )
    # A backup must work even when a check would fail (that is when one needs it most).
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument(
            "--output-dir",
            default="backups",
            help="Folder for the archive (default: backups); created when missing.",
        )
        parser.add_argument(
            "--stdout",
            action="store_true",
            help="Write the archive to standard output instead of a file (for docker "
            "compose exec -T … > file); messages go to standard error.",
        )

    def handle(self, *args, **options):
        messages = self.stderr if options["stdout"] else self.stdout
        check_vendor()
        connect(must_exist=True)
        now = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
        with tempfile.TemporaryDirectory(prefix="portal-backup-") as folder:
            folder = Path(folder)
            database_file = folder / DATABASE_FILES[connection.vendor]
            database = self.dump_database(database_file)
            # The database first, the media second: an upload made in between leaves a
            # file no row points at (harmless), never a row whose file is missing.
            media = self.media_summary()
            manifest = {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "created": now.isoformat(),
                "database": {
                    **database,
                    "file": database_file.name,
                    "bytes": database_file.stat().st_size,
                    "sha256": sha256(database_file),
                },
                "media": media,
                "versions": {
                    "python": platform.python_version(),
                    "django": package_version("django"),
                    "wagtail": package_version("wagtail"),
                    "django-modeltranslation": package_version("django-modeltranslation"),
                    "wagtail-modeltranslation": package_version("wagtail-modeltranslation"),
                    "portal": package_version("flemingsberg-portal"),
                },
                "migrations": self.migration_state(),
            }
            (folder / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False))
            if options["stdout"]:
                self.write_archive(sys.stdout.buffer, folder, database_file)
                sys.stdout.buffer.flush()
                messages.write(self.summary("Backup written to standard output", manifest))
                return
            path = self.archive_path(Path(options["output_dir"]), now)
            # Written under a temporary name, renamed when complete: an interrupted backup
            # never looks like a finished one.
            partial = path.with_name(f".{path.name}.partial")
            try:
                with open(partial, "wb") as handle:
                    self.write_archive(handle, folder, database_file)
                os.replace(partial, path)
            except OSError as error:
                partial.unlink(missing_ok=True)
                raise fail(f"Could not write {path}: {error}") from None
        messages.write(self.summary(f"Backup written: {path}", manifest))

    # --- the parts ------------------------------------------------------------------

    def dump_database(self, target):
        if connection.vendor == "sqlite":
            path = Path(settings.DATABASES["default"]["NAME"]).resolve()
            source = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
            copy = sqlite3.connect(target)
            try:
                # The online backup API: a consistent copy even while the site writes.
                source.backup(copy)
            finally:
                copy.close()
                source.close()
            return {
                "vendor": "sqlite",
                "server_version": sqlite3.sqlite_version,
                "tool": "sqlite3 backup API",
            }
        pg_dump, tool_major, tool_version = postgres_tool("pg_dump")
        server = server_major_version()
        if tool_major < server:
            raise fail(
                f"{tool_version} cannot dump a PostgreSQL {server} server: install "
                f"postgresql-client-{server} (pg_dump must match the server's major version).",
                EXIT_BAD_INPUT,
            )
        run_tool(
            [pg_dump, "--format=custom", "--no-owner", "--no-privileges", "--file", str(target)],
            postgres_environment(),
            "pg_dump",
        )
        return {
            "vendor": "postgresql",
            "server_version": connection.pg_version,
            "tool": tool_version,
            "tool_major": tool_major,
        }

    def media_summary(self):
        root = media_on_disk()
        if root is None:
            return {
                "included": False,
                "files": 0,
                "bytes": 0,
                "note": f"uploads are in the S3 bucket {settings.AWS_STORAGE_BUCKET_NAME}; "
                "back it up with the bucket's own versioning or replication",
            }
        files = (
            [p for p in root.rglob("*") if p.is_file() and not p.is_symlink()]
            if root.is_dir()
            else []
        )
        return {
            "included": True,
            "files": len(files),
            "bytes": sum(p.stat().st_size for p in files),
        }

    def migration_state(self):
        state = {}
        for app, name in sorted(MigrationRecorder(connection).applied_migrations()):
            state.setdefault(app, []).append(name)
        return state

    def write_archive(self, handle, folder, database_file):
        root = media_on_disk()
        with tarfile.open(fileobj=handle, mode="w:gz") as archive:
            archive.add(folder / MANIFEST, arcname=MANIFEST)
            archive.add(database_file, arcname=database_file.name)
            media = tarfile.TarInfo(MEDIA)
            media.type = tarfile.DIRTYPE
            media.mode = 0o755
            archive.addfile(media)
            if root is not None and root.is_dir():
                for path in sorted(root.rglob("*")):
                    # Regular files and folders only: a symlink could point outside.
                    if path.is_symlink() or not (path.is_file() or path.is_dir()):
                        continue
                    archive.add(
                        path,
                        arcname=f"{MEDIA}/{path.relative_to(root).as_posix()}",
                        recursive=False,
                    )

    def archive_path(self, folder, now):
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise fail(
                f"Cannot create the backup folder {folder}: {error}", EXIT_BAD_INPUT
            ) from None
        stem = f"portal-{now:%Y%m%d-%H%M%S}"
        path = folder / f"{stem}.tar.gz"
        number = 1
        while path.exists():  # two backups within one second
            number += 1
            path = folder / f"{stem}-{number}.tar.gz"
        return path

    def summary(self, headline, manifest):
        database = manifest["database"]
        media = manifest["media"]
        lines = [
            headline,
            f"  database: {database_label()} ({database['bytes']} bytes, {database['tool']})",
        ]
        if media["included"]:
            lines.append(
                f"  media: {media['files']} files, {media['bytes']} bytes from {settings.MEDIA_ROOT}"
            )
        else:
            lines.append(f"  media: not included ({media['note']})")
        return "\n".join(lines)
