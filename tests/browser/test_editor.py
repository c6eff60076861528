"""An editor builds a bilingual story in the Wagtail admin, previews and publishes it."""

import pytest

from tests.factories.base import ImageFactory
from tests.factories.stories import StoryIndexPageFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def add_block(page, stream_field, block_label):
    """Append a block of the given type to a StreamField through the block picker."""
    container = page.locator(f"[data-contentpath='{stream_field}']")
    container.get_by_role("button", name="Insert a block").last.click()
    page.get_by_role("option", name=block_label, exact=True).click()


def wait_for_autosave(page):
    """Let Wagtail's autosave settle before previewing or publishing.

    The editor saves a draft 500 ms after the last change; the first one turns the
    "add" form into the new page's edit form. Acting while one is in flight races it
    (a preview or publish of the "add" form then finds its own slug in use). A save
    that failed (a validation error on half-filled fields, a server busy elsewhere)
    leaves the "add" form, which publishes as it always has: wait for quiet, not for
    a successful save.
    """
    saving = page.locator("[data-w-autosave-state-value=saving]")
    quiet_checks = 0
    while quiet_checks < 3:  # 1.5 s with no save in flight, past the 500 ms interval
        page.wait_for_timeout(500)
        if saving.count():
            # A locator, not wait_for_function: the admin's CSP refuses string evaluation.
            saving.wait_for(state="detached")
            quiet_checks = 0
        else:
            quiet_checks += 1


def autosave_status(page):
    """The autosave indicator's state and message, for a failing test's report."""
    indicator = page.locator("[data-w-autosave-state-value]").first
    if not indicator.count():
        return "no autosave indicator"
    state = indicator.get_attribute("data-w-autosave-state-value")
    message = indicator.get_attribute("data-w-tooltip-content-value")
    return f"autosave {state}: {message!r} at {page.url}"


def show_language(page, code):
    """Make sure a language's fields are shown (both are, unless an editor hid one)."""
    toggle = page.locator(".locale-picker button.locale-toggle", has_text=code).first
    if toggle.get_attribute("aria-pressed") != "true":
        toggle.click()


def test_editor_creates_previews_and_publishes_a_bilingual_story(
    admin_browser_page, live_server, home_page, screenshot_dir
):
    index = StoryIndexPageFactory(parent=home_page)
    image = ImageFactory(title="Symposiebild")
    page = admin_browser_page
    try:
        page.goto(f"{live_server.url}/admin/pages/add/stories/storypage/{index.pk}/")
        page.fill("#id_title_sv", "Redaktörens nyhet")
        page.fill("#id_date", "2025-01-22")
        page.fill("#id_lead_sv", "En ingress på svenska.")

        # Swedish body: heading, text and an image.
        add_block(page, "body_sv", "Heading")
        page.locator("[data-contentpath='body_sv'] input[name$='-value-text']").last.fill(
            "Svensk rubrik"
        )
        add_block(page, "body_sv", "Text")
        editor = page.locator("[data-contentpath='body_sv'] [contenteditable=true]").last
        editor.click()
        editor.type("Brödtext på svenska.")
        add_block(page, "body_sv", "Image")
        image_block = page.locator("[data-contentpath='body_sv'] [data-contentpath='image']").last
        image_block.get_by_role("button", name="Choose an image").click()
        page.locator(".modal").get_by_role("link", name="Symposiebild").first.click()
        page.locator("[data-contentpath='body_sv'] input[name$='-value-alt_text']").last.fill(
            "Publik i aulan"
        )

        # English: title, lead and body.
        show_language(page, "en")
        page.fill("#id_title_en", "The editor's story")
        page.fill("#id_lead_en", "A lead in English.")
        add_block(page, "body_en", "Heading")
        page.locator("[data-contentpath='body_en'] input[name$='-value-text']").last.fill(
            "English heading"
        )
        add_block(page, "body_en", "Text")
        editor = page.locator("[data-contentpath='body_en'] [contenteditable=true]").last
        editor.click()
        editor.type("Body text in English.")

        # Slugs live on the Promote tab.
        page.get_by_role("tab", name="Promote").click()
        page.fill("#id_slug_sv", "redaktorens-nyhet")
        page.fill("#id_slug_en", "the-editors-story")
        page.get_by_role("tab", name="Content").click()
        wait_for_autosave(page)

        # Preview in the side panel.
        page.get_by_role("button", name="Toggle preview").click()
        preview = page.frame_locator("iframe[title]").first
        preview.locator("h1").wait_for()
        assert preview.locator("h1").inner_text() in ("Redaktörens nyhet", "The editor's story")

        # Publish from the action menu.
        wait_for_autosave(page)
        page.get_by_role("button", name="More actions").click()
        page.get_by_role("button", name="Publish").click()
        page.wait_for_url(f"{live_server.url}/admin/pages/{index.pk}/")
    except Exception as error:
        page.screenshot(path=screenshot_dir / "editor-failure.png", full_page=True)
        errors = page.locator(".error-message, .help-critical, [role=alert]").all_inner_texts()
        first_line = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise AssertionError(
            f"the editor could not publish: {errors} ({first_line}; {autosave_status(page)})"
        ) from None

    page.goto(f"{live_server.url}/sv/nyheter/redaktorens-nyhet/")
    assert page.locator("h1").inner_text() == "Redaktörens nyhet"
    assert page.locator(".block-heading").inner_text() == "Svensk rubrik"
    assert "Brödtext på svenska." in page.locator(".page-body").inner_text()
    assert page.locator(".block-image img").get_attribute("alt") == "Publik i aulan"

    page.goto(f"{live_server.url}/en/news/the-editors-story/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "The editor's story"
    assert page.locator(".block-heading").inner_text() == "English heading"
    assert "Body text in English." in page.locator(".page-body").inner_text()
    assert page.locator(".fallback-notice").count() == 0
    assert image.pk


def test_editor_uploads_an_image_under_the_content_security_policy(
    admin_browser_page, live_server, home_page, tmp_path
):
    from io import BytesIO

    from PIL import Image as PILImage
    from wagtail.images import get_image_model

    buffer = BytesIO()
    PILImage.new("RGB", (640, 400), "teal").save(buffer, "PNG")
    upload = tmp_path / "aulan.png"
    upload.write_bytes(buffer.getvalue())

    page = admin_browser_page
    page.goto(f"{live_server.url}/admin/images/multiple/add/")
    page.set_input_files("input[type=file][name='files[]']", str(upload))
    # The uploader shows the new image's edit form once it is stored.
    page.locator("#upload-list li.upload-success").wait_for()
    page.locator("#upload-list li.upload-success form").wait_for()
    image = get_image_model().objects.get()
    assert (image.width, image.height) == (640, 400)
    page.goto(f"{live_server.url}/admin/images/{image.pk}/")
    preview = page.locator("img.show-transparency").first
    preview.wait_for(state="attached")
    assert "/images/aulan" in preview.get_attribute("src")
