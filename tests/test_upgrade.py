"""Upgrades lose nothing: a new translated field, added by a migration, on a database
that holds content in both languages.

The test works on a copy of the project in a temporary folder, as an upgrade would:
migrate it, fill it with the demo and a page and a topic in Swedish and English, then
add a translated field to a page model (``StandardPage.subtitle``) and to a snippet
(``Topic.description``) in the copy's models and ``translation.py``, run
``makemigrations`` and ``migrate --noinput`` (with wagtail-modeltranslation's
migrate path, which syncs the Page table's per-language columns), and compare every
row of every table before and after, byte for byte. It runs on the suite's database:
PostgreSQL when DATABASE_URL names one, SQLite otherwise.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from tests.test_backup import PG_SERVER, psql

ROOT = Path(__file__).resolve().parent.parent
ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))
COPY_IGNORES = shutil.ignore_patterns(
    ".venv", ".git", "media", "backups", "test-artifacts", "static_collected", "node_modules",
    "db.sqlite3", "__pycache__", ".pytest_cache", ".ruff_cache", "*.egg-info",
)  # fmt: skip

# Texts with what tends to get lost: non-ASCII letters, quotes, markup, line breaks, emoji.
TEXTS = {
    "title_sv": "Öppet hus på Campus Flemingsberg – ”välkomna”",
    "title_en": "Open house at Campus Flemingsberg – “welcome”",
    "body_sv": "<p>Vi visar <b>labben</b> & berättar om året.</p>",
    "body_en": "<p>We show the <b>labs</b> & tell you about the year. 🔬</p>",
    "topic_sv": "Öppna data\nför alla",
    "topic_en": "Open data\nfor everyone",
}

ADD_CONTENT = (
    f"texts = {TEXTS!r}\n"
    + """
import json
from home.models import HomePage, StandardPage
from stories.models import Topic
home = HomePage.objects.get()
def body(html):
    return json.dumps([{"type": "paragraph", "value": html}])
page = StandardPage(
    title=texts["title_sv"], title_sv=texts["title_sv"], slug="oppet-hus", slug_sv="oppet-hus",
    title_en=texts["title_en"], slug_en="open-house",
    body_sv=body(texts["body_sv"]), body_en=body(texts["body_en"]),
)
home.add_child(instance=page)
page.save_revision().publish()
Topic.objects.create(name_sv=texts["topic_sv"], name_en=texts["topic_en"], slug_sv="oppna-data", slug_en="open-data")
"""
)

# Every row of every table, as text (JSON for structured values), into a file.
SNAPSHOT = """
import json, sys
from django.db import connection
out = {}
with connection.cursor() as cursor:
    for table in sorted(connection.introspection.table_names()):
        cursor.execute("SELECT * FROM " + connection.ops.quote_name(table))
        columns = [c[0] for c in cursor.description]
        rows = [
            [v if isinstance(v, (str, int, float, type(None))) else json.dumps(v, default=str, sort_keys=True)
             for v in row]
            for row in cursor.fetchall()
        ]
        out[table] = {"columns": columns, "rows": rows}
import home.models
out["__module__"] = home.models.__file__
open(%r, "w").write(json.dumps(out, ensure_ascii=False, default=str))
"""

USE_NEW_FIELDS = """
from django.utils import translation
from home.models import StandardPage
from stories.models import Topic
page = StandardPage.objects.get(slug_sv="oppet-hus")
page.subtitle_sv, page.subtitle_en = "Lördag 14 mars", "Saturday 14 March"
page.save_revision().publish()
topic = Topic.objects.get(slug_sv="oppna-data")
topic.description_sv, topic.description_en = "Data som alla får använda", "Data anyone may use"
topic.save()
page = StandardPage.objects.get(pk=page.pk)
topic = Topic.objects.get(pk=topic.pk)
with translation.override("en"):
    print("NEW", page.subtitle, "|", topic.description)
with translation.override("sv"):
    print("NEW", page.subtitle, "|", topic.description)
from bs4 import BeautifulSoup
from django.test import Client
for address in ("/sv/oppet-hus/", "/en/open-house/"):
    response = Client().get(address)
    html = BeautifulSoup(response.content, "html.parser")
    print("PAGE", response.status_code, html.h1.get_text(strip=True), "|", html.main.p.get_text())
"""


def row(snapshot, table, **match):
    """The one row of a snapshot's table whose columns have the given values."""
    columns = snapshot[table]["columns"]
    rows = [dict(zip(columns, values, strict=True)) for values in snapshot[table]["rows"]]
    found = [r for r in rows if all(r[k] == v for k, v in match.items())]
    assert len(found) == 1, (table, match)
    return found[0]


def manage(project, env, *arguments):
    result = subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, f"manage.py {arguments[0]}: {result.stderr[-3000:]}"
    return result.stdout


def snapshot(project, env, name):
    path = project / f"{name}.json"
    manage(project, env, "shell", "-c", SNAPSHOT % str(path))
    return json.loads(path.read_text())


