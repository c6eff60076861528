"""Faults: the database going away, a media file gone from storage, a publish refused.

The database outage is simulated on every database (the connection refuses every
query) and, on PostgreSQL, also caused for real against gunicorn with production
settings: its connections are terminated and new ones refused for a while, then
allowed again. Which one ran is printed and recorded as ``outage_backend``.
"""

import datetime
import json
import os
import secrets
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.core.files.base import ContentFile
from django.db import OperationalError, connection
from wagtail.documents import get_document_model

from awards.models import AwardWinnerPage
from stories.models import StoryPage
from tests.factories.awards import AwardCategoryFactory, AwardPageFactory
from tests.factories.base import ImageFactory
from tests.factories.home import StandardPageFactory
from tests.factories.stories import StoryIndexPageFactory
from tests.test_documents import s3_storage  # noqa: F401 (the fixture)

ROOT = Path(__file__).resolve().parent.parent
ON_POSTGRES = connection.vendor == "postgresql"
SEARCH_URL = {"sv": "/sv/sok/", "en": "/en/search/"}
HEADINGS = {
    "sv": "Webbplatsen är tillfälligt otillgänglig",
    "en": "The site is temporarily unavailable",
}
TRACE_WORDS = ("Traceback", "OperationalError", "InterfaceError", 'File "', "psycopg")


def soup(content):
    return BeautifulSoup(content, "html.parser")


def assert_friendly_503(status, headers, body, language):
    assert status == 503, (status, body[:300])
    assert headers["Retry-After"].isdigit()
    page = soup(body)
    assert page.html["lang"] == language
    assert page.h1.get_text(strip=True) == HEADINGS[language]
    for word in TRACE_WORDS:
        assert word not in body, word


def client_result(response):
    return response.status_code, response.headers, response.content.decode()


@pytest.fixture
def database_down():
    """Every query fails as with a database that went away; ``up()`` brings it back."""

    def refuse(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    class Outage:
        # Its own patcher: bringing the database back undoes nothing else.
        patch = pytest.MonkeyPatch()

        def down(self):
            self.patch.setattr(connection, "cursor", refuse)
            self.patch.setattr(connection, "chunked_cursor", refuse)

        def up(self):
            self.patch.undo()

    outage = Outage()
    yield outage
    outage.up()


@pytest.fixture
def news(home_page):
    return StoryIndexPageFactory(parent=home_page)


# --- the database goes away (simulated: every database) -----------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["sv", "en"])
def test_pages_answer_a_friendly_503_in_the_visitors_language(
    client, home_page, news, uncached, database_down, language
):
    database_down.down()
    for path in (f"/{language}/", f"/{language}/{news.slug_sv if language == 'sv' else 'news'}/"):
        assert_friendly_503(*client_result(client.get(path)), language)
    # A search needs the database too.
    assert_friendly_503(*client_result(client.get(f"{SEARCH_URL[language]}?q=x")), language)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "error"}
    database_down.up()
    assert client.get(f"/{language}/").status_code == 200
    assert client.get("/healthz").json() == {"status": "ok", "database": "ok"}


