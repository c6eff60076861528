"""An editor whose admin is in Swedish meets no English on the main flows, and every
step is axe-clean, with two other editors on the same page.

One login walks: the dashboard, the page explorer, an edit screen with both languages'
fields, the block chooser, the scheduling dialog with its date picker open, and a
validation error.
"""

import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from wagtail.admin.models import EditingSession
from wagtail.models import Page
from wagtail.users.models import UserProfile

from stories.models import StoryPage
from tests.browser.test_accessibility import blocking_violations
from tests.browser.test_editor import wait_for_autosave
from tests.factories.stories import StoryIndexPageFactory, StoryPageFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# What Wagtail 8 and wagtail-modeltranslation showed in English in a Swedish admin.
ENGLISH = [
    re.compile(pattern)
    for pattern in [
        r"View / edit fields for",
        r"Autosave is paused",
        r"Autosave in progress",
        r"There are validation errors",
        r"Once scheduled:",
        r"Go-live:",
        r"Search options…",
        r"Exploring",
        r"\b\d+-\d+ of \d+",
        r"Side panels?\b",
        r"Minimap",
        r"\bRoot\b",
        r"\bActions\b",
        r"Currently (viewing|idle)",
        r"has unsaved changes",
    ]
]


def english_on_screen(page):
    """English strings in the visible text and in the controls' names and tooltips."""
    texts = [page.inner_text("body")]
    for attribute in ("aria-label", "title", "placeholder", "data-w-tooltip-content-value"):
        texts += [
            element.get_attribute(attribute) or ""
            for element in page.locator(f"[{attribute}]").all()
        ]
    text = "\n".join(texts)
    return sorted({match.group(0) for pattern in ENGLISH for match in pattern.finditer(text)})


def check_step(page, step, found):
    english = english_on_screen(page)
    violations = blocking_violations(page)
    if english or violations:
        found[step] = {"english": english, "axe": violations}


@pytest.fixture
def story_with_other_editors(home_page, django_user_model):
    StoryPage.get_edit_handler.cache_clear()  # labels in the language of this test
    index = StoryIndexPageFactory(parent=home_page)
    story = StoryPageFactory(parent=index, title_sv="Symposiet", title_en="The symposium")
    story.save_revision().publish()
    # Two other editors: one has the page open, one has unsaved changes in it.
    now = timezone.now()
    for username, is_editing in (("lasare", False), ("skribent", True)):
        EditingSession.objects.create(
            user=django_user_model.objects.create_user(username, password="x-password-1"),
            content_type=ContentType.objects.get_for_model(Page),
            object_id=str(story.pk),
            last_seen_at=now,
            is_editing=is_editing,
        )
    return index, story


def button_is_reachable(button):
    """The element at the button's centre is the button (or inside it)."""
    return button.evaluate(
        """button => {
            const box = button.getBoundingClientRect();
            const hit = document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
            return button.contains(hit);
        }"""
    )


def test_swedish_admin_flows_have_no_english_and_pass_axe(
    admin_browser_page, admin_user, live_server, story_with_other_editors
):
    profile = UserProfile.get_for_user(admin_user)
    profile.preferred_language = "sv"
    profile.save()
    index, story = story_with_other_editors
    page = admin_browser_page
    found = {}

    page.goto(f"{live_server.url}/admin/")
    check_step(page, "dashboard", found)

    page.goto(f"{live_server.url}/admin/pages/")
    assert "Utforskar: Rotnivå" in page.inner_text("body")
    check_step(page, "explorer at the root", found)
    page.goto(f"{live_server.url}/admin/pages/{index.pk}/")
    assert "1–1 av 1" in page.inner_text("body")
    check_step(page, "explorer", found)

    # The edit screen, both languages' fields open, two other editors' avatars.
    page.goto(f"{live_server.url}/admin/pages/{story.pk}/edit/")
    assert page.locator("#id_title_sv").is_visible() and page.locator("#id_title_en").is_visible()
    viewer = page.locator("button.w-editing-sessions__session[aria-label]")
    viewer.wait_for()
    assert viewer.get_attribute("aria-label") == "lasare - Tittar just nu"
    check_step(page, "edit screen with two other editors", found)

    # The block chooser.
    body_sv = page.locator("[data-contentpath='body_sv']")
    body_sv.get_by_role("button", name="Lägg till ett block").first.click()
    search = page.get_by_placeholder("Sök bland alternativen…")
    search.wait_for()
    check_step(page, "block chooser", found)
    page.keyboard.press("Escape")

    # The scheduling dialog: with the date picker open its button stays reachable.
    page.get_by_role("button", name="Växla status").click()
    page.get_by_role("button", name="Sätt schema").click()
    dialog = page.locator("#schedule-publishing-dialog")
    dialog.locator("#id_go_live_at").click()
    open_picker = dialog.locator(".xdsoft_datetimepicker:visible")
    open_picker.wait_for()
    save_schedule = dialog.get_by_role("button", name="Spara schema")
    assert button_is_reachable(save_schedule)
    check_step(page, "scheduling dialog", found)
    dialog.locator("#id_go_live_at").fill("2030-01-15 10:00")
    dialog.locator("#id_expire_at").click()
    open_picker.wait_for()
    assert button_is_reachable(save_schedule)
    save_schedule.click()  # with a picker still open
    status = page.get_by_text("Efter schemaläggning:")
    status.wait_for()
    check_step(page, "scheduled", found)

    # A validation error: autosave pauses, then saving shows the error.
    wait_for_autosave(page)
    page.fill("#id_title_sv", "")
    page.locator("[data-w-autosave-state-value=paused]").wait_for()
    check_step(page, "autosave paused", found)
    page.get_by_role("button", name="Spara utkast").click()
    page.locator(".w-field__errors .error-message").first.wait_for()
    check_step(page, "validation error", found)

    assert not found, found
