"""Translate content in the admin: the content PO round trip for the Translators group
(download, upload, review, apply), in Swedish and English."""

import importlib
import json

import polib
import pytest
from bs4 import BeautifulSoup
from django.apps import apps as django_apps
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.models import GroupPagePermission, Page, Revision
from wagtail.rich_text import RichText
from wagtail.users.models import UserProfile

from portal.translation_tools import po_admin
from portal.translation_tools.models import ContentPOUpload
from stories.models import Topic
from tests.factories.home import StandardPageFactory

pytestmark = pytest.mark.django_db

INDEX = "/admin/translate-content/"
DOWNLOAD = INDEX + "download/"
UPLOAD = INDEX + "upload/"
group_migration = importlib.import_module("portal.migrations.0011_translators_group")


def soup(response):
    return BeautifulSoup(response.content.decode(), "html.parser")


def text_of(response, selector="main"):
    return soup(response).select_one(selector).get_text(" ", strip=True)


def prefer(user, language):
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()


@pytest.fixture
def translators(db):
    # What the migration made (a transactional test elsewhere may have emptied the tables).
    group_migration.create_group(django_apps, None)
    return Group.objects.get(name="Translators")


@pytest.fixture
def translator(django_user_model, translators, home_page):
    user = django_user_model.objects.create_user("tove", "tove@example.org", "pw-123456!")
    user.groups.add(translators)
    return user


@pytest.fixture
def translator_client(client, translator):
    client.force_login(translator)
    return client


@pytest.fixture
def page(home_page):
    """A live page with a Swedish title, lead and body, and no English."""
    page = StandardPageFactory(
        parent=home_page,
        title_sv="Forskning i Flemingsberg",
        title_en="",
        slug_sv="forskning-i-flemingsberg",
        lead_sv="Här möts forskning och vård.",
        lead_en="",
        body_sv=[
            ("heading", {"text": "Bakgrund", "level": "h2"}),
            ("paragraph", RichText("<p>Flemingsberg har två universitet.</p>")),
        ],
    )
    page.save_revision().publish()
    page.refresh_from_db()
    return page


ENGLISH = {
    "Forskning i Flemingsberg": "Research in Flemingsberg",
    "forskning-i-flemingsberg": "research-in-flemingsberg",
    "Här möts forskning och vård.": "Research & healthcare meet here <3",
    "Bakgrund": "Background",
    "<p>Flemingsberg har två universitet.</p>": "<p>Flemingsberg has two universities.</p>",
}


def download(client, **params):
    response = client.get(DOWNLOAD, {"language": "en", "scope": "site", **params})
    assert response.status_code == 200, response.content[:500]
    return response, polib.pofile(b"".join(response.streaming_content).decode() + "\n")


def translate(catalogue, table=ENGLISH):
    for entry in catalogue:
        if entry.msgid in table:
            entry.msgstr = table[entry.msgid]
    return str(catalogue)


def upload(client, text, language="en", name="content-en.po"):
    data = text.encode() if isinstance(text, str) else text
    return client.post(
        UPLOAD, {"language": language, "file": SimpleUploadedFile(name, data)}, follow=True
    )


def reviewed(client, table=ENGLISH):
    _response, catalogue = download(client)
    response = upload(client, translate(catalogue, table))
    assert response.status_code == 200
    assert response.redirect_chain[-1][0].startswith(INDEX + "review/")
    return response


def apply(client, review, mode="drafts"):
    action = soup(review).select_one("form.content-po__apply")["action"]
    return client.post(action, {"mode": mode})


def latest(page):
    return page.specific_class.objects.get(pk=page.pk)


# --- the group and who may use it ---------------------------------------------


def test_the_migration_makes_a_translators_group_that_may_edit_and_publish_pages(db):
    Group.objects.filter(name="Translators").delete()
    group_migration.create_group(django_apps, None)
    group_migration.create_group(django_apps, None)  # twice: still one group, one of each
    group = Group.objects.get(name="Translators")
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert codenames == {"access_admin", "change_topic", "change_venue", "change_portalsettings"}
    page_permissions = GroupPagePermission.objects.filter(group=group)
    assert {p.permission.codename for p in page_permissions} == {"change_page", "publish_page"}
    assert {p.page.depth for p in page_permissions} == {1}  # the whole tree


