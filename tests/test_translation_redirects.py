"""Old addresses keep working in every language when a slug changes or a page moves."""

import pytest
from django.utils import translation
from wagtail.contrib.redirects.models import Redirect

from tests.factories.home import StandardPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def about(home_page):
    return StandardPageFactory(
        parent=home_page,
        title_sv="Om oss",
        title_en="About us",
        slug_sv="om-oss",
        slug_en="about-us",
    )


@pytest.fixture
def team(about):
    return StandardPageFactory(
        parent=about, title_sv="Vårt team", title_en="Our team", slug_sv="team", slug_en="our-team"
    )


def publish_with(page, **values):
    page = page.specific
    for name, value in values.items():
        setattr(page, name, value)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def test_english_slug_change_redirects_the_old_english_url(client, about, team):
    assert client.get("/en/about-us/").status_code == 200
    # The editor works in Swedish, so Wagtail itself only looks at the Swedish slug.
    with translation.override("sv"):
        publish_with(about, slug_en="who-we-are")

    assert client.get("/en/who-we-are/").status_code == 200
    old = client.get("/en/about-us/")
    assert old.status_code == 301
    assert old["Location"] == "/en/who-we-are/"
    # The page below follows its parent.
    child = client.get("/en/about-us/our-team/")
    assert child.status_code == 301
    assert child["Location"] == "/en/who-we-are/our-team/"
    assert client.get(child["Location"]).status_code == 200
    # Swedish addresses did not change and get no redirect.
    assert client.get("/sv/om-oss/").status_code == 200
    assert not Redirect.objects.filter(old_path__startswith="/sv/").exists()


def test_english_slug_change_while_working_in_english(client, about):
    with translation.override("en"):
        publish_with(about, slug_en="who-we-are")
    response = client.get("/en/about-us/")
    assert response.status_code == 301
    assert response["Location"] == "/en/who-we-are/"
    assert Redirect.objects.filter(old_path="/en/about-us").count() == 1


def test_swedish_slug_change_keeps_the_english_fallback_address(client, home_page):
    # Without an English slug the English address uses the Swedish one.
    page = StandardPageFactory(
        parent=home_page, title_sv="Bara svenska", title_en="", slug_sv="bara-svenska"
    )
    assert client.get("/en/bara-svenska/").status_code == 200
    with translation.override("sv"):
        publish_with(page, slug_sv="endast-svenska")
    sv = client.get("/sv/bara-svenska/")
    en = client.get("/en/bara-svenska/")
    assert (sv.status_code, sv["Location"]) == (301, "/sv/endast-svenska/")
    assert (en.status_code, en["Location"]) == (301, "/en/endast-svenska/")


def test_moving_a_page_keeps_both_languages_old_urls(client, home_page, about, team):
    news = StandardPageFactory(
        parent=home_page, title_sv="Aktuellt", title_en="News", slug_sv="aktuellt", slug_en="news"
    )
    with translation.override("sv"):
        about.refresh_from_db()
        about.move(news, pos="last-child")

    assert client.get("/sv/aktuellt/om-oss/").status_code == 200
    assert client.get("/en/news/about-us/").status_code == 200
    expected = {
        "/sv/om-oss/": "/sv/aktuellt/om-oss/",
        "/en/about-us/": "/en/news/about-us/",
        "/sv/om-oss/team/": "/sv/aktuellt/om-oss/team/",
        "/en/about-us/our-team/": "/en/news/about-us/our-team/",
    }
    for old, new in expected.items():
        response = client.get(old)
        assert (old, response.status_code, response["Location"]) == (old, 301, new)
        assert client.get(new).status_code == 200


def test_reordering_siblings_creates_no_redirect(home_page, about):
    other = StandardPageFactory(parent=home_page, title_sv="Kontakt", title_en="Contact")
    about.refresh_from_db()
    about.move(other, pos="right")
    assert not Redirect.objects.exists()


def test_unpublished_page_gets_no_redirect(home_page):
    draft = StandardPageFactory(
        parent=home_page, title_sv="Utkast", title_en="Draft", slug_en="draft", live=False
    )
    draft.slug_en = "first-draft"
    draft.save()
    assert not Redirect.objects.exists()


def test_an_editors_own_redirect_is_left_alone(client, home_page, about):
    manual = Redirect.objects.create(
        old_path="/en/about-us", redirect_link="https://example.org/", is_permanent=False
    )
    with translation.override("sv"):
        publish_with(about, slug_en="who-we-are")
    manual.refresh_from_db()
    assert manual.redirect_link == "https://example.org/"
    assert client.get("/en/about-us/")["Location"] == "https://example.org/"
