"""Guessing passwords is throttled: the admin login, page passwords and document passwords.

After AXES_FAILURE_LIMIT (5) wrong passwords from one address, that account, page or
document is locked for that address: even the right password is refused, with a
lock-out page in the reader's language, until the cool-off has passed.
"""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from bs4 import BeautifulSoup
from django.core.files.base import ContentFile
from django.test import RequestFactory
from django.utils import timezone, translation
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction

from portal.throttle import client_ip
from tests.factories.home import StandardPageFactory

PASSWORD = "rätt-lösenord-42"
LIMIT = 5
LOCKED = {"sv": "För många försök", "en": "Too many attempts"}


def text(response):
    return BeautifulSoup(response.content, "html.parser").get_text(" ", strip=True)


def end_cool_off():
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))


@pytest.fixture
def protected_page(home_page):
    page = StandardPageFactory(
        parent=home_page, title_sv="Styrelsens sida", title_en="The board's page"
    )
    PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password=PASSWORD
    )
    return page


def password_form(client, url):
    response = client.get(url)
    assert response.status_code == 200
    form = BeautifulSoup(response.content, "html.parser").find("input", {"name": "password"})
    form = form.find_parent("form")
    return form["action"], form.find("input", {"name": "return_url"})["value"]


def try_password(client, action, return_url, password, address="192.0.2.10"):
    return client.post(
        action, {"password": password, "return_url": return_url}, REMOTE_ADDR=address
    )


@pytest.mark.parametrize("language", ["sv", "en"])
def test_page_password_guessing_is_locked_out(client, protected_page, language):
    with translation.override(language):
        url = protected_page.get_url()
    action, return_url = password_form(client, url)
    assert action.startswith(f"/{language}/")

    for attempt in range(1, LIMIT):
        response = try_password(client, action, return_url, f"fel-{attempt}")
        assert response.status_code == 200, attempt
        assert LOCKED[language] not in text(response)
    response = try_password(client, action, return_url, "fel-5")
    assert response.status_code == 429
    assert LOCKED[language] in text(response)
    assert int(response["Retry-After"]) > 0

    # Locked: even the right password is refused, and the page stays closed.
    response = try_password(client, action, return_url, PASSWORD)
    assert response.status_code == 429
    assert LOCKED[language] in text(response)
    assert protected_page.title_sv not in client.get(url).content.decode()

    # Another address is not locked out by this one.
    assert try_password(client, action, return_url, PASSWORD, "198.51.100.7").status_code == 302

    end_cool_off()
    response = try_password(client, action, return_url, PASSWORD)
    assert response.status_code == 302
    assert client.get(url).status_code == 200


def test_each_protected_page_counts_on_its_own(client, home_page, protected_page):
    second = StandardPageFactory(parent=home_page, title_sv="Andra sidan", title_en="Second")
    PageViewRestriction.objects.create(
        page=second, restriction_type=PageViewRestriction.PASSWORD, password=PASSWORD
    )
    action, return_url = password_form(client, protected_page.get_url())
    for attempt in range(LIMIT):
        try_password(client, action, return_url, f"fel-{attempt}")
    assert try_password(client, action, return_url, PASSWORD).status_code == 429
    action, return_url = password_form(client, second.get_url())
    assert try_password(client, action, return_url, PASSWORD).status_code == 302


def test_document_password_guessing_is_locked_out(client, home_page):
    board = Collection.get_first_root_node().add_child(name="Styrelsen")
    restriction = CollectionViewRestriction.objects.create(
        collection=board, restriction_type=CollectionViewRestriction.PASSWORD, password=PASSWORD
    )
    document = get_document_model().objects.create(
        title="Protokoll", collection=board, file=ContentFile(b"protokoll", name="protokoll.txt")
    )
    action = f"/documents/authenticate_with_password/{restriction.id}/"
    for attempt in range(1, LIMIT):
        assert try_password(client, action, document.url, f"fel-{attempt}").status_code == 200
    assert try_password(client, action, document.url, "fel-5").status_code == 429
    assert try_password(client, action, document.url, PASSWORD).status_code == 429
    assert client.get(document.url).status_code == 200  # the password form, not the file
    assert b"protokoll" not in b"".join(getattr(client.get(document.url), "streaming_content", []))
    end_cool_off()
    assert try_password(client, action, document.url, PASSWORD).status_code == 302
    response = client.get(document.url)
    assert b"".join(response.streaming_content) == b"protokoll"


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_superuser("redaktor", "r@example.org", PASSWORD)


def log_in(client, username, password, address="192.0.2.10", language="sv"):
    return client.post(
        "/admin/login/",
        {"username": username, "password": password},
        REMOTE_ADDR=address,
        HTTP_ACCEPT_LANGUAGE=language,
    )


@pytest.mark.parametrize("language", ["sv", "en"])
def test_admin_login_guessing_is_locked_out(client, home_page, editor, django_user_model, language):
    for attempt in range(1, LIMIT):
        response = log_in(client, "redaktor", f"fel-{attempt}", language=language)
        assert response.status_code == 200, attempt
    response = log_in(client, "redaktor", "fel-5", language=language)
    assert response.status_code == 429
    assert LOCKED[language] in text(response)
    response = log_in(client, "redaktor", PASSWORD, language=language)
    assert response.status_code == 429
    assert client.get("/admin/").status_code == 302  # still not logged in

    # Another editor at the same address, and this editor elsewhere, still log in.
    django_user_model.objects.create_superuser("kollega", "k@example.org", PASSWORD)
    assert log_in(client.__class__(), "kollega", PASSWORD).status_code == 302
    assert (
        log_in(client.__class__(), "redaktor", PASSWORD, address="198.51.100.7").status_code == 302
    )

    end_cool_off()
    assert log_in(client, "redaktor", PASSWORD).status_code == 302
    assert client.get("/admin/").status_code == 200


def test_a_successful_login_forgets_earlier_failures(client, home_page, editor):
    for attempt in range(LIMIT - 1):
        log_in(client, "redaktor", f"fel-{attempt}")
    assert log_in(client, "redaktor", PASSWORD).status_code == 302
    client.logout()
    for attempt in range(LIMIT - 1):
        assert log_in(client, "redaktor", f"fel-{attempt}").status_code == 200
    assert log_in(client, "redaktor", PASSWORD).status_code == 302


@pytest.mark.parametrize(
    "proxies, forwarded, expected",
    [
        (0, "203.0.113.9", "10.0.0.2"),  # no proxy of ours: the header is the client's claim
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "6.6.6.6, 203.0.113.9", "203.0.113.9"),  # a forged first entry is ignored
        (2, "6.6.6.6, 203.0.113.9, 10.0.0.1", "203.0.113.9"),
        (2, "", "10.0.0.2"),
    ],
)
def test_the_client_address_comes_from_our_own_proxies(settings, proxies, forwarded, expected):
    settings.PORTAL_TRUSTED_PROXIES = proxies
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected
