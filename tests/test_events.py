"""The calendar: event pages and their index in both languages, dates and times in
Swedish time (summer and winter), iCalendar downloads and feeds, JSON-LD, the
calendar block, search, the sitemap, the seed, and a page cache that lets an event
move to the past listing by itself when it ends."""

import datetime
import json
import zoneinfo

import icalendar
import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from wagtail.models import Page
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield
from wagtail.users.models import UserProfile

from events.models import EventIndexPage, EventPage
from home.models import HomePage
from portal import page_cache
from portal.search.models import PageSearchEntry
from stories.models import Partner, StoryPage
from tests.factories.base import ImageFactory
from tests.factories.events import EventPageFactory
from tests.factories.home import StandardPageFactory
from tests.factories.stories import StoryIndexPageFactory, StoryPageFactory, TopicFactory

pytestmark = pytest.mark.django_db

STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")
WINTER = datetime.date(2025, 1, 22)
SUMMER = datetime.date(2025, 7, 1)


def soup(response):
    return BeautifulSoup(response.content.decode(), "html.parser")


def stockholm(*args):
    return datetime.datetime(*args, tzinfo=STOCKHOLM)


def cache_state(response):
    return response.headers.get(page_cache.HEADER)


def event(calendar, **fields):
    return EventPageFactory(parent=calendar, **fields)


def titles(response, selector=".event-list .card-title"):
    assert response.status_code == 200
    return [node.get_text(strip=True) for node in soup(response).select(selector)]


# --- the model: times, validation, the UID ------------------------------------------


def test_times_are_entered_in_swedish_time_and_stored_in_utc_winter_and_summer(calendar):
    winter = event(
        calendar, start_date=WINTER, start_time=datetime.time(13), end_time=datetime.time(17)
    )
    summer = event(
        calendar, start_date=SUMMER, start_time=datetime.time(13), end_time=datetime.time(17)
    )
    utc = datetime.UTC
    assert winter.starts_at == datetime.datetime(2025, 1, 22, 12, tzinfo=utc)
    assert winter.ends_at == datetime.datetime(2025, 1, 22, 16, tzinfo=utc)
    assert summer.starts_at == datetime.datetime(2025, 7, 1, 11, tzinfo=utc)
    assert summer.ends_at == datetime.datetime(2025, 7, 1, 15, tzinfo=utc)
    winter.refresh_from_db()
    assert (winter.start_time, winter.end_time) == (datetime.time(13), datetime.time(17))


def test_an_all_day_event_lasts_whole_swedish_days(calendar):
    one_day = event(calendar, start_date=WINTER)
    assert one_day.is_all_day
    assert one_day.starts_at == stockholm(2025, 1, 22)
    assert one_day.ends_at == stockholm(2025, 1, 23)
    # Over the night summer time begins: the last day is 23 hours long.
    weekend = event(
        calendar, start_date=datetime.date(2025, 3, 29), end_date=datetime.date(2025, 3, 30)
    )
    assert weekend.ends_at - weekend.starts_at == datetime.timedelta(hours=47)


def invalid(calendar, language, **fields):
    defaults = {
        "title": "Fel",
        "slug": "fel",
        "start_date": WINTER,
        "place_name": "Campus Flemingsberg",
    }
    page = EventPage(**{**defaults, **fields})
    page.path, page.depth = calendar.path + "0001", calendar.depth + 1
    with translation.override(language):
        with pytest.raises(ValidationError) as error:
            page.clean()
        return {field: [str(message) for message in messages]
                for field, messages in error.value.message_dict.items()}  # fmt: skip


@pytest.mark.parametrize(
    "fields, field, english, swedish",
    [
        ({"end_date": datetime.date(2025, 1, 21)}, "end_date",
         "The end cannot be before the start.", "Slutet kan inte ligga före starten."),
        ({"start_time": datetime.time(13), "end_time": datetime.time(12)}, "end_time",
         "The end cannot be before the start.", "Slutet kan inte ligga före starten."),
        ({"end_time": datetime.time(17)}, "start_time",
         "Give the start time too", "Ange starttiden också"),
        ({"start_time": datetime.time(9), "end_date": datetime.date(2025, 1, 23)}, "end_time",
         "Give the end time too", "Ange sluttiden också"),
        ({"start_date": datetime.date(2025, 3, 30), "start_time": datetime.time(2, 30)},
         "start_time", "does not exist in Swedish time", "finns inte i svensk tid"),
        ({"registration_deadline": datetime.date(2025, 1, 23)}, "registration_deadline",
         "cannot be after the event starts", "kan inte ligga efter att evenemanget börjar"),
        ({"place_name": ""}, "place_name",
         "Give a place, an online link, or both.", "Ange en plats, en länk för att delta online"),
        ({"place_name": "", "place_address": "Alfred Nobels allé 8"}, "place_name",
         "Name the place", "Ange namnet på platsen"),
        ({"is_free": True, "price": "100 kr"}, "price",
         "A free event has no price", "Ett kostnadsfritt evenemang har inget pris"),
    ],
)  # fmt: skip
def test_validation_in_the_editors_language(calendar, fields, field, english, swedish):
    assert any(english in message for message in invalid(calendar, "en", **fields)[field])
    assert any(swedish in message for message in invalid(calendar, "sv", **fields)[field])