@pytest.mark.parametrize(
    "language, label", [("sv", "Översätt innehåll"), ("en", "Translate content")]
)
def test_translators_see_the_menu_item_in_their_language(
    translator_client, translator, language, label
):
    prefer(translator, language)
    assert menu_items(translator_client.get("/admin/"))["translate-content"] == label
    page = translator_client.get(INDEX)
    assert page.status_code == 200
    assert soup(page).select_one("h1").get_text(strip=True) == label


def menu_items(response):
    """``{name: label}`` of the admin's main menu (the sidebar's props, as JSON)."""
    props = json.loads(soup(response).select_one("#wagtail-sidebar-props").string)
    items = {}

    def walk(value):
        if isinstance(value, dict):
            if isinstance(value.get("name"), str) and isinstance(value.get("label"), str):
                items[value["name"]] = value["label"]
            for child in value.values():
                walk(child)
        elif isinstance(value, list):
            for child in value:
                walk(child)

    walk(props)
    return items


def test_superusers_may_use_it_too(client, django_user_model, home_page):
    client.force_login(django_user_model.objects.create_superuser("admin", "a@example.org", "pw"))
    assert client.get(INDEX).status_code == 200


@pytest.fixture
def editor(django_user_model, home_page):
    """An editor who may edit and publish every page, but is no translator."""
    user = django_user_model.objects.create_user("erik", "erik@example.org", "pw-123456!")
    group = Group.objects.create(name="Redaktörer")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    root = Page.get_first_root_node()
    for codename in ("add_page", "change_page", "publish_page"):
        GroupPagePermission.objects.create(
            group=group, page=root, permission=Permission.objects.get(codename=codename)
        )
    user.groups.add(group)
    return user


@pytest.mark.parametrize(
    "language, message",
    [
        ("sv", "Bara medlemmar i gruppen Översättare"),
        ("en", "Only members of the Translators group"),
    ],
)
def test_anyone_else_gets_a_403_and_no_menu_item(
    client, editor, translator, page, language, message
):
    translation = ContentPOUpload.objects.create(
        token="t" * 43, user=translator, language="en", content='msgid ""\nmsgstr ""\n'
    )
    prefer(editor, language)
    client.force_login(editor)
    assert "translate-content" not in menu_items(client.get("/admin/"))
    assert "reports" in menu_items(client.get("/admin/"))  # the menu was read
    for response in (
        client.get(INDEX),
        client.get(DOWNLOAD, {"language": "en", "scope": "site"}),
        client.post(UPLOAD, {"language": "en"}),
        client.get(f"{INDEX}review/{translation.token}/"),
        client.post(f"{INDEX}apply/{translation.token}/", {"mode": "drafts"}),
    ):
        assert response.status_code == 403
        assert message in text_of(response)
    assert not ContentPOUpload.objects.filter(user=editor).exists()


def test_a_visitor_is_sent_to_the_login(client, home_page):
    response = client.get(INDEX)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_an_upload_is_only_its_uploaders(
    translator_client, translator, translators, page, client, django_user_model
):
    review = reviewed(translator_client)
    token = review.redirect_chain[-1][0].split("/")[-2]
    other = django_user_model.objects.create_user("olle", "olle@example.org", "pw-123456!")
    other.groups.add(translators)
    client.force_login(other)
    assert client.get(f"{INDEX}review/{token}/").status_code == 404
    assert client.post(f"{INDEX}apply/{token}/", {"mode": "drafts"}).status_code == 404
    assert client.get(f"{INDEX}review/not-a-token/").status_code == 404


# --- download -----------------------------------------------------------------


