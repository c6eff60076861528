"""Restore an archive written by ``manage.py backup`` into the database of DATABASE_URL.

The database must be empty unless ``--force`` is given (then everything in it is
replaced). Media files are copied into MEDIA_ROOT. Afterwards ``migrate --noinput``
brings a backup from an older version up to date and the search index is rebuilt.
"""

import json
import shutil
import sqlite3
import sys
import tarfile
import tempfile
import zlib
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from portal import page_cache

from .backup import (
    EXIT_BAD_INPUT,
    EXIT_REFUSED,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    MEDIA,
    check_vendor,
    connect,
    database_label,
    fail,
    media_on_disk,
    postgres_environment,
    postgres_tool,
    run_tool,
    sha256,
)

VENDOR_NAMES = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}


class Command(BaseCommand):
    help = (
        "Restore a backup archive (from `manage.py backup`) into the database named by "
        "DATABASE_URL and into MEDIA_ROOT, then migrate and rebuild the search index."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument(
            "archive", help="The .tar.gz written by `manage.py backup`; - reads standard input."
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace a database that is not empty (everything in it is lost), and "
            "restore a backup made by a newer version of the portal.",
        )

    def handle(self, *args, **options):
        check_vendor()
        with tempfile.TemporaryDirectory(prefix="portal-restore-") as folder:
            folder = Path(folder)
            manifest = self.unpack(options["archive"], folder)
            self.check_compatible(manifest, options["force"])
            connect()
            self.check_empty(options["force"])
            self.restore_database(folder / manifest["database"]["file"], manifest)
            restored_media = self.restore_media(folder / MEDIA)
        connection.close()
        self.stdout.write("Bringing the database up to date (migrate --noinput) …")
        call_command("migrate", interactive=False, verbosity=0, stdout=self.stdout)
        call_command("rebuild_portal_search", stdout=self.stdout)
        # Pages cached before the restore must not be served again.
        page_cache.new_generation("restore")
        self.stdout.write(
            f"Restored the backup of {manifest['created']} into {database_label()}; {restored_media}."
        )

    # --- reading the archive -------------------------------------------------------

    def unpack(self, name, folder):
        if name == "-":
            source = folder / "archive.tar.gz"
            with open(source, "wb") as handle:
                shutil.copyfileobj(sys.stdin.buffer, handle)
            label = "standard input"
        else:
            source = Path(name)
            label = name
            if not source.is_file():
                raise fail(f"No backup archive at {name}.", EXIT_BAD_INPUT)
        target = folder / "content"
        target.mkdir()
        try:
            with tarfile.open(source, mode="r:gz") as archive:
                # "data": no absolute paths, no links out, no devices (Python's safe filter).
                archive.extractall(target, filter="data")
        except (tarfile.TarError, EOFError, OSError, zlib.error) as error:
            raise fail(
                f"{label} is not a readable backup archive (a .tar.gz from `manage.py backup`): {error}",
                EXIT_BAD_INPUT,
            ) from None
        try:
            manifest = json.loads((target / MANIFEST).read_text())
        except (OSError, ValueError):
            manifest = None
        database = manifest.get("database") if isinstance(manifest, dict) else None
        if (
            not isinstance(database, dict)
            or manifest.get("format") != FORMAT
            or not isinstance(manifest.get("format_version"), int)
            or not all(isinstance(database.get(key), str) for key in ("vendor", "file", "sha256"))
        ):
            raise fail(
                f"{label} is not a portal backup (it has no {MANIFEST} of ours).", EXIT_BAD_INPUT
            )
        if manifest.get("format_version", 0) > FORMAT_VERSION:
            raise fail(
                f"{label} was written by a newer version of the backup command "
                f"(format {manifest['format_version']}); restore it with that version.",
                EXIT_BAD_INPUT,
            )
        database = target / manifest["database"]["file"]
        if (
            Path(manifest["database"]["file"]).name != manifest["database"]["file"]
            or not database.is_file()
        ):
            raise fail(f"{label} is incomplete: its database file is missing.", EXIT_BAD_INPUT)
        if sha256(database) != manifest["database"]["sha256"]:
            raise fail(
                f"{label} is damaged: the database file does not match its checksum.",
                EXIT_BAD_INPUT,
            )
        for entry in target.iterdir():
            entry.rename(folder / entry.name)
        return manifest

    def check_compatible(self, manifest, force):
        vendor = manifest["database"]["vendor"]
        if vendor != connection.vendor:
            raise fail(
                f"This backup holds a {VENDOR_NAMES.get(vendor, vendor)} database; DATABASE_URL "
                f"names a {VENDOR_NAMES.get(connection.vendor, connection.vendor)} one. Restore "
                "it into the same kind of database.",
                EXIT_BAD_INPUT,
            )
        known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
        unknown = [
            f"{app}.{name}"
            for app, names in manifest.get("migrations", {}).items()
            for name in names
            if (app, name) not in known
        ]
        if unknown and not force:
            listed = ", ".join(unknown[:5]) + (" …" if len(unknown) > 5 else "")
            raise fail(
                "This backup comes from a newer version of the portal (migrations this "
                f"code does not know: {listed}). Deploy that version first, or use --force.",
                EXIT_REFUSED,
            )

    def check_empty(self, force):
        tables = connection.introspection.table_names()
        if tables and not force:
            raise fail(
                f"{database_label()} is not empty ({len(tables)} tables). Restoring replaces "
                "everything in it: point DATABASE_URL at an empty database, or run again "
                "with --force (make restore: RESTORE_ARGS=--force) once you are sure.",
                EXIT_REFUSED,
            )
        self.replace = bool(tables)

    # --- writing ---------------------------------------------------------------------

    def restore_database(self, dump, manifest):
        if connection.vendor == "sqlite":
            connection.close()
            source = sqlite3.connect(dump)
            target = sqlite3.connect(settings.DATABASES["default"]["NAME"])
            try:
                # Page by page over whatever was there: the result is the backup, whole.
                source.backup(target)
            finally:
                target.close()
                source.close()
            return
        pg_restore, tool_major, tool_version = postgres_tool("pg_restore")
        made_with = manifest["database"].get("tool_major") or 0
        if tool_major < made_with:
            raise fail(
                f"This dump was made by pg_dump {made_with}; {tool_version} cannot read it. "
                f"Install postgresql-client-{made_with} or newer.",
                EXIT_BAD_INPUT,
            )
        if self.replace:
            with connection.cursor() as cursor:
                cursor.execute("DROP SCHEMA public CASCADE")
                cursor.execute("CREATE SCHEMA public")
        connection.close()
        run_tool(
            [
                pg_restore,
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                "--dbname",
                settings.DATABASES["default"]["NAME"],
                str(dump),
            ],
            postgres_environment(),
            "pg_restore",
        )

    def restore_media(self, source):
        files = [p for p in source.rglob("*") if p.is_file()] if source.is_dir() else []
        root = media_on_disk()
        if root is None:
            if files:
                self.stderr.write(
                    f"Media not restored: uploads live in the S3 bucket "
                    f"{settings.AWS_STORAGE_BUCKET_NAME}, which keeps its own history. "
                    f"The archive's {len(files)} media files are left alone."
                )
            return "media left to the S3 bucket"
        root.mkdir(parents=True, exist_ok=True)
        for path in files:
            target = root / path.relative_to(source)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)
        return f"{len(files)} media files into {root}"