def test_an_online_event_needs_no_place_and_a_deadline_may_be_the_first_day(calendar):
    online = event(calendar, place_name_sv="", place_name_en="", online_url="https://example.org/live",
                   registration_deadline=datetime.date(2030, 3, 1), start_date=datetime.date(2030, 3, 1))  # fmt: skip
    assert online.live and online.attendance_mode == "OnlineEventAttendanceMode"


def test_the_uid_is_set_once_kept_through_edits_and_not_copied(calendar):
    page = event(calendar, title_sv="Symposium", slug_sv="symposium")
    uid = page.uid
    page.title_sv = "Symposium (ny tid)"
    page.start_date = datetime.date(2030, 4, 2)
    page.save_revision().publish()
    page.refresh_from_db()
    assert page.uid == uid
    copy = page.copy(
        update_attrs={"slug_sv": "symposium-2", "slug_en": "symposium-2", "slug": "symposium-2"}
    )
    assert copy.specific.uid != uid


# --- the index ---------------------------------------------------------------------


@pytest.fixture
def season(calendar, clock):
    """Past, ongoing and coming events around 1 March 2030 at noon, Swedish time."""
    clock.set(stockholm(2030, 3, 1, 12))
    return {
        "past": event(calendar, title_sv="Förra året", title_en="Last year",
                      start_date=datetime.date(2029, 2, 1)),
        "ongoing": event(calendar, title_sv="Pågår", title_en="Ongoing",
                         start_date=datetime.date(2030, 3, 1), start_time=datetime.time(9),
                         end_time=datetime.time(16)),
        "later": event(calendar, title_sv="Senare", title_en="Later",
                       start_date=datetime.date(2030, 5, 20)),
        "sooner": event(calendar, title_sv="Snart", title_en="Soon",
                        start_date=datetime.date(2030, 3, 10), start_time=datetime.time(18)),
    }  # fmt: skip


def test_upcoming_events_first_in_date_order_past_on_their_own_listing(client, season):
    assert titles(client.get("/sv/kalendarium/")) == ["Pågår", "Snart", "Senare"]
    assert titles(client.get("/en/events/")) == ["Ongoing", "Soon", "Later"]
    assert titles(client.get("/sv/kalendarium/tidigare/")) == ["Förra året"]
    assert titles(client.get("/en/events/past/")) == ["Last year"]
    page = soup(client.get("/en/events/"))
    assert page.select_one(".card-status").get_text(strip=True) == "Happening now"
    assert page.select_one('a[href="/en/events/past/"]').get_text(strip=True) == "Past events"
    swedish = soup(client.get("/sv/kalendarium/"))
    assert swedish.select_one(".card-status").get_text(strip=True) == "Pågår nu"
    assert swedish.html["lang"] == "sv"
    # Each language has its own word for the past listing.
    assert client.get("/sv/kalendarium/past/").status_code == 404
    assert client.get("/en/events/tidigare/").status_code == 404


def test_the_past_listing_is_paginated_newest_first(client, calendar, clock):
    clock.set(stockholm(2030, 3, 1, 12))
    for day in range(14):
        event(
            calendar,
            title_sv=f"Dag {day}",
            start_date=datetime.date(2029, 1, 1) + datetime.timedelta(days=day),
        )
    first = titles(client.get("/sv/kalendarium/tidigare/"))
    assert first[:2] == ["Dag 13", "Dag 12"] and len(first) == EventIndexPage.EVENTS_PER_PAGE
    assert titles(client.get("/sv/kalendarium/tidigare/?page=2")) == ["Dag 1", "Dag 0"]
    assert titles(client.get("/sv/kalendarium/tidigare/?page=x")) == first
    assert client.get("/sv/kalendarium/tidigare/?page=3").status_code == 404
    assert (
        "Sida 1 av 2"
        in soup(client.get("/sv/kalendarium/tidigare/")).select_one(".pagination").get_text()
    )


def test_month_filter_with_readable_addresses_in_each_language(client, season):
    assert titles(client.get("/sv/kalendarium/?manad=2030-03")) == ["Pågår", "Snart"]
    assert titles(client.get("/en/events/?month=2030-05")) == ["Later"]
    # A past month lists its events too; either language's name is understood.
    assert titles(client.get("/sv/kalendarium/?month=2029-02")) == ["Förra året"]
    heading = soup(client.get("/sv/kalendarium/?manad=2030-03")).select_one(
        "#event-listing-heading"
    )
    assert heading.get_text(strip=True) == "Mars 2030"
    empty = soup(client.get("/en/events/?month=2031-01"))
    assert (
        empty.select_one(".no-events").get_text(strip=True)
        == "There are no events in January 2031."
    )
    months = soup(client.get("/sv/kalendarium/")).select(".event-months a")
    assert [(a.get_text(strip=True), a["href"]) for a in months] == [
        ("Mars 2030", "/sv/kalendarium/?manad=2030-03"),
        ("Maj 2030", "/sv/kalendarium/?manad=2030-05"),
    ]
    english = soup(client.get("/en/events/")).select(".event-months a")
    assert english[0]["href"] == "/en/events/?month=2030-03"


@pytest.mark.parametrize(
    "query", ["manad=2030-13", "manad=2030-3", "manad=mars", "manad=0999-01", "manad=9999-12",
              "month=2030-00", "manad=" + "9" * 5000, "manad=2030-03%00", "amne=finns-inte",
              "amne=%00", "amne=" + "a" * 200, "topic=<script>", "page=99"],
)  # fmt: skip
def test_bad_filter_values_answer_404_never_500(client, season, query):
    assert client.get(f"/sv/kalendarium/?{query}").status_code == 404


