"""The preview panel offers "Svenska" and "English"; each shows the page as that
language's readers will see it (language, links, the fallback notice), whatever the
admin's language."""

import pytest
from bs4 import BeautifulSoup
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield
from wagtail.users.models import UserProfile

from tests.factories.stories import StoryIndexPageFactory, StoryPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["sv", "en"])
def editor(request, client, django_user_model):
    user = django_user_model.objects.create_superuser("editor", "editor@example.com", "secret")
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = request.param
    profile.save()
    client.force_login(user)
    client.language = request.param
    return client


@pytest.fixture
def news(home_page):
    return StoryIndexPageFactory(parent=home_page)


def soup(response):
    assert response.status_code == 200
    return BeautifulSoup(response.content.decode(), "html.parser")


def story_form(title_sv, title_en, slug_en="", lead_en=""):
    return nested_form_data(
        {
            "title_sv": title_sv,
            "title_en": title_en,
            "slug_sv": "forhandsgranskad",
            "slug_en": slug_en,
            "date": "2025-11-12",
            "lead_sv": "Svensk ingress.",
            "lead_en": lead_en,
            "body_sv": streamfield([]),
            "body_en": streamfield([]),
            "related_stories": inline_formset([]),
        }
    )


def preview(client, url, data, mode):
    response = client.post(url, data)
    assert response.status_code == 200 and response.json()["is_valid"]
    return soup(client.get(f"{url}?mode={mode}"))


def test_the_preview_panel_offers_both_languages(editor, news):
    story = StoryPageFactory(parent=news)
    page = soup(editor.get(f"/admin/pages/{story.pk}/edit/"))
    modes = {
        o["value"]: o.get_text(strip=True) for o in page.select("select[name=preview_mode] option")
    }
    assert modes == {"sv": "Svenska", "en": "English"}


def test_an_unpublished_english_text_previews_as_english_readers_will_see_it(editor, news):
    story = StoryPageFactory(parent=news, slug_sv="forhandsgranskad", slug_en="previewed")
    url = f"/admin/pages/{story.pk}/edit/preview/"
    draft = story_form("Ny svensk rubrik", "New English headline", "previewed", "English lead.")

    english = preview(editor, url, draft, "en")
    assert english.html["lang"] == "en"
    assert english.h1.get_text(strip=True) == "New English headline"
    assert "English lead." in english.get_text()
    assert english.select_one(".skip-link").get_text(strip=True) == "Skip to main content"
    assert english.select_one(".fallback-notice") is None
    # Links lead to English pages; the language switcher to the Swedish one.
    switch = english.select_one(".language-switcher a[hreflang=sv]")
    assert switch["href"] == "/sv/nyheter/forhandsgranskad/"

    swedish = preview(editor, url, draft, "sv")
    assert swedish.html["lang"] == "sv"
    assert swedish.h1.get_text(strip=True) == "Ny svensk rubrik"
    assert swedish.select_one(".skip-link").get_text(strip=True) == "Hoppa till huvudinnehållet"
    assert swedish.select_one(".language-switcher a[hreflang=en]")["href"] == "/en/news/previewed/"

    # Nothing was saved by looking.
    story.refresh_from_db()
    assert story.title_en != "New English headline"


def page_form(title_sv, title_en, slug_en=""):
    return nested_form_data(
        {
            "title_sv": title_sv,
            "title_en": title_en,
            "slug_sv": "ny-sida",
            "slug_en": slug_en,
            "lead_sv": "Svensk ingress.",
            "lead_en": "",
            "body_sv": streamfield([]),
            "body_en": streamfield([]),
        }
    )


def test_a_page_without_english_text_previews_with_the_fallback_notice(editor, home_page):
    url = f"/admin/pages/add/home/standardpage/{home_page.pk}/preview/"
    page = preview(editor, url, page_form("Bara på svenska", ""), "en")
    assert page.html["lang"] == "en"
    notice = page.select_one(".fallback-notice")
    assert notice.get_text(strip=True) == "This page is only available in Swedish."
    assert page.select_one("main")["lang"] == "sv"
    assert page.h1.get_text(strip=True) == "Bara på svenska"
    # Its Swedish preview has no notice.
    swedish = soup(editor.get(f"{url}?mode=sv"))
    assert swedish.select_one(".fallback-notice") is None


def test_a_new_page_previews_in_swedish_by_default(editor, home_page):
    url = f"/admin/pages/add/home/standardpage/{home_page.pk}/preview/"
    response = editor.post(url, page_form("Ny sida", "New page", "new-page"))
    assert response.json()["is_valid"]
    page = soup(editor.get(url))
    assert page.html["lang"] == "sv"
    assert page.h1.get_text(strip=True) == "Ny sida"
    english = soup(editor.get(f"{url}?mode=en"))
    assert english.html["lang"] == "en"
    assert english.h1.get_text(strip=True) == "New page"
    assert english.select_one(".skip-link").get_text(strip=True) == "Skip to main content"


def test_a_routable_index_previews_in_either_language(editor, news):
    url = f"/admin/pages/{news.pk}/edit/preview/"
    data = nested_form_data(
        {
            "title_sv": "Nyheter från campus",
            "title_en": "Campus news",
            "slug_sv": "nyheter",
            "slug_en": "news",
            "lead_sv": "",
            "lead_en": "",
            "intro_sv": streamfield([]),
            "intro_en": streamfield([]),
        }
    )
    english = preview(editor, url, data, "en")
    assert english.html["lang"] == "en"
    assert english.h1.get_text(strip=True) == "Campus news"
    assert preview(editor, url, data, "sv").h1.get_text(strip=True) == "Nyheter från campus"


def test_a_page_saved_without_english_title_stays_untranslated_in_either_admin(
    editor, home_page, client
):
    from home.models import StandardPage

    url = f"/admin/pages/add/home/standardpage/{home_page.pk}/"
    data = {**page_form("Bara på svenska", ""), "action-publish": "publish"}
    assert editor.post(url, data).status_code == 302
    page = StandardPage.objects.get(slug_sv="ny-sida")
    assert not page.title_en and not page.has_translation("en")
    assert page.title_sv == "Bara på svenska"
    english = soup(client.get("/en/ny-sida/"))
    assert english.select_one(".fallback-notice") is not None


def test_a_new_unsaved_story_previews_in_either_language(editor, news):
    url = f"/admin/pages/add/stories/storypage/{news.pk}/preview/"
    draft = story_form("Ännu ej sparad", "Not saved yet", "not-saved-yet", "English lead.")
    english = preview(editor, url, draft, "en")
    assert english.h1.get_text(strip=True) == "Not saved yet"
    # No event can name a page that does not exist yet as its write-up.
    assert english.select_one(".story-event") is None
    swedish = preview(editor, url, draft, "sv")
    assert swedish.h1.get_text(strip=True) == "Ännu ej sparad"
