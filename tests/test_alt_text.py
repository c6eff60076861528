"""One rule for alternative text: what the editor wrote for the page (per language), else
the image's own description, else nothing when the image is marked decorative; for every
hero image and every image block, in both languages, and said in the help text."""

import pytest
from bs4 import BeautifulSoup
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield
from wagtail.users.models import UserProfile

from stories.models import StoryPage
from tests.factories.awards import AwardCategoryFactory, AwardPageFactory, AwardWinnerPageFactory
from tests.factories.base import ImageFactory
from tests.factories.events import EventIndexPageFactory, EventPageFactory
from tests.factories.home import StandardPageFactory
from tests.factories.stories import StoryIndexPageFactory, StoryPageFactory

pytestmark = pytest.mark.django_db

DESCRIPTION = "Flygfoto över campus i Flemingsberg"


@pytest.fixture
def image():
    return ImageFactory(description=DESCRIPTION)


@pytest.fixture
def news(home_page):
    return StoryIndexPageFactory(parent=home_page)


def soup(response):
    assert response.status_code == 200
    return BeautifulSoup(response.content.decode(), "html.parser")


def hero_alt(client, url, selector):
    return soup(client.get(url)).select_one(selector)["alt"]


# Every page type whose hero shows on the page: how to make one, its addresses, where
# its hero is, and the names of its alternative-text fields.
def story(home_page, **fields):
    news = StoryIndexPageFactory(parent=home_page)
    return StoryPageFactory(parent=news, slug_sv="nyhet", slug_en="story", **fields)


def standard_page(home_page, **fields):
    return StandardPageFactory(parent=home_page, slug_sv="om", slug_en="about", **fields)


def winner(home_page, **fields):
    award = AwardPageFactory(parent=home_page)
    category = AwardCategoryFactory(programme=award)
    return AwardWinnerPageFactory(
        parent=award, category=category, slug_sv="pristagare", slug_en="winner", **fields
    )


def culture_project(home_page, **fields):
    from stories.models import CultureProjectIndexPage, CultureProjectPage
    from tests.factories.base import TranslatedPageFactory

    class IndexFactory(TranslatedPageFactory):
        class Meta:
            model = CultureProjectIndexPage

    class ProjectFactory(TranslatedPageFactory):
        class Meta:
            model = CultureProjectPage

    index = IndexFactory(parent=home_page, slug_sv="kultur", slug_en="culture")
    return ProjectFactory(parent=index, slug_sv="projekt", slug_en="project", **fields)


def event(home_page, **fields):
    from tests.factories.events import EventIndexPageFactory, EventPageFactory

    calendar = EventIndexPageFactory(parent=home_page)
    return EventPageFactory(parent=calendar, slug_sv="evenemang", slug_en="event", **fields)


def home(home_page, **fields):
    for name, value in fields.items():
        setattr(home_page, name, value)
    home_page.save()
    return home_page


HERO_PAGES = {
    "story": (story, "/sv/nyheter/nyhet/", "/en/news/story/", ".story-hero img", "hero"),
    "standard": (standard_page, "/sv/om/", "/en/about/", ".page-hero img", "hero"),
    "culture": (culture_project, "/sv/kultur/projekt/", "/en/culture/project/",
                ".project-hero img, .page-hero img, figure img", "hero"),
    "winner": (winner, "/sv/flemingsberg-science-award/pristagare/",
               "/en/flemingsberg-science-award/winner/", "figure img", "image"),
    "home": (home, "/sv/", "/en/", ".hero-image", "hero"),
    "event": (event, "/sv/kalendarium/evenemang/", "/en/events/event/", ".event-hero img", "hero"),
}  # fmt: skip


def hero_fields(prefix, image, alt_sv="", alt_en="", decorative=False):
    image_field = "hero_image" if prefix == "hero" else "image"
    return {
        image_field: image,
        f"{prefix}_alt_text_sv": alt_sv,
        f"{prefix}_alt_text_en": alt_en,
        f"{prefix}_decorative": decorative,
    }