def test_download_the_whole_site_pages_and_snippets(translator_client, page):
    topic = Topic.objects.create(
        name_sv="Forskning", slug_sv="forskning", name="Forskning", slug="forskning"
    )
    response, catalogue = download(translator_client)
    assert response["Content-Disposition"] == 'attachment; filename="content-en.po"'
    assert catalogue.metadata["Language"] == "en"
    assert catalogue.find(f"page:{page.pk}:title", by="msgctxt").msgid == "Forskning i Flemingsberg"
    assert catalogue.find(f"stories.topic:{topic.pk}:name", by="msgctxt").msgid == "Forskning"


def test_download_a_page_and_the_pages_under_it(translator_client, page, home_page):
    child = StandardPageFactory(parent=page, title_sv="Labb", title_en="")
    StandardPageFactory(parent=home_page, title_sv="Kontakt", title_en="")
    response, catalogue = download(translator_client, scope="subtree", page=page.pk)
    titles = {e.msgid for e in catalogue if e.msgctxt.endswith(":title")}
    assert titles == {"Forskning i Flemingsberg", "Labb"}
    assert not any(e.msgctxt.startswith("stories.topic") for e in catalogue)
    assert f"page-{page.pk}" in response["Content-Disposition"]
    assert child.pk


@pytest.mark.parametrize(
    "language, message",
    [
        ("sv", "Välj sidan vars text du vill ladda ned."),
        ("en", "Choose the page whose text you want to download."),
    ],
)
def test_a_subtree_download_needs_a_page(translator_client, translator, page, language, message):
    prefer(translator, language)
    response = translator_client.get(DOWNLOAD, {"language": "en", "scope": "subtree"})
    assert response.status_code == 400
    assert message in text_of(response)
    assert translator_client.get(DOWNLOAD, {"language": "xx", "scope": "site"}).status_code == 400


def test_download_only_what_is_missing_or_changed_since_the_last_download(
    translator_client, home_page, page
):
    done = StandardPageFactory(
        parent=home_page, title_sv="Om oss", title_en="About us", lead_sv="Vi.", lead_en="We."
    )
    done.save_revision().publish()

    def contexts():
        _response, catalogue = download(translator_client, scope="changed")
        return {e.msgctxt for e in catalogue}

    first = contexts()
    # Missing: the untranslated page; the translated one is not needed.
    assert f"page:{page.pk}:title" in first
    assert not any(c.startswith(f"page:{done.pk}:") for c in first)
    # The Swedish of the translated page changes together with its English: it comes
    # along with all its texts, once.
    done = latest(done)
    done.lead_sv, done.lead_en = "Vi och ni.", "We and you."
    done.save_revision().publish()
    second = contexts()
    assert f"page:{done.pk}:lead" in second and f"page:{done.pk}:title" in second
    assert not any(c.startswith(f"page:{done.pk}:") for c in contexts())


def test_the_index_names_the_last_download(translator_client, translator, page):
    prefer(translator, "en")
    assert "No download in English yet" in text_of(translator_client.get(INDEX))
    download(translator_client, scope="changed")
    assert "Last download in English:" in text_of(translator_client.get(INDEX))


# --- upload errors --------------------------------------------------------------


BROKEN = 'msgctxt "page:1:title"\nmsgid "Hem"\nHome\n'
FOREIGN = (
    'msgid ""\nmsgstr ""\n"Language: de\\n"\n\nmsgctxt "page:1:title"\nmsgid "Hem"\nmsgstr "Heim"\n'
)
NOT_CONTENT = 'msgid ""\nmsgstr ""\n"Language: en\\n"\n\nmsgid "Hem"\nmsgstr "Home"\n'


