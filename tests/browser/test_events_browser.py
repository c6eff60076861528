"""The calendar in a real browser: an editor builds and publishes a bilingual event in
the admin, and axe-core finds no serious or critical violation on the calendar's pages
in either language."""

import datetime

import pytest
from django.core.management import call_command
from playwright.sync_api import Error as PlaywrightError
from wagtail.users.models import UserProfile

from events.models import (
    EventDateChange,
    EventIndexPage,
    EventPage,
    EventSession,
    EventStatus,
    Venue,
)
from events.recurrence import ChangeKind, Frequency
from stories.models import Partner
from tests.browser.test_accessibility import blocking_violations
from tests.browser.test_editor import autosave_status, show_language
from tests.factories.events import EventIndexPageFactory, EventPageFactory
from tests.factories.stories import TopicFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def tick(checkbox):
    """Check a box; a click that only closed the admin's date or time picker is tried
    again (checking is idempotent)."""
    for attempt in range(3):
        try:
            checkbox.check()
            return
        except PlaywrightError:
            if attempt == 2:
                raise


def test_editor_creates_and_publishes_a_bilingual_event(
    admin_browser_page, live_server, home_page, screenshot_dir, settings
):
    # The event form, not autosave (the story editor's test covers it): a draft saved
    # while the test types re-renders parts of the form under its clicks.
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0
    calendar = EventIndexPageFactory(parent=home_page)
    TopicFactory(name_sv="Cellterapi", name_en="Cell therapy")
    page = admin_browser_page
    try:
        page.goto(f"{live_server.url}/admin/pages/add/events/eventpage/{calendar.pk}/")
        page.fill("#id_title_sv", "Öppet hus på campus")
        page.fill("#id_lead_sv", "Välkommen till en dag med forskning.")
        page.fill("#id_start_date", "2030-05-04")
        page.fill("#id_start_time", "10:00")
        page.fill("#id_end_time", "15:00")
        page.fill("#id_place_name_sv", "Campus Flemingsberg")
        page.fill("#id_place_address", "Alfred Nobels allé 8, Huddinge")
        tick(page.get_by_label("Cell therapy", exact=True))

        show_language(page, "en")
        page.fill("#id_title_en", "Open day on campus")
        page.fill("#id_lead_en", "Welcome to a day of research.")
        page.fill("#id_place_name_en", "Campus Flemingsberg")

        page.get_by_role("tab", name="Promote").click()
        page.fill("#id_slug_sv", "oppet-hus")
        page.fill("#id_slug_en", "open-day")
        page.get_by_role("tab", name="Content").click()

        page.get_by_role("button", name="More actions").click()
        page.get_by_role("button", name="Publish").click()
        page.wait_for_url(f"{live_server.url}/admin/pages/{calendar.pk}/")
    except Exception as error:
        page.screenshot(path=screenshot_dir / "event-editor-failure.png", full_page=True)
        errors = page.locator(".error-message, .help-critical, [role=alert]").all_inner_texts()
        first_line = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise AssertionError(
            f"the editor could not publish: {errors} ({first_line}; {autosave_status(page)})"
        ) from None

    event = EventPage.objects.get()
    assert event.live and event.uid
    page.goto(f"{live_server.url}/sv/kalendarium/oppet-hus/")
    assert page.locator("h1").inner_text() == "Öppet hus på campus"
    assert page.locator(".event-when").inner_text() == "4 maj 2030 kl. 10.00–15.00"
    assert page.locator(".event-when time").first.get_attribute("datetime") == (
        "2030-05-04T10:00:00+02:00"
    )
    page.goto(f"{live_server.url}/en/events/")
    assert page.locator(".event-list .card-title").all_inner_texts() == ["Open day on campus"]
    page.get_by_role("link", name="Open day on campus").click()
    page.wait_for_url(f"{live_server.url}/en/events/open-day/")
    assert page.locator(".event-when").inner_text() == "4 May 2030, 10:00–15:00"
    assert page.locator(".fact-topics a").inner_text() == "Cell therapy"


