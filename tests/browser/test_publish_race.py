"""An editor who clicks Publish right after typing gets one live page, never "This slug
is already in use": Wagtail's autosave may have created the page while the add form
still posts to the add address; the add view then publishes the page autosave created."""

import re
import threading

import pytest
from django.db import connection
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from home.models import StandardPage
from tests.browser.test_editor import autosave_status

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def requests_in_turn(live_server):
    """On SQLite in memory the live server's request threads share one database
    connection, which two requests at once (a Publish and an autosave) break with
    "cannot open savepoint": there it answers them in turn, in the order they come, as
    a server with a connection per request does for each page's writes. PostgreSQL's
    run has a connection per request and answers them at once."""
    if connection.vendor != "sqlite":
        yield
        return
    server = live_server.thread.httpd
    application = server.get_app()
    turn = threading.Lock()

    def in_turn(environ, start_response):
        with turn:
            response = application(environ, start_response)
            try:
                return [b"".join(response)]
            finally:
                if hasattr(response, "close"):
                    response.close()

    server.set_app(in_turn)
    yield
    server.set_app(application)


def open_add_form(page, url):
    """The add form, ready for typing: Wagtail notes the form's initial state 2 s after it
    loads and autosaves only what changed since (what is typed before then never is)."""
    page.goto(url)
    page.wait_for_timeout(2500)


def publish_now(page):
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Publish").click()


def explain(page, screenshot_dir, name, error):
    page.screenshot(path=screenshot_dir / f"{name}.png", full_page=True)
    errors = page.locator(".error-message, .help-critical, [role=alert]").all_inner_texts()
    first_line = str(error).splitlines()[0] if str(error) else type(error).__name__
    return AssertionError(f"publishing failed: {errors} ({first_line}; {autosave_status(page)})")


def assert_one_live_page(title, slug):
    pages = StandardPage.objects.filter(title_sv=title)
    assert [(p.live, p.slug_sv) for p in pages] == [(True, slug)]


def test_publish_clicked_at_once_after_typing_gives_one_live_page(
    admin_browser_page, live_server, home_page, screenshot_dir, requests_in_turn
):
    page = admin_browser_page
    explorer = f"{live_server.url}/admin/pages/{home_page.pk}/"
    for number in (1, 2, 3):
        title, slug = f"Snabbt publicerad {number}", f"snabbt-publicerad-{number}"
        open_add_form(page, f"{live_server.url}/admin/pages/add/home/standardpage/{home_page.pk}/")
        try:
            page.locator("#id_title_sv").press_sequentially(title)
            # The address follows the title as it is typed (an editor sees no delay; a
            # Publish sent before it has an empty address, refused as before).
            expect(page.locator("#id_slug_sv")).to_have_value(slug)
            publish_now(page)  # no wait for autosave: it may fire on the way
            page.wait_for_url(explorer)
        except Exception as error:
            raise explain(page, screenshot_dir, "publish-race-failure", error) from None
        assert page.locator(".error-message, .help-critical").count() == 0
        assert_one_live_page(title, slug)


def test_publish_clicked_while_autosave_is_answering_publishes_the_page_it_created(
    admin_browser_page, live_server, home_page, screenshot_dir
):
    """The race made certain: autosave's request has created the page, its answer (which
    would turn the form into the page's edit form) has not reached the browser yet."""
    page = admin_browser_page
    held = []

    def hold_autosave_answer(route):
        if "application/json" in (route.request.headers.get("accept") or ""):
            held.append((route, route.fetch()))
        else:
            route.continue_()

    page.route(re.compile(r"/admin/pages/add/home/standardpage/\d+/"), hold_autosave_answer)
    open_add_form(page, f"{live_server.url}/admin/pages/add/home/standardpage/{home_page.pk}/")
    try:
        page.locator("#id_title_sv").press_sequentially("Medan sidan sparas")
        for _attempt in range(100):  # autosave fires 500 ms after the typing
            if held:
                break
            page.wait_for_timeout(100)
        assert held, "autosave never saved the new page"
        assert StandardPage.objects.filter(title_sv="Medan sidan sparas").count() == 1
        publish_now(page)
        page.wait_for_url(f"{live_server.url}/admin/pages/{home_page.pk}/")
    except Exception as error:
        raise explain(page, screenshot_dir, "publish-race-held-failure", error) from None
    finally:
        for route, response in held:
            try:
                route.fulfill(response=response)
            except PlaywrightError:  # the page has gone on to the explorer
                pass
    assert page.locator(".error-message, .help-critical").count() == 0
    assert_one_live_page("Medan sidan sparas", "medan-sidan-sparas")