@pytest.mark.parametrize(
    "language, messages",
    [
        (
            "sv",
            [
                "Det här är ingen PO-fil: den är inte text i UTF-8.",
                "PO-filen går inte att läsa: det finns ett fel på rad 3.",
                "Filen är på tyska, inte på engelska.",
                "Filen innehåller inga texter från webbplatsens sidor eller snuttar.",
                "Filen är större än 1 MB.",
            ],
        ),
        (
            "en",
            [
                "This is not a PO file: it is not text in UTF-8.",
                "This PO file cannot be read: there is an error on line 3.",
                "The file is in German, not in English.",
                "This file holds no texts of the site's pages or snippets.",
                "The file is larger than 1 MB.",
            ],
        ),
    ],
)
def test_a_file_that_cannot_be_imported_is_a_form_error_in_the_admins_language(
    translator_client, translator, page, language, messages, monkeypatch
):
    prefer(translator, language)
    monkeypatch.setattr(po_admin, "MAX_UPLOAD_MB", 1)
    monkeypatch.setattr(po_admin, "MAX_UPLOAD_BYTES", 1024 * 1024)
    files = [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe",
        BROKEN,
        FOREIGN,
        NOT_CONTENT,
        b"#" * (1024 * 1024 + 1),
    ]
    for data, message in zip(files, messages, strict=True):
        response = upload(translator_client, data)
        assert response.status_code == 200
        assert not response.redirect_chain
        error = soup(response).select_one(
            ".content-po__upload .error-message, .content-po__upload [id$=-error]"
        )
        assert message in (error.get_text(" ", strip=True) if error else text_of(response))
    assert not ContentPOUpload.objects.exists()
    assert translator_client.post(UPLOAD, {"language": "en"}).status_code == 200  # no file


def test_a_file_named_like_a_server_path_is_not_read_from_disk(translator_client, page):
    response = upload(translator_client, "/etc/passwd")
    assert "fel på rad 1" in text_of(response)  # read as the file's text, one line


# --- review and apply ---------------------------------------------------------------


def test_the_review_shows_each_change_and_applies_nothing(translator_client, translator, page):
    prefer(translator, "sv")
    revisions = Revision.objects.count()
    review = reviewed(translator_client)
    html = soup(review)
    section = html.select_one(".content-po__object")
    assert section.h3.a.get_text(strip=True) == "Forskning i Flemingsberg"
    assert section.h3.a["href"] == f"/admin/pages/{page.pk}/edit/"
    rows = [
        (
            row.th.get_text(" ", strip=True),
            row.select_one(".content-po__old").get_text(strip=True),
            row.select_one(".content-po__new").get_text(strip=True),
        )
        for row in section.select("tbody tr")
    ]
    assert rows == [
        ("Titel", "tom", "Research in Flemingsberg"),
        ("Adressdel", "tom", "research-in-flemingsberg"),
        ("Ingress", "tom", "Research & healthcare meet here <3"),
        ("Innehåll", "tom", "Background"),
        (
            "Innehåll (formaterad text, visad som HTML)",
            "tom",
            "<p>Flemingsberg has two universities.</p>",
        ),
    ]
    # Markup in the file is shown as text, never as markup of the admin page.
    assert section.select_one(".content-po__new p") is None
    assert "Research &amp; healthcare meet here &lt;3" in review.content.decode()
    assert "Sidor och snuttar som ändras: 1. Texter att skriva: 5." in text_of(review)
    # Nothing applied yet.
    assert Revision.objects.count() == revisions
    assert not latest(page).title_en


@pytest.mark.parametrize("language", ["sv", "en"])
def test_apply_as_drafts_then_never_again(translator_client, translator, page, client, language):
    prefer(translator, language)
    review = reviewed(translator_client)
    result = apply(translator_client, review)
    assert result.status_code == 200
    counts = text_of(result, ".content-po__counts")
    assert ("1 utkast sparat" if language == "sv" else "1 draft saved") in counts
    assert ("0 sidor publicerade" if language == "sv" else "0 pages published") in counts
    page = latest(page)
    assert not page.title_en  # the live page is unchanged
    draft = page.get_latest_revision_as_object()
    assert draft.title_en == "Research in Flemingsberg"
    assert draft.lead_en == "Research & healthcare meet here <3"
    assert page.get_latest_revision().user == translator
    revisions = Revision.objects.count()

    again = apply(translator_client, review)
    assert again.status_code == 409
    assert ("redan" if language == "sv" else "already applied") in text_of(
        again, ".content-po__applied"
    )
    assert Revision.objects.count() == revisions


