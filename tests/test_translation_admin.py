"""The admin shows editors which pages lack a language: report, dashboard panel, editor aids."""

import json
import re
from pathlib import Path

import polib
import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group, Permission
from django.test import Client
from wagtail.models import GroupPagePermission, Page
from wagtail.users.models import UserProfile

from tests.factories.home import StandardPageFactory
from tests.factories.timelines import TimelinePageFactory

pytestmark = pytest.mark.django_db

REPORT_URL = "/admin/reports/missing-translations/"
ADMIN_CSS = Path(__file__).resolve().parent.parent / "portal" / "static" / "portal" / "admin.css"


def soup(response):
    return BeautifulSoup(response.content.decode(), "html.parser")


def prefer(user, language):
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_superuser("editor", "editor@example.org", "pw-123456!")
    prefer(user, "en")  # the admin speaks Swedish unless the editor chooses otherwise
    return user


@pytest.fixture
def admin_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def pages(home_page):
    return {
        "complete": StandardPageFactory(parent=home_page, title_sv="Om oss", title_en="About us"),
        "swedish": StandardPageFactory(
            parent=home_page, title_sv="Bara svenska", title_en="", lead_en=""
        ),
        "partial": StandardPageFactory(
            parent=home_page, title_sv="Kontakt", title_en="Contact", lead_en=""
        ),
        "timeline": TimelinePageFactory(parent=home_page, title_sv="Historia", title_en=""),
    }


def report_rows(response):
    rows = {}
    for row in soup(response).select("table.missing-translations tbody tr"):
        link = row.select_one("td.title a")
        if link:
            rows[link.get_text(strip=True)] = row
    return rows


def test_report_lists_pages_missing_english_with_edit_links(admin_client, pages):
    response = admin_client.get(REPORT_URL)
    assert response.status_code == 200
    rows = report_rows(response)
    assert set(rows) == {"Bara svenska", "Kontakt", "Historia"}
    link = rows["Bara svenska"].select_one("td.title a")["href"]
    assert link == f"/admin/pages/{pages['swedish'].pk}/edit/"
    assert admin_client.get(link).status_code == 200
    swedish = rows["Bara svenska"].get_text(" ", strip=True)
    assert "Not translated" in swedish and "Title" in swedish and "Lead" in swedish
    partial = rows["Kontakt"].get_text(" ", strip=True)
    assert "Partly translated" in partial and "Lead" in partial and "Title" not in partial


def test_report_filters_by_language_status_and_page_type(admin_client, pages):
    standard = Page.objects.get(pk=pages["swedish"].pk).content_type_id
    by_type = report_rows(admin_client.get(REPORT_URL, {"content_type": standard}))
    assert set(by_type) == {"Bara svenska", "Kontakt"}
    by_state = report_rows(admin_client.get(REPORT_URL, {"state": "untranslated"}))
    assert set(by_state) == {"Bara svenska", "Historia"}
    english = report_rows(admin_client.get(REPORT_URL, {"language": "en", "state": "partial"}))
    assert set(english) == {"Kontakt"}
    # The filtered results fragment (used when a filter changes) works too.
    results = admin_client.get(REPORT_URL + "results/", {"state": "partial"})
    assert results.status_code == 200
    assert set(report_rows(results)) == {"Kontakt"}
    # Unknown filter values are a normal page, never an error.
    assert (
        admin_client.get(REPORT_URL, {"language": "xx", "content_type": "abc"}).status_code == 200
    )


def test_report_downloads_as_a_spreadsheet(admin_client, pages):
    response = admin_client.get(REPORT_URL, {"export": "csv"})
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode()
    assert "Bara svenska" in text and "English: Title, Slug, Lead" in text
    assert "Om oss" not in text


def test_report_is_in_the_reports_menu(admin_client, pages):
    html = admin_client.get("/admin/").content.decode()
    assert REPORT_URL in html
    assert "Missing translations" in html


