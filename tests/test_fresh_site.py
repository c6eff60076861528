"""A new installation: migrations alone give a working, empty site in both languages.

Wagtail's migrations leave a bare placeholder page as the site root (an empty title,
no template); the portal's own migration replaces it with an empty home page. The
first admin account comes from one documented command.
"""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from home.models import HomePage

ROOT = Path(__file__).resolve().parent.parent
PG_SERVER = "postgres://postgres@127.0.0.1:5432"

EXPECTED = {
    "sv": {"title": "Välkommen till Flemingsbergsportalen", "site": "Flemingsbergsportalen"},
    "en": {"title": "Welcome to Flemingsberg Portal", "site": "Flemingsberg Portal"},
}


def check_front_pages(client):
    """What a reader sees at /sv/ and /en/ of the fresh site."""
    seen = {}
    for language in ("sv", "en"):
        response = client.get(f"/{language}/")
        html = BeautifulSoup(response.content, "html.parser")
        seen[language] = {
            "status": response.status_code,
            "lang": html.html.get("lang"),
            "h1": html.h1.get_text(strip=True) if html.h1 else None,
            "title": html.title.get_text(strip=True) if html.title else "",
            "nav": html.find("nav") is not None,
            "footer": html.footer.get_text(" ", strip=True) if html.footer else "",
        }
    return seen


def assert_fresh_front_pages(seen):
    for language, expected in EXPECTED.items():
        page = seen[language]
        assert page["status"] == 200, language
        assert page["lang"] == language
        assert page["h1"] == expected["title"]
        assert expected["site"] in page["title"]
        assert page["nav"]
        assert expected["site"] in page["footer"]


@pytest.mark.django_db
def test_the_migrated_test_database_has_the_fresh_home_page(client):
    home = HomePage.objects.get()
    assert home.depth == 2 and home.live
    assert (home.slug_sv, home.slug_en) == ("hem", "home")
    assert_fresh_front_pages(check_front_pages(client))
    assert client.get("/").status_code == 302


# What runs inside the fresh installation (a subprocess on its own database).
PROBE = """
import json
from django.test import Client
from tests.test_fresh_site import check_front_pages
client = Client()
result = {"front": check_front_pages(client)}
client.post("/admin/login/", {"username": "admin", "password": "En-lång-fras-för-första-inloggningen"})
result["admin"] = client.get("/admin/").status_code
print("PROBE" + json.dumps(result))
"""


def manage(env, *arguments, **extra):
    return subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT, env=env, check=True, capture_output=True, text=True, **extra,
    )  # fmt: skip


def probe(env):
    output = manage(env, "shell", "-c", PROBE).stdout
    return json.loads(output.split("PROBE", 1)[1])


@pytest.fixture
def empty_postgres_database():
    name = f"portal_fresh_{uuid.uuid4().hex[:10]}"
    psql = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-q", "-c"]
    subprocess.run([*psql, f"CREATE DATABASE {name}"], check=True)
    try:
        yield f"{PG_SERVER}/{name}"
    finally:
        subprocess.run([*psql, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"], check=True)


def test_a_fresh_postgresql_installation_works(empty_postgres_database):
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
        "DJANGO_SETTINGS_MODULE": "portal.settings.dev",
        "DATABASE_URL": empty_postgres_database,
        "WAGTAILADMIN_BASE_URL": "http://testserver",
        "ALLOWED_HOSTS": "testserver",
    }
    manage(env, "migrate", "--noinput")
    # The README's one line for the first admin account.
    manage(
        {**env, "DJANGO_SUPERUSER_PASSWORD": "En-lång-fras-för-första-inloggningen"},
        "createsuperuser", "--noinput", "--username", "admin", "--email", "admin@example.org",
    )  # fmt: skip
    result = probe(env)
    assert_fresh_front_pages(result["front"])
    assert result["admin"] == 200

    # Migrating again changes nothing; the demo then takes the empty home page's place.
    assert "No migrations to apply" in manage(env, "migrate", "--noinput").stdout
    manage(env, "seed_demo")
    front = probe(env)["front"]
    assert front["sv"]["h1"] == "Vetenskapsstaden Flemingsberg"
    assert front["en"]["status"] == 200