def test_publish_where_the_translator_may(translator_client, translator, translators, page, client):
    review = reviewed(translator_client)
    result = apply(translator_client, review, mode="publish")
    assert "1 sida publicerad" in text_of(result, ".content-po__counts")
    assert client.get("/en/research-in-flemingsberg/").status_code == 200


def test_without_publish_permission_the_pages_become_drafts(
    translator_client, translator, translators, page
):
    GroupPagePermission.objects.filter(
        group=translators, permission__codename="publish_page"
    ).delete()
    prefer(translator, "en")
    result = apply(translator_client, reviewed(translator_client), mode="publish")
    assert "0 pages published" in text_of(result, ".content-po__counts")
    assert "you may not publish this page" in text_of(result, ".content-po__outcome")
    page = latest(page)
    assert not page.title_en
    assert page.get_latest_revision_as_object().title_en == "Research in Flemingsberg"


def test_stale_entries_are_listed_and_the_rest_applies(translator_client, translator, page):
    prefer(translator, "sv")
    _response, catalogue = download(translator_client)
    text = translate(catalogue)
    # Meanwhile an editor rewrites the Swedish lead.
    edited = latest(page)
    edited.lead_sv = "Här möts forskning, vård och kultur."
    edited.save_revision().publish()
    review = upload(translator_client, text)
    stale = text_of(review, ".content-po__stale")
    assert "Ingress" in stale and "den svenska texten har ändrats sedan exporten" in stale
    assert "Inaktuella: 1." in text_of(review, ".content-po__summary")
    apply(translator_client, review, mode="publish")
    page = latest(page)
    assert page.title_en == "Research in Flemingsberg"
    assert not page.lead_en


HOSTILE = {
    "Forskning i Flemingsberg": "<script>alert('title')</script>Research",
    "Här möts forskning och vård.": "Research <img src=x onerror=alert(1)>",
    "Bakgrund": "Background",
    "<p>Flemingsberg har två universitet.</p>": (
        "<p onclick=\"alert('p')\">Flemingsberg has <a href=\"javascript:alert('link')\">two</a>"
        " universities.</p>"
    ),
}


@pytest.mark.parametrize("language", ["sv", "en"])
def test_a_hostile_file_is_refused_or_cleaned_and_no_script_reaches_the_page(
    translator_client, translator, page, client, language
):
    prefer(translator, language)
    review = reviewed(translator_client, HOSTILE)
    refused = text_of(review, ".content-po__problems")
    plain_refusal = (
        "HTML-kod i ett fält för vanlig text"
        if language == "sv"
        else ("HTML markup in a plain-text field")
    )
    assert refused.count(plain_refusal) == 2  # the title and the lead
    cleaned = text_of(review, ".content-po__cleaned")
    assert "javascript:alert('link')" in cleaned
    assert (
        "attributet onclick på <p>" if language == "sv" else "onclick attribute of <p>"
    ) in cleaned
    assert not [s for s in soup(review).find_all("script") if "alert(" in s.get_text()]
    assert soup(review).select_one("main").find_all(attrs={"onclick": True}) == []

    apply(translator_client, review, mode="publish")
    page = latest(page)
    stored = str(page.body_en)
    for marker in ("script", "javascript:", "onclick", "onerror", "alert"):
        assert marker not in stored
        assert marker not in (page.title_en or "") + (page.lead_en or "")
    assert "Flemingsberg has two universities." in BeautifulSoup(stored, "html.parser").get_text()


def test_a_translation_that_would_make_a_page_invalid_cannot_be_applied(
    translator_client, translator, page, home_page
):
    StandardPageFactory(parent=home_page, title_sv="Nyheter", title_en="News", slug_en="news")
    prefer(translator, "en")
    review = reviewed(translator_client, {**ENGLISH, "forskning-i-flemingsberg": "news"})
    assert "would not be valid" in text_of(review, ".content-po__invalid")
    assert soup(review).select_one("form.content-po__apply") is None


def test_a_file_that_changes_nothing_offers_no_apply(translator_client, translator, page):
    prefer(translator, "en")
    review = reviewed(translator_client, {})
    assert "Nothing to apply" in text_of(review)
    assert soup(review).select_one("form.content-po__apply") is None