def test_topic_filter_by_the_topics_slug_in_each_language(client, season):
    topic = TopicFactory(
        name_sv="Cellterapi", name_en="Cell therapy", slug_sv="cellterapi", slug_en="cell-therapy"
    )
    for page in (season["later"], season["past"]):
        page.topics.set([topic])
        page.save_revision().publish()
    assert titles(client.get("/sv/kalendarium/?amne=cellterapi")) == ["Senare"]
    assert titles(client.get("/en/events/?topic=cell-therapy")) == ["Later"]
    assert titles(client.get("/en/events/past/?topic=cell-therapy")) == ["Last year"]
    # A link shared across languages still finds the topic.
    assert titles(client.get("/en/events/?topic=cellterapi")) == ["Later"]
    nav = soup(client.get("/sv/kalendarium/")).select(".event-topics a")
    assert [(a.get_text(strip=True), a["href"]) for a in nav] == [
        ("Alla ämnen", "/sv/kalendarium/"),
        ("Cellterapi", "/sv/kalendarium/?amne=cellterapi"),
    ]
    assert titles(client.get("/sv/kalendarium/?manad=2030-05&amne=cellterapi")) == ["Senare"]
    assert titles(client.get("/sv/kalendarium/?manad=2030-03&amne=cellterapi")) == []


# --- moving to the past by itself, with the page cache --------------------------------


def test_an_event_that_ends_moves_to_the_past_listing_by_itself(client, calendar, clock):
    clock.set(stockholm(2030, 3, 1, 12))
    event(calendar, title_sv="Seminarium", start_date=datetime.date(2030, 3, 1),
          start_time=datetime.time(13), end_time=datetime.time(17))  # fmt: skip
    upcoming, past = "/sv/kalendarium/", "/sv/kalendarium/tidigare/"
    first = client.get(upcoming)
    assert cache_state(first) == "miss" and titles(first) == ["Seminarium"]
    assert titles(client.get(past)) == []
    clock.set(stockholm(2030, 3, 1, 12, 30))
    assert cache_state(client.get(upcoming)) == "hit"
    clock.set(stockholm(2030, 3, 1, 13, 30))  # it has started: the cached copy is gone
    started = client.get(upcoming)
    assert cache_state(started) == "miss"
    assert soup(started).select_one(".card-status").get_text(strip=True) == "Pågår nu"
    clock.set(stockholm(2030, 3, 1, 17, 1))  # it has ended, with no edit
    assert titles(client.get(upcoming)) == []
    assert titles(client.get(past)) == ["Seminarium"]
    feed = icalendar.Calendar.from_ical(client.get("/sv/kalendarium/ics/").content)
    assert list(feed.walk("VEVENT")) == []


@pytest.mark.parametrize("page_cache_on", [True, False])
def test_the_calendar_block_on_the_home_page_follows_an_ending_event(
    client, settings, home_page, calendar, clock, page_cache_on
):
    """The block sits in the home page's body, a cached fragment: the fragment, and the
    cached page, hold only until the event ends."""
    settings.PORTAL_PAGE_CACHE = page_cache_on
    clock.set(stockholm(2030, 3, 1, 12))
    event(calendar, title_sv="Seminarium", start_date=datetime.date(2030, 3, 1),
          start_time=datetime.time(9), end_time=datetime.time(17))  # fmt: skip
    home = HomePage.objects.get(pk=home_page.pk)
    home.body_sv = home.body_en = [("upcoming_events", {"heading": "", "number": 3})]
    home.save_revision().publish()
    assert titles(client.get("/sv/"), ".block-upcoming-events .card-title") == ["Seminarium"]
    clock.set(stockholm(2030, 3, 1, 16))
    assert titles(client.get("/sv/"), ".block-upcoming-events .card-title") == ["Seminarium"]
    clock.set(stockholm(2030, 3, 1, 17, 1))
    later = client.get("/sv/")
    assert titles(later, ".block-upcoming-events .card-title") == []
    assert "Det finns inga kommande evenemang just nu." in later.content.decode()


def test_publishing_an_event_reaches_the_calendar_the_feed_and_the_home_page(
    client, home_page, calendar, clock
):
    clock.set(stockholm(2030, 3, 1, 12))
    home = HomePage.objects.get(pk=home_page.pk)
    home.body_sv = home.body_en = [("upcoming_events", {"heading": "", "number": 3})]
    home.save_revision().publish()
    urls = ["/sv/kalendarium/", "/en/events/", "/sv/kalendarium/ics/", "/en/", "/sv/"]
    for url in urls:
        client.get(url)
        assert cache_state(client.get(url)) == "hit"
    page = event(
        calendar, title_sv="Nytt seminarium", title_en="New seminar", slug_en="new-seminar"
    )
    page.save_revision().publish()
    assert titles(client.get("/sv/kalendarium/")) == ["Nytt seminarium"]
    assert titles(client.get("/en/events/")) == ["New seminar"]
    assert b"SUMMARY;LANGUAGE=sv:Nytt seminarium" in client.get("/sv/kalendarium/ics/").content
    assert titles(client.get("/en/"), ".block-upcoming-events .card-title") == ["New seminar"]
    page.unpublish()
    assert client.get("/en/events/new-seminar/").status_code == 404
    assert titles(client.get("/sv/kalendarium/")) == []


# --- dates and times as readers see them ---------------------------------------------


