"""A translator, admin in Swedish, takes the site's text through a PO file: downloads it,
uploads it translated, reads the review and applies it as drafts.

The review page's screenshot: test-artifacts/screenshots/content-po-review-sv.png.
"""

import importlib

import polib
import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import Group
from playwright.sync_api import expect
from wagtail.rich_text import RichText
from wagtail.users.models import UserProfile

from tests.browser.test_accessibility import blocking_violations
from tests.factories.home import StandardPageFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ENGLISH = {
    "Forskning i Flemingsberg": "Research in Flemingsberg",
    "Här möts forskning och vård.": "Research and healthcare meet here.",
    "Bakgrund": "Background",
    "<p>Flemingsberg har <b>två</b> universitet.</p>": (
        "<p>Flemingsberg has <b>two</b> universities.</p>"
    ),
}


@pytest.fixture
def translator(django_user_model, home_page):
    importlib.import_module("portal.migrations.0011_translators_group").create_group(
        django_apps, None
    )
    user = django_user_model.objects.create_user("tove", "tove@example.org", "tove-password-1")
    user.groups.add(Group.objects.get(name="Translators"))
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "sv"
    profile.save()
    return user


@pytest.fixture
def swedish_page(home_page):
    page = StandardPageFactory(
        parent=home_page,
        title_sv="Forskning i Flemingsberg",
        title_en="",
        slug_sv="forskning-i-flemingsberg",
        lead_sv="Här möts forskning och vård.",
        lead_en="",
        body_sv=[
            ("heading", {"text": "Bakgrund", "level": "h2"}),
            ("paragraph", RichText("<p>Flemingsberg har <b>två</b> universitet.</p>")),
        ],
    )
    page.save_revision().publish()
    return page


def test_translator_downloads_uploads_reviews_and_applies_as_drafts(
    browser_page, live_server, translator, swedish_page, screenshot_dir, tmp_path
):
    page = browser_page
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("input[name=username]", "tove")
    page.fill("input[name=password]", "tove-password-1")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")

    page.get_by_role("link", name="Översätt innehåll").click()
    page.wait_for_url("**/admin/translate-content/")
    expect(page.locator("h1")).to_have_text("Översätt innehåll")

    # Download: only what is missing (the default), English.
    expect(page.get_by_label("Bara det som saknas eller har ändrats")).to_be_checked()
    with page.expect_download() as download:
        page.get_by_role("button", name="Ladda ned filen").click()
    assert download.value.suggested_filename == "content-en-to-translate.po"
    catalogue = polib.pofile(download.value.path().read_text(encoding="utf-8") + "\n")
    assert catalogue.metadata["Language"] == "en"
    for entry in catalogue:
        entry.msgstr = ENGLISH.get(entry.msgid, entry.msgstr)
    translated = tmp_path / "content-en.po"
    catalogue.save(str(translated))

    # Upload, then the review: what would change, nothing applied yet.
    page.locator("input[name=file]").set_input_files(str(translated))
    page.get_by_role("button", name="Ladda upp och granska").click()
    page.wait_for_url("**/admin/translate-content/review/**")
    expect(page.locator("main h2").first).to_have_text("Det här skulle filen ändra på engelska")
    section = page.locator(".content-po__object").first
    expect(section.locator("h3 a")).to_have_text("Forskning i Flemingsberg")
    lead = section.locator("tbody tr", has_text="Ingress")
    expect(lead.locator(".content-po__old")).to_have_text("tom")
    expect(lead.locator(".content-po__new")).to_have_text("Research and healthcare meet here.")
    body = section.locator("tbody tr", has_text="formaterad text")
    expect(body.locator(".content-po__new")).to_have_text(
        "<p>Flemingsberg has <b>two</b> universities.</p>"
    )
    page.screenshot(path=screenshot_dir / "content-po-review-sv.png", full_page=True)
    assert blocking_violations(page) == []
    assert not swedish_page.specific_class.objects.get(pk=swedish_page.pk).has_unpublished_changes

    # Apply as drafts (the default choice).
    expect(page.get_by_label("Utkast", exact=False).first).to_be_checked()
    page.get_by_role("button", name="För in översättningarna").click()
    expect(page.locator(".content-po__counts")).to_contain_text("1 utkast sparat")
    expect(page.locator(".content-po__counts")).to_contain_text("0 sidor publicerade")
    assert blocking_violations(page) == []
    assert not errors

    stored = swedish_page.specific_class.objects.get(pk=swedish_page.pk)
    assert not stored.title_en  # the live page waits for an editor
    draft = stored.get_latest_revision_as_object()
    assert draft.title_en == "Research in Flemingsberg"
    assert draft.body_en[0].value["text"] == "Background"
    assert stored.get_latest_revision().user == translator