def test_the_calendar_pages_have_no_serious_accessibility_violations(
    chromium, live_server, screenshot_dir, db
):
    call_command("seed_demo", "--no-warm", stdout=open("/dev/null", "w"))
    calendar = EventIndexPage.objects.get()
    topic = TopicFactory(name_sv="Cellterapi", name_en="Cell therapy", slug_sv="cellterapi",
                         slug_en="cell-therapy")  # fmt: skip
    coming = datetime.date.today() + datetime.timedelta(days=30)
    EventPageFactory(
        parent=calendar, title_sv="Seminarium om cellterapi", title_en="Cell therapy seminar",
        slug_sv="seminarium", slug_en="seminar", start_date=coming,
        start_time=datetime.time(13), end_time=datetime.time(16, 30),
        place_address="Alfred Nobels allé 8, Huddinge", online_url="https://example.org/live",
        registration_url="https://example.org/anmalan", registration_deadline=coming,
        event_language="sv,en", price_sv="200 kr", price_en="SEK 200", topics=[topic],
        organisers=list(Partner.objects.filter(name__in=["NextGenNK", "CCRM Nordic"])),
    )  # fmt: skip
    # What changed plans, a venue and a programme add to the page and the cards.
    seminar = EventPage.objects.get(slug_sv="seminarium")
    seminar.venue = Venue.objects.create(
        name_sv="Aulan", name_en="The Aula", street_address="Alfred Nobels allé 8",
        postal_code="141 52", locality="Huddinge", directions_url="https://example.org/karta",
        step_free_access="yes", hearing_loop="no", accessibility_notes_sv="Ramp vid entrén.",
        accessibility_notes_en="A ramp at the entrance.",
    )  # fmt: skip
    seminar.status, seminar.previous_start_date = EventStatus.RESCHEDULED, coming
    seminar.start_date = coming + datetime.timedelta(days=7)
    seminar.save_revision().publish()
    EventSession.objects.create(page=seminar, start_time=datetime.time(13), title_sv="Välkommen",
                                title_en="Welcome", speakers="Anna Andersson", room_sv="Aulan",
                                room_en="The Aula", end_time=datetime.time(13, 15))  # fmt: skip
    EventPageFactory(parent=calendar, title_sv="Inställd föreläsning", title_en="Cancelled lecture",
                     start_date=coming, status=EventStatus.CANCELLED)  # fmt: skip
    # A weekly event with one date cancelled and one moved: its rule in words, its next
    # dates and the notices on the page, its dates marked on the cards.
    weekly = EventPageFactory(
        parent=calendar, title_sv="Lunchseminarium", title_en="Lunch seminar",
        slug_sv="lunchseminarium", slug_en="lunch-seminar", start_date=coming,
        start_time=datetime.time(12), end_time=datetime.time(13),
        repeat_frequency=Frequency.WEEKLY, repeat_count=5,
    )  # fmt: skip
    weekly.date_changes = [
        EventDateChange(date=coming + datetime.timedelta(weeks=1), kind=ChangeKind.CANCELLED),
        EventDateChange(date=coming + datetime.timedelta(weeks=2), kind=ChangeKind.MOVED,
                        new_date=coming + datetime.timedelta(weeks=2, days=1),
                        new_start_time=datetime.time(14)),
    ]  # fmt: skip
    weekly.save_revision().publish()
    month = coming.strftime("%Y-%m")
    paths = [
        "/sv/kalendarium/", "/en/events/", "/sv/kalendarium/tidigare/", "/en/events/past/",
        f"/sv/kalendarium/?manad={month}", "/en/events/?topic=cell-therapy",
        "/sv/kalendarium/seminarium/", "/en/events/seminar/",
        "/sv/kalendarium/lunchseminarium/", "/en/events/lunch-seminar/",
        "/sv/kalendarium/atmp-minisymposium/", "/en/events/atmp-mini-symposium/",
        "/sv/", "/en/", "/sv/nyheter/atmp-symposium-for-kunskapsutbyte/",
    ]  # fmt: skip
    found = {}
    context = chromium.new_context(viewport={"width": 375, "height": 740})
    browser_page = context.new_page()
    for path in paths:
        response = browser_page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        name = path.strip("/").replace("/", "-").replace("?", "-").replace("=", "-") or "home"
        browser_page.screenshot(path=screenshot_dir / f"events-{name}.png", full_page=True)
        violations = blocking_violations(browser_page)
        if violations:
            found[path] = violations
    context.close()
    assert not found, found


