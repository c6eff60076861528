"""A video address that gives no embed never blocks saving a page.

The page saves (draft and publish), keeps the address, the editor is warned in the
admin's language and readers see a link to the video in their language. No test
reaches the network: the embed finder is replaced.
"""

import json

import pytest
from bs4 import BeautifulSoup
from django.utils import translation
from wagtail.embeds import embeds
from wagtail.embeds.exceptions import EmbedNotFoundException
from wagtail.test.utils.form_data import nested_form_data, streamfield
from wagtail.users.models import UserProfile

from home.models import StandardPage
from portal import blocks
from tests.factories.home import StandardPageFactory

pytestmark = pytest.mark.django_db

UNRESOLVABLE = "https://www.youtube.com/watch?v=gone"
PLAYABLE = "https://vimeo.com/123"
IFRAME = '<iframe src="https://player.vimeo.com/video/123" title="Vimeo: Film"></iframe>'


class Finder:
    """Stands in for the oEmbed providers: PLAYABLE embeds, anything else is not found."""

    def __init__(self):
        self.calls = []

    def __call__(self, url, max_width=None, max_height=None):
        self.calls.append(url)
        if url != PLAYABLE:
            raise EmbedNotFoundException
        return {
            "title": "Film",
            "type": "video",
            "html": IFRAME,
            "author_name": "",
            "provider_name": "Vimeo",
            "thumbnail_url": "",
            "width": 640,
            "height": 360,
        }


@pytest.fixture
def finder(monkeypatch):
    fake = Finder()
    monkeypatch.setattr(embeds, "get_finder_for_embed", fake)
    return fake


@pytest.fixture
def page(home_page):
    return StandardPageFactory(
        parent=home_page,
        title_sv="Om oss",
        title_en="About us",
        slug_sv="om-oss",
        slug_en="about-us",
    )


def editor(client, django_user_model, language):
    user = django_user_model.objects.create_superuser("editor", "editor@example.com", "secret")
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    client.force_login(user)
    return client


def video(url):
    return streamfield([("embed", {"embed": url, "caption": "Från invigningen"})])


def page_form(url, publish=False, **fields):
    data = {
        "title_sv": "Om oss",
        "title_en": "About us",
        "slug_sv": "om-oss",
        "slug_en": "about-us",
        "lead_sv": "Ingress",
        "lead_en": "Lead",
        "body_sv": video(url),
        "body_en": video(url),
    }
    if publish:
        data["action-publish"] = "publish"
    data.update(fields)
    return nested_form_data(data)


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def admin_messages(response):
    return " ".join(
        node.get_text(" ", strip=True) for node in soup(response).select(".messages li")
    )


def block_errors(response):
    """The messages the admin shows under the blocks of a refused stream field."""
    found = []

    def collect(node):
        if isinstance(node, dict):
            found.extend(node.get("messages", []))
            for child in node.values():
                collect(child)
        elif isinstance(node, list):
            for child in node:
                collect(child)

    for tag in soup(response).find_all(True):
        for value in tag.attrs.values():
            if isinstance(value, str) and "blockErrors" in value:
                collect(json.loads(value))
    return found


def stored_addresses(page):
    page = StandardPage.objects.get(pk=page.pk).get_latest_revision_as_object()
    return [block.value["embed"].url for block in (*page.body_sv, *page.body_en)]


@pytest.mark.parametrize(
    "language, warning",
    [
        ("sv", f"Ingen video kunde bäddas in från {UNRESOLVABLE}. Sidan sparades"),
        ("en", f"No video could be embedded from {UNRESOLVABLE}. The page was saved"),
    ],
)
def test_an_unresolvable_address_saves_as_draft_and_publishes_with_a_warning(
    client, django_user_model, finder, page, language, warning
):
    admin = editor(client, django_user_model, language)
    url = f"/admin/pages/{page.pk}/edit/"

    response = admin.post(url, page_form(UNRESOLVABLE), follow=True)
    assert response.status_code == 200
    assert warning in admin_messages(response)
    assert "Kan inte hitta inbäddning" not in response.content.decode()
    assert stored_addresses(page) == [UNRESOLVABLE, UNRESOLVABLE]
    assert not StandardPage.objects.get(pk=page.pk).body_sv  # a draft: the live page is as was

    response = admin.post(url, page_form(UNRESOLVABLE, publish=True), follow=True)
    assert response.status_code == 200
    assert warning in admin_messages(response)
    live = StandardPage.objects.get(pk=page.pk)
    assert live.live and live.body_sv[0].value["embed"].url == UNRESOLVABLE


