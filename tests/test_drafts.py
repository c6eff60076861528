"""A half-written page can be parked as a draft: the facts a page type requires (a
story's date; a winner's year, category and name; a timeline's milestone dates; an
award's categories) may wait until publishing, which asks for each of them in the
editor's language and keeps everything typed."""

import pytest
from bs4 import BeautifulSoup
from django import forms
from django.utils import translation
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield
from wagtail.users.models import UserProfile

from awards.models import AwardPage, AwardWinnerPage
from stories.models import StoryPage, TimelinePage
from tests.factories.awards import AwardCategoryFactory, AwardPageFactory
from tests.factories.stories import StoryIndexPageFactory, StoryPageFactory

pytestmark = pytest.mark.django_db

LANGUAGES = ["sv", "en"]


@pytest.fixture(params=LANGUAGES)
def editor(request, client, django_user_model):
    """A client logged in as an editor whose admin speaks ``editor.language``."""
    user = django_user_model.objects.create_superuser("editor", "editor@example.com", "secret")
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = request.param
    profile.save()
    client.force_login(user)
    client.language = request.param
    return client


def required_message(language):
    with translation.override(language):
        return str(forms.Field.default_error_messages["required"])


def soup(response):
    return BeautifulSoup(response.content.decode(), "html.parser")


def field_errors(response):
    """{field name: its error messages} as the refused form shows them."""
    errors = {}
    for wrapper in soup(response).select("[data-field-wrapper]"):
        messages = [m.get_text(" ", strip=True) for m in wrapper.select(".error-message")]
        control = wrapper.select_one("input[name], select[name], textarea[name]")
        if messages and control is not None:
            errors[control["name"]] = messages
    return errors


def form_values(response):
    page = soup(response)
    values = {node["name"]: node.get("value", "") for node in page.select("input[name]")}
    # A browser drops the newline that follows <textarea>.
    values.update(
        {node["name"]: node.get_text().removeprefix("\n") for node in page.select("textarea[name]")}
    )
    return values


def publish(data):
    return {**data, "action-publish": "publish"}


# --- stories ------------------------------------------------------------------


def story_form(**fields):
    data = {
        "title_sv": "Halvskriven nyhet",
        "title_en": "Half-written story",
        "slug_sv": "halvskriven-nyhet",
        "slug_en": "half-written-story",
        "date": "",
        "lead_sv": "Ingressen är redan skriven.",
        "lead_en": "The lead is written already.",
        "hero_alt_text_sv": "",
        "hero_alt_text_en": "",
        "body_sv": streamfield([]),
        "body_en": streamfield([]),
        "related_stories": inline_formset([]),
    }
    data.update(fields)
    return nested_form_data(data)


@pytest.fixture
def news(home_page):
    return StoryIndexPageFactory(parent=home_page)


def test_a_story_without_its_date_saves_as_a_draft_and_publishing_asks_for_it(editor, news):
    url = f"/admin/pages/add/stories/storypage/{news.pk}/"
    response = editor.post(url, story_form())
    assert response.status_code == 302
    story = StoryPage.objects.get(slug_sv="halvskriven-nyhet")
    assert not story.live and story.date is None
    assert story.get_latest_revision_as_object().lead_en == "The lead is written already."

    # Publishing it as it is: refused, the date named, every word kept.
    edit_url = f"/admin/pages/{story.pk}/edit/"
    response = editor.post(edit_url, publish(story_form()))
    assert response.status_code == 200
    assert field_errors(response) == {"date": [required_message(editor.language)]}
    assert soup(response).html["lang"] == editor.language
    kept = form_values(response)
    assert kept["title_en"] == "Half-written story"
    assert kept["lead_sv"] == "Ingressen är redan skriven."
    story.refresh_from_db()
    assert not story.live

    # With its date it goes live.
    response = editor.post(edit_url, publish(story_form(date="2025-11-12")))
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.live and story.date.isoformat() == "2025-11-12"
    assert editor.get("/en/news/half-written-story/").status_code == 200


def test_a_live_story_keeps_its_date_while_a_draft_without_one_waits(editor, news):
    story = StoryPageFactory(parent=news, slug_sv="publicerad", slug_en="published")
    published_date = story.date
    response = editor.post(
        f"/admin/pages/{story.pk}/edit/",
        story_form(slug_sv="publicerad", slug_en="published", lead_en="A new lead, unfinished."),
    )
    assert response.status_code == 302
    story.refresh_from_db()
    # Readers still see the published story with its date; the draft waits.
    assert story.live and story.date == published_date and story.has_unpublished_changes
    draft = story.get_latest_revision_as_object()
    assert draft.date is None and draft.lead_en == "A new lead, unfinished."
    page = soup(editor.get("/en/news/published/"))
    assert page.select_one("time")["datetime"] == published_date.isoformat()