@pytest.mark.django_db
def test_database_work_in_the_middleware_also_gives_the_503(client, home_page, database_down):
    """An unprefixed address that is not found is looked up by the locale middleware
    (does it lead to a page?) and its 404 page reads the site settings: both need the
    database, after the view. Django turns such an error into a 500 before the outage
    middleware sees it; the 500 must still become the friendly 503."""
    client.raise_request_exception = False
    database_down.down()
    status, headers, body = client_result(
        client.get("/finns-inte/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    )
    assert_friendly_503(status, headers, body, "en")
    # An editor's session is read from the database by the session middleware.
    client.cookies["sessionid"] = "x" * 32
    assert_friendly_503(*client_result(client.get("/sv/")), "sv")


@pytest.mark.django_db
def test_a_cached_page_is_still_served_while_the_database_is_down(client, home_page, database_down):
    assert client.get("/sv/").status_code == 200  # now in the page cache
    database_down.down()
    cached = client.get("/sv/")
    assert cached.status_code == 200
    assert cached.headers["X-Portal-Cache"] == "hit"
    assert_friendly_503(*client_result(client.get("/en/")), "en")
    database_down.up()
    assert client.get("/en/").status_code == 200


def test_the_settings_reconnect_by_themselves():
    """A broken connection is closed at the end of its request and checked before reuse."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    assert database["CONN_HEALTH_CHECKS"] is True
    assert database["CONN_MAX_AGE"] > 0


# --- a media file gone from storage -------------------------------------------------


def remove_file(image_or_document):
    """The file disappears from storage; the database row stays (a failed sync, a
    restore without media, a bucket emptied by mistake)."""
    field = image_or_document.file
    field.storage.delete(field.name)
    assert not field.storage.exists(field.name)


def image_block(image, alt_text):
    return ("image", {"image": image, "alt_text": alt_text, "caption": "", "credit": ""})


@pytest.mark.django_db
def test_a_story_whose_images_are_gone_still_shows(client, news, uncached):
    hero = ImageFactory()
    inline = ImageFactory()
    story = StoryPage(
        title_sv="Bilderna saknas",
        slug_sv="bilderna-saknas",
        title_en="The images are missing",
        slug_en="the-images-are-missing",
        date=datetime.date(2025, 3, 1),
        hero_image=hero,
        hero_alt_text_sv="Kirurger i arbete",
        hero_alt_text_en="Surgeons at work",
        body_sv=[image_block(inline, "Sjukhuset från ovan")],
        body_en=[image_block(inline, "The hospital from above")],
    )
    story.title, story.slug = story.title_sv, story.slug_sv
    news.add_child(instance=story)
    story.save_revision().publish()
    remove_file(hero)
    remove_file(inline)
    for path, alt_texts in [
        ("/sv/nyheter/bilderna-saknas/", ["Kirurger i arbete", "Sjukhuset från ovan"]),
        ("/en/news/the-images-are-missing/", ["Surgeons at work", "The hospital from above"]),
    ]:
        response = client.get(path)
        assert response.status_code == 200, path
        page = soup(response.content.decode())
        shown = [img.get("alt") for img in page.select("main img")]
        for alt in alt_texts:
            assert alt in shown, (path, shown)
        # The index's card and the home page show the story too.
    assert client.get("/sv/nyheter/").status_code == 200
    assert client.get("/en/").status_code == 200


@pytest.mark.django_db
def test_an_award_winner_whose_image_is_gone_still_shows(client, home_page, uncached):
    award = AwardPageFactory(parent=home_page)
    category = AwardCategoryFactory(programme=award)
    winner = AwardWinnerPage(
        title_sv="Vinnare 2025",
        slug_sv="vinnare-2025",
        title_en="Winner 2025",
        slug_en="winner-2025",
        year=2025,
        category=category,
        winner_name="Anna Andersson",
        image=ImageFactory(),
        image_alt_text_sv="Vinnaren på scen",
        image_alt_text_en="The winner on stage",
    )
    winner.title, winner.slug = winner.title_sv, winner.slug_sv
    award.add_child(instance=winner)
    winner.save_revision().publish()
    remove_file(winner.image)
    for language, slug, alt in [
        ("sv", "vinnare-2025", "Vinnaren på scen"),
        ("en", "winner-2025", "The winner on stage"),
    ]:
        response = client.get(f"/{language}/flemingsberg-science-award/{slug}/")
        assert response.status_code == 200, language
        assert alt in [img.get("alt") for img in soup(response.content.decode()).select("main img")]
        assert client.get(f"/{language}/flemingsberg-science-award/").status_code == 200


@pytest.mark.django_db
def test_a_document_whose_file_is_gone_is_not_found(client, home_page):
    document = get_document_model().objects.create(
        title="Årsrapport", file=ContentFile(b"Rapporten", name="arsrapport.txt")
    )
    response = client.get(document.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"Rapporten"
    remove_file(document)
    response = client.get(document.url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    page = soup(response.content.decode())
    assert page.h1.get_text(strip=True) == "Page not found"


# --- a publish refused by validation loses nothing -----------------------------------


@pytest.mark.django_db
def test_a_refused_publish_keeps_every_field_the_editor_typed(admin_client, home_page):
    from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

    StandardPageFactory(parent=home_page, title_sv="Om oss", slug_sv="om-oss")
    page = StandardPageFactory(parent=home_page, title_sv="Kontakt", slug_sv="kontakt")
    typed = {
        "title_sv": "Välkommen till vårt kansli",
        "title_en": "Welcome to our office",
        "lead_sv": "Här träffar du forskare och konstnärer.",
        "lead_en": "Here you meet researchers and artists.",
    }
    body = {"sv": "Kanslibesked om öppettider", "en": "Office notice about opening hours"}
    data = nested_form_data(
        {
            **typed,
            # Already used by a sibling: the publish is refused.
            "slug_sv": "om-oss",
            "slug_en": "welcome",
            "body_sv": streamfield([("paragraph", rich_text(f"<p>{body['sv']}</p>"))]),
            "body_en": streamfield([("paragraph", rich_text(f"<p>{body['en']}</p>"))]),
            "action-publish": "publish",
        }
    )
    response = admin_client.post(f"/admin/pages/{page.pk}/edit/", data)
    assert response.status_code == 200  # the form again, not a redirect
    html = response.content.decode()
    form = soup(html)
    assert "om-oss" in form.select_one("[name=slug_sv]")["value"]
    errors = [e.get_text(" ", strip=True) for e in form.select(".error-message")]
    # The admin speaks Swedish unless the editor chose English.
    assert errors == ["Adressdelen används redan"], errors
    for name, value in typed.items():
        field = form.select_one(f"[name={name}]")
        # (A browser drops a textarea's first newline, as the parser here does not.)
        shown = field["value"] if field.name == "input" else field.get_text().removeprefix("\n")
        assert shown == value, name
    # The bodies come back as the StreamField's initial state: blocks of Draftail JSON.
    for language, text in body.items():
        state = form.select_one(f"#body_{language}[data-w-block-arguments-value]")
        blocks = json.loads(state["data-w-block-arguments-value"])[0]
        paragraphs = [
            line["text"]
            for block in blocks
            if block["type"] == "paragraph"
            for line in json.loads(block["value"])["blocks"]
        ]
        assert paragraphs == [text], language
    # Nothing was saved as published: the live page is unchanged.
    page.refresh_from_db()
    assert page.title_sv == "Kontakt" and page.slug_sv == "kontakt"


# --- the database goes away for real (PostgreSQL) -----------------------------------

PRODUCTION_SITE = "https://portal.example"


@pytest.fixture
def outage_branch(request):
    """Which outage the test below causes; printed and put in the report."""
    branch = "postgresql-real" if ON_POSTGRES else "sqlite-simulated"
    request.node.user_properties.append(("outage_backend", branch))
    print(f"database outage under test: {branch}")
    return branch


def admin_connection():
    """A superuser connection to the server's maintenance database, outside Django."""
    import psycopg

    params = connection.settings_dict
    return psycopg.connect(
        host=params["HOST"] or "127.0.0.1",
        port=params["PORT"] or 5432,
        user=params["USER"] or "postgres",
        password=params["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )


@pytest.fixture
def gunicorn_on_own_postgres_database(tmp_path):
    """gunicorn with production settings on a freshly migrated PostgreSQL database."""
    from tests.test_production_server import get, gunicorn

    name = f"portal_outage_{uuid.uuid4().hex[:10]}"
    params = connection.settings_dict
    url = (
        f"postgres://{params['USER'] or 'postgres'}@{params['HOST'] or '127.0.0.1'}:"
        f"{params['PORT'] or 5432}/{name}"
    )
    with admin_connection() as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_SETTINGS_MODULE", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(
        DATABASE_URL=url,
        MEDIA_ROOT=str(tmp_path / "media"),
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="portal.example",
        WAGTAILADMIN_BASE_URL=PRODUCTION_SITE,
        PORTAL_CACHE_GENERATION_FILE=str(tmp_path / "generation"),
        DJANGO_SETTINGS_MODULE="portal.settings.production",
    )
    manage = [sys.executable, "manage.py"]
    try:
        for command in (["migrate", "--noinput"], ["collectstatic", "--noinput", "-v", "0"]):
            subprocess.run(manage + command, cwd=ROOT, env=env, check=True, capture_output=True)
        with gunicorn(env, tmp_path / "gunicorn.log") as port:
            yield name, port, lambda path: get(port, path)
    finally:
        with admin_connection() as admin:
            admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def real_outage_and_recovery(request):
    name, _port, get = request.getfixturevalue("gunicorn_on_own_postgres_database")
    assert get("/sv/")[0] == 200  # the Swedish front page is now in the page cache
    assert get("/healthz")[0] == 200
    with admin_connection() as admin:
        # New connections are refused, and the site's open one is cut.
        admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()",
            [name],
        )
        status, _headers, body = get("/healthz")
        assert status == 503
        assert json.loads(body) == {"status": "error", "database": "error"}
        for path, language in [
            ("/en/", "en"),
            ("/sv/finns-inte/", "sv"),
            ("/en/search/?q=x", "en"),
        ]:
            assert_friendly_503(*get(path), language)
        # Still from the page cache: readers of cached pages see nothing of it.
        status, headers, _body = get("/sv/")
        assert (status, headers.get("X-Portal-Cache")) == (200, "hit")
        admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
    # The very next requests work again, with no restart.
    assert get("/healthz")[0] == 200
    status, _headers, body = get("/en/")
    assert status == 200
    assert soup(body).html["lang"] == "en"


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_site_survives_and_recovers_from_a_database_outage(
    request, outage_branch, client, home_page, uncached, database_down
):
    if ON_POSTGRES:
        real_outage_and_recovery(request)
        return
    # SQLite cannot be taken away from a running process: every query fails instead.
    database_down.down()
    assert client.get("/healthz").status_code == 503
    assert_friendly_503(*client_result(client.get("/en/")), "en")
    database_down.up()
    assert client.get("/healthz").status_code == 200
    assert client.get("/en/").status_code == 200


@pytest.mark.django_db
def test_with_object_storage_a_document_whose_object_is_gone_is_not_found(
    client,
    home_page,
    s3_storage,  # noqa: F811 (the fixture)
):
    document = get_document_model().objects.create(
        title="Årsrapport", file=ContentFile(b"Rapporten", name="arsrapport.txt")
    )
    response = client.get(document.url)
    assert response.status_code == 200
    remove_file(document)
    response = client.get(document.url, HTTP_ACCEPT_LANGUAGE="sv")
    assert response.status_code == 404
    assert soup(response.content.decode()).h1.get_text(strip=True) == "Sidan kunde inte hittas"


@pytest.mark.django_db
def test_with_object_storage_a_story_whose_image_object_is_gone_still_shows(
    client,
    news,
    uncached,
    s3_storage,  # noqa: F811 (the fixture)
):
    story = StoryPage(
        title_sv="Bilden saknas",
        slug_sv="bilden-saknas",
        date=datetime.date(2025, 3, 1),
        hero_image=ImageFactory(),
        hero_alt_text_sv="Forskare i labbet",
    )
    story.title, story.slug = story.title_sv, story.slug_sv
    news.add_child(instance=story)
    story.save_revision().publish()
    remove_file(story.hero_image)
    response = client.get("/sv/nyheter/bilden-saknas/")
    assert response.status_code == 200
    page = soup(response.content.decode())
    assert "Forskare i labbet" in [img.get("alt") for img in page.select("main img")]