def test_report_needs_page_permissions(client, django_user_model, pages):
    user = django_user_model.objects.create_user("reader", "r@example.org", "pw-123456!")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    response = client.get(REPORT_URL)
    assert response.status_code in (302, 403)
    assert "translation-status-section" not in client.get("/admin/").content.decode()


def test_report_lists_only_pages_the_editor_may_change(client, django_user_model, pages):
    client.force_login(section_editor(django_user_model, pages["partial"]))
    assert set(report_rows(client.get(REPORT_URL))) == {"Kontakt"}


def section_editor(django_user_model, page):
    """An editor who may change one page (and its subtree) and no snippets or settings."""
    user = django_user_model.objects.create_user("section", "s@example.org", "pw-123456!")
    prefer(user, "en")
    group = Group.objects.create(name="Kontakt editors")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    GroupPagePermission.objects.create(
        group=group, page=page, permission=Permission.objects.get(codename="change_page")
    )
    user.groups.add(group)
    return user


def test_dashboard_panel_counts_only_what_the_editor_may_edit(client, django_user_model, pages):
    client.force_login(section_editor(django_user_model, pages["partial"]))
    panel = soup(client.get("/admin/")).select_one("#translation-status-section")
    assert panel is not None
    rows = [
        [cell.get_text(strip=True) for cell in row.find_all(["th", "td"])]
        for row in panel.select("table.translation-status tbody tr")
    ]
    # Only "Kontakt" (partly translated); no snippets or settings to edit.
    assert rows == [["Pages", "0", "1", "0"], ["Snippets and settings", "0", "0", "0"]]
    assert "you may edit" in panel.select_one(".translation-status__scope").get_text()
    link = panel.find("a", href=re.compile("missing-translations"))
    assert link.get_text(strip=True) == "1 page lacks text in this language"
    report = client.get(link["href"])
    assert set(report_rows(report)) == {"Kontakt"}
    assert (
        "live pages you may edit"
        in soup(report).select_one(".missing-translations__scope").get_text()
    )


def test_dashboard_panel_counts_and_links_to_the_report(admin_client, pages):
    panel = soup(admin_client.get("/admin/")).select_one("#translation-status-section")
    assert panel is not None
    table = panel.select_one("table.translation-status")
    assert table.caption.get_text(strip=True) == "English"
    pages_row = [c.get_text(strip=True) for c in table.select("tbody tr")[0].find_all(["th", "td"])]
    # Home page and "Om oss" complete; "Kontakt" partly; "Bara svenska" and "Historia" not.
    assert pages_row == ["Pages", "2", "1", "2"]
    link = panel.find("a", href=re.compile("missing-translations"))
    assert link.get_text(strip=True) == "3 pages lack text in this language"
    report = admin_client.get(link["href"])
    assert report.status_code == 200
    assert set(report_rows(report)) == {"Bara svenska", "Kontakt", "Historia"}


@pytest.mark.parametrize(
    "language, scope",
    [
        ("en", "Lists the live pages you may edit that lack text in a language; drafts are not"),
        ("sv", "Visar de publicerade sidor som du får redigera och som saknar text på ett språk;"),
    ],
)
def test_report_says_it_lists_live_pages_only(admin_client, editor, home_page, language, scope):
    StandardPageFactory(parent=home_page, title_sv="Utkast", title_en="", live=False)
    StandardPageFactory(parent=home_page, title_sv="Publicerad", title_en="")
    prefer(editor, language)
    response = admin_client.get(REPORT_URL)
    assert scope in soup(response).select_one(".missing-translations__scope").get_text(" ")
    assert set(report_rows(response)) == {"Publicerad"}


def po_download(client, report):
    link = soup(report).select_one(".missing-translations__downloads a")
    response = client.get(link["href"])
    assert response.status_code == 200
    return response, polib.pofile(b"".join(response.streaming_content).decode())