# --- award winners ------------------------------------------------------------


@pytest.fixture
def award(home_page):
    return AwardPageFactory(parent=home_page)


@pytest.fixture
def idea(award):
    return AwardCategoryFactory(programme=award, name_sv="IDEA", name_en="IDEA")


def winner_form(**fields):
    data = {
        "title_sv": "Pristagare i arbete",
        "title_en": "Winner in progress",
        "slug_sv": "pristagare-i-arbete",
        "slug_en": "winner-in-progress",
        "year": "",
        "category": "",
        "winner_name": "",
        "winner_kind": "organisation",
        "lead_sv": "",
        "lead_en": "",
        "motivation_sv": "Juryns motivering, halvfärdig.",
        "motivation_en": "",
        "image_alt_text_sv": "",
        "image_alt_text_en": "",
        "body_sv": streamfield([]),
        "body_en": streamfield([]),
    }
    data.update(fields)
    return nested_form_data(data)


def test_a_winner_without_year_category_and_name_saves_as_a_draft(editor, award, idea):
    url = f"/admin/pages/add/awards/awardwinnerpage/{award.pk}/"
    response = editor.post(url, winner_form())
    assert response.status_code == 302
    winner = AwardWinnerPage.objects.get(slug_sv="pristagare-i-arbete")
    assert not winner.live
    assert (winner.year, winner.category, winner.winner_name) == (None, None, "")
    assert winner.motivation_sv == "Juryns motivering, halvfärdig."

    edit_url = f"/admin/pages/{winner.pk}/edit/"
    response = editor.post(edit_url, publish(winner_form()))
    assert response.status_code == 200
    required = [required_message(editor.language)]
    assert field_errors(response) == {
        "year": required,
        "category": required,
        "winner_name": required,
    }
    assert form_values(response)["title_en"] == "Winner in progress"
    assert form_values(response)["motivation_sv"] == "Juryns motivering, halvfärdig."

    filled = {"year": "2025", "category": str(idea.pk), "winner_name": "Forskargruppen"}
    response = editor.post(edit_url, publish(winner_form(**filled)))
    assert response.status_code == 302
    winner.refresh_from_db()
    assert winner.live and winner.year == 2025 and winner.category == idea
    assert editor.get("/en/flemingsberg-science-award/winner-in-progress/").status_code == 200


def test_an_award_without_categories_saves_as_a_draft_and_publishing_asks_for_one(
    editor, home_page
):
    def award_form(categories, **fields):
        data = {
            "title_sv": "Nytt pris",
            "title_en": "New award",
            "slug_sv": "nytt-pris",
            "slug_en": "new-award",
            "lead_sv": "Ett pris som ännu saknar kategorier.",
            "lead_en": "",
            "description_sv": streamfield([]),
            "description_en": streamfield([]),
            "how_to_nominate_sv": streamfield([]),
            "how_to_nominate_en": streamfield([]),
            "categories": inline_formset(categories),
        }
        data.update(fields)
        return nested_form_data(data)

    url = f"/admin/pages/add/awards/awardpage/{home_page.pk}/"
    response = editor.post(url, award_form([]))
    assert response.status_code == 302
    award = AwardPage.objects.get(slug_sv="nytt-pris")
    assert not award.live and award.categories.count() == 0

    edit_url = f"/admin/pages/{award.pk}/edit/"
    response = editor.post(edit_url, publish(award_form([])))
    assert response.status_code == 200
    with translation.override(editor.language):
        expected = translation.ngettext(
            "Please submit at least %(num)d form.", "Please submit at least %(num)d forms.", 1
        ) % {"num": 1}
    messages = [node.get_text(strip=True) for node in soup(response).select(".error-message")]
    assert expected in messages
    assert form_values(response)["lead_sv"] == "Ett pris som ännu saknar kategorier."

    category = {"name_sv": "Idé", "name_en": "Idea", "slug_sv": "ide", "slug_en": "idea",
                "description_sv": "", "description_en": ""}  # fmt: skip
    response = editor.post(edit_url, publish(award_form([category])))
    assert response.status_code == 302
    award.refresh_from_db()
    assert award.live and [c.name_sv for c in award.categories.all()] == ["Idé"]


# --- timelines ----------------------------------------------------------------


def timeline_form(milestone_date, era_start, milestone_id="", era_id=""):
    data = {
        "title_sv": "Tidslinje i arbete",
        "title_en": "Timeline in progress",
        "slug_sv": "tidslinje-i-arbete",
        "slug_en": "timeline-in-progress",
        "lead_sv": "",
        "lead_en": "",
        "intro_sv": streamfield([]),
        "intro_en": streamfield([]),
        "sort_chronologically": "on",
        "milestones": inline_formset(
            [
                {
                    "date": milestone_date,
                    "date_precision": "year",
                    "title_sv": "Ett datum som ska letas fram",
                    "title_en": "",
                    "text_sv": rich_text("<p>Texten är skriven.</p>"),
                    "text_en": rich_text(""),
                    "image_alt_text_sv": "",
                    "image_alt_text_en": "",
                    "id": milestone_id,
                }
            ],
            initial=1 if milestone_id else 0,
        ),
        "eras": inline_formset(
            [
                {
                    "title_sv": "Början",
                    "title_en": "",
                    "start_year": era_start,
                    "end_year": "",
                    "id": era_id,
                }
            ],
            initial=1 if era_id else 0,
        ),  # fmt: skip
    }
    return nested_form_data(data)


def test_a_timeline_with_undated_milestones_saves_as_a_draft_and_previews(editor, home_page):
    url = f"/admin/pages/add/stories/timelinepage/{home_page.pk}/"
    response = editor.post(url, timeline_form("", ""))
    assert response.status_code == 302
    timeline = TimelinePage.objects.get(slug_sv="tidslinje-i-arbete")
    milestone = timeline.milestones.get()
    assert milestone.date is None and milestone.title_sv == "Ett datum som ska letas fram"
    assert timeline.eras.get().start_year is None

    # The draft can be looked at: the undated milestone waits outside the timeline.
    preview = editor.get(f"/admin/pages/{timeline.pk}/view_draft/")
    assert preview.status_code == 200
    assert "Ett datum som ska letas fram" not in preview.content.decode()

    edit_url = f"/admin/pages/{timeline.pk}/edit/"
    undated = timeline_form("", "", milestone_id=milestone.pk, era_id=timeline.eras.get().pk)
    response = editor.post(edit_url, publish(undated))
    assert response.status_code == 200
    required = [required_message(editor.language)]
    errors = field_errors(response)
    assert errors["milestones-0-date"] == required
    assert errors["eras-0-start_year"] == required
    assert form_values(response)["milestones-0-title_sv"] == "Ett datum som ska letas fram"

    era = timeline.eras.get()
    dated = timeline_form("1975-01-01", "1970", milestone_id=milestone.pk, era_id=era.pk)
    response = editor.post(edit_url, publish(dated))
    assert response.status_code == 302
    timeline.refresh_from_db()
    assert timeline.live and timeline.milestones.get().date.year == 1975


# --- events ---------------------------------------------------------------------


def event_form(**fields):
    data = {
        "title_sv": "Halvplanerat seminarium",
        "title_en": "Half-planned seminar",
        "slug_sv": "halvplanerat-seminarium",
        "slug_en": "half-planned-seminar",
        "status": "scheduled",
        "start_date": "",
        "start_time": "",
        "end_date": "",
        "end_time": "",
        "repeat_frequency": "",
        "repeat_interval": "1",
        "place_name_sv": "Campus Flemingsberg",
        "place_name_en": "Campus Flemingsberg",
        "hero_alt_text_sv": "",
        "hero_alt_text_en": "",
        "body_sv": streamfield([]),
        "body_en": streamfield([]),
        "organisers": inline_formset([]),
        "sessions": inline_formset([]),
        "date_changes": inline_formset([]),
    }
    data.update(fields)
    return nested_form_data(data)


def test_an_event_without_its_date_saves_as_a_draft_and_publishing_asks_for_it(editor, calendar):
    from events.models import EventOccurrence, EventPage

    url = f"/admin/pages/add/events/eventpage/{calendar.pk}/"
    # Dated first, then the date taken out again: the draft has no dates left.
    assert editor.post(url, event_form(start_date="2030-05-04")).status_code == 302
    event = EventPage.objects.get(slug_sv="halvplanerat-seminarium")
    assert EventOccurrence.objects.filter(page=event).count() == 1
    edit_url = f"/admin/pages/{event.pk}/edit/"
    # An end time without a start time may wait too.
    assert editor.post(edit_url, event_form(end_time="15:00")).status_code == 302
    event.refresh_from_db()
    assert not event.live and event.start_date is None and event.starts_at is None
    assert not EventOccurrence.objects.filter(page=event).exists()

    response = editor.post(edit_url, publish(event_form(end_time="15:00")))
    assert response.status_code == 200
    assert field_errors(response)["start_date"] == [required_message(editor.language)]
    assert form_values(response)["title_en"] == "Half-planned seminar"
    event.refresh_from_db()
    assert not event.live

    published = event_form(start_date="2030-05-04", start_time="10:00", end_time="15:00")
    assert editor.post(edit_url, publish(published)).status_code == 302
    event.refresh_from_db()
    assert event.live and event.start_date.isoformat() == "2030-05-04"
    assert EventOccurrence.objects.filter(page=event).count() == 1


@pytest.mark.parametrize("mode", LANGUAGES)
def test_an_undated_repeating_event_previews_without_dates(editor, calendar, mode):
    url = f"/admin/pages/add/events/eventpage/{calendar.pk}/preview/"
    draft = event_form(repeat_frequency="weekly", repeat_until="2030-06-01", end_time="13:00")
    response = editor.post(url, draft)
    assert response.status_code == 200 and response.json()["is_valid"]
    response = editor.get(f"{url}?mode={mode}")
    assert response.status_code == 200
    page = soup(response)
    assert (
        page.h1.get_text(strip=True)
        == {
            "sv": "Halvplanerat seminarium",
            "en": "Half-planned seminar",
        }[mode]
    )
    # No date, no dates to come, nothing to add to a calendar: the rest of the facts.
    assert page.select_one(".fact-when") is None
    assert page.select_one(".event-dates") is None
    assert page.select_one(".fact-calendar") is None
    assert page.select_one(".fact-where") is not None


# --- a Publish click that races autosave ----------------------------------------------


def autosave(client, url, data):
    """What Wagtail's autosave posts: the add form as it is, asking for JSON."""
    response = client.post(url, data, HTTP_ACCEPT="application/json")
    assert response.status_code == 200 and response.json()["success"], response.content
    return response.json()["pk"]


def test_publishing_right_after_autosave_created_the_page_publishes_that_page(editor, calendar):
    from events.models import EventDateChange, EventOccurrence, EventPage

    url = f"/admin/pages/add/events/eventpage/{calendar.pk}/"
    typed = event_form(
        start_date="2030-03-19", start_time="12:00", end_time="13:00",
        repeat_frequency="weekly", repeat_until="2030-04-09",
        date_changes=inline_formset([{"date": "2030-03-26", "kind": "cancelled"}]),
    )  # fmt: skip
    created = autosave(editor, url, typed)
    # The click reached the add form before autosave's answer turned it into an edit form.
    response = editor.post(url, publish(typed))
    assert response.status_code == 302, field_errors(response)
    event = EventPage.objects.get()
    assert event.pk == created and event.live
    assert event.slug_sv == "halvplanerat-seminarium" and event.slug_en == "half-planned-seminar"
    # The cancelled date once, not once per submission.
    assert [change.date.isoformat() for change in EventDateChange.objects.all()] == ["2030-03-26"]
    assert EventOccurrence.objects.filter(page=event).count() == 4
    assert editor.get("/sv/kalendarium/halvplanerat-seminarium/").status_code == 200


def test_saving_a_draft_right_after_autosave_keeps_one_draft(editor, news):
    url = f"/admin/pages/add/stories/storypage/{news.pk}/"
    created = autosave(editor, url, story_form())
    response = editor.post(url, story_form(lead_sv="Ingressen, ändrad."))
    assert response.status_code == 302
    story = StoryPage.objects.get()
    assert story.pk == created and not story.live
    assert story.get_latest_revision_as_object().lead_sv == "Ingressen, ändrad."


def test_a_page_the_editor_saved_is_never_taken_for_the_one_autosave_created(editor, news):
    url = f"/admin/pages/add/stories/storypage/{news.pk}/"
    assert editor.post(url, story_form()).status_code == 302  # "Save draft" clicked
    # A second new page with the same address is a second page: refused as before.
    response = editor.post(url, publish(story_form(date="2025-11-12")))
    assert response.status_code == 200
    assert "slug_sv" in field_errors(response)
    assert StoryPage.objects.count() == 1
