"""In the page editor a translator copies the Swedish text into the empty English fields."""

import pytest
from playwright.sync_api import expect
from wagtail.rich_text import RichText

from home.models import StandardPage
from tests.factories.home import StandardPageFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def swedish_page(home_page):
    # Wagtail builds a page type's edit form once per process, in the language active
    # then; an earlier test in Swedish must not decide what this English editor gets.
    StandardPage.get_edit_handler.cache_clear()
    page = StandardPageFactory(
        parent=home_page,
        title_sv="Bara svenska",
        title_en="",
        slug_sv="bara-svenska",
        lead_sv="Här möts forskning och vård.",
        lead_en="",
        body_sv=[
            ("heading", {"text": "Bakgrund", "level": "h2"}),
            ("paragraph", RichText("<p>Flemingsberg har <b>två</b> universitet.</p>")),
        ],
    )
    page.save_revision().publish()
    return page


# A panel's id holds its tab's heading in the language Wagtail first built the edit
# form in ("panel-child-content-…" or "panel-child-innehall-…"): match the field part.
def open_editor_with_english(page, live_server, swedish_page):
    page.goto(f"{live_server.url}/admin/pages/{swedish_page.pk}/edit/")
    english = page.locator("button.locale-toggle", has_text="en").first
    # Both languages' fields are open from the start.
    assert english.get_attribute("aria-pressed") == "true"
    assert page.locator("textarea[name=lead_en]").is_visible()


def test_translator_copies_lead_and_body_from_swedish(
    admin_browser_page, live_server, swedish_page
):
    page = admin_browser_page
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    open_editor_with_english(page, live_server, swedish_page)

    lead_en = page.locator("textarea[name=lead_en]")
    assert lead_en.input_value() == ""
    lead_button = page.locator("section[id$='-lead_en-section'] .portal-copy-source")
    assert lead_button.get_attribute("aria-label").startswith(lead_button.inner_text())
    lead_button.click()
    assert lead_en.input_value() == "Här möts forskning och vård."

    # The StreamField copy is wagtail-modeltranslation's, relabelled; offered on English only.
    assert page.locator("section[id$='-body_sv-section'] .portal-copy-source").count() == 0
    body_button = page.locator("section[id$='-body_en-section'] .portal-copy-source")
    with page.expect_response(lambda r: "copy_translation_content" in r.url) as response:
        body_button.click()
    assert response.value.status == 200
    # expect(), not wait_for_function: the admin's CSP refuses string evaluation.
    expect(page.locator("[name='body_en-count']")).to_have_value("2")
    assert page.locator("[name='body_en-0-value-text']").input_value() == "Bakgrund"

    with page.expect_navigation():
        page.locator("button.action-save").first.click()
    assert page.locator(".messages .success").count() == 1
    assert not errors

    draft = swedish_page.specific_class.objects.get(pk=swedish_page.pk)
    draft = draft.get_latest_revision_as_object()
    assert draft.lead_en == "Här möts forskning och vård."
    assert [(b.block_type, b.id) for b in draft.body_en] == [
        (b.block_type, b.id) for b in draft.body_sv
    ]
    assert draft.body_en[0].value["text"] == "Bakgrund"
    assert "två" in draft.body_en[1].value.source
    assert draft.lead_sv == "Här möts forskning och vård."  # the Swedish is untouched


def test_copy_asks_before_replacing_english_text(admin_browser_page, live_server, swedish_page):
    page = admin_browser_page
    open_editor_with_english(page, live_server, swedish_page)
    lead_en = page.locator("textarea[name=lead_en]")
    lead_en.fill("My own English lead")
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.locator("section[id$='-lead_en-section'] .portal-copy-source").click()
    assert lead_en.input_value() == "My own English lead"
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("section[id$='-lead_en-section'] .portal-copy-source").click()
    assert lead_en.input_value() == "Här möts forskning och vård."