@pytest.mark.parametrize(
    "fields, swedish, english",
    [
        ({"start_date": WINTER}, "22 januari 2025", "22 January 2025"),
        ({"start_date": WINTER, "start_time": datetime.time(13), "end_time": datetime.time(17)},
         "22 januari 2025 kl. 13.00–17.00", "22 January 2025, 13:00–17:00"),
        ({"start_date": SUMMER, "start_time": datetime.time(18, 30)},
         "1 juli 2025 kl. 18.30", "1 July 2025, 18:30"),
        ({"start_date": WINTER, "end_date": datetime.date(2025, 1, 24)},
         "22–24 januari 2025", "22–24 January 2025"),
        ({"start_date": datetime.date(2025, 1, 30), "end_date": datetime.date(2025, 2, 2)},
         "30 januari – 2 februari 2025", "30 January – 2 February 2025"),
        ({"start_date": datetime.date(2025, 12, 30), "end_date": datetime.date(2026, 1, 2)},
         "30 december 2025 – 2 januari 2026", "30 December 2025 – 2 January 2026"),
        ({"start_date": WINTER, "start_time": datetime.time(9), "end_date": datetime.date(2025, 1, 23),
          "end_time": datetime.time(16)},
         "22 januari 2025 kl. 09.00 – 23 januari 2025 kl. 16.00",
         "22 January 2025, 09:00 – 23 January 2025, 16:00"),
    ],
)  # fmt: skip
def test_dates_and_times_read_right_in_each_language(client, calendar, fields, swedish, english):
    page = event(calendar, slug_sv="datum", slug_en="dates", **fields)
    sv = soup(client.get("/sv/kalendarium/datum/")).select_one(".event-when")
    en = soup(client.get("/en/events/dates/")).select_one(".event-when")
    assert sv.get_text() == swedish
    assert en.get_text() == english
    card = soup(client.get("/sv/kalendarium/?manad=" + page.start_date.strftime("%Y-%m")))
    assert card.select_one(".card-event .card-date").get_text() == swedish


def test_time_elements_carry_the_offset_of_winter_and_summer_time(client, calendar):
    event(
        calendar,
        slug_sv="vinter",
        start_date=WINTER,
        start_time=datetime.time(13),
        end_time=datetime.time(17),
    )
    event(
        calendar,
        slug_sv="sommar",
        start_date=SUMMER,
        start_time=datetime.time(13),
        end_time=datetime.time(17),
    )
    event(calendar, slug_sv="heldag", start_date=SUMMER)
    winter = [
        t["datetime"]
        for t in soup(client.get("/sv/kalendarium/vinter/")).select(".event-when time")
    ]
    summer = [
        t["datetime"]
        for t in soup(client.get("/sv/kalendarium/sommar/")).select(".event-when time")
    ]
    whole = [
        t["datetime"]
        for t in soup(client.get("/sv/kalendarium/heldag/")).select(".event-when time")
    ]
    assert winter == ["2025-01-22T13:00:00+01:00", "2025-01-22T17:00:00+01:00"]
    assert summer == ["2025-07-01T13:00:00+02:00", "2025-07-01T17:00:00+02:00"]
    assert whole == ["2025-07-01"]
    for value in winter + summer:
        assert datetime.datetime.fromisoformat(value).utcoffset() is not None


# --- the event page ---------------------------------------------------------------------


@pytest.fixture
def symposium(calendar, clock):
    clock.set(stockholm(2030, 1, 10, 12))
    image = ImageFactory(title="Aulan")
    topic = TopicFactory(
        name_sv="Cellterapi", name_en="Cell therapy", slug_sv="cellterapi", slug_en="cell-therapy"
    )
    partners = [Partner.objects.create(name="NextGenNK", url="https://nextgennk.example"),
                Partner.objects.create(name="CCRM Nordic")]  # fmt: skip
    return event(
        calendar, title_sv="Symposium om cellterapi", title_en="Cell therapy symposium",
        slug_sv="symposium", slug_en="symposium", start_date=datetime.date(2030, 1, 22),
        start_time=datetime.time(13), end_time=datetime.time(17),
        place_name_sv="Karolinska Institutet, Campus Flemingsberg",
        place_name_en="Karolinska Institutet, Campus Flemingsberg",
        place_address="Alfred Nobels allé 8, Huddinge", online_url="https://example.org/live",
        registration_url="https://example.org/anmalan", registration_deadline=datetime.date(2030, 1, 15),
        event_language="en", is_free=True, hero_image=image, hero_alt_text_sv="Publik i aulan",
        hero_alt_text_en="Audience in the hall", topics=[topic], organisers=partners,
    )  # fmt: skip


def test_the_event_page_shows_its_facts_in_each_language(client, symposium):
    sv = soup(client.get("/sv/kalendarium/symposium/"))
    facts = {dt.get_text(strip=True): dd.get_text(" ", strip=True)
             for dt, dd in zip(sv.select(".event-facts dt"), sv.select(".event-facts dd"), strict=True)}  # fmt: skip
    assert sv.select_one(".event-when").get_text() == "22 januari 2030 kl. 13.00–17.00"
    assert facts["Var"].startswith(
        "Karolinska Institutet, Campus Flemingsberg Alfred Nobels allé 8"
    )
    assert "Även online" in facts["Var"]
    assert facts["Arrangörer"] == "NextGenNK CCRM Nordic"
    assert facts["Språk"] == "Engelska"
    assert facts["Pris"] == "Kostnadsfritt"
    assert facts["Anmälan"] == "Anmäl dig senast 15 januari 2030"
    assert sv.select_one(".fact-topics a")["href"] == "/sv/kalendarium/?amne=cellterapi"
    assert sv.select_one(".event-hero img")["alt"] == "Publik i aulan"
    assert sv.select_one(".fact-calendar a")["href"] == "/sv/kalendarium/symposium/ics/"
    en = soup(client.get("/en/events/symposium/"))
    assert en.select_one(".fact-language dd").get_text(strip=True) == "English"
    assert (
        en.select_one(".fact-registration dd").get_text(" ", strip=True)
        == "Register by 15 January 2030"
    )
    assert en.select_one(".fact-topics a")["href"] == "/en/events/?topic=cell-therapy"
    assert en.select_one(".event-hero img")["alt"] == "Audience in the hall"


def test_registration_closes_and_the_page_says_when_the_event_has_ended(client, symposium, clock):
    clock.set(stockholm(2030, 1, 16, 9))
    closed = soup(client.get("/en/events/symposium/"))
    assert (
        closed.select_one(".fact-registration dd").get_text(strip=True)
        == "Registration closed on 15 January 2030."
    )
    clock.set(stockholm(2030, 1, 22, 14))
    assert (
        soup(client.get("/sv/kalendarium/symposium/"))
        .select_one(".event-notice")
        .get_text(strip=True)
        == "Evenemanget pågår just nu."
    )
    clock.set(stockholm(2030, 1, 22, 18))
    ended = soup(client.get("/sv/kalendarium/symposium/"))
    assert ended.select_one(".event-notice").get_text(strip=True) == "Evenemanget är avslutat."
    assert ended.select_one(".fact-registration") is None


def test_an_english_page_without_english_text_is_shown_in_swedish(client, calendar):
    event(calendar, title_sv="Bara svenska", title_en="", slug_sv="bara-svenska")
    response = client.get("/en/events/bara-svenska/")
    page = soup(response)
    assert response.status_code == 200
    assert page.main["lang"] == "sv"
    assert page.select_one(".event-facts")["lang"] == "en"
    assert page.select_one(".fact-when dt").get_text(strip=True) == "When"


def test_event_and_story_link_to_each_other(client, home_page, calendar, clock):
    clock.set(stockholm(2030, 3, 1, 12))
    news = StoryIndexPageFactory(parent=home_page)
    story = StoryPageFactory(parent=news, title_sv="Så gick symposiet", title_en="How the symposium went",
                             slug_sv="sa-gick-det", slug_en="how-it-went")  # fmt: skip
    event(calendar, title_sv="Symposium", title_en="Symposium", slug_sv="symposium", slug_en="symposium",
          start_date=datetime.date(2030, 3, 10), write_up=story)  # fmt: skip
    note = soup(client.get("/sv/nyheter/sa-gick-det/")).select_one(".story-event")
    assert note.get_text(" ", strip=True) == "Det här är ett evenemang den 10 mars 2030 : Symposium"
    assert note.a["href"] == "/sv/kalendarium/symposium/"
    assert note.time["datetime"] == "2030-03-10"
    clock.set(stockholm(2030, 3, 11, 9))  # the event is over: the story's note says so
    note = soup(client.get("/en/news/how-it-went/")).select_one(".story-event")
    assert note.get_text(" ", strip=True) == "This was an event on 10 March 2030 : Symposium"
    event_page = soup(client.get("/sv/kalendarium/symposium/"))
    assert event_page.select_one(".event-story .card-title a")["href"] == "/sv/nyheter/sa-gick-det/"
    assert event_page.select_one(".event-notice a")["href"] == "/sv/nyheter/sa-gick-det/"


# --- iCalendar -----------------------------------------------------------------------


def parse_calendar(response, disposition):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"].startswith(disposition)
    return icalendar.Calendar.from_ical(response.content)


@pytest.mark.parametrize("day, offset", [(WINTER, 1), (SUMMER, 2)])
def test_an_event_downloads_as_ics_and_its_times_round_trip(client, calendar, day, offset):
    page = event(calendar, title_sv="Seminarium", title_en="Seminar", slug_sv="seminarium",
                 slug_en="seminar", start_date=day, start_time=datetime.time(13),
                 end_time=datetime.time(17), place_address="Alfred Nobels allé 8, Huddinge")  # fmt: skip
    sv = parse_calendar(
        client.get("/sv/kalendarium/seminarium/ics/"), 'attachment; filename="seminarium.ics"'
    )
    en = parse_calendar(client.get("/en/events/seminar/ics/"), 'attachment; filename="seminar.ics"')
    assert sv["VERSION"] == "2.0" and sv["PRODID"]
    (vevent_sv,), (vevent_en,) = sv.walk("VEVENT"), en.walk("VEVENT")
    start, end = vevent_sv.decoded("DTSTART"), vevent_sv.decoded("DTEND")
    assert vevent_sv["DTSTART"].params["TZID"] == "Europe/Stockholm"
    assert (start.hour, start.utcoffset()) == (13, datetime.timedelta(hours=offset))
    assert start.astimezone(datetime.UTC) == page.starts_at
    assert end.astimezone(datetime.UTC) == page.ends_at
    (timezone_sv,) = sv.walk("VTIMEZONE")
    assert timezone_sv["TZID"] == "Europe/Stockholm"
    assert str(vevent_sv["UID"]) == str(vevent_en["UID"]) == str(page.uid)
    assert (str(vevent_sv["SUMMARY"]), str(vevent_en["SUMMARY"])) == ("Seminarium", "Seminar")
    assert vevent_sv["SUMMARY"].params["LANGUAGE"] == "sv"
    assert vevent_en["SUMMARY"].params["LANGUAGE"] == "en"
    assert str(vevent_sv["LOCATION"]) == "Campus Flemingsberg, Alfred Nobels allé 8, Huddinge"
    assert str(vevent_en["URL"]) == "http://testserver/en/events/seminar/"
    assert str(vevent_sv["STATUS"]) == "CONFIRMED"
    # Edited and published again: the same UID, the new time.
    page.start_time, page.end_time = datetime.time(14), datetime.time(18)
    page.save_revision().publish()
    again = parse_calendar(client.get("/sv/kalendarium/seminarium/ics/"), "attachment")
    (vevent,) = again.walk("VEVENT")
    assert str(vevent["UID"]) == str(page.uid)
    assert vevent.decoded("DTSTART").hour == 14


