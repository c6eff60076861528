"""Error pages speak the visitor's language; bad input never gives a 500."""

import pytest
from bs4 import BeautifulSoup
from django.test import Client

pytestmark = pytest.mark.django_db


def test_404_in_swedish(client, home_page):
    response = client.get("/sv/finns-inte/")
    assert response.status_code == 404
    page = BeautifulSoup(response.content, "html.parser")
    assert page.html["lang"] == "sv"
    assert page.h1.get_text(strip=True) == "Sidan kunde inte hittas"
    assert "eller så kan adressen vara felskriven" in page.main.get_text()


def test_404_in_english(client, home_page):
    response = client.get("/en/does-not-exist/")
    assert response.status_code == 404
    page = BeautifulSoup(response.content, "html.parser")
    assert page.html["lang"] == "en"
    assert page.h1.get_text(strip=True) == "Page not found"


@pytest.mark.parametrize("path", ["/de/", "/xx/om/", "/zz-ZZ/"])
def test_unknown_language_prefix_is_not_found(client, home_page, path):
    response = client.get(path, follow=True)
    assert response.status_code == 404


@pytest.mark.parametrize(
    "language, heading", [("sv", "Något gick fel"), ("en", "Something went wrong")]
)
def test_500_in_the_visitors_language(client, home_page, monkeypatch, language, heading):
    from home.models import HomePage

    def broken(self, request, *args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(HomePage, "serve", broken)
    client.raise_request_exception = False
    response = client.get(f"/{language}/")
    assert response.status_code == 500
    page = BeautifulSoup(response.content, "html.parser")
    assert page.html["lang"] == language
    assert page.h1.get_text(strip=True) == heading


@pytest.mark.parametrize(
    "query",
    ["?q=" + "a" * 10000, "?q=%00", "?q=%22unpaired", "?page=abc&q=x", "?page=999999&q=x"],
)
def test_search_survives_odd_input(client, home_page, query):
    assert client.get("/sv/sok/" + query).status_code == 200


@pytest.mark.parametrize(
    "path", ["/admin/nonexistent/", "/admin/pages/999999/edit/", "/admin/snippets/nope/"]
)
def test_a_mistyped_admin_address_gets_the_admins_404_without_a_language_prefix(
    admin_client, home_page, path
):
    response = admin_client.get(path)
    assert response.status_code == 404  # not a redirect to /sv/admin/…
    assert "wagtailadmin/404.html" in [template.name for template in response.templates]
    anonymous = Client().get(path)
    assert not anonymous.get("Location", "").startswith("/sv/")