def test_report_offers_the_missing_pages_as_a_content_po(admin_client, editor, pages):
    report = admin_client.get(REPORT_URL)
    link = soup(report).select_one(".missing-translations__downloads a")
    assert link.get_text(" ", strip=True) == (
        "Download the text of these pages as a PO file to translate (English)"
    )
    response, catalogue = po_download(admin_client, report)
    assert "missing-translations-en.po" in response["Content-Disposition"]
    assert catalogue.metadata["Language"] == "en"
    titles = {e.msgid for e in catalogue if e.msgctxt.endswith(":title")}
    assert titles == {"Bara svenska", "Kontakt", "Historia"}
    assert "Om oss" not in {e.msgid for e in catalogue}  # complete: not in the file
    kontakt = f"page:{pages['partial'].pk}:title"
    assert catalogue.find(kontakt, by="msgctxt").msgstr == "Contact"
    # The report's filters apply to the file too.
    _response, partial = po_download(
        admin_client, admin_client.get(REPORT_URL, {"state": "partial"})
    )
    assert {e.msgid for e in partial if e.msgctxt.endswith(":title")} == {"Kontakt"}
    prefer(editor, "sv")
    link = soup(admin_client.get(REPORT_URL)).select_one(".missing-translations__downloads a")
    assert link.get_text(" ", strip=True) == (
        "Ladda ned sidornas text som PO-fil att översätta (Engelska)"
    )


def test_the_po_download_needs_the_reports_permissions(client, django_user_model, pages):
    url = REPORT_URL + "content.po?language=en"
    reader = django_user_model.objects.create_user("reader", "r@example.org", "pw-123456!")
    reader.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(reader)
    assert client.get(url).status_code in (302, 403)
    client.force_login(section_editor(django_user_model, pages["partial"]))
    _response, catalogue = po_download(client, client.get(REPORT_URL))
    assert {e.msgid for e in catalogue if e.msgctxt.endswith(":title")} == {"Kontakt"}
    assert client.get(REPORT_URL + "content.po?language=xx").status_code == 404


def test_admin_follows_the_editors_language(admin_client, editor, pages):
    prefer(editor, "sv")
    html = soup(admin_client.get(REPORT_URL))
    assert html.html["lang"] == "sv"
    languages = [o.get_text(strip=True) for o in html.select("select[name=language] option")]
    assert "Engelska" in languages
    panel = soup(admin_client.get("/admin/")).select_one("#translation-status-section")
    assert panel.select_one("table caption").get_text(strip=True) == "Engelska"
    # The report's labels follow too (Django's own words, whatever the project adds).
    assert "Standardsida" in html.select_one("table.missing-translations").get_text()


def test_editor_gets_the_copy_script_and_the_admin_css(admin_client, pages):
    html = soup(admin_client.get(f"/admin/pages/{pages['swedish'].pk}/edit/"))
    assert html.select_one('script[src$="portal/admin.js"]') is not None
    assert "Copy from Swedish" in html.select_one("#portal-translation-strings").string
    assert html.select_one('link[href$="portal/admin.css"]') is not None
    # wagtail-modeltranslation's StreamField copy endpoint answers on this Wagtail version.
    response = admin_client.post(
        f"/admin/pages/{pages['swedish'].pk}/edit/copy_translation_content/",
        {
            "origin_field_name": "body_sv",
            "target_field_name": "body_en",
            "serializedOriginField": '[{"name": "body_sv-count", "value": "0"}]',
        },
        headers={"X-Requested-With": "XMLHttpRequest"},
    )
    assert response.status_code == 200
    assert "body_en" in response.json()


