"""The block chooser in a real browser, with the admin in Swedish: pointing at a block
shows its description and a preview of it in Swedish, drawn with the site's stylesheet;
axe finds no serious or critical violation with the preview open."""

import pytest
from wagtail.users.models import UserProfile

from home.models import StandardPage
from tests.browser.test_accessibility import blocking_violations

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_the_block_chooser_previews_a_block_in_swedish(
    admin_browser_page, admin_user, live_server, home_page, screenshot_dir, settings
):
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0  # the chooser, not autosave
    profile = UserProfile.get_for_user(admin_user)
    profile.preferred_language = "sv"
    profile.save()
    StandardPage.get_edit_handler.cache_clear()  # labels in the language of this test
    page = admin_browser_page
    page.goto(f"{live_server.url}/admin/pages/add/home/standardpage/{home_page.pk}/")
    page.locator("[data-contentpath='body_sv']").get_by_role(
        "button", name="Lägg till ett block"
    ).first.click()
    page.get_by_placeholder("Sök bland alternativen…").wait_for()

    # Pointing at a block shows its preview (its own button is left out of the listbox's
    # accessibility tree, where ARIA allows only options).
    page.get_by_role("option", name="Tabell", exact=True).hover()
    panel = page.locator(".w-combobox-preview")
    panel.wait_for()
    assert panel.locator(".w-combobox-preview__label").inner_text() == "Tabell"
    assert panel.locator(".w-combobox-preview__description").inner_text() == (
        "En tabell med text och tal och en valfri tabellrubrik."
    )
    preview = page.frame_locator(".w-combobox-preview__iframe")
    table = preview.locator("table")
    table.wait_for()
    assert preview.locator("caption").inner_text() == "Vad tabellen visar"
    assert preview.locator("th").all_inner_texts() == ["Kolumn med text", "Kolumn med tal"]
    assert preview.locator("html").get_attribute("lang") == "sv"
    # Drawn with the site's stylesheet: a caption on the left (a browser centres it).
    align = preview.locator("caption").evaluate("element => getComputedStyle(element).textAlign")
    assert align == "left"

    # By keyboard: a search highlights the first block found, and its preview shows. An
    # image block: an empty frame where the image will be, its caption in Swedish.
    page.get_by_placeholder("Sök bland alternativen…").fill("Bild")
    assert page.get_by_role("option", selected=True).inner_text() == "Bild"
    preview.locator(".block-image figcaption").wait_for()
    assert preview.locator(".block-image .caption").inner_text() == "En bildtext under bilden"
    assert preview.locator(".block-image img").count() == 0
    page.screenshot(path=screenshot_dir / "block-chooser-preview-sv.png")

    violations = blocking_violations(page)
    assert not violations, violations