def test_an_all_day_event_is_written_as_dates(client, calendar):
    event(calendar, slug_sv="tre-dagar", start_date=WINTER, end_date=datetime.date(2025, 1, 24))
    parsed = parse_calendar(client.get("/sv/kalendarium/tre-dagar/ics/"), "attachment")
    (vevent,) = parsed.walk("VEVENT")
    assert vevent.decoded("DTSTART") == WINTER
    assert vevent.decoded("DTEND") == datetime.date(2025, 1, 25)  # the day after, RFC 5545
    assert not parsed.walk("VTIMEZONE")


def test_a_feed_per_language_lists_the_upcoming_events(client, season):
    EventPageFactory(parent=season["later"].get_parent(), title_sv="Bara på svenska", title_en="",
                     start_date=datetime.date(2030, 6, 1))  # fmt: skip
    sv = parse_calendar(client.get("/sv/kalendarium/ics/"), 'inline; filename="kalendarium.ics"')
    en = parse_calendar(client.get("/en/events/ics/"), 'inline; filename="events.ics"')
    assert str(sv["X-WR-CALNAME"]).startswith("Kalendarium")
    assert str(en["X-WR-CALNAME"]).startswith("Events")
    assert [str(e["SUMMARY"]) for e in sv.walk("VEVENT")] == [
        "Pågår",
        "Snart",
        "Senare",
        "Bara på svenska",
    ]
    summaries = [(str(e["SUMMARY"]), e["SUMMARY"].params["LANGUAGE"]) for e in en.walk("VEVENT")]
    assert summaries == [
        ("Ongoing", "en"),
        ("Soon", "en"),
        ("Later", "en"),
        ("Bara på svenska", "sv"),
    ]
    starts = [e.decoded("DTSTART") for e in sv.walk("VEVENT")]
    assert starts[1] == stockholm(2030, 3, 10, 18)
    page = soup(client.get("/en/events/"))
    link = page.select_one('link[rel=alternate][type="text/calendar"]')
    assert link["href"] == "/en/events/ics/"


# --- JSON-LD ----------------------------------------------------------------------------


def json_ld(response):
    scripts = soup(response).select('script[type="application/ld+json"]')
    return [json.loads(script.string) for script in scripts]


def test_json_ld_describes_the_event(client, symposium):
    (data,) = [
        item
        for item in json_ld(client.get("/en/events/symposium/"))
        if item.get("@type") == "Event"
    ]
    assert data["name"] == "Cell therapy symposium"
    assert data["startDate"] == "2030-01-22T13:00:00+01:00"
    assert data["endDate"] == "2030-01-22T17:00:00+01:00"
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["eventAttendanceMode"] == "https://schema.org/MixedEventAttendanceMode"
    place, online = data["location"]
    assert place == {"@type": "Place", "name": "Karolinska Institutet, Campus Flemingsberg",
                     "address": "Alfred Nobels allé 8, Huddinge"}  # fmt: skip
    assert online == {"@type": "VirtualLocation", "url": "https://example.org/live"}
    assert data["organizer"][0] == {
        "@type": "Organization",
        "name": "NextGenNK",
        "url": "https://nextgennk.example",
    }
    assert data["inLanguage"] == ["en"]
    assert data["isAccessibleForFree"] is True
    assert data["url"] == "http://testserver/en/events/symposium/"
    assert data["image"].startswith("http://testserver/")
    (swedish,) = [
        item
        for item in json_ld(client.get("/sv/kalendarium/symposium/"))
        if item.get("@type") == "Event"
    ]
    assert swedish["name"] == "Symposium om cellterapi"
    assert swedish["url"] == "http://testserver/sv/kalendarium/symposium/"