def _luminance(hex_colour):
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(foreground, background):
    light, dark = sorted([_luminance(foreground), _luminance(background)], reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_language_picker_colours_meet_wcag_aa():
    css = ADMIN_CSS.read_text()
    rules = dict(re.findall(r"([^{}]*button\.locale-toggle[^{}]*)\{([^}]*)\}", css))

    def colours(selector_end):
        body = next(
            body for selector, body in rules.items() if selector.strip().endswith(selector_end)
        )
        return (
            re.search(r"(?<!-)color:\s*(#[0-9a-f]{6})", body).group(1),
            re.search(r"background-color:\s*(#[0-9a-f]{6})", body).group(1),
        )

    hidden_text, hidden_background = colours("button.locale-toggle")
    shown_text, shown_background = colours("button.locale-toggle.showing-locale")
    assert _contrast(hidden_text, hidden_background) >= 4.5
    assert _contrast(shown_text, shown_background) >= 4.5
    # The package's own colours fail, which is why they are overridden.
    assert _contrast("#ffffff", "#43b1b0") < 4.5


# --- the StreamField copy request -------------------------------------------------


def copy_request(client, page, data, **extra):
    return client.post(
        f"/admin/pages/{page.pk}/edit/copy_translation_content/",
        data,
        HTTP_X_REQUESTED_WITH="XMLHttpRequest",
        **extra,
    )


def serialized_heading(text):
    return json.dumps(
        [
            {"name": "body_sv-count", "value": "1"},
            {"name": "body_sv-0-type", "value": "heading"},
            {"name": "body_sv-0-deleted", "value": ""},
            {"name": "body_sv-0-order", "value": "0"},
            {"name": "body_sv-0-id", "value": "abc"},
            {"name": "body_sv-0-value-text", "value": text},
            {"name": "body_sv-0-value-level", "value": "h2"},
        ]
    )


COPY = {"origin_field_name": "body_sv", "target_field_name": "body_en"}


def test_copying_a_stream_field_renders_it_under_the_target_name(admin_client, pages):
    response = copy_request(
        admin_client,
        pages["complete"],
        {**COPY, "serializedOriginField": serialized_heading("Om oss")},
    )
    assert response.status_code == 200
    html = json.loads(response.content)
    assert "body_en" in html and "Om oss" in html


@pytest.mark.parametrize(
    "data",
    [
        {**COPY, "serializedOriginField": "{not json"},
        {**COPY, "serializedOriginField": json.dumps([{"name": 1}])},
        {**COPY, "serializedOriginField": json.dumps({"a": "b"})},
        {**COPY},
        {"origin_field_name": "title_sv", "target_field_name": "title_en",
         "serializedOriginField": "[]"},
        {"origin_field_name": "body_sv", "target_field_name": "body_sv",
         "serializedOriginField": "[]"},
        {"origin_field_name": "nope", "target_field_name": "body_en", "serializedOriginField": "[]"},
    ],
)  # fmt: skip
def test_a_bad_copy_request_is_a_400_not_a_500(admin_client, pages, data):
    assert copy_request(admin_client, pages["complete"], data).status_code == 400


def test_the_copy_request_needs_a_page_the_editor_may_edit_and_a_csrf_token(
    client, django_user_model, admin_client, pages, editor
):
    url = f"/admin/pages/{pages['complete'].pk}/edit/copy_translation_content/"
    assert admin_client.get(url).status_code == 405
    missing = "/admin/pages/999999/edit/copy_translation_content/"
    assert admin_client.post(missing).status_code == 404
    client.force_login(section_editor(django_user_model, pages["partial"]))
    data = {**COPY, "serializedOriginField": serialized_heading("Om oss")}
    assert copy_request(client, pages["complete"], data).status_code == 403
    guarded = Client(enforce_csrf_checks=True)
    guarded.force_login(editor)
    assert copy_request(guarded, pages["complete"], data).status_code == 403


@pytest.mark.parametrize("page_type", ["home/standardpage", "awards/awardpage"])
def test_only_the_required_swedish_title_looks_required(admin_client, home_page, page_type):
    """Wagtail's title placeholder ends in an asterisk; the optional English title's not
    (every page type's form, the award programme's own form too)."""
    response = admin_client.get(f"/admin/pages/add/{page_type}/{home_page.pk}/")
    page = BeautifulSoup(response.content.decode(), "html.parser")
    swedish, english = page.select_one("#id_title_sv"), page.select_one("#id_title_en")
    assert swedish.has_attr("required") and swedish["placeholder"].endswith("*")
    assert not english.has_attr("required")
    assert english["placeholder"] and not english["placeholder"].endswith("*")