def add_subtitle_and_description(project):
    """The change a developer would make: a field and its translation registration."""

    def edit(relative, old, new):
        path = project / relative
        text = path.read_text()
        assert text.count(old) == 1, f"{relative}: {old!r} not found once"
        path.write_text(text.replace(old, new))

    models = (project / "home/models.py").read_text()
    standard_page = re.search(
        r"class StandardPage\(BasePage\):.*?\n(    hero_image = [^\n]*\n)", models, re.S
    )
    assert standard_page, "StandardPage.hero_image not found"
    start, end = standard_page.span(1)
    subtitle = (
        '    subtitle = models.CharField(_("subtitle"), max_length=200, blank=True, default="")\n'
    )
    (project / "home/models.py").write_text(models[:end] + subtitle + models[end:])
    edit("home/translation.py", 'class StandardPageTranslation(TranslationOptions):\n    fields = ("hero_alt_text", "body")',
         'class StandardPageTranslation(TranslationOptions):\n    fields = ("hero_alt_text", "body", "subtitle")')  # fmt: skip
    edit(
        "stories/models.py",
        '    panels = [FieldPanel("name"), FieldPanel("slug")]',
        '    description = models.TextField(_("description"), blank=True, default="")\n\n'
        '    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description")]',
    )
    edit("stories/translation.py", 'class TopicTranslation(TranslationOptions):\n    fields = ("name", "slug")',
         'class TopicTranslation(TranslationOptions):\n    fields = ("name", "slug", "description")')  # fmt: skip


@pytest.fixture
def project(tmp_path):
    """A copy of the project with its own database of the suite's kind."""
    copy = tmp_path / "portal"
    shutil.copytree(ROOT, copy, ignore=COPY_IGNORES)
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))},
        "DJANGO_SETTINGS_MODULE": "portal.settings.dev",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "WAGTAILADMIN_BASE_URL": "http://testserver",
        "ALLOWED_HOSTS": "testserver",
    }
    if not ON_POSTGRES:
        yield copy, {**env, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
        return
    name = f"portal_upgrade_{uuid.uuid4().hex[:10]}"
    psql(f"CREATE DATABASE {name}")
    try:
        yield copy, {**env, "DATABASE_URL": f"{PG_SERVER}/{name}"}
    finally:
        psql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def test_a_new_translated_field_keeps_every_text_in_both_languages(project):
    copy, env = project
    manage(copy, env, "migrate", "--noinput")
    manage(copy, env, "seed_demo")
    manage(copy, env, "shell", "-c", ADD_CONTENT)
    before = snapshot(copy, env, "before")
    assert before.pop("__module__") == str(copy / "home" / "models.py")

    add_subtitle_and_description(copy)
    made = manage(copy, env, "makemigrations", "home", "stories", "--noinput")
    new_migrations = re.findall(r"(\w+/migrations/\d{4}_\w+\.py)", made)
    assert len(new_migrations) == 2, made
    operations = "".join((copy / path).read_text() for path in new_migrations)
    for column in ("subtitle_sv", "subtitle_en", "description_sv", "description_en"):
        assert f"name='{column}'" in operations or f'name="{column}"' in operations, column
    migrated = manage(copy, env, "migrate", "--noinput")
    assert "OK" in migrated
    # wagtail-modeltranslation's part of migrate: the Page table's language columns.
    assert "No new translatable fields detected" in migrated
    after = snapshot(copy, env, "after")
    after.pop("__module__")

    # The new per-language columns exist ...
    assert {"subtitle_sv", "subtitle_en"} <= set(after["home_standardpage"]["columns"])
    assert {"description_sv", "description_en"} <= set(after["stories_topic"]["columns"])
    # ... and every row of every table is still there with every value it had, in
    # both languages (the bookkeeping tables only gain rows).
    growing = {"django_migrations", "auth_permission", "django_content_type"}
    assert set(before) <= set(after)
    for table, old in before.items():
        new = after[table]
        positions = [new["columns"].index(column) for column in old["columns"]]
        kept = sorted(json.dumps([row[i] for i in positions]) for row in new["rows"])
        had = sorted(json.dumps(row) for row in old["rows"])
        if table in growing:
            assert set(had) <= set(kept), table
        else:
            assert kept == had, table

    # The texts written before the upgrade, read back exactly.
    page = row(after, "wagtailcore_page", slug_sv="oppet-hus")
    assert (page["title_sv"], page["title_en"]) == (TEXTS["title_sv"], TEXTS["title_en"])
    standard = row(after, "home_standardpage", page_ptr_id=page["id"])
    for language in ("sv", "en"):
        body = json.loads(standard[f"body_{language}"])
        assert body[0]["value"] == TEXTS[f"body_{language}"]
    topic = row(after, "stories_topic", slug_sv="oppna-data")
    assert (topic["name_sv"], topic["name_en"]) == (TEXTS["topic_sv"], TEXTS["topic_en"])
    assert len(before["wagtailcore_page"]["rows"]) >= 10
    assert len(before["stories_topic"]["rows"]) >= 3

    # The new fields hold text per language.
    output = manage(copy, env, "shell", "-c", USE_NEW_FIELDS)
    assert "NEW Saturday 14 March | Data anyone may use" in output
    assert "NEW Lördag 14 mars | Data som alla får använda" in output
    # and readers still get the pages, in each language.
    assert f"PAGE 200 {TEXTS['title_sv']} | Vi visar labben & berättar om året." in output
    assert (
        f"PAGE 200 {TEXTS['title_en']} | We show the labs & tell you about the year. 🔬" in output
    )
