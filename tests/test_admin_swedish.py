"""The admin speaks Swedish where Wagtail 8 and wagtail-modeltranslation left English:
the project's catalogues come before the packages' own, on the server and in the
admin's JavaScript catalogue; an editor who prefers English keeps English."""

import json
import re
from pathlib import Path

import polib
import pytest
from bs4 import BeautifulSoup
from django.utils import translation
from wagtail.users.models import UserProfile

from portal import admin_strings
from stories.models import StoryPage
from tests.factories.stories import StoryIndexPageFactory, StoryPageFactory

pytestmark = pytest.mark.django_db

LOCALE = Path(__file__).resolve().parent.parent / "locale" / "sv" / "LC_MESSAGES"


def visible_text_and_names(response):
    """The page's text and its controls' names, without scripts and styles."""
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    for element in soup(["script", "style", "template"]):
        element.decompose()
    names = [
        element.get(attribute, "")
        for attribute in ("aria-label", "title", "placeholder")
        for element in soup.find_all(attrs={attribute: True})
    ]
    return re.sub(r"\s+", " ", soup.get_text(" ")) + "\n" + "\n".join(names)


def form_data(response, selector):
    """What the browser would send for the form as it stands (its checked boxes only)."""
    form = BeautifulSoup(response.content.decode(), "html.parser").select_one(selector)
    data = {}
    for field in form.select("input[name], textarea[name], select[name]"):
        kind = field.get("type", "")
        if kind in ("submit", "button", "file") or (
            kind in ("checkbox", "radio") and not field.has_attr("checked")
        ):
            continue
        if field.name == "textarea":
            data[field["name"]] = field.text
        elif field.name == "select":
            chosen = field.select("option[selected]") or field.select("option")[:1]
            data[field["name"]] = [option.get("value", option.text) for option in chosen]
        else:
            data[field["name"]] = field.get("value", "")
    return data


@pytest.fixture
def editor_client(client, django_user_model):
    def login(language):
        user = django_user_model.objects.create_superuser(
            f"editor-{language}", f"editor-{language}@example.org", "pw-123456!"
        )
        profile = UserProfile.get_for_user(user)
        profile.preferred_language = language
        profile.save()
        client.force_login(user)
        return client

    return login


@pytest.fixture
def story(home_page):
    StoryPage.get_edit_handler.cache_clear()  # built in the language of this test
    index = StoryIndexPageFactory(parent=home_page)
    return StoryPageFactory(parent=index, title_sv="Symposiet", title_en="The symposium")


def test_the_catalogue_translates_every_listed_wagtail_string_at_run_time():
    entries = [entry for entry in polib.pofile(str(LOCALE / "django.po")) if entry.msgid]
    catalogue = {entry.msgid: entry.msgstr for entry in entries if not entry.msgctxt}
    plurals = {entry.msgstr_plural[1] for entry in entries if entry.msgid_plural}
    for string in admin_strings.WAGTAIL_STRINGS:
        with translation.override("sv"):
            if isinstance(string, str):
                assert translation.gettext(string) == catalogue[string], string
                continue
            swedish = str(string)  # ngettext_lazy(singular, plural, 2)
        with translation.override("en"):
            assert swedish in plurals and swedish != str(string), swedish


def test_explorer_and_edit_screen_in_swedish(editor_client, story):
    client = editor_client("sv")

    root = visible_text_and_names(client.get("/admin/pages/"))
    assert "Utforskar: Rotnivå" in root
    listing = visible_text_and_names(client.get(f"/admin/pages/{story.get_parent().pk}/"))
    assert "1–1 av 1 sida" in listing

    edit = visible_text_and_names(client.get(f"/admin/pages/{story.pk}/edit/"))
    for swedish in ["Sidopaneler", "Minikarta", "Sidopanelens bredd", "Handlingar (sidfot)"]:
        assert swedish in edit
    response = client.get(f"/admin/pages/{story.pk}/edit/")
    html = response.content.decode()
    assert "'Visa / redigera fält för'" in html  # wagtail-modeltranslation's language picker
    assert "Automatisk sparning är pausad" in html  # the autosave indicator's states

    english = re.compile(r"Exploring|\bRoot\b|\d of \d|Side panel|Minimap|\bActions\b")
    for text in (root, listing, edit):
        assert not english.findall(text)


def test_autosave_reports_a_validation_error_in_swedish(editor_client, story):
    client = editor_client("sv")
    url = f"/admin/pages/{story.pk}/edit/"
    data = form_data(client.get(url), "#page-edit-form")
    data["title_sv"] = ""
    data.update({"body_sv-count": 0, "body_en-count": 0})  # the editor's script writes these
    response = client.post(url, data, HTTP_ACCEPT="application/json")
    assert response.status_code == 400
    assert response.json()["error_message"] == (
        "Det finns valideringsfel; klicka på spara för att markera dem."
    )


def test_the_admins_javascript_catalogue_holds_the_projects_translations(editor_client):
    client = editor_client("sv")
    response = client.get("/admin/jsi18n/")
    assert response.status_code == 200
    catalogue = json.loads(
        re.search(r"const newcatalog = (\{.*?\});", response.content.decode(), re.S).group(1)
    )
    assert catalogue["Search options…"] == "Sök bland alternativen…"
    assert catalogue["Changes have been autosaved."] == "Ändringarna har sparats automatiskt."
    assert catalogue["%(num)s min"] == ["%(num)s min", "%(num)s min"]
    # Wagtail's own Swedish is still there.
    assert catalogue["Insert a block"] == "Lägg till ett block"


def test_an_editor_who_prefers_english_keeps_english(editor_client, story):
    client = editor_client("en")
    root = visible_text_and_names(client.get("/admin/pages/"))
    assert "Exploring: Root" in root
    edit = client.get(f"/admin/pages/{story.pk}/edit/").content.decode()
    assert "'View / edit fields for'" in edit