def test_a_new_page_with_an_unresolvable_address_is_created(
    client, django_user_model, finder, home_page
):
    admin = editor(client, django_user_model, "en")
    response = admin.post(
        f"/admin/pages/add/home/standardpage/{home_page.pk}/",
        page_form(UNRESOLVABLE, publish=True),
        follow=True,
    )
    assert response.status_code == 200
    assert f"No video could be embedded from {UNRESOLVABLE}." in admin_messages(response)
    assert StandardPage.objects.get(slug_en="about-us").live


@pytest.mark.parametrize(
    "path, text",
    [
        ("/sv/om-oss/", "Titta på videon hos YouTube"),
        ("/en/about-us/", "Watch the video on YouTube"),
    ],
)
def test_readers_see_a_link_to_an_unresolvable_video_in_their_language(
    client, admin_client, finder, page, uncached, path, text
):
    admin_client.post(f"/admin/pages/{page.pk}/edit/", page_form(UNRESOLVABLE, publish=True))
    client.logout()
    calls = len(finder.calls)
    for _ in range(2):
        response = client.get(path)
        assert response.status_code == 200
        figure = soup(response).select_one(".block-embed")
        link = figure.find("a", string=text)
        assert link["href"] == UNRESOLVABLE
        assert figure.find("iframe") is None
        assert figure.figcaption.get_text() == "Från invigningen"
    # The address that gave no embed is remembered: readers' requests ask no provider.
    assert len(finder.calls) == calls


@pytest.mark.parametrize("path", ["/sv/om-oss/", "/en/about-us/"])
def test_a_resolvable_address_still_shows_the_embedded_player(
    client, admin_client, django_user_model, finder, page, path
):
    response = admin_client.post(
        f"/admin/pages/{page.pk}/edit/", page_form(PLAYABLE, publish=True), follow=True
    )
    assert "No video could be embedded" not in admin_messages(response)
    assert "Ingen video kunde bäddas in" not in admin_messages(response)
    client.logout()
    figure = soup(client.get(path)).select_one(".block-embed")
    assert figure.select_one(".embed iframe")["src"] == "https://player.vimeo.com/video/123"
    assert figure.find("a") is None


@pytest.mark.parametrize(
    "language, address, error",
    [
        ("sv", "inte en adress", "Fyll i en giltig URL."),
        ("en", "not an address", "Enter a valid URL."),
        ("sv", "ftp://example.com/film.mp4", "Ange en adress som börjar med https:// eller"),
        ("en", "ftp://example.com/film.mp4", "Enter an address that starts with https:// or"),
    ],
)
def test_something_that_is_not_a_web_address_is_refused(
    client, django_user_model, finder, page, language, address, error
):
    admin = editor(client, django_user_model, language)
    response = admin.post(f"/admin/pages/{page.pk}/edit/", page_form(address))
    assert response.status_code == 200
    assert any(message.startswith(error) for message in block_errors(response))
    assert not StandardPage.objects.get(pk=page.pk).get_latest_revision()


@pytest.mark.parametrize(
    "language, url, text",
    [
        ("sv", "https://youtu.be/abc", "Titta på videon hos YouTube"),
        ("en", "https://video.example/v/1", "Watch the video on video.example"),
    ],
)
def test_the_block_links_to_the_video_when_no_embed_is_found(finder, language, url, text):
    block = blocks.VideoEmbedBlock()
    value = block.to_python({"embed": url, "caption": ""})
    with translation.override(language):
        html = BeautifulSoup(block.render(value), "html.parser")
    assert html.find("a", string=text)["href"] == url


def test_a_provider_that_answers_oddly_gives_the_link_not_an_error(
    client, monkeypatch, page, uncached
):
    def broken(url, max_width=None, max_height=None):
        raise ValueError("not JSON")

    monkeypatch.setattr(embeds, "get_finder_for_embed", broken)
    page.body_sv = [("embed", {"embed": UNRESOLVABLE, "caption": ""})]
    page.save_revision().publish()
    response = client.get("/sv/om-oss/")
    assert response.status_code == 200
    link = soup(response).select_one(".block-embed a")
    assert (link.get_text(), link["href"]) == ("Titta på videon hos YouTube", UNRESOLVABLE)