def test_json_ld_of_an_all_day_event_in_one_place(client, calendar):
    event(calendar, slug_sv="heldag", start_date=WINTER)
    (data,) = [
        item
        for item in json_ld(client.get("/sv/kalendarium/heldag/"))
        if item.get("@type") == "Event"
    ]
    assert (data["startDate"], data["endDate"]) == ("2025-01-22", "2025-01-22")
    assert data["location"] == {"@type": "Place", "name": "Campus Flemingsberg"}
    assert data["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert data["inLanguage"] == "sv"


# --- the calendar block, cards, search, sitemap ----------------------------------------


def test_the_calendar_block_shows_the_next_events_optionally_of_a_topic(client, home_page, season):
    topic = TopicFactory(name_sv="Cellterapi", name_en="Cell therapy")
    season["later"].topics.set([topic])
    season["later"].save_revision().publish()
    body = json.dumps([
        {"type": "upcoming_events", "value": {"heading": "", "number": 2, "topic": None}},
        {"type": "upcoming_events", "value": {"heading": "Cellterapi", "number": 3, "topic": topic.pk}},
    ])  # fmt: skip
    StandardPageFactory(parent=home_page, title_sv="Om", title_en="About", slug_sv="om", slug_en="about",
                        body_sv=body, body_en=body)  # fmt: skip
    page = soup(client.get("/sv/om/"))
    first, second = page.select(".block-upcoming-events")
    assert first.h2.get_text(strip=True) == "Kommande evenemang"
    assert [h.get_text(strip=True) for h in first.select(".card-title")] == ["Pågår", "Snart"]
    assert [h.get_text(strip=True) for h in second.select(".card-title")] == ["Senare"]
    assert first.select_one(".section-more a")["href"] == "/sv/kalendarium/"
    english = soup(client.get("/en/about/")).select_one(".block-upcoming-events")
    assert english.h2.get_text(strip=True) == "Upcoming events"
    assert english.select_one(".card-label").get_text(strip=True) == "Event"


def test_an_event_is_a_card_where_pages_are_featured(client, home_page, symposium):
    from home.models import HomeFeaturedItem

    HomeFeaturedItem.objects.create(home=home_page, page=symposium, sort_order=0)
    home_page.save_revision().publish()
    card = soup(client.get("/sv/")).select_one(".featured .card-event")
    assert card.select_one(".card-label").get_text(strip=True) == "Evenemang"
    assert card.select_one(".card-date").get_text() == "22 januari 2030 kl. 13.00–17.00"
    assert (
        card.select_one(".card-place").get_text(strip=True)
        == "Karolinska Institutet, Campus Flemingsberg"
    )


def test_events_are_searched_in_each_language(client, calendar):
    event(calendar, title_sv="Vårsymposium om stamceller", title_en="Spring symposium on stem cells",
          slug_sv="varsymposium", slug_en="spring-symposium", place_address="Alfred Nobels allé 8")  # fmt: skip
    page = EventPage.objects.get(slug_sv="varsymposium")
    page.save_revision().publish()
    assert set(PageSearchEntry.objects.filter(page=page).values_list("language", flat=True)) == {
        "sv",
        "en",
    }

    def results(language, query, **params):
        response = client.get(
            {"sv": "/sv/sok/", "en": "/en/search/"}[language], {"q": query, **params}
        )
        return [
            " ".join(a.get_text().split()) for a in soup(response).select(".search-result-title a")
        ]

    assert results("sv", "vårsymposium") == ["Vårsymposium om stamceller"]
    assert results("en", "spring symposium") == ["Spring symposium on stem cells"]
    assert results("en", "vårsymposium") == []
    assert results("sv", "Nobels", type="event") == ["Vårsymposium om stamceller"]


def test_events_are_in_the_sitemap_with_their_alternates(client, home_page, calendar):
    from tests.test_sitemap import all_urls

    page = event(calendar, slug_sv="seminarium", slug_en="seminar")
    for each in (home_page, calendar, page):
        each.save_revision().publish()  # the sitemap's lastmod is the last publication
    urls = all_urls(client)
    entry = urls["http://testserver/sv/kalendarium/seminarium/"]
    assert entry["alternates"] == {
        "sv": "http://testserver/sv/kalendarium/seminarium/",
        "en": "http://testserver/en/events/seminar/",
        "x-default": "http://testserver/sv/kalendarium/seminarium/",
    }
    assert "http://testserver/en/events/" in urls


# --- the editor ------------------------------------------------------------------------


def editor(client, django_user_model, language):
    user = django_user_model.objects.create_superuser("editor", "editor@example.com", "secret")
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    client.force_login(user)
    return client


def event_form(**fields):
    data = {
        "title_sv": "Öppet hus",
        "title_en": "Open day",
        "slug_sv": "oppet-hus",
        "slug_en": "open-day",
        "status": "scheduled",
        "start_date": "2030-05-04",
        "start_time": "10:00",
        "end_time": "15:00",
        "place_name_sv": "Campus Flemingsberg",
        "place_name_en": "Campus Flemingsberg",
        "body_sv": streamfield([]),
        "body_en": streamfield([]),
        "organisers": inline_formset([]),
        "sessions": inline_formset([]),
        "date_changes": inline_formset([]),
        "action-publish": "publish",
    }
    data.update(fields)
    return nested_form_data(data)


@pytest.mark.parametrize("language, message", [
    ("sv", "Slutet kan inte ligga före starten."), ("en", "The end cannot be before the start."),
])  # fmt: skip
def test_the_admin_refuses_a_bad_event_in_the_editors_language_and_publishes_a_good_one(
    client, django_user_model, calendar, language, message
):
    admin = editor(client, django_user_model, language)
    url = f"/admin/pages/add/events/eventpage/{calendar.pk}/"
    response = admin.post(url, event_form(end_time="09:00"))
    assert response.status_code == 200
    errors = " ".join(n.get_text(" ", strip=True) for n in soup(response).select(".error-message"))
    assert message in errors
    assert not EventPage.objects.exists()
    response = admin.post(url, event_form())
    assert response.status_code == 302
    page = EventPage.objects.get()
    assert page.live and page.starts_at == stockholm(2030, 5, 4, 10)
    assert (
        soup(client.get("/en/events/open-day/")).select_one(".event-when").get_text()
        == "4 May 2030, 10:00–15:00"
    )


@pytest.mark.parametrize("language, message", [
    ("sv", "Ange en plats, en länk för att delta online"),
    ("en", "Give a place, an online link, or both."),
])  # fmt: skip
def test_an_event_without_a_place_gets_the_message_under_the_place_not_a_500(
    client, django_user_model, calendar, language, message
):
    # The rule is the page's (clean() names "place_name"); the form has a copy per language.
    admin = editor(client, django_user_model, language)
    url = f"/admin/pages/add/events/eventpage/{calendar.pk}/"
    response = admin.post(url, event_form(place_name_sv="", place_name_en="", place_address=""))
    assert response.status_code == 200
    field = soup(response).select_one("[data-field-wrapper]:has(#id_place_name_sv)")
    assert message in field.select_one(".error-message").get_text()
    assert not EventPage.objects.exists()


def test_the_editor_is_offered_an_event_only_under_the_calendar(admin_client, home_page, calendar):
    assert EventIndexPage.can_create_at(home_page) is False  # one calendar per site
    assert EventPage.can_create_at(calendar)
    assert not EventPage.can_create_at(home_page)


# --- the seed ------------------------------------------------------------------------


def test_seed_demo_adds_the_atmp_symposium_as_a_past_all_day_event(client):
    call_command("seed_demo", "--no-warm", stdout=open("/dev/null", "w"))
    pages = Page.objects.count()
    call_command("seed_demo", "--no-warm", stdout=open("/dev/null", "w"))
    assert Page.objects.count() == pages  # idempotent
    page = EventPage.objects.get()
    assert (page.start_date, page.end_date, page.is_all_day) == (
        datetime.date(2025, 1, 22),
        None,
        True,
    )
    assert [partner.name for partner in page.get_organisers()] == ["NextGenNK", "CCRM Nordic"]
    assert page.place_name_sv == "Karolinska Institutet, Campus Flemingsberg"
    assert page.write_up == StoryPage.objects.get(slug_sv="atmp-symposium-for-kunskapsutbyte")
    assert page.has_ended
    for language, text in (("sv", "14 presentationer"), ("en", "14 presentations")):
        with translation.override(language):
            assert text in page.lead
    assert titles(client.get("/sv/kalendarium/tidigare/")) == ["ATMP-minisymposium"]
    assert titles(client.get("/en/events/past/")) == ["ATMP mini-symposium"]
    story = soup(client.get("/sv/nyheter/atmp-symposium-for-kunskapsutbyte/")).select_one(
        ".story-event"
    )
    assert (
        story.get_text(" ", strip=True)
        == "Det här var ett evenemang den 22 januari 2025 : ATMP-minisymposium"
    )
    home = HomePage.objects.get()
    assert [block.block_type for block in home.body_en].count("upcoming_events") == 1
    assert (
        soup(client.get("/en/")).select_one(".block-upcoming-events h2").get_text(strip=True)
        == "Upcoming events"
    )


# --- query counts ----------------------------------------------------------------------


def add_events(calendar, count, image, topic, story):
    partner = Partner.objects.create(name=f"Arrangör {count}")
    for number in range(count):
        event(calendar, hero_image=image, topics=[topic], organisers=[partner], write_up=story,
              slug_sv=f"kommande-{count}-{number}", slug_en=f"coming-{count}-{number}",
              start_date=datetime.date(2030, 4, 1) + datetime.timedelta(days=number))  # fmt: skip
        event(calendar, hero_image=image, topics=[topic], organisers=[partner],
              slug_sv=f"tidigare-{count}-{number}", slug_en=f"past-{count}-{number}",
              start_date=datetime.date(2029, 4, 1) + datetime.timedelta(days=number))  # fmt: skip


def queries(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    assert cache_state(response) is None
    return len(captured)


def test_query_counts_stay_the_same_with_few_and_many_events(
    client, settings, home_page, calendar, clock
):
    clock.set(stockholm(2030, 3, 1, 12))
    settings.PORTAL_PAGE_CACHE = False
    news = StoryIndexPageFactory(parent=home_page)
    story = StoryPageFactory(parent=news)
    image = ImageFactory(file__width=80, file__height=60)
    topic = TopicFactory()
    add_events(calendar, 3, image, topic, story)
    urls = ["/sv/kalendarium/", "/en/events/past/", "/sv/kalendarium/?manad=2030-04",
            f"/sv/kalendarium/?amne={topic.slug_sv}", "/sv/kalendarium/kommande-3-0/",
            "/en/events/coming-3-0/", "/sv/kalendarium/ics/", "/sv/kalendarium/kommande-3-0/ics/"]  # fmt: skip
    counts = {}
    for fragments in (True, False):
        settings.PORTAL_FRAGMENT_CACHE = fragments
        counts[fragments] = {url: queries(client, url) for url in urls}
    add_events(calendar, 30, image, topic, story)
    for fragments in (True, False):
        settings.PORTAL_FRAGMENT_CACHE = fragments
        many = {url: queries(client, url) for url in urls}
        print("queries (fragments warm)" if fragments else "queries (fragments cold)",
              {url: (counts[fragments][url], many[url]) for url in urls})  # fmt: skip
        assert many == counts[fragments]
    assert all(count <= 12 for count in counts[True].values()), counts[True]