def test_editor_cancels_then_reschedules_a_published_event(
    admin_browser_page, live_server, home_page, screenshot_dir, settings
):
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0  # the status flow, not autosave
    calendar = EventIndexPageFactory(parent=home_page)
    event = EventPageFactory(parent=calendar, title_sv="Seminarium", title_en="Seminar",
                             slug_sv="seminarium", slug_en="seminar",
                             start_date=datetime.date(2030, 3, 12),
                             start_time=datetime.time(13), end_time=datetime.time(15))  # fmt: skip
    page = admin_browser_page
    edit_url = f"{live_server.url}/admin/pages/{event.pk}/edit/"

    def publish():
        page.get_by_role("button", name="More actions").click()
        page.get_by_role("button", name="Publish").click()
        page.wait_for_url(f"{live_server.url}/admin/pages/{calendar.pk}/")

    try:
        page.goto(edit_url)
        page.locator("#id_status").select_option("cancelled")
        publish()
        page.goto(f"{live_server.url}/sv/kalendarium/seminarium/")
        assert page.locator(".event-status").inner_text().startswith("Inställt.")

        page.goto(edit_url)
        page.locator("#id_status").select_option("rescheduled")
        page.fill("#id_start_date", "2030-04-02")
        page.locator("#id_start_date").blur()
        page.locator("#id_status").click()  # a click outside closes the date picker
        page.keyboard.press("Escape")
        publish()
    except Exception as error:
        page.screenshot(path=screenshot_dir / "event-status-failure.png", full_page=True)
        errors = page.locator(".error-message, .help-critical, [role=alert]").all_inner_texts()
        first_line = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise AssertionError(f"the editor could not publish: {errors} ({first_line})") from None

    page.goto(f"{live_server.url}/en/events/seminar/")
    assert page.locator(".event-status").inner_text() == (
        "Rescheduled. It was first planned for 12 March 2030, 13:00; the date below is the new one."
    )
    assert page.locator(".event-when").inner_text() == "2 April 2030, 13:00–15:00"
    feed = page.request.get(f"{live_server.url}/en/events/ics/").text()
    assert "SEQUENCE:2" in feed and "STATUS:CONFIRMED" in feed


def test_editor_in_the_swedish_admin_makes_an_event_repeat_with_a_cancelled_date(
    admin_browser_page, admin_user, live_server, home_page, screenshot_dir, settings
):
    # The repetition fields, not autosave: a draft saved while the test types re-renders
    # the form under its clicks (the story editor's test covers autosave).
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0
    profile = UserProfile.get_for_user(admin_user)
    profile.preferred_language = "sv"
    profile.save()
    EventPage.get_edit_handler.cache_clear()  # labels in the language of this test
    calendar = EventIndexPageFactory(parent=home_page)
    page = admin_browser_page
    found = {}
    try:
        page.goto(f"{live_server.url}/admin/pages/add/events/eventpage/{calendar.pk}/")
        page.fill("#id_title_sv", "Lunchseminarium")
        page.fill("#id_start_date", "2030-03-19")  # a Tuesday
        page.fill("#id_start_time", "12:00")
        page.fill("#id_end_time", "13:00")
        page.fill("#id_place_name_sv", "Campus Flemingsberg")

        # Under "Upprepning": every week, four times, by the fields' Swedish labels.
        assert page.get_by_role("heading", name="Upprepning", exact=True).is_visible()
        page.get_by_label("Upprepas", exact=True).select_option("weekly")
        page.get_by_label("Antal gånger", exact=True).fill("4")

        # Under "Datum som avviker": the second Tuesday cancelled.
        assert page.get_by_role("heading", name="Datum som avviker", exact=True).is_visible()
        page.locator("#id_date_changes-ADD").click()
        page.fill("#id_date_changes-0-date", "2030-03-26")
        page.locator("#id_date_changes-0-date").blur()
        page.keyboard.press("Escape")  # the date picker
        page.locator("#id_date_changes-0-kind").select_option("cancelled")
        selected = page.locator("#id_date_changes-0-kind option:checked").inner_text()
        assert selected == "Inställt denna dag: visas som inställt"
        violations = blocking_violations(page)
        if violations:
            found["edit screen"] = violations

        page.get_by_role("tab", name="Marknadsför").click()
        page.fill("#id_slug_sv", "lunchseminarium")
        page.fill("#id_slug_en", "lunch-seminar")
        page.get_by_role("tab", name="Innehåll").click()
        page.get_by_role("button", name="Fler åtgärder").click()
        page.get_by_role("button", name="Publicera").click()
        page.wait_for_url(f"{live_server.url}/admin/pages/{calendar.pk}/")
    except Exception as error:
        page.screenshot(path=screenshot_dir / "event-repeat-failure.png", full_page=True)
        errors = page.locator(".error-message, .help-critical, [role=alert]").all_inner_texts()
        first_line = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise AssertionError(
            f"the editor could not publish: {errors} ({first_line}; {autosave_status(page)})"
        ) from None
    assert not found, found

    event = EventPage.objects.get()
    assert event.live and event.recurrence_rule == "FREQ=WEEKLY;BYDAY=TU;COUNT=4"
    page.goto(f"{live_server.url}/sv/kalendarium/lunchseminarium/")
    assert page.locator(".event-repeats").inner_text() == "Varje tisdag kl. 12.00–13.00, 4 gånger"
    assert page.locator(".event-date-changes li").all_inner_texts() == ["Inställt 26 mars"]
    page.goto(f"{live_server.url}/en/events/lunch-seminar/")
    assert page.locator(".event-repeats").inner_text() == "Every Tuesday, 12:00–13:00, 4 times"
    assert page.locator(".event-date-changes li").all_inner_texts() == ["Cancelled 26 March"]