@pytest.mark.parametrize("page_type", list(HERO_PAGES))
def test_a_hero_takes_the_text_written_for_the_page_in_each_language(
    client, home_page, image, page_type
):
    make, sv, en, selector, prefix = HERO_PAGES[page_type]
    make(home_page, **hero_fields(prefix, image, "Studenter på torget", "Students in the square"))
    assert hero_alt(client, sv, selector) == "Studenter på torget"
    assert hero_alt(client, en, selector) == "Students in the square"


@pytest.mark.parametrize("page_type", list(HERO_PAGES))
def test_a_hero_without_text_of_its_own_takes_the_images_description(
    client, home_page, image, page_type
):
    make, sv, en, selector, prefix = HERO_PAGES[page_type]
    make(home_page, **hero_fields(prefix, image))
    assert hero_alt(client, sv, selector) == DESCRIPTION
    assert hero_alt(client, en, selector) == DESCRIPTION


@pytest.mark.parametrize("page_type", list(HERO_PAGES))
def test_a_decorative_hero_has_an_empty_alt_in_both_languages(client, home_page, image, page_type):
    make, sv, en, selector, prefix = HERO_PAGES[page_type]
    make(home_page, **hero_fields(prefix, image, "Studenter", "Students", decorative=True))
    assert hero_alt(client, sv, selector) == ""
    assert hero_alt(client, en, selector) == ""


def test_an_english_page_without_english_text_or_description_falls_back_on_swedish(
    client, home_page
):
    bare = ImageFactory(description="")
    story(home_page, **hero_fields("hero", bare, "Studenter på torget"))
    assert hero_alt(client, "/en/news/story/", ".story-hero img") == "Studenter på torget"


def test_an_english_page_without_english_text_prefers_the_description(client, home_page, image):
    story(home_page, **hero_fields("hero", image, "Studenter på torget"))
    assert hero_alt(client, "/en/news/story/", ".story-hero img") == DESCRIPTION


def test_a_page_shown_in_swedish_at_its_english_address_keeps_the_swedish_text(
    client, home_page, image
):
    story(home_page, title_en="", **hero_fields("hero", image, "Studenter på torget"))
    assert hero_alt(client, "/en/news/story/", ".story-hero img") == "Studenter på torget"


def image_block(image, alt_text="", decorative=False):
    return ("image", {"image": image, "alt_text": alt_text, "decorative": decorative,
                      "caption": "", "credit": ""})  # fmt: skip


@pytest.mark.parametrize(
    "block_sv, block_en, expected_sv, expected_en",
    [
        ({"alt_text": "Forskare i labbet"}, {"alt_text": "Researchers in the lab"},
         "Forskare i labbet", "Researchers in the lab"),
        ({}, {}, DESCRIPTION, DESCRIPTION),
        ({"alt_text": "Forskare", "decorative": True}, {"decorative": True}, "", ""),
    ],
    ids=["written", "description", "decorative"],
)  # fmt: skip
def test_image_blocks_and_galleries_follow_the_same_rule(
    client, home_page, image, block_sv, block_en, expected_sv, expected_en
):
    def body(settings):
        gallery = {"heading": "", "images": [image_block(image, **settings)[1]]}
        return [image_block(image, **settings), ("gallery", gallery)]

    StandardPageFactory(
        parent=home_page,
        slug_sv="om",
        slug_en="about",
        body_sv=body(block_sv),
        body_en=body(block_en),
    )
    for url, expected in [("/sv/om/", expected_sv), ("/en/about/", expected_en)]:
        page = soup(client.get(url))
        assert page.select_one(".block-image img")["alt"] == expected
        assert page.select_one(".block-gallery img")["alt"] == expected


# --- the editor ------------------------------------------------------------------


@pytest.fixture(params=["sv", "en"])
def editor(request, client, django_user_model):
    user = django_user_model.objects.create_superuser("editor", "editor@example.com", "secret")
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = request.param
    profile.save()
    client.force_login(user)
    client.language = request.param
    return client


RULE = {
    "sv": "Lämnas fältet tomt används bildens egen beskrivning (Bilder › Beskrivning).",
    "en": "Left empty, the image's own description (Images › Description) is used.",
}
MISSING = {
    "sv": "Beskriv bilden eller markera den som dekorativ.",
    "en": "Describe the image, or mark it as decorative.",
}


