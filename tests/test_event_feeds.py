"""A feed for every view of the calendar and a way to add each event to a calendar:
the listing's filters give their own subscribable feed (https and webcal), feeds hold
every upcoming event and the cancelled ones until they are past, answer 304 to a client
that has the current version, and an event page links to Google Calendar and
Outlook.com with its times."""

import datetime
from urllib.parse import parse_qs, urlsplit

import icalendar
import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events.models import EventPage, EventStatus
from tests.factories.events import EventPageFactory
from tests.factories.stories import TopicFactory

pytestmark = pytest.mark.django_db


def soup(response):
    assert response.status_code == 200
    return BeautifulSoup(response.content.decode(), "html.parser")


def summaries(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    parsed = icalendar.Calendar.from_ical(response.content)
    return [str(vevent["SUMMARY"]) for vevent in parsed.walk("VEVENT")]


@pytest.fixture
def programme(calendar, clock):
    clock.set(datetime.datetime(2030, 1, 10, 9, tzinfo=datetime.UTC))
    cells = TopicFactory(name_sv="Cellterapi", name_en="Cell therapy",
                         slug_sv="cellterapi", slug_en="cell-therapy")  # fmt: skip

    def add(title_sv, title_en, day, **fields):
        return EventPageFactory(parent=calendar, title_sv=title_sv, title_en=title_en,
                                start_date=day, **fields)  # fmt: skip

    return {
        "march": add("Mars om celler", "March on cells", datetime.date(2030, 3, 5),
                     topics=[cells], start_time=datetime.time(13), end_time=datetime.time(15)),
        "april": add("April om celler", "April on cells", datetime.date(2030, 4, 8),
                     topics=[cells]),
        "other": add("Mars om annat", "March on other things", datetime.date(2030, 3, 20)),
    }  # fmt: skip


def test_each_filter_has_its_own_feed_linked_from_the_listing(client, programme):
    assert summaries(client.get("/sv/kalendarium/ics/?amne=cellterapi")) == [
        "Mars om celler",
        "April om celler",
    ]
    assert summaries(client.get("/en/events/ics/?topic=cell-therapy&month=2030-03")) == [
        "March on cells"
    ]
    assert summaries(client.get("/sv/kalendarium/ics/?manad=2030-03")) == [
        "Mars om celler",
        "Mars om annat",
    ]
    assert client.get("/sv/kalendarium/ics/?amne=finns-inte").status_code == 404

    listing = soup(client.get("/sv/kalendarium/?amne=cellterapi"))
    https, webcal = (
        listing.select_one(".feed-link a[type='text/calendar']")["href"],
        listing.select_one(".feed-link a[href^='webcal:']")["href"],
    )
    assert https == "/sv/kalendarium/ics/?amne=cellterapi"
    assert webcal == "webcal://testserver/sv/kalendarium/ics/?amne=cellterapi"
    assert listing.select_one("link[rel=alternate][type='text/calendar']")["href"] == https
    assert "Prenumerera på de här evenemangen:" in listing.select_one(".feed-link").get_text()
    english = soup(client.get("/en/events/"))
    assert english.select_one(".feed-link a[type='text/calendar']")["href"] == "/en/events/ics/"
    assert "Subscribe to the calendar:" in english.select_one(".feed-link").get_text()
    # The past listing offers the whole calendar's feed.
    past = soup(client.get("/en/events/past/?topic=cell-therapy"))
    assert past.select_one(".feed-link a[type='text/calendar']")["href"] == "/en/events/ics/"


def test_a_feed_holds_every_upcoming_event_without_a_cap(client, calendar, clock):
    clock.set(datetime.datetime(2030, 1, 1, tzinfo=datetime.UTC))
    for number in range(40):  # more than three pages of the listing
        EventPageFactory(parent=calendar, start_date=datetime.date(2030, 2, 1)
                         + datetime.timedelta(days=number))  # fmt: skip
    assert len(summaries(client.get("/sv/kalendarium/ics/"))) == 40
    assert soup(client.get("/sv/kalendarium/?page=4")).select(".event-list .card")


def test_a_cancelled_event_stays_in_the_feed_until_it_is_past(client, programme, clock):
    march = EventPage.objects.get(pk=programme["march"].pk)
    march.status = EventStatus.CANCELLED
    march.save_revision().publish()
    feed = icalendar.Calendar.from_ical(client.get("/en/events/ics/").content)
    statuses = {str(e["SUMMARY"]): str(e["STATUS"]) for e in feed.walk("VEVENT")}
    assert statuses["Cancelled: March on cells"] == "CANCELLED"
    clock.set(datetime.datetime(2030, 3, 6, tzinfo=datetime.UTC))  # the day after it
    assert summaries(client.get("/en/events/ics/")) == [
        "March on other things",
        "April on cells",
    ]


def test_a_client_with_the_current_feed_gets_304_until_an_event_changes(client, programme):
    first = client.get("/sv/kalendarium/ics/")
    etag = first["ETag"]
    assert etag
    again = client.get("/sv/kalendarium/ics/", headers={"if-none-match": etag})
    assert again.status_code == 304 and not again.content
    # Also from the page cache.
    assert client.get("/sv/kalendarium/ics/", headers={"if-none-match": etag}).status_code == 304
    march = EventPage.objects.get(pk=programme["march"].pk)
    march.start_time = datetime.time(14)
    march.save_revision().publish()
    changed = client.get("/sv/kalendarium/ics/", headers={"if-none-match": etag})
    assert changed.status_code == 200 and changed["ETag"] != etag


def test_an_event_page_adds_itself_to_google_calendar_and_outlook(client, programme):
    page = soup(client.get("/sv/kalendarium/mars-om-celler/"))
    links = {a.get_text(strip=True): a["href"] for a in page.select(".add-to-calendar a")}
    assert set(links) == {"Ladda ner (.ics)", "Google Kalender", "Outlook.com"}
    assert links["Ladda ner (.ics)"] == "/sv/kalendarium/mars-om-celler/ics/"
    assert client.get(links["Ladda ner (.ics)"]).status_code == 200
    google = urlsplit(links["Google Kalender"])
    assert (google.scheme, google.netloc) == ("https", "calendar.google.com")
    query = parse_qs(google.query)
    assert query["text"] == ["Mars om celler"]
    assert query["dates"] == ["20300305T120000Z/20300305T140000Z"]  # 13–15 Swedish winter time
    assert query["location"] == ["Campus Flemingsberg"]
    assert query["details"][0].endswith("http://testserver/sv/kalendarium/mars-om-celler/")
    outlook = parse_qs(urlsplit(links["Outlook.com"]).query)
    assert (outlook["subject"], outlook["allday"]) == (["Mars om celler"], ["false"])
    assert (outlook["startdt"], outlook["enddt"]) == (["2030-03-05T12:00:00Z"],
                                                      ["2030-03-05T14:00:00Z"])  # fmt: skip

    english = soup(client.get("/en/events/april-on-cells/"))
    links = {a.get_text(strip=True): a["href"] for a in english.select(".add-to-calendar a")}
    assert set(links) == {"Download (.ics)", "Google Calendar", "Outlook.com"}
    query = parse_qs(urlsplit(links["Google Calendar"]).query)
    assert (query["text"], query["dates"]) == (["April on cells"], ["20300408/20300409"])
    outlook = parse_qs(urlsplit(links["Outlook.com"]).query)
    assert (outlook["startdt"], outlook["enddt"], outlook["allday"]) == (
        ["2030-04-08"],
        ["2030-04-09"],
        ["true"],
    )


def test_a_called_off_event_offers_no_calendar_links(client, programme):
    march = EventPage.objects.get(pk=programme["march"].pk)
    march.status = EventStatus.POSTPONED
    march.save_revision().publish()
    assert not soup(client.get("/en/events/march-on-cells/")).select(".add-to-calendar a")


@pytest.mark.usefixtures("uncached")
def test_a_feeds_queries_do_not_grow_with_its_events(client, calendar, clock):
    clock.set(datetime.datetime(2030, 1, 1, tzinfo=datetime.UTC))
    topic = TopicFactory()

    def queries():
        client.get("/sv/kalendarium/ics/")  # warm the site's settings
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/sv/kalendarium/ics/").status_code == 200
        return len(captured)

    for _ in range(3):
        EventPageFactory(parent=calendar, topics=[topic])
    few = queries()
    for _ in range(12):
        EventPageFactory(parent=calendar, topics=[topic])
    assert queries() == few


@pytest.fixture
def varied(calendar, clock):
    clock.set(datetime.datetime(2030, 1, 10, 9, tzinfo=datetime.UTC))

    def add(title_sv, title_en, **fields):
        return EventPageFactory(parent=calendar, title_sv=title_sv, title_en=title_en, **fields)

    return [
        add("På svenska på plats", "In Swedish on site", event_language="sv"),
        add("På engelska online", "In English online", event_language="en", place_name_sv="",
            place_name_en="", online_url="https://example.org/live", is_free=True),
        add("På båda, hybrid", "In both, hybrid", event_language="sv,en",
            online_url="https://example.org/hybrid", is_free=True),
    ]  # fmt: skip


@pytest.mark.parametrize(
    "address, expected",
    [
        ("/sv/kalendarium/?sprak=engelska", ["På engelska online", "På båda, hybrid"]),
        ("/en/events/?language=swedish", ["In Swedish on site", "In both, hybrid"]),
        ("/en/events/?sprak=svenska", ["In Swedish on site", "In both, hybrid"]),
        ("/sv/kalendarium/?plats=online", ["På engelska online", "På båda, hybrid"]),
        ("/en/events/?attendance=on-site", ["In Swedish on site", "In both, hybrid"]),
        ("/sv/kalendarium/?gratis=ja&plats=pa-plats", ["På båda, hybrid"]),
        ("/en/events/?free=yes&language=english", ["In English online", "In both, hybrid"]),
    ],
)
def test_language_place_and_price_filters_in_listing_and_feed(client, varied, address, expected):
    page = soup(client.get(address))
    assert [n.get_text(strip=True) for n in page.select(".event-list .card-title")] == expected
    path, query = address.split("?")
    assert summaries(client.get(f"{path}ics/?{query}")) == expected
    # The feed link carries the filters in the page's own language.
    feed = page.select_one(".feed-link a[type='text/calendar']")["href"]
    assert summaries(client.get(feed)) == expected


def test_choice_filters_are_links_in_the_readers_language(client, varied):
    page = soup(client.get("/sv/kalendarium/?language=english"))
    groups = {
        group.select_one(".event-choice-label").get_text(): [
            (a.get_text(), a["href"], a.get("aria-current")) for a in group.select("a")
        ]
        for group in page.select(".event-choices .event-choice")
    }
    assert groups["Evenemangets språk"] == [
        ("Alla", "/sv/kalendarium/", None),
        ("Svenska", "/sv/kalendarium/?sprak=svenska", None),
        ("Engelska", "/sv/kalendarium/?sprak=engelska", "page"),
    ]
    assert groups["Var"][2] == ("Online", "/sv/kalendarium/?sprak=engelska&plats=online", None)
    assert groups["Pris"][1][0] == "Kostnadsfritt"
    english = soup(client.get("/en/events/past/"))
    labels = [n.get_text() for n in english.select(".event-choice-label")]
    assert labels == ["Language of the event", "Where", "Price"]


@pytest.mark.parametrize(
    "query", ["sprak=tyska", "language=sv,en", "plats=overallt", "free=no", "gratis=" + "x" * 500]
)
def test_unknown_filter_values_answer_404(client, varied, query):
    assert client.get(f"/sv/kalendarium/?{query}").status_code == 404
    assert client.get(f"/en/events/ics/?{query}").status_code == 404


# --- the read API ---------------------------------------------------------------------


def test_the_json_api_lists_upcoming_events_in_the_readers_language(client, programme, clock):
    march = EventPage.objects.get(pk=programme["march"].pk)
    march.status = EventStatus.CANCELLED
    march.save_revision().publish()
    EventPageFactory(parent=march.get_parent(), title_sv="Bara svenska", title_en="",
                     start_date=datetime.date(2030, 5, 1))  # fmt: skip
    response = client.get("/en/events/json/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*"
    data = response.json()
    assert data["calendar"] == "Events"
    assert data["feed"] == "http://testserver/en/events/ics/"
    assert data["count"] == 4
    titles = [(e["title"], e["language"]) for e in data["events"]]
    assert titles == [
        ("March on cells", "en"),
        ("March on other things", "en"),
        ("April on cells", "en"),
        ("Bara svenska", "sv"),
    ]
    first = data["events"][0]
    assert (first["status"], first["status_label"]) == ("cancelled", "Cancelled")
    assert (first["start"], first["end"]) == (
        "2030-03-05T13:00:00+01:00",
        "2030-03-05T15:00:00+01:00",
    )
    assert first["when"] == "5 March 2030, 13:00–15:00"
    assert first["url"] == "http://testserver/en/events/march-on-cells/"
    assert first["topics"] == ["Cell therapy"]
    assert first["place"] == {"name": "Campus Flemingsberg", "address": ""}
    assert data["events"][2]["all_day"] is True and data["events"][2]["start"] == "2030-04-08"

    swedish = client.get("/sv/kalendarium/json/?amne=cellterapi").json()
    assert [e["title"] for e in swedish["events"]] == ["Mars om celler", "April om celler"]
    assert swedish["events"][0]["status_label"] == "Inställt"
    assert swedish["events"][0]["when"] == "5 mars 2030 kl. 13.00–15.00"
    assert swedish["filters"] == {"amne": "cellterapi"}
    assert swedish["feed"] == "http://testserver/sv/kalendarium/ics/?amne=cellterapi"
    assert client.get("/sv/kalendarium/json/?amne=finns-inte").status_code == 404


@pytest.mark.usefixtures("uncached")
def test_the_json_apis_queries_do_not_grow_with_its_events(client, calendar, clock):
    clock.set(datetime.datetime(2030, 1, 1, tzinfo=datetime.UTC))
    topic = TopicFactory()

    def queries():
        client.get("/en/events/json/")
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/en/events/json/").status_code == 200
        return len(captured)

    for _ in range(3):
        EventPageFactory(parent=calendar, topics=[topic])
    few = queries()
    for _ in range(12):
        EventPageFactory(parent=calendar, topics=[topic])
    assert queries() == few
