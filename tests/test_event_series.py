"""A series page groups related events (a seminar series): its coming and past
events in each language, the link from each event to its series, and schema.org
EventSeries / superEvent."""

import datetime
import json

import pytest
from bs4 import BeautifulSoup

from events.models import EventPage, EventSeriesPage
from tests.factories.events import EventPageFactory, EventSeriesPageFactory

pytestmark = pytest.mark.django_db


def soup(response):
    assert response.status_code == 200
    return BeautifulSoup(response.content.decode(), "html.parser")


def json_ld(response, kind):
    scripts = soup(response).select('script[type="application/ld+json"]')
    (data,) = [d for d in (json.loads(s.string) for s in scripts) if d["@type"] == kind]
    return data


@pytest.fixture
def series(calendar, clock):
    clock.set(datetime.datetime(2030, 3, 1, tzinfo=datetime.UTC))
    seminars = EventSeriesPageFactory(parent=calendar, title_sv="Fredagsseminarier",
                                      title_en="Friday seminars", slug_sv="fredagsseminarier",
                                      slug_en="friday-seminars")  # fmt: skip
    for day, title_sv, title_en in [
        (datetime.date(2030, 2, 1), "Seminarium i februari", "February seminar"),
        (datetime.date(2030, 4, 5), "Seminarium i april", "April seminar"),
        (datetime.date(2030, 3, 8), "Seminarium i mars", "March seminar"),
    ]:
        EventPageFactory(parent=calendar, title_sv=title_sv, title_en=title_en,
                         start_date=day, series=seminars)  # fmt: skip
    EventPageFactory(parent=calendar, title_sv="Annat", title_en="Other",
                     start_date=datetime.date(2030, 3, 9))  # fmt: skip
    return seminars


def titles(page, selector):
    return [node.get_text(strip=True) for node in page.select(f"{selector} .card-title")]


def test_the_series_page_lists_its_coming_then_its_past_events(client, series):
    swedish = soup(client.get("/sv/kalendarium/fredagsseminarier/"))
    assert swedish.select_one("h1").get_text() == "Fredagsseminarier"
    headings = [h.get_text() for h in swedish.select(".event-listing h2")]
    assert headings == ["Kommande evenemang", "Tidigare evenemang"]
    listings = swedish.select(".event-listing")
    assert titles(listings[0], "") == ["Seminarium i mars", "Seminarium i april"]
    assert titles(listings[1], "") == ["Seminarium i februari"]
    english = soup(client.get("/en/events/friday-seminars/"))
    assert titles(english.select(".event-listing")[0], "") == ["March seminar", "April seminar"]
    assert json_ld(client.get("/en/events/friday-seminars/"), "EventSeries")["name"] == (
        "Friday seminars"
    )


def test_an_event_links_to_its_series(client, series):
    page = soup(client.get("/en/events/march-seminar/"))
    fact = page.select_one(".fact-series")
    assert fact.dt.get_text() == "Part of the series"
    assert fact.a.get_text() == "Friday seminars"
    assert fact.a["href"] == "/en/events/friday-seminars/"
    assert json_ld(client.get("/en/events/march-seminar/"), "Event")["superEvent"] == {
        "@type": "EventSeries",
        "name": "Friday seminars",
        "url": "http://testserver/en/events/friday-seminars/",
    }
    assert (
        soup(client.get("/sv/kalendarium/seminarium-i-mars/"))
        .select_one(".fact-series dt")
        .get_text()
        == "Del av serien"
    )
    assert soup(client.get("/en/events/other/")).select_one(".fact-series") is None


def test_a_series_without_coming_events_says_so_and_the_calendar_lists_events_only(
    client, series, clock
):
    clock.set(datetime.datetime(2030, 6, 1, tzinfo=datetime.UTC))
    page = soup(client.get("/sv/kalendarium/fredagsseminarier/"))
    assert page.select_one(".no-events").get_text() == (
        "Inga evenemang i den här serien är planerade just nu."
    )
    calendar = soup(client.get("/sv/kalendarium/tidigare/"))
    assert "Fredagsseminarier" not in titles(calendar, ".event-list")


def test_an_unpublished_series_is_not_linked(client, series):
    EventSeriesPage.objects.get(pk=series.pk).unpublish()
    page = soup(client.get("/en/events/march-seminar/"))
    assert page.select_one(".fact-series") is None
    assert "superEvent" not in json_ld(client.get("/en/events/march-seminar/"), "Event")
    assert EventPage.objects.filter(series=series).count() == 3