def test_every_hero_offers_alternative_text_per_language_with_the_rule(editor, home_page, news):
    award = AwardPageFactory(parent=home_page)
    calendar = EventIndexPageFactory(parent=home_page)
    forms = {
        f"/admin/pages/add/home/standardpage/{home_page.pk}/": "hero",
        f"/admin/pages/{home_page.pk}/edit/": "hero",
        f"/admin/pages/add/stories/storypage/{news.pk}/": "hero",
        f"/admin/pages/add/awards/awardwinnerpage/{award.pk}/": "image",
        f"/admin/pages/add/events/eventpage/{calendar.pk}/": "hero",
    }
    for url, prefix in forms.items():
        page = soup(editor.get(url))
        for code in ("sv", "en"):
            field = page.select_one(f"[name={prefix}_alt_text_{code}]")
            assert field is not None, (url, code)
            wrapper = field.find_parent(attrs={"data-field-wrapper": True})
            assert RULE[editor.language] in wrapper.get_text(" ", strip=True)
        assert page.select_one(f"input[type=checkbox][name={prefix}_decorative]") is not None


def story_form(image, publish, **fields):
    data = {
        "title_sv": "Bildnyhet",
        "title_en": "",
        "slug_sv": "bildnyhet",
        "slug_en": "",
        "date": "2025-11-12",
        "hero_image": str(image.pk),
        "hero_alt_text_sv": "",
        "hero_alt_text_en": "",
        "body_sv": streamfield([]),
        "body_en": streamfield([]),
        "related_stories": inline_formset([]),
    }
    if publish:
        data["action-publish"] = "publish"
    data.update(fields)
    return nested_form_data(data)


def test_publishing_a_hero_with_no_alternative_text_at_all_asks_for_one(editor, news):
    bare = ImageFactory(description="")
    url = f"/admin/pages/add/stories/storypage/{news.pk}/"
    response = editor.post(url, story_form(bare, publish=True))
    assert response.status_code == 200
    field = soup(response).select_one("[name=hero_alt_text_sv]")
    wrapper = field.find_parent(attrs={"data-field-wrapper": True})
    assert MISSING[editor.language] in wrapper.select_one(".error-message").get_text(strip=True)
    assert not StoryPage.objects.exists()

    # A draft may wait; publishing with the image marked decorative goes through.
    assert editor.post(url, story_form(bare, publish=False)).status_code == 302
    story = StoryPage.objects.get()
    edit = f"/admin/pages/{story.pk}/edit/"
    response = editor.post(edit, story_form(bare, publish=True, hero_decorative="on"))
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.live and story.hero_decorative


def test_publishing_a_hero_whose_image_has_a_description_needs_nothing_more(editor, news, image):
    url = f"/admin/pages/add/stories/storypage/{news.pk}/"
    assert editor.post(url, story_form(image, publish=True)).status_code == 302
    assert StoryPage.objects.get().live


def test_an_image_block_without_text_takes_the_description_when_published(editor, home_page, image):
    bare = ImageFactory(description="")

    def form(block_image):
        return nested_form_data(
            {
                "title_sv": "Om oss",
                "title_en": "",
                "slug_sv": "om-oss",
                "slug_en": "",
                "body_sv": streamfield([image_block(block_image.pk)]),
                "body_en": streamfield([]),
                "action-publish": "publish",
            }
        )

    url = f"/admin/pages/add/home/standardpage/{home_page.pk}/"
    response = editor.post(url, form(bare))
    assert response.status_code == 200
    assert MISSING[editor.language] in response.content.decode()
    assert editor.post(url, form(image)).status_code == 302


def test_an_event_image_left_without_text_before_stays_decorative(home_page, image):
    """The events migration: an empty alternative text meant decorative, and still does."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module(
        "events.migrations.0008_event_alt_text_rule_and_undated_drafts"
    )
    bare = event(home_page, hero_image=image, hero_alt_text_sv="")
    described = EventPageFactory(
        parent=bare.get_parent(), hero_image=image, hero_alt_text_sv="Aulan"
    )
    migration.empty_alt_text_meant_decorative(apps, None)
    bare.refresh_from_db()
    described.refresh_from_db()
    assert bare.hero_decorative and not described.hero_decorative
    assert bare.hero_alt == ""
